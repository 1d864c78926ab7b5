"""Session and URL state: which dataset a session looks at, the sidebar filters and ``?query``.

Owns the round trip between the browser URL, the sidebar widgets and the ``FilterSpec``:

* On a session's first run the URL is the truth: ``FilterSpec.from_query`` reads it (dropping
  unknown or malformed values with a notice) and seeds the widgets' session state.
* From then on the widgets are the truth and every run writes the spec back to the URL, so
  reloading, bookmarking or sharing it reproduces the view. ``st.navigation`` drops the query
  string when the user switches pages; because the widgets live in ``app.py`` (drawn on every
  page) their state survives the switch and the next run puts the parameters back.

Streamlit 1.67's ``bind="query-params"`` is deliberately not used: it writes the *formatted*
option (our labels with counts) into the URL, silently drops unknown values (we must say so),
and cannot express the precision-aware "whole span means no date filter" rule.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.filters import QUERY_KEYS, FilterSpec, date_span, option_counts
from dashboard.labels import LabelKind, label_ids
from dashboard.live import Update
from dashboard.ui import cache, routing, urlstate

# Widget keys (tests find widgets by these).
K_DATES = "f_dates"
K_CONTINENTS = "f_continents"
K_REGIONS = "f_regions"
K_COUNTRIES = "f_countries"
K_PARTIES = "f_parties"
K_TOPICS = "f_topics"
K_LANGUAGES = "f_languages"
K_SEARCH = "f_search"
K_RESET = "f_reset"
K_PRESENT = "present"
K_PRESENT_EXIT = "present_exit"

# URL parameters owned here besides the filters' own (QUERY_KEYS).
Q_PRESENT = "present"
Q_DATASET = "ds"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# Session-state slots (leading underscore: not widget keys).
_SS_DATASET_KEY = "_dashboard_dataset_key"
_SS_SYNCED = "_dashboard_synced"
_SS_SPEC = "_dashboard_spec"
_SS_NOTICES = "_dashboard_notices"
_SS_CONTEXT = "_dashboard_run_context"

# sidebar widget key -> (FilterSpec field, column its options come from, label, labeller)
_LIST_WIDGETS: tuple[tuple[str, str, str, str], ...] = (
    (K_CONTINENTS, "continents", "continent", "Continent"),
    (K_REGIONS, "regions", "region", "Region"),
    (K_COUNTRIES, "countries", "party_countries", "Country (party's home)"),
    (K_PARTIES, "parties", "parties", "Party"),
    (K_TOPICS, "topics", "topics", "Topic"),
    (K_LANGUAGES, "languages", "language", "Language"),
)
# Column a picker chooses from -> the kind of label its options show (None: already words).
_PICKER_KINDS: dict[str, LabelKind | None] = {
    "continent": None,
    "region": None,
    "party_countries": "country",
    "parties": "party_picker",
    "topics": "topic",
    "language": "language",
}


@dataclass(frozen=True, eq=False)
class RunContext:
    """What every page of this run shows: the dataset, the filters and presenter mode."""

    dataset: Dataset
    dataset_key: str  # "" for the startup dataset, else the upload's content key
    spec: FilterSpec
    present: bool
    notices: tuple[str, ...]  # dropped URL values etc., shown on the page until filters change


# ---------------------------------------------------------------------------------------------
# Dataset choice


def select_dataset() -> tuple[Dataset, str, list[str]]:
    """The session's dataset, its key and notices; raises ``DatasetError`` if none loads.

    A session starts on the dataset named by ``?ds=`` when the server still holds that upload,
    else on the startup dataset.
    """
    notices: list[str] = []
    if _SS_DATASET_KEY not in st.session_state:
        st.session_state[_SS_DATASET_KEY] = st.query_params.get(Q_DATASET, "").strip()
    key = str(st.session_state[_SS_DATASET_KEY])
    if key:
        ds = cache.uploaded_dataset(key)
        if ds is not None:
            return ds, key, notices
        notices.append(
            f"The dataset in this link (ds={key[:20]}) is no longer loaded on this server, so the "
            "default dataset is shown. Upload the file again on the Data page to restore it."
        )
        st.session_state[_SS_DATASET_KEY] = ""
    return cache.load_startup_dataset(), "", notices


# A session on a live statement store checks this often whether a newer version was loaded.
LIVE_CHECK_SECONDS = 5


def store_update(ds: Dataset, key: str) -> Update | None:
    """The store update that brought ``ds`` (None unless the session is on a live store)."""
    live = None if key else cache.startup_live_store()
    return live.update_for(ds) if live is not None else None


def watch_store(ds: Dataset, key: str) -> None:
    """In a session on a live store, re-run the app once a newer version has been loaded.

    A small fragment re-runs on its own every ``LIVE_CHECK_SECONDS``; a full re-run keeps the
    filters (URL and widgets) and page settings, and shows the new statements everywhere.
    """
    if key or cache.startup_live_store() is None:
        return
    _store_watch(ds.version)


@st.fragment(run_every=LIVE_CHECK_SECONDS)
def _store_watch(shown_version: int) -> None:
    live = cache.startup_live_store()
    if live is not None and live.current().version != shown_version:
        st.rerun(scope="app")


def use_dataset(key: str) -> None:
    """Make an uploaded dataset (already registered in the cache) this session's dataset."""
    st.session_state[_SS_DATASET_KEY] = key


def use_startup_dataset() -> None:
    """Go back to the startup dataset."""
    st.session_state[_SS_DATASET_KEY] = ""


def open_upload(
    data: bytes,
    name: str,
    mapping: Mapping[str, str] | None = None,
    progress: cache.Progress | None = None,
) -> tuple[str, str]:
    """Read an uploaded file and make it this session's dataset.

    Returns ``(key, "")`` on success, or ``("", message)`` when the file cannot be used; the
    session keeps its current dataset in that case. A file uploaded before (by anyone, with the
    same column mapping) is not read again.
    """
    key = cache.content_key(data, mapping)
    ds = cache.uploaded_dataset(key)
    if ds is None:
        try:
            ds = cache.read_upload(data, name, mapping, progress)
        except DatasetError as err:
            return "", str(err)
        cache.register_upload(key, ds)
    use_dataset(key)
    return key, ""


def add_upload_to_store(key: str) -> str:
    """Add the uploaded dataset ``key`` to the live statement store; a sentence saying what
    happened (statements already stored are skipped). Raises ``DatasetError``."""
    from dashboard.store import add_frame

    live = cache.startup_live_store()
    ds = cache.uploaded_dataset(key)
    if live is None or ds is None:
        raise DatasetError(
            "there is no statement store or no uploaded dataset to add",
            hint="start the dashboard with `dashboard serve --store DIR` and upload a file",
        )
    result = add_frame(ds.df, live.root)
    if not result.added:
        return f"Nothing new: all {result.read:,} statements are already in the store."
    skipped = f" ({result.already_stored:,} were already there)" if result.already_stored else ""
    return (
        f"Added {result.added:,} statements to the store{skipped}; it now holds "
        f"{result.total:,}. Open pages show them within seconds."
    )


# ---------------------------------------------------------------------------------------------
# Widgets <-> spec


def _date_bounds(ds: Dataset) -> tuple[dt.date, dt.date] | None:
    lo, hi = date_span(ds)
    return (lo, hi) if lo is not None and hi is not None else None


def _clamp(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    return min(max(day, lo), hi)


def _seed_widgets(ds: Dataset, spec: FilterSpec) -> None:
    """Put ``spec`` into the sidebar widgets' session state (before they are drawn)."""
    bounds = _date_bounds(ds)
    if bounds is not None:
        lo, hi = bounds
        start = _clamp(spec.date_from or lo, lo, hi)
        end = _clamp(spec.date_to or hi, lo, hi)
        st.session_state[K_DATES] = (min(start, end), max(start, end))
    for key, field, _, _ in _LIST_WIDGETS:
        st.session_state[key] = list(getattr(spec, field))
    st.session_state[K_SEARCH] = spec.search


def _spec_from_widgets(ds: Dataset) -> FilterSpec:
    """The spec the sidebar widgets currently describe."""
    date_from = date_to = None
    bounds = _date_bounds(ds)
    picked = st.session_state.get(K_DATES)
    if bounds is not None and isinstance(picked, Sequence) and len(picked) >= 1:
        lo, hi = bounds
        start = picked[0]
        end = picked[1] if len(picked) >= 2 else None
        # The whole span means "no date filter", which keeps undated statements in view; a
        # narrowed range keeps both ends, so a shared link says exactly which days it shows.
        if end is None:  # the second click of the range picker is still to come
            date_from = start if start is not None and start > lo else None
        elif start is not None and (start > lo or end < hi):
            date_from, date_to = start, end
    lists = {field: tuple(st.session_state.get(key) or ()) for key, field, _, _ in _LIST_WIDGETS}
    search = str(st.session_state.get(K_SEARCH) or "")
    return FilterSpec(date_from=date_from, date_to=date_to, search=search, **lists)


def _parse_present(raw: str | None, notices: list[str]) -> bool:
    value = (raw or "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        notices.append(
            f"Ignored present=“{value[:20]}” in the link: use present=1 or leave it out."
        )
    return False


def _sync_from_url(ds: Dataset) -> list[str]:
    """Seed the widgets once per session and dataset; returns notices about dropped values."""
    token = id(ds)
    # Back/Forward or a link opened in this tab: the URL no longer holds what this session
    # wrote, so it is the truth again (the page links carry the filters, so a page switch is not
    # such a change).
    outside = _SS_SYNCED in st.session_state and urlstate.changed_outside((*QUERY_KEYS, Q_PRESENT))
    if st.session_state.get(_SS_SYNCED) == token and not outside:
        return []
    notices: list[str] = []
    if _SS_SYNCED not in st.session_state or outside:
        # First run of this session, or the URL changed outside: the URL is the truth.
        params: Mapping[str, Any] = st.query_params
        st.session_state[K_PRESENT] = _parse_present(st.query_params.get(Q_PRESENT), notices)
    else:
        # The dataset changed (an upload): keep whichever filters still make sense for it.
        previous = st.session_state.get(_SS_SPEC)
        params = previous.to_query() if isinstance(previous, FilterSpec) else {}
    spec, dropped = FilterSpec.from_query(params, ds)
    notices.extend(dropped)
    if _date_bounds(ds) is None and (spec.date_from or spec.date_to):
        notices.append("Ignored the link's date range: no statement in this dataset is dated.")
    _seed_widgets(ds, spec)
    st.session_state[_SS_SYNCED] = token
    return notices


def reset_filters() -> None:
    """Widget callback: clear every filter (the dataset and presenter mode stay)."""
    ctx = st.session_state.get(_SS_CONTEXT)
    if isinstance(ctx, RunContext):
        _seed_widgets(ctx.dataset, FilterSpec())
    else:
        for key, _, _, _ in _LIST_WIDGETS:
            st.session_state[key] = []
        st.session_state[K_SEARCH] = ""
        st.session_state.pop(K_DATES, None)


def _exit_presenter_mode() -> None:
    st.session_state[K_PRESENT] = False


def _picker_options(ds: Dataset, column: str) -> tuple[list[str], Callable[[str], str]]:
    """A picker's options (most frequent first) and their labels ("KKE — ... (Greece) · 1,234").

    Made once per dataset and shared by every run of every viewer (the sidebar is drawn on each
    run). A live store's new dataset gets new counts, and labels read afresh.
    """
    kind = _PICKER_KINDS[column]

    def build() -> tuple[list[str], Callable[[str], str]]:
        counts = option_counts(ds, column)
        options = counts.index.tolist()
        labels = {
            value: f"{label} · {n:,}"
            for value, label, n in zip(
                options, label_ids(options, kind), counts.tolist(), strict=True
            )
        }

        def fmt(value: str) -> str:
            return labels.get(value) or label_ids(value, kind)

        return options, fmt

    return ds.memo(("picker options", column), build)


# Enter in a date field applies the date at once. Streamlit's date field commits a typed date only
# on a pointer press outside it, so "Enter" after typing an end date seemed to do nothing: leave
# the field and send that press. A constant script, no data in it.
_DATE_ENTER_JS = f"""
<script>
if (!window.__dashboardDateEnter) {{
  window.__dashboardDateEnter = true;
  document.addEventListener('keydown', (e) => {{
    if (e.key === 'Enter' && e.target.closest && e.target.closest('.st-key-{K_DATES}')) {{
      e.target.blur();
      document.body.dispatchEvent(new PointerEvent('pointerdown', {{bubbles: true}}));
    }}
  }}, true);
}}
</script>
"""


def draw_sidebar(ds: Dataset) -> None:
    """The filter widgets, identical on every page; options are values present in ``ds``."""
    with st.sidebar:
        st.header("Filters")
        bounds = _date_bounds(ds)
        if bounds is not None:
            lo, hi = bounds
            st.date_input(
                "Date range",
                min_value=lo,
                max_value=hi,
                key=K_DATES,
                format="YYYY-MM-DD",
                help="A statement dated only to a month (or year) is shown when that month "
                "overlaps the range. Undated statements are shown only for the full range.",
            )
            st.html(_DATE_ENTER_JS, unsafe_allow_javascript=True, width="content")
        for key, _, column, label in _LIST_WIDGETS:
            options, fmt = _picker_options(ds, column)
            if not options:
                continue
            st.multiselect(
                label,
                options=options,
                key=key,
                format_func=fmt,
                placeholder="All",
                # No "Select N matches" entry: Enter picks the best match only (typing "KKE"
                # picked AKEL, KP, TKP, ... too). Fuzzy matching ranks the label that starts
                # with the typed abbreviation or name first (the ``party_picker`` labels).
                select_all=False,
            )
        st.text_input(
            "Search title and text",
            key=K_SEARCH,
            placeholder='words or "a phrase"',
            help="Every word must occur (at a word start, ignoring case and accents); put a "
            'phrase in "quotes" to find it as written.',
        )
        st.button("Reset filters", key=K_RESET, on_click=reset_filters, icon=":material/undo:")
        st.divider()
        st.toggle(
            "Presenter mode",
            key=K_PRESENT,
            help="Hide the sidebar and Streamlit's menus and enlarge text and charts; the link "
            "(with present=1) opens straight into this view.",
        )


def draw_presenter_exit() -> None:
    """The one control left in presenter mode: a small way back."""
    st.button(
        "Exit presenter mode",
        key=K_PRESENT_EXIT,
        on_click=_exit_presenter_mode,
        type="tertiary",
        icon=":material/close_fullscreen:",
    )


def context_query(ctx: RunContext) -> dict[str, str]:
    """The URL parameters that reproduce ``ctx``: filters, presenter mode, uploaded dataset."""
    desired = ctx.spec.to_query()
    if ctx.present:
        desired[Q_PRESENT] = "1"
    if ctx.dataset_key:
        desired[Q_DATASET] = ctx.dataset_key
    return desired


def write_url(ctx: RunContext) -> None:
    """Put the run context's state and this run's page settings into the URL (once, at run end)."""
    urlstate.write(context_query(ctx))


def build_context(ds: Dataset, dataset_key: str, dataset_notices: Sequence[str]) -> RunContext:
    """Sync from the URL, draw the sidebar, and return (and remember) this run's context."""
    notices = list(dataset_notices) + _sync_from_url(ds)
    if K_PRESENT not in st.session_state:
        st.session_state[K_PRESENT] = False
    draw_sidebar(ds)
    spec = _spec_from_widgets(ds)
    if notices:
        st.session_state[_SS_NOTICES] = (tuple(notices), spec)
    stored = st.session_state.get(_SS_NOTICES)
    shown: tuple[str, ...] = ()
    if stored and stored[1] == spec:
        shown = stored[0]
    elif stored:
        del st.session_state[_SS_NOTICES]  # the user changed the filters: the notice is stale
    st.session_state[_SS_SPEC] = spec
    ctx = RunContext(
        dataset=ds,
        dataset_key=dataset_key,
        spec=spec,
        present=bool(st.session_state.get(K_PRESENT)),
        notices=shown,
    )
    st.session_state[_SS_CONTEXT] = ctx
    _RUN.context = ctx
    return ctx


# The context of the run in progress. Pages run inside app.py's call (``pg.run()``) on the
# session's script thread, so a thread-local tells a page whether app.py built this very run's
# context; session state would still hold the previous run's.
_RUN = threading.local()


@contextmanager
def app_run() -> Iterator[None]:
    """Mark the code inside as one run of ``app.py`` (pages see ``current_context()``)."""
    _RUN.active = True
    _RUN.context = None
    routing.forget_reroutes()
    try:
        yield
    finally:
        _RUN.active = False
        _RUN.context = None


def in_app_run() -> bool:
    """True while ``app.py`` is running (so a page was routed by its ``st.navigation``)."""
    return bool(getattr(_RUN, "active", False))


def current_context() -> RunContext | None:
    """The run context ``app.py`` built in this run, if any."""
    ctx = getattr(_RUN, "context", None)
    return ctx if isinstance(ctx, RunContext) else None


def presenter_mode_requested() -> bool:
    """Presenter mode as known before the sidebar is drawn (for ``st.set_page_config``)."""
    if K_PRESENT in st.session_state:
        return bool(st.session_state[K_PRESENT])
    return (st.query_params.get(Q_PRESENT) or "").strip().lower() in _TRUE
