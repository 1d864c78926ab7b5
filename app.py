"""Party Statements Dashboard: the Streamlit entry point and what every page shares.

Owns what is the same on every page: the wide page layout, the dataset (loaded once per server
and shared by all sessions through ``dashboard.ui.cache``), the filter sidebar and its URL state
(``dashboard.ui.state``), presenter mode, and routing with ``st.navigation`` over the pages
listed in ``dashboard.ui.routing``. The startup dataset is the file in ``DASHBOARD_DATA`` (set
by ``dashboard serve --data PATH``), else the bundled sample ``data/sample_statements.csv``. Run
with ``streamlit run app.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import dashboard  # noqa: F401 - installed with `pip install -e .`
except ImportError:  # running from a checkout without installing: use src/ directly
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

import streamlit as st

from dashboard.errors import DatasetError
from dashboard.ui import cache, routing, state, urlstate
from dashboard.ui.safe import md
from dashboard.ui.theme import apply_theme


def main() -> None:
    # The page config goes first, before any st.navigation call: see configure_page.
    routing.configure_page(state.presenter_mode_requested())
    if routing.legacy_pages_routing():
        # First run in this server process: switch Streamlit to st.navigation routing before
        # any widget exists (see dashboard.ui.routing).
        routing.reroute()

    # 1. dataset: shared by all sessions; a broken startup file still leaves the Data page usable
    try:
        ds, key, notices = state.select_dataset()
    except DatasetError as err:
        ds, key, notices = cache.empty_dataset(), "", []
        st.error(f"The startup dataset could not be loaded. {md(err)}", icon=":material/error:")

    # 2. filters: sidebar widgets <-> URL query string (the page menu goes above them)
    urlstate.start_run()
    menu = st.sidebar.container()
    ctx = state.build_context(ds, key, notices)
    state.watch_store(ds, key)  # a live store: re-run when new statements have been loaded

    # 3. render: theme, presenter controls, page menu, the chosen page
    apply_theme(ctx.present)
    if ctx.present:
        state.draw_presenter_exit()
    pages = routing.make_pages()
    page = st.navigation(pages, position="hidden")
    links = pages[1:]  # the menu: Overview at /overview rather than the empty root address
    # Streamlit's own menu drops the query string on a page switch; these links carry the
    # filters, so the new page's URL is complete from the start (and reloads the same view).
    query = state.context_query(ctx)
    with menu:
        for link in links:
            st.page_link(link, query_params=query, width="stretch")
        st.divider()
    try:
        page.run()
    finally:
        # Also after a page's st.stop(): the URL always says what the page shows. One write per
        # run is one browser history entry, so Back/Forward step between views.
        urlstate.show_notices()
        state.write_url(ctx)


with state.app_run():
    main()
