"""Timeline page: statements per day/week/month/quarter/year, broken down and clickable.

Counts (stacked or as shares) per period, optionally broken down by topic, party, party home
country, region or continent, with an optional rolling mean and the International Meetings from
``data/events.csv`` as markers. Statements dated only to the month (or year) are never spread
over days: at finer granularities they sit in their own hatched panel. Clicking a bar lists the
statements behind it.
"""

import pandas as pd
import streamlit as st

from dashboard import aggregate as ag
from dashboard import pagedata
from dashboard.ui import cache
from dashboard.ui.page import show_chart, show_empty_state, show_statements, start_page
from dashboard.ui.safe import md
from dashboard.ui.urlstate import bind, changed_outside, set_param, url_values

BREAKDOWN_NAMES = pagedata.BREAKDOWN_NAMES
MODES = {"count": "Counts", "share": "Shares"}
EVENTS_PARAM = "events"  # ?events=0 hides the meeting markers in a shared link
MAX_POINTS = 20
BAR_PARAM = "bar"
BAR_SEP = "~"


def valid(bar: tuple[str, ...]) -> bool:
    """A bar from the URL is (period, group, placement) with a readable period."""
    if len(bar) != 3:
        return False
    try:
        pd.Timestamp(bar[0])
    except (ValueError, TypeError):
        return False
    return True


def on_off(value: bool) -> str:
    return "1" if value else "0"


# 1. selection: the sidebar filters and this page's settings, each kept in the URL
view = start_page("Timeline")
if show_empty_state(view):
    st.stop()

# One row of controls, aligned on their inputs: short labels (details in help=) so none wraps
# onto a second line and pushes its input below the others.
c1, c2, c3, c4, c5 = st.columns([2, 3, 3, 2, 2], vertical_alignment="bottom")
bind("tl_granularity", "period", ag.GRANULARITIES, ag.auto_granularity(view.df), label="period")
granularity = c1.selectbox(
    "Period", options=list(ag.GRANULARITIES), format_func=str.capitalize, key="tl_granularity"
)
bind("tl_breakdown", "breakdown", list(BREAKDOWN_NAMES), "none", label="breakdown")
breakdown = c2.selectbox(
    "Break down by",
    options=list(BREAKDOWN_NAMES),
    format_func=BREAKDOWN_NAMES.get,
    key="tl_breakdown",
)
bind("tl_mode", "show", list(MODES), "count", label="display mode")
mode = c3.radio(
    "Show",
    options=list(MODES),
    format_func=MODES.get,
    key="tl_mode",
    horizontal=True,
    help="Counts: stacked statements per period. Shares: each group's share of its period.",
)
bind("tl_top", "top", range(2, 11), 8, label="number of groups")
top_n = c4.number_input(
    "Groups shown", min_value=2, max_value=10, key="tl_top", disabled=breakdown == "none"
)
bind("tl_rolling", "rolling", range(0, 53), 0, label="rolling window")
window = c5.number_input(
    "Rolling mean",
    help=f"Average over this many {granularity}s, drawn over the bars; 0 turns it off.",
    min_value=0,
    max_value=52,
    key="tl_rolling",
    disabled=mode == "share",
)
bind("tl_events", EVENTS_PARAM, (True, False), True, label="events setting", to_url=on_off)
show_events = st.toggle("Show International Meetings", key="tl_events")

# 2. data
data = cache.page_data(
    view,
    pagedata.timeline,
    granularity,
    breakdown,
    int(top_n),
    int(window),
    mode,
    bool(show_events),
)
counts, placed, rolling = data.counts, data.placed, data.rolling
if data.granularity != granularity:
    st.info(
        f"By {granularity} this chart would have more than {pagedata.MAX_BARS:,} bars, so it "
        f"is drawn by {data.granularity}. Narrow the date range to see {granularity}s.",
        icon=":material/zoom_out:",
    )
    granularity = data.granularity
if data.events_error:
    st.warning(f"Event markers are off: {md(data.events_error)}", icon=":material/event_busy:")

# 3. render
fig = data.figure
event = show_chart(
    fig, counts, key="tl_chart", name=f"timeline_{granularity}_{breakdown}", on_select=True
)

notes = [f"{placed['exact']:,} statements are placed in their {granularity}."]
if placed["month"]:
    notes.append(
        f"{placed['month']:,} dated only to the month are shown in the lower, hatched panel at "
        "their month (never spread over days)."
    )
if placed["year"]:
    notes.append(
        f"{placed['year']:,} dated only to the year are shown in the lower panel at their year."
    )
if placed["undated"]:
    notes.append(f"{placed['undated']:,} undated statements are not shown.")
if breakdown in ag.LIST_BREAKDOWNS:
    notes.append(
        f"A statement naming several {BREAKDOWN_NAMES[breakdown].lower()} values counts once "
        "for each."
    )
if mode == "share":
    notes.append("Shares are of the statements placed in each period.")
if rolling is not None and rolling["mean"].isna().all():
    notes.append(f"Too few {granularity}s for a {window}-{granularity} rolling mean.")
st.caption(" ".join(notes))

points = list(getattr(getattr(event, "selection", None), "points", None) or [])[:MAX_POINTS]
picked = [p["customdata"] for p in points if p.get("customdata")]
clicked = tuple(f"{c[0]}{BAR_SEP}{c[1]}{BAR_SEP}{c[2]}" for c in picked)
# The bars clicked are kept in the URL (?bar=period~group~placement, repeated), so a link
# lists the same statements; a new click (or clearing it) replaces them.
if changed_outside([BAR_PARAM]) or "_tl_bars" not in st.session_state:
    st.session_state["_tl_bars"] = tuple(url_values(BAR_PARAM))
elif clicked != st.session_state.get("_tl_last_click", ()):
    st.session_state["_tl_bars"] = clicked
st.session_state["_tl_last_click"] = clicked
bars = tuple(
    bar for bar in (tuple(b.split(BAR_SEP, 2)) for b in st.session_state["_tl_bars"]) if valid(bar)
)
rows = (
    cache.page_data(view, pagedata.timeline_selection, granularity, breakdown, int(top_n), bars)
    if bars
    else None
)
if bars and rows is not None and len(rows):
    set_param(BAR_PARAM, st.session_state["_tl_bars"])
    labels = {(str(c[0]), str(c[1]), str(c[2])): str(c[3]) for c in picked}
    what = "; ".join(labels.get(b, f"{b[0]} {b[1]}".replace(" none", "")) for b in bars[:3])
    what += " …" if len(bars) > 3 else ""
    st.subheader(f"Statements behind the selection ({len(rows):,}): {md(what)}")
    show_statements(rows, key="tl_selected", limit=200)
else:
    if bars:
        st.warning(
            "The bars named in the link hold no statements with these settings; "
            "click a bar to list its statements.",
            icon=":material/link_off:",
        )
        st.session_state["_tl_bars"] = ()
    st.caption("Click a bar (or drag a box over several) to list the statements behind it.")
