"""Routing: the app's pages (the one list of them), the browser tab, and Streamlit's page mode.

Owns ``APP_PAGES`` - each page's file, menu title, icon and URL path, in menu order - which
``app.py`` hands to ``st.navigation`` and the tests read; the tab's title and icon
(``configure_page``); and the workaround for Streamlit's two routing modes. Streamlit treats an
app with a ``pages/`` folder as an old-style multipage app (routing by the folder) until the
entry point has called ``st.navigation`` once in the server process, and AppTest resets that
before every run. So the first request for e.g. ``/explore?party=kke`` may run the page file on
its own: ``app.py`` and the page helpers then register the navigation and rerun
(``reroute``), which switches Streamlit to ``app.py``'s routing for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# The browser tab's icon. An emoji: Streamlit draws it into the page itself, whereas for a
# ``:material/...:`` icon the browser fetches an SVG from fonts.gstatic.com, which an offline
# installation cannot reach. (Material icons *inside* the page are fine: Streamlit 1.67 bundles
# the Material Symbols font, static/media/MaterialSymbols-Rounded.*.woff2.)
PAGE_ICON = "📣"
PAGE_TITLE = "Party statements"


@dataclass(frozen=True)
class AppPage:
    """One page of the app: its file, menu title and icon, and its address (``/url_path``)."""

    file: str
    title: str
    icon: str
    url_path: str


# The app's pages in menu order. The first is the default page.
APP_PAGES: tuple[AppPage, ...] = (
    AppPage("pages/overview.py", "Overview", ":material/dashboard:", "overview"),
    AppPage("pages/timeline.py", "Timeline", ":material/timeline:", "timeline"),
    AppPage("pages/world_map.py", "World map", ":material/public:", "world_map"),
    AppPage("pages/topics.py", "Topics", ":material/label:", "topics"),
    AppPage("pages/parties.py", "Parties", ":material/groups:", "parties"),
    AppPage("pages/explore.py", "Explore statements", ":material/table_rows:", "explore"),
    AppPage("pages/data.py", "Data", ":material/database:", "data"),
)
# The root page (served at "/") reserves a pathname of its own besides the first page's.
ROOT_URL_PATH = "start"
# A page run without app.py reroutes at most this often in a row before building its own context.
MAX_REROUTES = 2
_SS_REROUTES = "_dashboard_unframed_reruns"


def configure_page(present: bool = False) -> None:
    """Tab title and icon, wide layout, and the sidebar collapsed in presenter mode.

    Called before ``st.navigation`` in every run: the browser uses the current page's menu icon
    as the tab icon unless the page config has set one first, and a material menu icon would
    then be fetched from the internet.
    """
    st.set_page_config(
        page_title=PAGE_TITLE,
        page_icon=PAGE_ICON,
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )


def make_pages() -> list[Any]:
    """``st.Page`` objects for ``st.navigation``: the root page, then the menu in order.

    The first page is routed twice - as the app's root (``/``) and at its own URL path - and the
    menu links to the second: a link to the root page has the empty address "" in Streamlit, so
    "open in new tab" or copying it on another page gave that page.
    """
    first = APP_PAGES[0]
    root = st.Page(
        first.file, title=first.title, icon=first.icon, default=True, url_path=ROOT_URL_PATH
    )
    menu = [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.url_path) for p in APP_PAGES]
    return [root, *menu]


def legacy_pages_routing() -> bool:
    """True when Streamlit routes this run the old way (by the ``pages/`` folder).

    Streamlit does so until the entry point's ``st.navigation`` has run once in the process;
    widgets drawn in such a run get other ids than in later runs, so ``app.py`` reroutes first.
    """
    return bool(PagesManager.uses_pages_directory)


def settle_navigation_routing() -> None:
    """Mark the process as routed by ``st.navigation``, as its first call does.

    For AppTest (``tests/conftest.py``), which resets the mark before every run.
    """
    PagesManager.uses_pages_directory = False


def reroute() -> NoReturn:
    """Register the app's navigation and rerun, so ``app.py`` routes the run (see module doc).

    The page config must already be set in this run (``configure_page``).
    """
    st.navigation(make_pages(), position="hidden")
    st.rerun()


def reroute_page(present: bool) -> None:
    """From a page run on its own: reroute through ``app.py``, at most ``MAX_REROUTES`` times in
    a row; returns (so the page builds its own context) once those are used up."""
    attempts = int(st.session_state.get(_SS_REROUTES, 0))
    if attempts < MAX_REROUTES:
        st.session_state[_SS_REROUTES] = attempts + 1
        configure_page(present)
        reroute()


def forget_reroutes() -> None:
    """A run of ``app.py`` has started: the next page run on its own may reroute again."""
    st.session_state.pop(_SS_REROUTES, None)
