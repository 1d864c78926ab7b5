"""Topics page: topic shares, topics over time, topic x country / party heatmaps, examples.

Topic ids come from the taxonomy the dataset was enriched with (``data/topics.toml`` by
default). The examples show which words of each statement matched the topic, as plain text.
"""

import pandas as pd
import streamlit as st

from dashboard import aggregate as ag
from dashboard import pagedata
from dashboard.errors import DatasetError
from dashboard.labels import label_ids
from dashboard.topics import explain_matches, load_taxonomy
from dashboard.ui import cache
from dashboard.ui.page import (
    empty_statement_columns,
    show_chart,
    show_empty_state,
    show_statement_table,
    start_page,
    statements_table,
)
from dashboard.ui.safe import md
from dashboard.ui.urlstate import bind

EXAMPLES_N = 10
MODES = {"share": "Shares of each period", "count": "Stacked counts"}

# 1. selection
view = start_page("Topics")
if show_empty_state(view):
    st.stop()

c1, c2, c3 = st.columns([2, 3, 2])
default_granularity = ag.auto_granularity(view.df, finest="month")
bind("tp_granularity", "period", ag.GRANULARITIES, default_granularity, label="period")
granularity = c1.selectbox(
    "Period", options=list(ag.GRANULARITIES), format_func=str.capitalize, key="tp_granularity"
)
bind("tp_mode", "show", list(MODES), "share", label="display mode")
mode = c2.radio(
    "Topics over time", options=list(MODES), format_func=MODES.get, key="tp_mode", horizontal=True
)
bind("tp_top", "top", range(3, 26), 12, label="heatmap size")
top_n = c3.slider("Rows/columns in heatmaps", min_value=3, max_value=25, key="tp_top")

# 2. data
data = cache.page_data(view, pagedata.topics, granularity, int(top_n), mode)
if data.granularity != granularity:
    st.info(
        f"By {granularity}, “Topics over time” would have more than {pagedata.MAX_BARS:,} "
        f"bars, so it is drawn by {data.granularity}. Narrow the date range to see "
        f"{granularity}s.",
        icon=":material/zoom_out:",
    )
    granularity = data.granularity
figures = data.figures
shares, over_time, by_country, by_party = (
    data.shares,
    data.over_time,
    data.by_country,
    data.by_party,
)

# 3. render
show_chart(
    figures["shares"],
    shares,
    key="tp_shares",
    name="topic_shares",
)
st.caption(
    "A statement can carry several topics; shares are of all topic mentions and sum to 100%. "
    "The CSV also gives each topic's share of statements."
)

show_chart(
    figures["over_time"],
    over_time,
    key="tp_over_time",
    name=f"topics_per_{granularity}",
)

# Stacked, each full width: a heatmap squeezed into half a page has cells too small to read.
for cross, key, missing in (
    (by_country, "country", "No party home country is known"),
    (by_party, "party", "No party is named"),
):
    if f"by_{key}" in figures:
        show_chart(
            figures[f"by_{key}"],
            cross,
            key=f"tp_by_{key}",
            name=f"topics_by_{key}",
        )
    else:
        st.info(f"{missing} in these statements.")

st.subheader("Example statements")
bind("tp_topic", "topic_examples", shares["value"].tolist(), shares["value"].iloc[0], label="topic")
topic = st.selectbox(
    "Topic",
    options=shares["value"].tolist(),
    format_func=lambda topic: label_ids(topic, "topic"),
    key="tp_topic",
)
if topic:
    rows = cache.page_data(view, pagedata.topic_examples, topic, EXAMPLES_N)
    empty = empty_statement_columns(view.dataset)
    table = statements_table(
        rows, [c for c in ("Date", "Title", "Text", "Parties") if c not in empty]
    )
    try:
        taxonomy = load_taxonomy()
    except DatasetError as err:
        st.warning(f"Cannot show the matched words: {md(err)}")
    else:
        full = rows["title"].astype("str") + ". " + rows["text"].astype("str")
        words = [", ".join(explain_matches(t, taxonomy).get(topic, [])) for t in full]
        table["Matched words"] = pd.Series(words, index=table.index, dtype="str")
    show_statement_table(table, key="tp_examples")
    tagged = int(shares.set_index("value").loc[topic, "statements"])
    st.caption(
        f"The {len(rows)} most recent of {tagged:,} statements tagged "
        f"“{md(label_ids(topic, 'topic'))}”, with the words that matched the topic."
    )
