"""World map page: where the filtered statements come from, or which countries they talk about.

A choropleth by party home country (default) or by countries mentioned, for all years, one year
or animated by year; a sortable country table beside it; clicking a country on the map, picking a
row in the table or choosing it in the box below lists its statements. The map draws offline
from the base map in ``static/topojson/`` (``ui.page.plotly_config``). Downloads: the country
table as CSV (under the map) and as GeoJSON with Natural Earth geometries.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import figures, pagedata
from dashboard.errors import DatasetError
from dashboard.export import countries_geojson, download_name
from dashboard.labels import label_ids
from dashboard.ui import cache
from dashboard.ui.page import (
    presenting,
    show_chart,
    show_empty_state,
    show_statements,
    start_page,
)
from dashboard.ui.safe import md
from dashboard.ui.theme import PRESENT_FONT_SCALE
from dashboard.ui.urlstate import bind

MODE_LABELS = {"party_countries": "Party home country", "countries": "Countries mentioned"}
ALL_YEARS = "All years"
# Streamlit's grid draws rows and its header 35 px high, plus a 3 px border; a table of up to
# TABLE_ALL_ROWS countries shows them all, a longer one TABLE_ROWS whole rows and scrolls.
TABLE_ROW_PX = 35
TABLE_ALL_ROWS = 20
TABLE_ROWS = 15
PRESENT_HIDDEN_COLUMNS = ("region", "iso3")
# Headers from the one labeller; "iso3" shows the code itself, beside the name.
TABLE_COLUMNS = {
    "country": st.column_config.TextColumn(label_ids("country", "column")),
    "statements": st.column_config.NumberColumn(
        label_ids("statements", "column"), format="localized"
    ),
    "parties": st.column_config.NumberColumn(label_ids("parties", "column"), format="localized"),
    "top_parties": st.column_config.TextColumn(label_ids("top_parties", "column")),
    "top_topic": st.column_config.TextColumn(label_ids("top_topic", "column")),
    "region": st.column_config.TextColumn(label_ids("region", "column")),
    "iso3": st.column_config.TextColumn("ISO-3"),
}


def map_controls(years: list[int]) -> tuple[pagedata.MapMode, figures.Metric, int | None, bool]:
    """Mode, colour metric, year (None = all) and whether to animate, from the widgets."""
    # One row aligned on the inputs' bottom edge; the toggle sits beside the slider it disables
    # rather than floating above it, and each radio has room for its options on one line.
    # The toggle gets room for "Animate" at presenter size (it was cut to "Ani…" at 1280 px).
    left, middle, right, far = st.columns([5, 3, 4, 3], vertical_alignment="bottom")
    bind("map_mode", "mode", pagedata.MAP_MODES, pagedata.MAP_MODES[0], label="map mode")
    mode = left.radio(
        "Countries",
        pagedata.MAP_MODES,
        format_func=MODE_LABELS.get,
        horizontal=True,
        key="map_mode",
    )
    bind("map_metric", "shade", figures.METRICS, figures.METRICS[0], label="map metric")
    metric = middle.radio(
        "Shade by",
        figures.METRICS,
        format_func=lambda metric: label_ids(metric, "column"),
        horizontal=True,
        key="map_metric",
    )
    bind("map_animate", "animate", (False, True), False, label="setting", to_url=on_off)
    if len(years) < 2:
        st.session_state["map_animate"] = False
    animate = far.toggle(
        "Animate", key="map_animate", disabled=len(years) < 2, help="Play the map year by year"
    )
    options: list[Any] = [ALL_YEARS, *years]
    # A year kept from an earlier filter may not exist any more: bind falls back to all years.
    bind("map_year", "year", options, ALL_YEARS, label="year with statements")
    if len(years) < 2:
        # A slider over "All years" and one year is an empty track: say what there is instead.
        right.caption(f"Year: {years[0]} (the only year)" if years else "Year: no dated statements")
        year = ALL_YEARS
    else:
        year = right.select_slider("Year", options=options, key="map_year", disabled=animate)
    return mode, metric, (None if animate or year == ALL_YEARS else int(year)), animate


def on_off(value: bool) -> str:
    return "1" if value else "0"


def table_row_px(present: bool) -> int:
    """Row height of the country table: presenter mode's larger type needs taller rows (the
    grid grew them by itself, so a height worked out for 35-pixel rows hid the last rows
    behind an inner scroll the projector did not show)."""
    return round(TABLE_ROW_PX * PRESENT_FONT_SCALE) if present else TABLE_ROW_PX


def table_height(rows: int, present: bool = False) -> int:
    """Pixels for the country table: whole rows only, never half a row cut off at the bottom."""
    shown = rows if rows <= TABLE_ALL_ROWS else TABLE_ROWS
    return table_row_px(present) * (max(shown, 1) + 1) + 3


def selected_iso3(event: Any) -> str | None:
    """The country clicked on the map, from a plotly selection event (``None`` if none)."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        location = point.get("location")
        if not location and point.get("customdata"):
            location = point["customdata"][0]
        if location:
            return str(location)
    return None


def table_iso3(event: Any, table: pd.DataFrame) -> str | None:
    """The country whose row is selected in the table (``None`` if none)."""
    rows = (event or {}).get("selection", {}).get("rows", []) if event else []
    return str(table["iso3"].iloc[rows[0]]) if rows and rows[0] < len(table) else None


def choose_country(map_pick: str | None, table_pick: str | None, known: list[str]) -> None:
    """Point the country box at the latest map click or table pick (each acts once)."""
    last = st.session_state.get("_map_last_picks", (None, None))
    if map_pick and map_pick != last[0]:
        st.session_state["map_country"] = map_pick
    elif table_pick and table_pick != last[1]:
        st.session_state["map_country"] = table_pick
    st.session_state["_map_last_picks"] = (map_pick, table_pick)


# 1. Selection --------------------------------------------------------------------------------
view = start_page("World map")
if show_empty_state(view):
    st.stop()
mode, metric, year, animate = map_controls(pagedata.available_years(view))

# 2. Data -------------------------------------------------------------------------------------
try:
    counts = cache.map_counts(view, mode, year)
    frames = cache.map_counts(view, mode, per_year=True) if animate else counts
except DatasetError as err:
    # A missing or broken map file must not take the page down: say which file and how to fix
    # it; the sidebar and every other page keep working.
    st.error(md(err), icon=":material/error:")
    st.stop()
when = "all years" if year is None else str(year)
name = f"world_map_{'home' if mode == 'party_countries' else 'mentioned'}"
if year is not None:
    name += f"_{year}"

# 3. Render -----------------------------------------------------------------------------------
if counts.empty:
    st.info(
        f"None of the {view.n:,} matching statements has a "
        f"{'party with a known home country' if mode == 'party_countries' else 'country mention'}"
        f" in {when}. Try the other map mode, another year or wider filters."
    )
    st.stop()

# The map takes the full width: a world map is twice as wide as high, so in a column it would
# be a strip. The country table follows under it.
fig = figures.make_world_map(frames, metric=metric, animation_by_year=animate)
# An animated map has no stable points to click; its countries are picked in the table.
map_event = show_chart(fig, counts, key="world_map", name=name, on_select=not animate)
off_map = counts.loc[~counts["on_map"], "country"].tolist()
if off_map:
    st.caption(
        f"Too small for this map, listed in the table: {md(', '.join(off_map[:8]))}"
        + (f" and {len(off_map) - 8} more" if len(off_map) > 8 else "")
    )
# Presenter mode's larger type leaves no room for every column at 1280 px: the region and the
# ISO code (least needed when presenting) give way rather than hiding behind a side scroll.
shown_columns = [c for c in TABLE_COLUMNS if not (presenting() and c in PRESENT_HIDDEN_COLUMNS)]
table_event = st.dataframe(
    counts[shown_columns],
    column_config=TABLE_COLUMNS,
    hide_index=True,
    height=table_height(len(counts), presenting()),
    row_height=table_row_px(presenting()),
    width="stretch",
    key="map_table",
    on_select="rerun",
    selection_mode="single-row",
)
if not presenting():
    st.download_button(
        "Download map data (GeoJSON)",
        data=lambda: countries_geojson(counts),
        file_name=download_name(view.dataset.source, view.spec, name, "geojson"),
        mime="application/geo+json",
        on_click="ignore",
        key="map_geojson",
        icon=":material/public:",
    )

known = counts["iso3"].tolist()
names = dict(zip(counts["iso3"], counts["country"], strict=True))
# The country listed below is in the URL (?country=GRC); one no longer on the map is dropped.
bind("map_country", "country", known, None, label="country on this map")
choose_country(selected_iso3(map_event), table_iso3(table_event, counts), known)
iso3 = st.selectbox(
    "Statements for",
    known,
    index=None,
    format_func=names.get,
    placeholder="Click a country on the map or in the table, or pick one here",
    key="map_country",
)
if iso3 is not None:
    rows = pagedata.country_rows(view, mode, iso3, year)
    verb = "by its parties" if mode == "party_countries" else "mentioning it"
    st.subheader(f"{md(names[iso3])}: {len(rows):,} statements {verb}, {when}")
    show_statements(view.statements(rows), key="map_statements")
