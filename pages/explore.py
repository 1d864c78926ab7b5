"""Explore page: the matching statements as a table, and downloads of all of them.

Shows a bounded number of rows (sorted over *all* matching statements, not just the shown ones)
with a choice of columns, and offers every matching statement as CSV, JSON Lines or Parquet. The
files are built only when a download button is pressed, and cached per filter.
"""

import streamlit as st

from dashboard import pagedata
from dashboard.export import download_name
from dashboard.ui import cache
from dashboard.ui.page import (
    DEFAULT_STATEMENT_COLUMNS,
    STATEMENT_COLUMNS,
    presenting,
    show_empty_state,
    show_statements,
    start_page,
)
from dashboard.ui.urlstate import bind

ROW_LIMITS = (100, 500, 1_000, 5_000)
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "jsonl": ("JSON Lines", "application/x-ndjson"),
    "parquet": ("Parquet", "application/vnd.apache.parquet"),
}

# 1. selection
view = start_page("Explore statements")
if show_empty_state(view):
    st.stop()

# The column picker gets a row of its own: in a column beside the other controls its chips
# overflowed and the last ones (Link) faded out of sight.
bind(
    "explore_columns",
    "columns",
    list(STATEMENT_COLUMNS),
    list(DEFAULT_STATEMENT_COLUMNS),
    label="column",
    multi=True,
)
columns = st.multiselect("Columns", options=list(STATEMENT_COLUMNS), key="explore_columns")
middle, right, _ = st.columns([2, 1, 3], vertical_alignment="bottom")
orders = list(pagedata.EXPLORE_ORDERS)
bind("explore_order", "order", orders, orders[0], label="order")
order = middle.selectbox("Order", options=orders, key="explore_order")
bind("explore_limit", "rows", ROW_LIMITS, ROW_LIMITS[1], label="number of rows")
limit = right.selectbox(
    "Rows shown", options=ROW_LIMITS, key="explore_limit", format_func="{:,}".format
)

# 2. data: sort only the sort column over all matching rows, then take the rows shown
shown = cache.page_data(view, pagedata.explore_rows, order, int(limit))

# 3. render
st.caption(
    f"Showing {len(shown):,} of {view.n:,} matching statements ({order.lower()}). "
    "Click a column header to re-sort the shown rows; the downloads hold all matching statements."
)
show_statements(shown, key="explore_table", limit=limit, columns=columns or None)

if presenting():  # presenter mode is for showing, not for downloading
    st.stop()
st.subheader("Download all matching statements")
noun = "statement" if view.n == 1 else "statements"
buttons = st.columns(len(FORMATS))
for slot, (fmt, (label, mime)) in zip(buttons, FORMATS.items(), strict=True):
    slot.download_button(
        f"{label} ({view.n:,} {noun})",
        # A callable is only run when the button is pressed, so a rerun never rebuilds files.
        data=lambda fmt=fmt: cache.export_bytes(view.dataset, view.spec, fmt),
        file_name=download_name(view.dataset.source, view.spec, "statements", fmt),
        mime=mime,
        key=f"explore_download_{fmt}",
        icon=":material/download:",
        on_click="ignore",
    )
