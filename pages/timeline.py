"""Timeline page: statements per day/week/month/quarter/year, broken down and clickable.

Counts (stacked or as shares) per period, optionally broken down by topic, party, party home
country, region or continent, with an optional rolling mean and the International Meetings from
``data/events.csv`` as markers. Statements dated only to the month (or year) are never spread
over days: at finer granularities they sit in their own hatched panel. Clicking a bar lists the
statements behind it.
"""

import streamlit as st

from dashboard import aggregate as ag
from dashboard import pagedata
from dashboard.ui import cache
from dashboard.ui.page import show_chart, show_empty_state, show_statements, start_page
from dashboard.ui.safe import md

BREAKDOWN_NAMES = pagedata.BREAKDOWN_NAMES
MODES = {"count": "Counts", "share": "Shares"}
EVENTS_PARAM = "events"  # ?events=0 hides the meeting markers in a shared link
MAX_POINTS = 20


def events_toggle() -> bool:
    """The event-marker toggle, seeded from and written back to the URL (``?events=0``)."""
    if "tl_events" not in st.session_state:
        raw = (st.query_params.get(EVENTS_PARAM) or "").strip().lower()
        st.session_state["tl_events"] = raw not in ("0", "false", "off", "no")
    shown = st.toggle("Show International Meetings", key="tl_events")
    if shown:
        if EVENTS_PARAM in st.query_params:
            del st.query_params[EVENTS_PARAM]
    else:
        st.query_params[EVENTS_PARAM] = "0"
    return shown


# 1. selection
view = start_page("Timeline")
if show_empty_state(view):
    st.stop()

# One row of controls, aligned on their inputs: short labels (details in help=) so none wraps
# onto a second line and pushes its input below the others.
c1, c2, c3, c4, c5 = st.columns([2, 3, 3, 2, 2], vertical_alignment="bottom")
default_granularity = ag.auto_granularity(view.df)
granularity = c1.selectbox(
    "Period",
    options=list(ag.GRANULARITIES),
    index=ag.GRANULARITIES.index(default_granularity),
    format_func=str.capitalize,
    key="tl_granularity",
)
breakdown = c2.selectbox(
    "Break down by",
    options=list(BREAKDOWN_NAMES),
    format_func=BREAKDOWN_NAMES.get,
    key="tl_breakdown",
)
mode = c3.radio(
    "Show",
    options=list(MODES),
    format_func=MODES.get,
    key="tl_mode",
    horizontal=True,
    help="Counts: stacked statements per period. Shares: each group's share of its period.",
)
top_n = c4.number_input(
    "Groups shown", min_value=2, max_value=10, value=8, key="tl_top", disabled=breakdown == "none"
)
window = c5.number_input(
    "Rolling mean",
    help=f"Average over this many {granularity}s, drawn over the bars; 0 turns it off.",
    min_value=0,
    max_value=52,
    value=0,
    key="tl_rolling",
    disabled=mode == "share",
)
show_events = events_toggle()

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
if picked:
    bars = tuple(
        (str(period), str(group), str(placement)) for period, group, placement, *_ in picked
    )
    rows = cache.page_data(
        view, pagedata.timeline_selection, granularity, breakdown, int(top_n), bars
    )
    what = "; ".join(str(c[3]) for c in picked[:3]) + (" …" if len(picked) > 3 else "")
    st.subheader(f"Statements behind the selection ({len(rows):,}): {md(what)}")
    show_statements(rows, key="tl_selected", limit=200)
else:
    st.caption("Click a bar (or drag a box over several) to list the statements behind it.")
