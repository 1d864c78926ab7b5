"""Parties page: every party matching the filters in a table, and one party's profile.

The table (sortable; organisation types from ``data/parties.csv``'s ``kind``, parties only by
default, kept in the URL as ``?kinds=``) lists statements, countries mentioned, first and last
date and a yearly trend; clicking a row opens that party's profile below. Pick a party
(searchable; the most frequent one by default; kept in the URL as ``?profile=``): its home
country, how many statements name it, its timeline, its topics, the countries those statements
mention, the parties it is named together with, and its latest statements.
"""

import streamlit as st

from dashboard import pagedata
from dashboard.labels import (
    DEFAULT_PARTY_KINDS,
    KIND_LABELS,
    label_ids,
)
from dashboard.ui import cache
from dashboard.ui.page import presenting, show_chart, show_empty_state, show_statements, start_page
from dashboard.ui.safe import md
from dashboard.ui.theme import PRESENT_FONT_SCALE
from dashboard.ui.urlstate import bind

PROFILE_PARAM = "profile"
TABLE_ROW_PX = 35
TABLE_ROWS = 12  # a longer table scrolls inside itself
TABLE_ROWS_PRESENT = 40
TOP_N = 10
LATEST_N = 20


def party_picker(options: list[str]) -> str:
    """Searchable party selectbox seeded from (and written back to) ``?profile=``."""
    bind("pt_party", PROFILE_PARAM, options, options[0], label="party named in these statements")
    return st.selectbox(
        "Party",
        options=options,
        format_func=lambda party: label_ids(party, "party_picker"),
        key="pt_party",
        help="Type to search by name, abbreviation or country.",
    )


# 1. selection
view = start_page("Parties")
if show_empty_state(view):
    st.stop()
bind("pt_kinds", "kinds", list(KIND_LABELS), list(DEFAULT_PARTY_KINDS), label="kind", multi=True)
kinds = st.multiselect(
    "Organisation types",
    options=list(KIND_LABELS),
    format_func=lambda kind: label_ids(kind, "organisation"),
    key="pt_kinds",
    help="Fronts, trade unions (e.g. PAME) and youth organisations are not counted as parties "
    "unless chosen here.",
)
table = cache.page_data(view, pagedata.party_table, tuple(kinds) or DEFAULT_PARTY_KINDS)
if table.empty:
    st.info("None of the matching statements names an organisation of these types.")
    st.stop()
# Presenter mode: larger type needs taller rows, and a projector shows no hover scroll bar, so
# the table lists every row (up to a screenful) instead of scrolling inside itself.
row_px = round(TABLE_ROW_PX * PRESENT_FONT_SCALE) if presenting() else TABLE_ROW_PX
visible_rows = TABLE_ROWS_PRESENT if presenting() else TABLE_ROWS
st.subheader(f"{len(table):,} {'organisations' if set(kinds) - {'party'} else 'parties'}")
picked_row = st.dataframe(
    # The type column only when several types are listed (it also left the table too wide
    # for a 1280-pixel projector).
    table.drop(columns=["party"] if len(set(table["kind"])) > 1 else ["party", "kind"]),
    key="pt_table",
    hide_index=True,
    width="stretch",
    height=row_px * (min(len(table), visible_rows) + 1) + 3,
    row_height=row_px,
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "name": st.column_config.TextColumn("Party"),
        "kind": st.column_config.TextColumn("Type"),
        "home": st.column_config.TextColumn("Home country"),
        "statements": st.column_config.NumberColumn("Statements", format="localized"),
        "countries": st.column_config.NumberColumn(
            "Countries mentioned", format="localized", help="Distinct countries its statements name"
        ),
        "first": st.column_config.TextColumn("First"),
        "last": st.column_config.TextColumn("Last"),
        "trend": st.column_config.LineChartColumn("Statements per year", y_min=0),
    },
)
st.caption("Click a column header to sort; click a row to open that party's profile below.")
rows = (getattr(picked_row, "selection", None) or {}).get("rows", []) if picked_row else []
table_pick = str(table["party"].iloc[rows[0]]) if rows and rows[0] < len(table) else None
if table_pick and table_pick != st.session_state.get("_pt_last_table_pick"):
    st.session_state["pt_party"] = table_pick  # a row click opens its profile
st.session_state["_pt_last_table_pick"] = table_pick
party = party_picker(table["party"].tolist())

# 2. data
profile = cache.page_data(view, pagedata.party_profile, party, TOP_N, LATEST_N)
summary, granularity, timeline = profile.summary, profile.granularity, profile.timeline
topics, countries, partners, latest = (
    profile.topics,
    profile.countries,
    profile.partners,
    profile.latest,
)

# 3. render
c1, c2, c3 = st.columns(3)
home = summary["home_country"]
c1.metric("Home country", label_ids(home, "country") if home else "unknown")
c2.metric("Statements naming it", f"{summary['statements']:,}")
c3.metric("Share of matching statements", f"{summary['statements'] / view.n:.0%}")

figures = profile.figures
show_chart(
    figures["timeline"],
    timeline,
    key="pt_timeline",
    name=f"{party}_per_{granularity}",
)

left, right = st.columns(2)
with left:
    show_chart(
        figures["topics"],
        topics,
        key="pt_topics",
        name=f"{party}_topics",
    )
with right:
    if countries.empty:
        st.info("These statements mention no country outside party names.")
    else:
        show_chart(
            figures["countries"],
            countries,
            key="pt_countries",
            name=f"{party}_countries",
        )

st.subheader("Named together with")
if partners.empty:
    st.caption("No other party is named in the same statements.")
else:
    left, right = st.columns([2, 3])
    left.dataframe(
        partners.rename(
            columns={"label": "Party", "statements": "Statements together", "share": "Share"}
        )[["Party", "Statements together", "Share"]],
        key="pt_partners",
        hide_index=True,
        width="stretch",
        column_config={"Share": st.column_config.NumberColumn(format="percent")},
    )
    with right:
        show_chart(
            figures["partners"],
            partners,
            key="pt_network",
            name=f"{party}_co_mentions",
        )
    st.caption(
        f"Share: of the {summary['statements']:,} statements naming "
        f"{md(label_ids(party, 'party'))}."
    )

st.subheader("Latest statements")
show_statements(latest, key="pt_latest", limit=LATEST_N)
