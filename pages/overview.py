"""Overview page: headline numbers, a small timeline, top parties and topics, latest statements.

Everything is computed from the filtered statements (the sidebar filters) by
``dashboard.pagedata.overview``; the charts come from ``dashboard.figures``.
"""

import streamlit as st

from dashboard import pagedata
from dashboard.dates import format_at
from dashboard.ui import cache
from dashboard.ui.page import show_chart, show_empty_state, show_statements, start_page

# 1. selection: the sidebar filters (this page has no controls of its own)
view = start_page("Overview")
if show_empty_state(view):
    st.stop()

# 2. data
data = cache.page_data(view, pagedata.overview)
head, granularity, counts, placed = data.headline, data.granularity, data.counts, data.placed
top_parties, top_topics = data.top_parties, data.top_topics

# 3. render
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Statements", f"{head.statements:,}")
c2.metric("Parties named", f"{head.parties:,}")
c3.metric("Party home countries", f"{head.countries:,}")
# Dates at their precision: the oldest sample statements are known only to the month.
c4.metric("Earliest", format_at(head.first, head.first_precision, "label"))
c5.metric("Latest", format_at(head.last, head.last_precision, "label"))

figures = data.figures
show_chart(figures["timeline"], counts, key="ov_timeline", name=f"statements_per_{granularity}")
left_out = [f"{placed['undated']:,} undated"] if placed["undated"] else []
if placed["year"]:
    left_out.insert(0, f"{placed['year']:,} dated only to the year")
if left_out:
    st.caption(
        f"Not in this small timeline: {' and '.join(left_out)} statements "
        "(the Timeline page shows year-precision dates separately)."
    )

left, right = st.columns(2)
with left:
    if "parties" not in figures:
        st.info("No party is named in these statements.")
    else:
        show_chart(
            figures["parties"],
            top_parties,
            key="ov_parties",
            name="top_parties",
        )
with right:
    show_chart(
        figures["topics"],
        top_topics,
        key="ov_topics",
        name="top_topics",
    )

st.subheader("Latest statements")
show_statements(data.latest, key="ov_latest", limit=pagedata.LATEST_N)
