"""Parties page: one party's profile within the filtered statements.

Pick a party (searchable; the most frequent one by default; kept in the URL as ``?profile=``):
its home country, how many statements name it, its timeline, its topics, the countries those
statements mention, the parties it is named together with, and its latest statements.
"""

import streamlit as st

from dashboard import pagedata
from dashboard.labels import country_name, party_label, party_picker_label
from dashboard.ui import cache
from dashboard.ui.page import show_chart, show_empty_state, show_statements, start_page
from dashboard.ui.safe import md
from dashboard.ui.urlstate import bind

PROFILE_PARAM = "profile"
TOP_N = 10
LATEST_N = 20


def party_picker(options: list[str]) -> str:
    """Searchable party selectbox seeded from (and written back to) ``?profile=``."""
    bind("pt_party", PROFILE_PARAM, options, options[0], label="party named in these statements")
    return st.selectbox(
        "Party",
        options=options,
        format_func=party_picker_label,
        key="pt_party",
        help="Type to search by name, abbreviation or country.",
    )


# 1. selection
view = start_page("Parties")
if show_empty_state(view):
    st.stop()
ranking = cache.page_data(view, pagedata.party_ranking)
if ranking.empty:
    st.info("None of the matching statements names a party in the gazetteer.")
    st.stop()
party = party_picker(ranking["value"].tolist())

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
c1.metric("Home country", country_name(home) if home else "unknown")
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
        f"Share: of the {summary['statements']:,} statements naming {md(party_label(party))}."
    )

st.subheader("Latest statements")
show_statements(latest, key="pt_latest", limit=LATEST_N)
