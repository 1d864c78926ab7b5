"""Parties page: one party's profile within the filtered statements.

Pick a party (searchable; the most frequent one by default; kept in the URL as ``?profile=``):
its home country, how many statements name it, its timeline, its topics, the countries those
statements mention, the parties it is named together with, and its latest statements.
"""

import streamlit as st

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard.labels import country_name, party_label, party_long_label
from dashboard.ui.page import show_chart, show_empty_state, show_statements, start_page
from dashboard.ui.safe import md

PROFILE_PARAM = "profile"
TOP_N = 10
LATEST_N = 20


def party_picker(options: list[str]) -> str:
    """Searchable party selectbox seeded from (and written back to) ``?profile=``."""
    wanted = (st.query_params.get(PROFILE_PARAM) or "").strip()
    if st.session_state.get("pt_party") not in options:
        # First visit, a link naming a party, or a filter change that removed the chosen one.
        st.session_state["pt_party"] = wanted if wanted in options else options[0]
    party = st.selectbox(
        "Party",
        options=options,
        format_func=party_long_label,
        key="pt_party",
        help="Type to search by name, abbreviation or country.",
    )
    if wanted and wanted not in options and st.session_state.get("pt_notice") != wanted:
        st.session_state["pt_notice"] = wanted
        st.warning(
            f"The link asked for party “{md(wanted[:40])}”, which no matching statement names; "
            f"showing {md(party_label(party))} instead.",
            icon=":material/link_off:",
        )
    st.query_params[PROFILE_PARAM] = party
    return party


# 1. selection
view = start_page("Parties")
if show_empty_state(view):
    st.stop()
parties_long = view.long("parties")
ranking = ag.top_values(view.df, parties_long, "party", n=None)
if ranking.empty:
    st.info("None of the matching statements names a party in the gazetteer.")
    st.stop()
party = party_picker(ranking["value"].tolist())

# 2. data
summary = ag.party_summary(view.df, parties_long, party)
rows = view.df[ag.rows_with_value(view.df, parties_long, party)]
# Periods and time axis of the whole selection, not of this party's statements: a party seen
# in one month gets one bar on the selection's time line instead of a bar filling the chart,
# and every party's chart reads on the same axis.
granularity = ag.auto_granularity(view.df, finest="month")
timeline = ag.count_by_period(rows, granularity)
dates = view.df["date"].dropna()
span = (dates.min(), dates.max()) if len(dates) else None
topics = ag.top_values(rows, view.long("topics"), "topic", TOP_N)
countries = ag.top_values(rows, view.long("countries"), "country", TOP_N)
partners = ag.co_mentioned_with(view.df, parties_long, party, TOP_N)
latest = ag.latest(rows, LATEST_N)

# 3. render
c1, c2, c3 = st.columns(3)
home = summary["home_country"]
c1.metric("Home country", country_name(home) if home else "unknown")
c2.metric("Statements naming it", f"{summary['statements']:,}")
c3.metric("Share of matching statements", f"{summary['statements'] / view.n:.0%}")

show_chart(
    fg.make_timeline(
        timeline, granularity=granularity, title=f"Statements per {granularity}", span=span
    ),
    timeline,
    key="pt_timeline",
    name=f"{party}_per_{granularity}",
)

left, right = st.columns(2)
with left:
    show_chart(
        fg.make_ranking(topics, title="Its topics", colour=fg.ACCENT_COLOUR),
        topics,
        key="pt_topics",
        name=f"{party}_topics",
    )
with right:
    if countries.empty:
        st.info("These statements mention no country outside party names.")
    else:
        show_chart(
            fg.make_ranking(countries, title="Countries its statements mention"),
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
            fg.make_co_mention_network(partners, center_id=party, center_label=party_label(party)),
            partners,
            key="pt_network",
            name=f"{party}_co_mentions",
        )
    st.caption(
        f"Share: of the {summary['statements']:,} statements naming {md(party_label(party))}."
    )

st.subheader("Latest statements")
show_statements(latest, key="pt_latest", limit=LATEST_N)
