"""Figure builders for the analysis pages: ``go.Figure`` objects from the small aggregate frames.

Every builder takes a frame from ``dashboard.aggregate`` or ``dashboard.pagedata`` (never raw
statements), so a figure's size depends on the number of periods, groups or countries, not on the
number of statements; the world map (``make_world_map``) is a choropleth on ISO-3 codes. Builders
never call ``st.*``; the page hands the figure and its table to ``show_chart``. Look and feel
shared by all charts: a colour-blind-safe palette (Paul Tol's, readable on the light and the dark
theme, grey for "others"), whole-number ticks on count axes, large fonts for projectors,
horizontal bars for long party names, axis titles from ``labels.label_ids``, and every clickable
mark carries its ids in ``customdata`` so a click can list the statements behind it.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from dashboard.aggregate import EXACT, MONTH, YEAR
from dashboard.dates import format_at
from dashboard.labels import label_ids
from dashboard.schema import ALL_GROUP, NONE_GROUP, OTHERS_GROUP

# Paul Tol's "bright" qualitative scheme first (colour-blind safe), then three more of his
# colours for breakdowns of up to ten groups. Every colour is mid-luminance, so bars stand out
# both on white and on Streamlit's dark background (#0e1117): no near-black or near-white
# colour that vanishes in one of the two themes. Greys are reserved for "others" and "none".
PALETTE: tuple[str, ...] = (
    "#4477AA",  # blue
    "#EE6677",  # red
    "#228833",  # green
    "#CCBB44",  # yellow
    "#66CCEE",  # cyan
    "#AA3377",  # purple
    "#EE7733",  # orange
    "#44AA99",  # teal
    "#999933",  # olive
    "#CC99BB",  # mauve
)
OTHERS_COLOUR = "#888888"
NONE_COLOUR = "#BBBBBB"
SINGLE_COLOUR = PALETTE[0]  # one series (totals, party rankings): readable in both themes
ACCENT_COLOUR = PALETTE[7]  # a second single series beside the first (topic rankings)
ROLLING_COLOUR = "rgb(120, 120, 120)"
EVENT_FILL = "rgba(221, 204, 119, 0.35)"
EVENT_LINE = "rgba(153, 153, 51, 0.9)"
BACKGROUNDS: dict[str, str] = {"light": "#FFFFFF", "dark": "#0E1117"}  # Streamlit's themes
HEATMAP_TEXT_CELLS = 300  # above this a cell is too small for its number
# Cividis (perceptually uniform, readable with every colour-vision type) from its middle up,
# after a neutral grey for zero: empty cells recede instead of a dark navy that dominated the
# grid, and the scale's ends stay visible on a light and a dark page alike.
HEATMAP_ZERO = "rgba(128,128,128,0.18)"
HEATMAP_SCALE: list[list[object]] = [
    [0.0, HEATMAP_ZERO],
    [1e-9, "#575C6D"],
    [0.5, "#A59C74"],
    [1.0, "#FFE945"],
]
HEATMAP_LIGHT_FROM = 0.3  # dark text from here to the top of the scale

FONT_SIZE = 15
TITLE_SIZE = 19
PATTERN_FOR = {MONTH: "/", YEAR: "x"}
COARSE_NAME = {MONTH: "month-precision", YEAR: "year-precision"}
DAY_MS = 86_400_000
BAR_FILL = 0.85  # share of its period a bar covers; the rest is the gap between bars
MIN_PERIODS = 8  # the time axis shows at least this many periods: one bar never fills it


def count_ticks(top: float) -> dict:
    """Axis settings for whole counts whose largest value is ``top``: integer ticks only.

    With small counts plotly picks steps like 0.5 and a ``,d`` format then prints "0 1 1 2 2".
    Up to ``top`` = 50 the step is set here: whole, and no more than six ticks so that even a
    short chart is not crowded; above that plotly's own steps are whole numbers anyway.
    """
    axis: dict = {"tickformat": ",d", "rangemode": "tozero"}
    if top <= 50:
        axis["tick0"] = 0
        axis["dtick"] = next(step for step in (1, 2, 5, 10) if top <= 5 * step)
    return axis


def _stack_top(periods: np.ndarray, values: np.ndarray) -> float:
    """The tallest stacked bar: the largest per-period sum of ``values``."""
    if not len(values):
        return 0.0
    return float(pd.Series(values).groupby(periods).sum().max())


def group_colours(groups: list[str]) -> dict[str, str]:
    """A stable colour per group id in order; greys for "others" and "none"."""
    colours: dict[str, str] = {}
    i = 0
    for g in groups:
        if g == OTHERS_GROUP:
            colours[g] = OTHERS_COLOUR
        elif g == NONE_GROUP:
            colours[g] = NONE_COLOUR
        elif g == ALL_GROUP:
            colours[g] = SINGLE_COLOUR
        else:
            colours[g] = PALETTE[i % len(PALETTE)]
            i += 1
    return colours


def _layout(title: str, height: int, **extra: object) -> dict:
    """The shared look as a layout dict, merged into each figure's own layout at construction:
    one ``go.Figure(data, layout)`` call validates once, where ``update_layout``/``update_axes``
    calls afterwards would each walk the figure again."""
    layout: dict = {
        "title": {"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        "font": {"size": FONT_SIZE},
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 80 if title else 40, "b": 10},
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "legend": {"font": {"size": FONT_SIZE - 1}},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    # Axis fonts are set on each axis: Streamlit's theme template sets tick and axis-title
    # sizes itself (small, for a laptop), and those win over the figure-wide ``font``.
    for key in [k for k in layout if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[key]
        axis.setdefault("automargin", True)
        axis.setdefault("tickfont", {"size": FONT_SIZE - 1})
        axis["title"] = {"font": {"size": FONT_SIZE}, **axis.get("title", {})}
    return layout


def _coarse_labels(periods: pd.DatetimeIndex, placement: str) -> np.ndarray:
    if placement == YEAR:
        out = format_at(periods, "year", "label") + " (year-precision: no month or day known)"
    else:
        out = format_at(periods, "month", "label") + " (month-precision: no day known)"
    return out.to_numpy(dtype=object)


_PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12, MONTH: 1, YEAR: 12}
_PERIOD_DAYS = {"day": 1, "week": 7}


def period_width_ms(periods: np.ndarray, unit: str) -> np.ndarray:
    """Each period's length in milliseconds (calendar-exact for months, quarters and years)."""
    days = np.asarray(periods, dtype="datetime64[ns]").astype("datetime64[D]")
    if unit in _PERIOD_DAYS:
        length = np.full(len(days), _PERIOD_DAYS[unit], dtype=np.int64)
    else:
        end = (days.astype("datetime64[M]") + _PERIOD_MONTHS[unit]).astype("datetime64[D]")
        length = (end - days).astype(np.int64)
    return length.astype(float) * DAY_MS


def _customdata(counts: pd.DataFrame, granularity: str) -> np.ndarray:
    """``[period ISO date, group id, placement, period label]`` per row of ``counts``, built
    once for all bars as one object array: plotly validates a numpy array in one step but walks
    nested lists element by element, which costs seconds for a few thousand bars."""
    periods = pd.DatetimeIndex(counts["period"])
    placement = counts["placement"].astype(str).to_numpy()
    out = np.empty((len(counts), 4), dtype=object)
    out[:, 0] = format_at(periods, "day", "iso").to_numpy(dtype=object)
    out[:, 1] = counts["group"].astype(str).to_numpy(dtype=object)
    out[:, 2] = placement
    out[:, 3] = format_at(periods, granularity, "label").to_numpy(dtype=object)
    for coarse in (MONTH, YEAR):
        rows = np.flatnonzero(placement == coarse)
        if len(rows):
            out[rows, 3] = _coarse_labels(periods[rows], coarse)
    return out


def _split(counts: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """Row positions of ``counts`` per (placement, group), in period order."""
    if counts.empty:
        return {}
    keys = counts["placement"].astype(str) + "\x00" + counts["group"].astype(str)
    return {
        tuple(str(k).split("\x00", 1)): rows  # type: ignore[misc]
        for k, rows in keys.groupby(keys.to_numpy(), sort=False).indices.items()
    }


def _time_range(
    starts: np.ndarray,
    placements: np.ndarray,
    granularity: str,
    *,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> list[str]:
    """The x range: every drawn bar from its period's start to its end, with air around it.

    plotly's own guess collapses to a sliver of time around a single bar, which then fills the
    whole plot with day ticks under it. The range also covers ``span`` (so charts of parts of a
    dataset share its time axis) and at least ``MIN_PERIODS`` periods, centred on the bars.
    """
    widths = np.empty(len(starts))
    for unit in (EXACT, MONTH, YEAR):
        rows = placements == unit
        if rows.any():
            widths[rows] = period_width_ms(starts[rows], granularity if unit == EXACT else unit)
    ends = starts + widths.astype("timedelta64[ms]")
    period = float(period_width_ms(starts[:1], granularity)[0])
    pad = np.timedelta64(int(period * 0.5), "ms")
    low, high = pd.Timestamp(starts.min() - pad), pd.Timestamp(ends.max() + pad)
    if span is not None:
        low = min(low, pd.Timestamp(span[0]) - pd.Timedelta(milliseconds=period * 0.5))
        high = max(high, pd.Timestamp(span[1]) + pd.Timedelta(milliseconds=period * 1.5))
    missing = MIN_PERIODS * period - (high - low) / pd.Timedelta(milliseconds=1)
    if missing > 0:
        half = pd.Timedelta(milliseconds=missing / 2)
        low, high = low - half, high + half
    return [low.isoformat(), high.isoformat()]


_TICK_PERIOD = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
GAP_SHARE = 0.3  # an empty stretch longer than this share of the axis is cut out of it
GAP_MIN_PERIODS = 6  # ... and longer than this many periods
BAR_TICKS_MAX = 16  # up to this many bars each gets its own tick label


def empty_stretches(
    starts: np.ndarray, granularity: str, span: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Long stretches without a bar, as (from, to) breaks for the time axis.

    Two clusters of dates years apart (Oct 2015, Sep-Oct 2019) left a monthly chart 90% empty
    axis with two slivers of bars. A gap longer than ``GAP_SHARE`` of the whole axis and
    ``GAP_MIN_PERIODS`` periods is cut out, keeping one empty period on each side so the cut
    reads as a cut. ``span`` (the whole selection's first and last date, when the chart shows a
    part of it) counts as occupied at its ends, so its axis still reaches them.
    """
    points = np.asarray(starts, dtype="datetime64[ns]")
    if span is not None:
        ends = np.array([pd.Timestamp(span[0]), pd.Timestamp(span[1])], dtype="datetime64[ns]")
        points = np.concatenate([points, ends])
    days = np.unique(points)
    if len(days) < 2:
        return []
    widths = period_width_ms(days, granularity).astype("timedelta64[ms]")
    ends = days + widths
    period = widths.max()
    total = ends.max() - days.min()
    breaks = []
    for end, nxt in zip(ends[:-1], days[1:], strict=True):
        gap = nxt - end
        if gap > total * GAP_SHARE and gap > GAP_MIN_PERIODS * period:
            breaks.append((pd.Timestamp(end + period), pd.Timestamp(nxt - period)))
    return breaks


def make_timeline(
    counts: pd.DataFrame,
    *,
    granularity: str,
    mode: str = "count",
    rolling: pd.DataFrame | None = None,
    rolling_window: int = 0,
    events: pd.DataFrame | None = None,
    title: str = "",
    compact: bool = False,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    y_title: str | None = None,
) -> go.Figure:
    """Stacked bars of statements per period from ``aggregate.count_by_period``.

    ``mode`` "count" stacks counts; "share" stacks each group's share of the period (bars reach
    100%). Statements placed coarser than the granularity (month- or year-precision dates at day
    or week granularity, year-precision at month or quarter) are drawn in a second panel below
    (y axis ``y2``), hatched and each as wide as its month or year - never spread over invented
    days; ``compact`` leaves them out. Every bar's ``customdata`` is ``[period ISO date, group id,
    placement, period label]``. ``rolling`` (from ``aggregate.rolling_mean``) adds a dashed line
    in count mode; ``events`` (from ``events.load_events``) adds shaded spans with labels.
    ``span`` (first, last date) widens the time axis to cover it, e.g. the whole selection when
    the chart shows one party's part of it.
    """
    if mode not in ("count", "share"):
        raise ValueError(f"mode must be 'count' or 'share', got {mode!r}")
    parts = _split(counts)
    present = {g for _, g in parts}
    groups = [str(g) for g in counts["group"].cat.categories if str(g) in present] if parts else []
    colours = group_colours(groups)
    labels = dict(zip(counts["group"].astype(str), counts["label"].astype(str), strict=False))
    coarse = [p for p in (MONTH, YEAR) if any(pl == p for pl, _ in parts)]
    two_panels = bool(coarse) and not compact
    value = "share" if mode == "share" else "count"
    y_format = "%{y:.0%}" if mode == "share" else "%{y:,}"

    traces: list[dict] = []
    periods_all = counts["period"].to_numpy()
    values_all = counts[value].to_numpy()
    count_all = counts["count"].to_numpy()
    custom_all = _customdata(counts, granularity) if len(counts) else np.empty((0, 4), object)
    for g in groups:
        rows = parts.get((EXACT, g))
        if rows is None and not two_panels:
            continue
        rows = rows if rows is not None else np.zeros(0, dtype=np.int64)
        traces.append(
            {
                "type": "bar",
                "x": periods_all[rows],
                "y": values_all[rows],
                # Explicit widths from the period's start: a lone bar would otherwise get an
                # arbitrary width (plotly guesses it from the gaps between bars).
                "width": period_width_ms(periods_all[rows], granularity) * BAR_FILL,
                "offset": 0,
                "name": labels.get(g, g),
                "legendgroup": g,
                "marker": {"color": colours[g]},
                "customdata": custom_all[rows],
                "hovertemplate": "%{customdata[3]}<br>"
                + labels.get(g, g).replace("%", "%%")
                + ": "
                + y_format
                + "<extra></extra>",
                "showlegend": not compact and g != ALL_GROUP,
            }
        )
    if two_panels:
        for placement in coarse:
            for g in groups:
                rows = parts.get((placement, g))
                if rows is None:
                    continue
                traces.append(
                    {
                        "type": "bar",
                        "x": periods_all[rows],
                        "y": count_all[rows],
                        "yaxis": "y2",
                        "width": period_width_ms(periods_all[rows], placement) * BAR_FILL,
                        "offset": 0,
                        "name": f"{labels.get(g, g)} ({COARSE_NAME[placement]})",
                        "legendgroup": g,
                        "showlegend": False,
                        "marker": {
                            "color": colours[g],
                            "pattern": {"shape": PATTERN_FOR[placement], "solidity": 0.4},
                        },
                        "customdata": custom_all[rows],
                        "hovertemplate": "%{customdata[3]}<br>"
                        + labels.get(g, g).replace("%", "%%")
                        + ": %{y:,}<extra></extra>",
                    }
                )
    has_rolling = (
        rolling is not None and mode == "count" and len(rolling) and rolling["mean"].notna().any()
    )
    if has_rolling:
        traces.append(
            {
                "type": "scatter",
                "x": pd.DatetimeIndex(rolling["period"]),
                "y": rolling["mean"].to_numpy(),
                "mode": "lines",
                "name": f"{rolling_window}-{granularity} rolling mean (all statements)",
                "line": {"color": ROLLING_COLOUR, "width": 3, "dash": "dash"},
                "hovertemplate": "%{y:,.1f} per " + granularity + "<extra>rolling mean</extra>",
            }
        )

    # What is counted: a caller stacking topic mentions says so ("Topic mentions").
    y_title = y_title or label_ids("share" if mode == "share" else "count", "column")
    x_axis: dict = {"type": "date"}
    breaks: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    placement_all = counts["placement"].astype(str).to_numpy()
    drawn = np.ones(len(counts), bool) if two_panels else placement_all == EXACT
    if drawn.any():
        x_axis["range"] = _time_range(
            periods_all[drawn], placement_all[drawn], granularity, span=span
        )
        exact_starts = periods_all[placement_all == EXACT]
        breaks = empty_stretches(exact_starts, granularity, span) if not two_panels else []
        if breaks:
            x_axis["rangebreaks"] = [{"bounds": [a.isoformat(), b.isoformat()]} for a, b in breaks]
        bar_days = np.unique(np.asarray(exact_starts, dtype="datetime64[ns]"))
        if 0 < len(bar_days) <= BAR_TICKS_MAX and not compact:
            # Few bars: each is labelled with its period ("Oct 2015"), none left unnamed
            # between year ticks.
            ticks = pd.DatetimeIndex(bar_days)
            if span is not None and breaks:
                # The axis runs on to the selection's end: name it, or the part after the cut
                # looks like unlabelled empty space.
                end = pd.Timestamp(span[1]).to_period(_TICK_PERIOD.get(granularity, "M"))
                ticks = ticks.union(pd.DatetimeIndex([end.start_time]))
            x_axis["tickvals"] = [t.isoformat() for t in ticks]
            x_axis["ticktext"] = format_at(ticks, granularity, "label").tolist()
    y_axis: dict = {"title": {"text": y_title}, "rangemode": "tozero"}
    exact_rows = placement_all == EXACT
    if mode == "count":
        top = _stack_top(periods_all[exact_rows], count_all[exact_rows])
        if has_rolling:
            top = max(top, float(np.nanmax(rolling["mean"].to_numpy(dtype=float))))
        y_axis.update(count_ticks(top))
    layout: dict = {
        "barmode": "relative",
        "bargap": 0.1,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "title": None},
        "showlegend": bool(not compact and (any(g != ALL_GROUP for g in groups) or has_rolling)),
        "yaxis": y_axis,
        "xaxis": x_axis,
    }
    if mode == "share":
        layout["yaxis"].update(tickformat=".0%", range=[0, 1])
    if two_panels:
        layout["yaxis"]["domain"] = [0.36, 1.0]
        coarse_rows = placement_all != EXACT
        layout["yaxis2"] = {
            "domain": [0.0, 0.24],
            "anchor": "x",
            "title": {"text": label_ids("count", "column")},
            **count_ticks(_stack_top(periods_all[coarse_rows], count_all[coarse_rows])),
        }
        layout["xaxis"]["anchor"] = "y2"
        layout["annotations"] = [
            {
                "text": "Dated only to the month or year (hatched bars span the whole month "
                "or year; not placed on a day)",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0.26,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": FONT_SIZE - 2},
            }
        ]
    for low, high in breaks:
        if events is not None and len(events):
            # A meeting inside a cut-out stretch has no place on the axis.
            inside = (events["date"] >= low) & (events["end_date"] <= high)
            events = events[~inside]
    if events is not None and len(events):
        shapes, labels_above = event_markers(events)
        layout["shapes"] = shapes
        layout["annotations"] = layout.get("annotations", []) + labels_above
    height = 280 if compact else (620 if two_panels else 500)
    return go.Figure(data=traces, layout=_layout(title, height, **layout))


def event_markers(events: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Layout shapes shading each event's days on the (top) time axis, and labels just above
    the plot area whose hover text gives the full name, place and dates.

    Events outside the figure's data range are the caller's to drop (``events.events_between``):
    a shape outside the range would stretch the axis.
    """
    y_ref = "y domain"  # the top panel only, also when a month-precision panel sits below
    shapes: list[dict] = []
    annotations: list[dict] = []
    for i, row in enumerate(events.itertuples(index=False)):
        start = pd.Timestamp(row.date)
        end = pd.Timestamp(row.end_date)
        when = format_at(start, "day", "label")
        if end != start:
            when += f" - {format_at(end, 'day', 'label')}"
        where = f", {row.location}" if row.location else ""
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": y_ref,
                "x0": start,
                "x1": end + pd.Timedelta(days=1),
                "y0": 0,
                "y1": 1,
                "fillcolor": EVENT_FILL,
                "line": {"width": 1, "color": EVENT_LINE},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": start,
                "xref": "x",
                "y": 1,
                "yref": y_ref,
                "yanchor": "bottom",
                # Alternate two heights so labels of meetings a year apart do not overlap.
                "yshift": 14 * (i % 2),
                "text": str(row.label),
                "hovertext": f"{row.label}{where}, {when}",
                "showarrow": False,
                "font": {"size": FONT_SIZE - 3},
            }
        )
    return shapes, annotations


def make_ranking(
    table: pd.DataFrame,
    *,
    value: str = "statements",
    title: str = "",
    axis_title: str | None = None,
    colour: str = SINGLE_COLOUR,
) -> go.Figure:
    """Horizontal bars of a ranking (``top_values``-like table: ``value``, ``label``, ...).

    Largest on top; labels sit on the y axis (long party names stay readable and never get cut:
    the margin grows to fit them). ``customdata`` holds each bar's id.
    """
    labels = table["label"].astype(str).tolist()
    values = table[value].to_numpy()
    is_share = value.startswith("share")
    text = [f"{v:.0%}" if is_share else f"{int(v):,}" for v in values]
    bar = {
        "type": "bar",
        "x": values,
        "y": labels,
        "orientation": "h",
        "marker": {"color": colour},
        "customdata": table["value"].astype(str).tolist(),
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    height = 110 + 36 * max(len(table), 1) + (40 if title else 0)
    layout = _layout(
        title,
        height,
        showlegend=False,
        yaxis={"autorange": "reversed", "title": {"text": None}},
        xaxis={
            "title": {"text": axis_title or label_ids(value, "column")},
            **(
                {"tickformat": ".0%", "rangemode": "tozero"}
                if is_share
                else count_ticks(float(values.max()) if len(values) else 0.0)
            ),
        },
        # Outside labels need room to the right of the longest bar.
        margin={"r": 60},
    )
    return go.Figure(data=[bar], layout=layout)


def make_heatmap(
    cross: pd.DataFrame,
    *,
    title: str = "",
    row_title: str = "",
    col_title: str = "",
    show_values: bool | None = None,
) -> go.Figure:
    """A heatmap from ``aggregate.crosstab`` (rows and columns in its order).

    Meant to be drawn full width: cells stretch to the width (no fixed aspect ratio) and the
    height grows with the number of rows. ``show_values`` (default: when the grid has at most
    ``HEATMAP_TEXT_CELLS`` cells) writes each non-zero count in its cell; zero cells stay blank
    so the counts that exist stand out. ``customdata`` of each cell is ``[row id, column id]``.
    """
    rows = pd.unique(cross["row"]).tolist()
    cols = pd.unique(cross["col"]).tolist()
    row_labels = pd.unique(cross["row_label"]).tolist()
    col_labels = pd.unique(cross["col_label"]).tolist()
    values = cross["statements"].to_numpy()
    z = values.reshape(len(rows), len(cols)) if len(cross) else np.zeros((0, 0), np.int64)
    custom = np.empty((len(rows), len(cols), 2), dtype=object)
    custom[:, :, 0] = np.asarray(rows, dtype=object)[:, None]
    custom[:, :, 1] = np.asarray(cols, dtype=object)[None, :]
    if show_values is None:
        show_values = 0 < z.size <= HEATMAP_TEXT_CELLS
    heat: dict = {
        "type": "heatmap",
        "z": z,
        "x": col_labels,
        "y": row_labels,
        "customdata": custom,
        "colorscale": HEATMAP_SCALE,
        "zmin": 0,
        # At least 1: a grid of zeros and ones must not stretch its colour bar to 2.
        "zmax": max(int(z.max()) if z.size else 0, 1),
        "hovertemplate": "%{y} × %{x}: %{z:,} statements<extra></extra>",
        "colorbar": {
            "title": {"text": label_ids("statements", "column")},
            "thickness": 14,
            **_colorbar_ticks(int(z.max()) if z.size else 0),
        },
        "xgap": 1,
        "ygap": 1,
    }
    heat["colorbar"].pop("rangemode")
    longest = max((len(str(c)) for c in col_labels), default=0)
    layout = _layout(
        title,
        # Room for the slanted column labels below the cells, which grow with the longest one.
        120 + 36 * max(len(rows), 1) + min(8 * longest, 160),
        yaxis={"autorange": "reversed", "title": {"text": row_title or None}},
        xaxis={"title": {"text": col_title or None}, "side": "bottom"},
    )
    fig = go.Figure(data=[heat], layout=layout)
    if show_values:
        # Up to HEATMAP_TEXT_CELLS annotations: validating each one costs ~0.5 ms, so these
        # plain dicts (built from checked values above) go in unvalidated.
        labels = go.Figure(layout={"annotations": _cell_labels(z)}, _validate=False)
        fig.layout._props["annotations"] = labels.layout._props["annotations"]
    return fig


def _colorbar_ticks(top: int) -> dict:
    """Whole-number ticks for a count colour bar; just 0 and 1 when the top is 1."""
    if top <= 1:
        return {"tickvals": [0, 1], "ticktext": ["0", "1"], "rangemode": "tozero"}
    return count_ticks(float(top))


def _cell_labels(z: np.ndarray) -> list[dict]:
    """A number on each non-zero cell, dark on the light end of the colour scale and light on
    the dark end. As annotations: a heatmap's own cell text has one colour for all cells (and
    Streamlit's theme sets it), which vanishes on either the yellow or the navy cells."""
    top = max(float(z.max()), 1.0)
    r, c = np.nonzero(z > 0)
    return [
        {
            "x": int(j),
            "y": int(i),
            "xref": "x",
            "yref": "y",
            "text": f"{int(z[i, j]):,}",
            "showarrow": False,
            "font": {
                "size": FONT_SIZE - 1,
                "color": "#1A1A1A" if z[i, j] / top >= HEATMAP_LIGHT_FROM else "#FFFFFF",
            },
        }
        for i, j in zip(r.tolist(), c.tolist(), strict=True)
    ]


def make_co_mention_network(
    partners: pd.DataFrame, *, center_id: str, center_label: str, title: str = ""
) -> go.Figure:
    """A star diagram: the chosen party in the middle, its co-mentioned parties around it with
    line widths by shared statements (from ``aggregate.co_mentioned_with``)."""
    n = len(partners)
    angles = [2 * math.pi * i / max(n, 1) for i in range(n)]
    xs = [math.cos(a) for a in angles]
    ys = [math.sin(a) for a in angles]
    top = float(partners["statements"].max()) if n else 1.0
    traces: list[dict] = [
        {
            "type": "scatter",
            "x": [0, x],
            "y": [0, y],
            "mode": "lines",
            "line": {"width": 1 + 9 * count / top, "color": "rgba(136, 136, 136, 0.6)"},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for x, y, count in zip(xs, ys, partners["statements"].tolist(), strict=True)
    ]
    traces.append(
        {
            "type": "scatter",
            "x": [0, *xs],
            "y": [0, *ys],
            "mode": "markers+text",
            "text": [center_label, *partners["label"].astype(str).tolist()],
            "textposition": ["bottom center"] + ["top center"] * n,
            "customdata": [center_id, *partners["value"].astype(str).tolist()],
            "marker": {
                "size": [34] + [14 + 16 * c / top for c in partners["statements"].tolist()],
                "color": [ACCENT_COLOUR] + [SINGLE_COLOUR] * n,
            },
            "hovertemplate": "%{text}<extra></extra>",
            "showlegend": False,
        }
    )
    layout = _layout(
        title,
        460,
        plot_bgcolor="rgba(0, 0, 0, 0)",
        xaxis={"visible": False, "range": [-1.5, 1.5]},
        yaxis={"visible": False, "range": [-1.4, 1.4], "scaleanchor": "x"},
    )
    return go.Figure(data=traces, layout=layout)


# --- world map ------------------------------------------------------------------------------


Metric = Literal["statements", "parties"]
METRICS: tuple[Metric, ...] = ("statements", "parties")
# Viridis is perceptually uniform and readable with every common colour-vision deficiency;
# reversed so that more statements read as darker, as on a printed atlas. Its pale yellow end is
# cut off: a country with one statement in yellow all but vanished on the grey land of the light
# theme, while the green it now starts at stands out from the land in both themes.
# Its darkest purple is cut off too: the top of the scale vanished on the dark theme's
# near-black page (contrast 1.3:1); Viridis at 0.3 keeps 3:1 on white and on #0e1117.
VIRIDIS_LOW_END = 0.7
VIRIDIS_HIGH_END = 0.3
MAP_COLOR_SCALE: list[list[float | str]] = [
    [i / 8, color]
    for i, color in enumerate(
        pc.sample_colorscale(
            "Viridis",
            [VIRIDIS_LOW_END - (VIRIDIS_LOW_END - VIRIDIS_HIGH_END) * i / 8 for i in range(9)],
        )
    )
]
# Light neutral greys and a translucent blue read on Streamlit's white and its dark (#0e1117)
# background alike; the geo background itself is transparent so the map sits on the page's own
# colour. The land is lighter than the lowest map colour, so every coloured country stands out.
LAND_COLOR = "#dcdcdc"
BORDER_COLOR = "#8c8c8c"
WATER_COLOR = "rgba(68, 119, 170, 0.18)"
TRANSPARENT = "rgba(0, 0, 0, 0)"
MAP_HEIGHT = 560
# Colour by log10 once the largest country has this many times the statements of the smallest:
# otherwise one dominant country paints every other one the same pale colour.
MAP_LOG_RATIO = 50.0


def _map_color_values(values: pd.Series, log_color: bool | None) -> tuple[np.ndarray, bool]:
    positive = values[values > 0]
    if log_color is None:
        log_color = len(positive) > 1 and positive.max() / positive.min() >= MAP_LOG_RATIO
    if log_color:
        return np.log10(values.clip(lower=1).to_numpy(dtype=float)), True
    return values.to_numpy(dtype=float), False


def _nice_step(span: float) -> float:
    """A 1-2-5 step giving about five colour bar ticks, never below 1 (counts are whole)."""
    raw = max(span / 5.0, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _log_ticks(zmax: float) -> tuple[list[float], list[str]]:
    top = max(1, math.ceil(zmax))
    return [float(k) for k in range(top + 1)], [f"{10**k:,}" for k in range(top + 1)]


MAP_HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b><br>"
    "Statements: %{customdata[2]:,}<br>"
    "Parties: %{customdata[3]:,}<br>"
    "Most active: %{customdata[4]}<br>"
    "Top topic: %{customdata[5]}"
    "<extra></extra>"
)


def _choropleth(counts: pd.DataFrame, z: np.ndarray, zmin: float, zmax: float) -> go.Choropleth:
    custom = counts[["iso3", "country", "statements", "parties", "top_parties", "top_topic"]]
    return go.Choropleth(
        locations=counts["iso3"].to_numpy(dtype=object),
        locationmode="ISO-3",
        z=z,
        zmin=zmin,
        zmax=zmax,
        customdata=custom.to_numpy(dtype=object),
        hovertemplate=MAP_HOVER_TEMPLATE,
        colorscale=MAP_COLOR_SCALE,
        marker={"line": {"color": BORDER_COLOR, "width": 0.5}},
    )


def make_world_map(
    counts: pd.DataFrame,
    *,
    metric: Metric = "statements",
    title: str | None = None,
    animation_by_year: bool = False,
    log_color: bool | None = None,
) -> go.Figure:
    """A choropleth of ``pagedata.map_counts`` output on ISO-3 codes, one location per country.

    ``metric`` colours by ``statements`` or distinct ``parties``. ``log_color`` (default: when
    the counts span ``MAP_LOG_RATIO`` or more) colours by log10 with the colour bar labelled in
    real counts; hover always shows the real numbers. ``animation_by_year`` needs ``counts`` from
    ``pagedata.map_counts(..., per_year=True)`` and adds one frame per year with a play button
    and slider, all on one colour range so years compare.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if animation_by_year and "year" not in counts.columns:
        raise ValueError("animation_by_year needs counts from map_counts(..., per_year=True)")
    z_all, is_log = _map_color_values(counts[metric], log_color)
    zmin = 0.0 if is_log else float(min(z_all.min(), 1.0)) if len(z_all) else 0.0
    zmax = float(z_all.max()) if len(z_all) else 1.0
    if zmax <= zmin:  # one value everywhere: a bar from 0 to it, not from 1 to an unused 2
        zmin = 0.0
    zmax = max(zmax, zmin + 1.0)

    # A vertical bar right beside the map: the map is drawn full width, so the bar takes little
    # of it, and it stays next to the colours it explains at any page width.
    colorbar: dict[str, Any] = {
        "title": {"text": label_ids(metric, "column"), "side": "top"},
        "orientation": "v",
        "thickness": 16,
        "len": 0.75,
        "x": 1.0,
        "xanchor": "left",
        "y": 0.5,
        "yanchor": "middle",
    }
    if is_log:
        colorbar["tickvals"], colorbar["ticktext"] = _log_ticks(zmax)
    else:
        colorbar.update(tick0=0, dtick=_nice_step(zmax - zmin), tickformat=",d")

    fig = go.Figure()
    if animation_by_year and len(counts):
        years = sorted(int(y) for y in counts["year"].unique())
        frames = []
        for y in years:
            sel = (counts["year"] == y).to_numpy()
            trace = _choropleth(counts[sel], z_all[sel], zmin, zmax)
            trace.update(colorbar=colorbar)
            frames.append(go.Frame(data=[trace], name=str(y)))
        fig.add_trace(frames[0].data[0])
        fig.frames = frames
        step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}
        fig.update_layout(
            sliders=[
                {
                    "active": 0,
                    "currentvalue": {"prefix": "Year: "},
                    # Right of the play buttons, which sit at the left edge under the map.
                    "x": 0.16,
                    "len": 0.84,
                    "y": 0.0,
                    "yanchor": "top",
                    "pad": {"t": 10},
                    "steps": [
                        {"label": str(y), "method": "animate", "args": [[str(y)], step_args]}
                        for y in years
                    ],
                }
            ],
            updatemenus=[
                {
                    "type": "buttons",
                    "showactive": False,
                    "direction": "left",
                    "x": 0.0,
                    "y": 0.0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "pad": {"t": 20},
                    "buttons": [
                        {
                            "label": "Play",
                            "method": "animate",
                            "args": [
                                None,
                                {
                                    "frame": {"duration": 800, "redraw": True},
                                    "fromcurrent": True,
                                },
                            ],
                        },
                        {
                            "label": "Pause",
                            "method": "animate",
                            "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                        },
                    ],
                }
            ],
        )
    else:
        fig.add_trace(_choropleth(counts, z_all, zmin, zmax))
        fig.data[0].update(colorbar=colorbar)

    fig.update_geos(
        projection_type="natural earth",
        resolution=110,
        showcountries=True,
        countrycolor=BORDER_COLOR,
        showcoastlines=False,
        showland=True,
        landcolor=LAND_COLOR,
        showocean=True,
        oceancolor=WATER_COLOR,
        showlakes=True,
        lakecolor=WATER_COLOR,
        showframe=False,
        bgcolor=TRANSPARENT,
        # Antarctica has no parties and takes a fifth of the height.
        lataxis_range=[-58, 85],
    )
    fig.update_layout(
        title={"text": title} if title else None,
        # The play button and year slider of an animation sit below the map.
        margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 90 if animation_by_year else 0},
        height=MAP_HEIGHT,
        dragmode=False,
        paper_bgcolor=TRANSPARENT,
    )
    return fig
