"""Page helpers every page uses: the filtered ``View``, the heading and caption, charts, tables.

Owns the shared top and bottom of a page - ``start_page`` (heading, the one caption describing
the active filters, any notices about the link), ``show_empty_state``, ``show_chart`` (theme-aware
plotly chart, offline map config, "Download data (CSV)" for the numbers behind it) and
``show_statements`` (statements as plain text in a table, never HTML, without columns the
dataset leaves empty). Pages stay thin: they pick an aggregation and a figure builder and hand
the results to these helpers.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.compute as pc
import streamlit as st
from plotly.basedatatypes import BaseFigure

from dashboard import geo, schema
from dashboard.dataset import Dataset
from dashboard.dates import format_at
from dashboard.export import chart_zip, download_name, is_list_column, readme_text
from dashboard.labels import COLUMN_KINDS, LabelKind, label_ids
from dashboard.ui import cache, routing, state, urlstate
from dashboard.ui.safe import md
from dashboard.ui.theme import (
    PRESENT_CHART_HEIGHT,
    PRESENT_FONT_SCALE,
    PRESENT_FONT_SIZE,
    PRESENT_TITLE_SIZE,
)
from dashboard.view import View

# Relative on purpose: a page lives one level below the app's base path (``<base>/world_map``),
# so the browser resolves this to ``<base>/app/static/topojson/`` under any server.baseUrlPath.
TOPOJSON_URL = f"app/static/{geo.TOPOJSON_DIR}/"

# Display name -> (source column, label kind of the ids it holds), in the order pickers offer them.
STATEMENT_COLUMNS: dict[str, tuple[str, LabelKind | None]] = {
    label_ids(column, "column"): (column, COLUMN_KINDS.get(column))
    for column in (
        schema.DATE,
        schema.TITLE,
        schema.TEXT,
        schema.PARTIES,
        schema.PARTY_COUNTRIES,
        schema.COUNTRIES,
        schema.TOPICS,
        schema.UNRESOLVED,
        schema.CONTINENT,
        schema.REGION,
        schema.URL,
        schema.ID,
    )
}
# Streamlit wraps cell text only in rows taller than 4rem; this fits five lines of text.
STATEMENT_ROW_HEIGHT = 110
STATEMENT_ROWS_VISIBLE = 6  # a table taller than this scrolls inside itself
# Pixels. "2019-10-20" fits on one line; the text column takes what the others leave of
# STATEMENT_TABLE_WIDTH (``statement_column_widths``), so the default columns fit the main column
# of a 1440-pixel screen with the sidebar open without a horizontal scroll bar.
STATEMENT_COLUMN_WIDTHS: dict[str, int] = {
    "Date": 92,
    "Title": 140,
    "Text": 300,
    "Parties": 120,
    "Party home countries": 145,
    "Countries mentioned": 135,
    "Topics": 130,
    "Unresolved short names": 110,
    "Matched words": 150,  # the Topics page's examples
}
LINK_COLUMN_WIDTH = 56
# The main column at 1440 px with the sidebar open, less the grid's border and scroll bar.
STATEMENT_TABLE_WIDTH = 960
# Below this the text column gives up its share instead and the table scrolls sideways.
MIN_TEXT_WIDTH = 240
DEFAULT_STATEMENT_COLUMNS: tuple[str, ...] = (
    "Date",
    "Title",
    "Text",
    "Parties",
    "Countries mentioned",
    "Topics",
    "Link",
)


def _context() -> state.RunContext:
    """This run's context (dataset, filters, presenter mode), as built by ``app.py``.

    A page run on its own (Streamlit's old page routing, see ``dashboard.ui.routing``) reroutes
    through ``app.py``, which then draws the sidebar and builds the context; if that somehow
    keeps failing the context is built right here.
    """
    ctx = state.current_context()
    if ctx is not None:
        return ctx
    if state.in_app_run():
        raise RuntimeError("a page helper ran before app.py built the run context")
    routing.reroute_page(state.presenter_mode_requested())
    ds, key, notices = state.select_dataset()
    with state.app_run():
        ctx = state.build_context(ds, key, notices)
        state.write_url(ctx)
    return ctx


def current_view() -> View:
    """The ``View`` of the active filters, without drawing anything.

    Shared by every viewer of the same dataset and filters (``cache.view``), so a room opening
    one link filters once.
    """
    ctx = _context()
    return cache.view(ctx.dataset, ctx.spec)


def presenting() -> bool:
    """True in presenter mode (``?present=1``)."""
    return _context().present


def dataset_key() -> str:
    """The key of the session's uploaded dataset ("" for the startup dataset)."""
    return _context().dataset_key


def start_page(title: str) -> View:
    """Page heading, the caption describing the active filters and any notices about the link."""
    view = current_view()
    st.title(title)
    st.caption(md(view.spec.describe(view.dataset, view.n)))
    ctx = _context()
    update = state.store_update(ctx.dataset, ctx.dataset_key)
    if update is not None:
        st.caption(md(update.describe().capitalize()))
    for notice in ctx.notices:
        st.warning(md(notice), icon=":material/link_off:")
    urlstate.notice_slot()  # page settings dropped from the link are said here
    return view


def show_empty_state(view: View) -> bool:
    """When nothing matches, say so kindly and return True (the page then calls ``st.stop()``)."""
    if view.n:
        return False
    if len(view.dataset.df) == 0:
        st.info("This dataset holds no statements. Load another one on the **Data** page.")
        return True
    active = ", ".join(view.spec.active_filters())
    st.info(
        f"No statements match these filters ({active}). Widen the date range, remove a filter, "
        "or press **Reset filters** in the sidebar.",
        icon=":material/filter_alt_off:",
    )
    return True


def plotly_config() -> dict[str, Any]:
    """Plotly's config for every chart: the offline base map from the app's static folder
    (``geo.topojson_path``), no plotly logo, PNG downloads at twice the size."""
    return {
        "topojsonURL": TOPOJSON_URL,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }


def presenter_figure(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for a projector: taller, and every text - axis ticks and titles,
    legend, colour bar - large (the builders set axis fonts per axis, so a figure-wide font
    alone would leave the ticks small). A map keeps its height: plotly draws the world at a
    fixed aspect ratio, so a taller map only adds empty bands above and below it."""
    fig = go.Figure(fig)
    is_map = any(trace.type in ("choropleth", "scattergeo") for trace in fig.data)
    height = fig.layout.height or 0
    fig.update_layout(
        height=height if is_map else max(height, PRESENT_CHART_HEIGHT),
        font={"size": PRESENT_FONT_SIZE},
        title_font={"size": PRESENT_TITLE_SIZE},
        legend_font={"size": PRESENT_FONT_SIZE},
        hoverlabel_font={"size": PRESENT_FONT_SIZE},
    )
    axis_fonts = {
        "tickfont": {"size": PRESENT_FONT_SIZE - 1},
        "title_font": {"size": PRESENT_FONT_SIZE},
    }
    fig.update_xaxes(**axis_fonts)
    fig.update_yaxes(**axis_fonts)
    fig.update_traces(colorbar=axis_fonts, selector=lambda t: t.type in ("heatmap", "choropleth"))
    for annotation in fig.layout.annotations:
        annotation.font.size = max(annotation.font.size or 0, PRESENT_FONT_SIZE - 2)
    return fig


def title_of(fig: go.Figure) -> str:
    """The figure's title text ("" when it has none)."""
    return str(fig.layout.title.text or "")


class _PreparedFigure(BaseFigure):
    """A figure's dict, made once, behind the one method ``st.plotly_chart`` calls on it.

    Streamlit turns a ``go.Figure`` into a dict with ``to_dict()`` - a deep copy - on every run
    of every viewer (5-10 ms for a heatmap or a timeline). Page figures are cached and shared by
    all viewers and never changed after they are built, so the dict is made once per figure.
    Only ``to_dict`` is defined: the object is not a figure to draw on.
    """

    def __init__(self, figure: dict[str, Any]) -> None:  # BaseFigure.__init__ on purpose not run
        self._figure = figure

    def to_dict(self) -> dict[str, Any]:
        return self._figure


T = TypeVar("T")
_DERIVED: dict[int, tuple[weakref.ref[Any], dict[Hashable, Any]]] = {}


def derived(obj: Any, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` made once per (``obj``, ``key``) while ``obj`` lives.

    For what every run of every viewer would otherwise remake from the same cached page data
    (a figure's dict, a statements table): page data objects are shared and never changed
    after they are built, so what is made from them can be shared too.
    """
    oid = id(obj)
    entry = _DERIVED.get(oid)
    if entry is None or entry[0]() is not obj:

        def forget(ref: weakref.ref[Any]) -> None:
            if _DERIVED.get(oid, (None, None))[0] is ref:
                del _DERIVED[oid]

        entry = (weakref.ref(obj, forget), {})
        _DERIVED[oid] = entry
    values = entry[1]
    if key not in values:
        values[key] = build()
    return values[key]


def prepared_figure(fig: go.Figure) -> _PreparedFigure:
    """``fig`` as a ``_PreparedFigure``, made once per figure object while it lives."""
    return derived(fig, "prepared", lambda: _PreparedFigure(fig.to_dict()))


def show_chart(
    fig: go.Figure,
    data: pd.DataFrame | None,
    *,
    key: str,
    name: str,
    on_select: bool = False,
) -> Any:
    """Draw ``fig`` full width in the current theme, with a CSV download of ``data``.

    ``data`` is the small aggregate the figure shows (never raw rows); ``name`` goes into the
    download's file name. Returns the selection event when ``on_select``.
    """
    ctx = _context()
    if ctx.present:
        fig = presenter_figure(fig)
    event = st.plotly_chart(
        prepared_figure(fig),
        width="stretch",
        theme="streamlit",
        key=key,
        config=plotly_config(),
        on_select="rerun" if on_select else "ignore",
    )
    if data is not None and not ctx.present:
        csv_name = download_name(ctx.dataset.source, ctx.spec, name, "csv")
        view = cache.view(ctx.dataset, ctx.spec)
        readme = readme_text(
            f"{title_of(fig) or name}: the numbers behind the chart ({csv_name}).",
            ctx.dataset.source,
            ctx.spec.describe(ctx.dataset, view.n),
            urlencode({**state.context_query(ctx), **urlstate.bound_query()}),
            dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
        st.download_button(
            "Download data (CSV + README, ZIP)",
            # Built only when pressed: a rerun never zips anything.
            data=lambda: chart_zip(data, csv_name, readme),
            file_name=download_name(ctx.dataset.source, ctx.spec, name, "zip"),
            mime="application/zip",
            key=f"{key}_download",
            icon=":material/download:",
            on_click="ignore",
        )
    return event if on_select else None


def _dates_at_precision(df: pd.DataFrame) -> pd.Series:
    """``2019-10-20`` / ``2015-10`` / ``2015`` / ``undated``."""
    dates = df["date"] if "date" in df.columns else pd.Series(pd.NaT, index=df.index)
    precision = df["date_precision"] if "date_precision" in df.columns else "day"
    return format_at(dates, precision, "iso").fillna("undated")


def _joined_labels(series: pd.Series, kind: LabelKind | None) -> pd.Series:
    """ ", "-joined display labels of a list column's values, per row (through Arrow)."""
    lists = schema.list_array(series)
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False)
    flat = pd.Series(pc.list_flatten(lists).to_numpy(zero_copy_only=False), dtype="str")
    labels = label_ids(flat, kind) if kind and len(flat) else flat
    rows = np.repeat(np.arange(len(series)), lengths)
    joined = pd.Series(labels.to_numpy(), index=rows).groupby(level=0).agg(", ".join)
    return pd.Series(joined.reindex(range(len(series))).fillna("").to_numpy(), index=series.index)


def _safe_links(urls: pd.Series) -> pd.Series:
    """Only http(s) links become clickable; ``javascript:`` and the like are blanked."""
    text = urls.astype("str").fillna("").str.strip()
    return text.where(text.str.match(r"(?i)^https?://"), None)


def statements_table(df: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Display frame for ``df`` (already cut to the rows to show): plain strings, labels."""
    wanted = [c for c in (columns or DEFAULT_STATEMENT_COLUMNS) if c in STATEMENT_COLUMNS]
    out: dict[str, pd.Series] = {}
    for display in wanted:
        source, kind = STATEMENT_COLUMNS[display]
        if source not in df.columns:
            continue
        series = df[source]
        if source == schema.DATE:
            out[display] = _dates_at_precision(df)
        elif source == schema.URL:
            out[display] = _safe_links(series)
        elif source in schema.LIST_COLUMNS or is_list_column(series):
            out[display] = _joined_labels(series, kind)
        else:
            out[display] = series.astype("str")
    return pd.DataFrame(out, index=df.index)


def empty_statement_columns(dataset: Dataset) -> frozenset[str]:
    """Display names of ``STATEMENT_COLUMNS`` with nothing in them anywhere in ``dataset``.

    E.g. "Title" for a file without titles: a column that is blank on every row only takes
    room from the text. Decided over the whole dataset, not the rows shown, so a column does
    not come and go with the filters; worked out once per dataset (vectorised) and remembered.
    """
    return dataset.memo("empty_statement_columns", lambda: _empty_columns(dataset))


def _empty_columns(dataset: Dataset) -> frozenset[str]:
    df = dataset.df
    empty: set[str] = set()
    for display, (source, _) in STATEMENT_COLUMNS.items():
        if source in dataset.long:
            blank = dataset.long[source].empty
        elif source not in df.columns:
            blank = True
        elif source == "date":
            blank = not bool(df["date"].notna().any())
        else:
            values = df[source]
            blank = not bool((values.notna() & (values.astype("str") != "")).any())
        if blank:
            empty.add(display)
    return frozenset(empty)


def statement_column_widths(
    present: bool = False, shown: Sequence[str] | None = None
) -> dict[str, int]:
    """Pixel widths of the statement columns.

    With ``shown`` (the table's columns), the text column takes the room the other shown
    columns leave of ``STATEMENT_TABLE_WIDTH`` (at least ``MIN_TEXT_WIDTH``), so a dataset
    without titles gives its text more room. Presenter mode's larger type needs a wider date
    and text column (the other columns give up the room the hidden sidebar leaves).
    """
    widths = dict(STATEMENT_COLUMN_WIDTHS)
    if shown is not None and "Text" in shown:
        others = sum(
            LINK_COLUMN_WIDTH if name == "Link" else widths.get(name, 150)
            for name in shown
            if name != "Text"
        )
        widths["Text"] = max(MIN_TEXT_WIDTH, STATEMENT_TABLE_WIDTH - others)
    if present:
        widths["Date"] = round(widths["Date"] * PRESENT_FONT_SCALE)
        widths["Text"] = round(widths["Text"] * 1.15)
    return widths


def show_statement_table(table: pd.DataFrame, *, key: str) -> None:
    """Draw a ``statements_table`` frame (plus any extra text columns) readably: the text gets
    the room and wraps over a few lines in tall rows instead of being cut after a few words."""
    present = _context().present
    config: dict[str, Any] = {
        name: st.column_config.TextColumn(name, width=width)
        for name, width in statement_column_widths(present, list(table.columns)).items()
        if name in table.columns
    }
    if "Link" in table.columns:
        config["Link"] = st.column_config.LinkColumn(
            "Link", display_text="open", width=LINK_COLUMN_WIDTH
        )
    # Presenter mode's larger root font reaches the grid's text only sometimes (it depends on
    # when the grid measured it), so rows grow a little, not by the full font scale.
    row_height = round(STATEMENT_ROW_HEIGHT * (1.15 if present else 1.0))
    # Header plus the rows, up to a few; Streamlit's default height would show barely three
    # rows this tall.
    height = row_height // 3 + row_height * max(min(len(table), STATEMENT_ROWS_VISIBLE), 1) + 4
    st.dataframe(
        table,
        key=key,
        hide_index=True,
        width="stretch",
        height=height,
        row_height=row_height,
        column_config=config,
    )


def show_statements(
    df: pd.DataFrame, *, key: str, limit: int = 50, columns: Sequence[str] | None = None
) -> None:
    """The first ``limit`` rows of ``df`` as a sortable table of plain text (never HTML).

    ``df``'s index holds dataset positions; a frame of only the analysis columns (``View.df``)
    is completed from the dataset for the rows shown. Columns that are empty in the whole
    dataset are left out (``empty_statement_columns``).
    """
    wanted = list(columns or DEFAULT_STATEMENT_COLUMNS)
    dataset = _context().dataset
    empty = empty_statement_columns(dataset)
    wanted = [c for c in wanted if c not in empty] or wanted

    def table() -> pd.DataFrame:
        shown = df.head(limit)
        if "text" not in shown.columns:  # a view's analysis columns: fetch the full statements
            shown = dataset.rows(shown.index)
        return statements_table(shown, wanted)

    # The same page data gives the same table on every run of every viewer.
    show_statement_table(derived(df, ("table", dataset.version, limit, *wanted), table), key=key)
