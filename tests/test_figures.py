"""Figures as data (``fig.to_dict()``): trace types, values, names, customdata, panels."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest
from test_aggregate import DF, DS
from test_pagedata import map_dataset, map_view

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard import pagedata
from dashboard.dataset import Dataset
from dashboard.labels import party_label, topic_label
from dashboard.synthetic import make_dataset

DAY_MS = 86_400_000


def _values(v: object) -> list:
    """A ``to_dict()`` array as a list: plotly 6+ writes numpy arrays as base64 ``bdata``."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        if "shape" in v:
            arr = arr.reshape([int(d) for d in str(v["shape"]).split(",")])
        return arr.tolist()
    return list(v)


def _bars(fig_dict: dict, axis: str = "y") -> list[dict]:
    return [t for t in fig_dict["data"] if t["type"] == "bar" and t.get("yaxis", "y") == axis]


def _points(traces: list[dict]) -> dict[tuple[str, str], float]:
    """(period, group) -> y over the traces, from each bar's customdata."""
    out = {}
    for t in traces:
        for custom, y in zip(t["customdata"], _values(t["y"]), strict=True):
            out[(custom[0], custom[1])] = y
    return out


def test_week_timeline_draws_month_precision_in_its_own_panel() -> None:
    counts = ag.count_by_period(DF, "week")
    fig = fg.make_timeline(counts, granularity="week").to_dict()
    top, bottom = _bars(fig, "y"), _bars(fig, "y2")
    assert _points(top) == {
        ("2015-10-12", "all"): 3,
        ("2015-10-19", "all"): 1,
        ("2015-11-02", "all"): 1,
        ("2019-10-14", "all"): 2,
    }
    assert _points(bottom) == {
        ("2015-10-01", "all"): 2,
        ("2019-10-01", "all"): 1,
        ("2015-01-01", "all"): 1,
    }
    month_bar = next(t for t in bottom if t["customdata"][0][2] == "month")
    # As wide as its month (not one day), hatched, and said to be month-precision on hover.
    assert _values(month_bar["width"])[0] == pytest.approx(fg.BAR_FILL * 31 * DAY_MS)  # October
    assert month_bar["marker"]["pattern"]["shape"] == "/"
    assert "month-precision" in month_bar["customdata"][0][3]
    assert fig["layout"]["yaxis2"]["domain"][1] < fig["layout"]["yaxis"]["domain"][0]


@pytest.mark.parametrize(
    ("granularity", "days"),
    [("day", 1), ("week", 7), ("month", 31), ("quarter", 92), ("year", 365)],
)
def test_a_lone_bar_spans_its_period_and_the_axis_shows_it(granularity: str, days: int) -> None:
    one = DF[DF["id"] == "t11"]  # 2015-10-19, a Monday
    fig = fg.make_timeline(ag.count_by_period(one, granularity), granularity=granularity)
    d = fig.to_dict()
    (bar,) = _bars(d)
    assert _values(bar["width"])[0] == pytest.approx(fg.BAR_FILL * days * DAY_MS)
    assert bar["offset"] == 0
    low, high = (pd.Timestamp(x) for x in d["layout"]["xaxis"]["range"])
    start = pd.Timestamp(bar["customdata"][0][0])
    assert low < start and high > start + pd.Timedelta(days=days)
    assert d["layout"]["yaxis"]["dtick"] == 1


def test_month_timeline_needs_no_second_panel_without_year_precision() -> None:
    sub = DF[DF["date_precision"].astype(str) != "year"]
    fig = fg.make_timeline(ag.count_by_period(sub, "month"), granularity="month").to_dict()
    assert _bars(fig, "y2") == []
    assert "yaxis2" not in fig["layout"]
    assert _points(_bars(fig)) == {
        ("2015-10-01", "all"): 6,
        ("2015-11-01", "all"): 1,
        ("2019-10-01", "all"): 3,
    }


def test_breakdown_gives_one_named_coloured_trace_per_group_with_labels() -> None:
    counts = ag.count_by_period(DF, "year", breakdown="party", long=DS.long["parties"], top_n=2)
    fig = fg.make_timeline(counts, granularity="year").to_dict()
    bars = _bars(fig)
    assert [t["name"] for t in bars] == [
        party_label("kke"),
        party_label("tkp"),
        "Other parties",
        "No party named",
    ]
    colours = [t["marker"]["color"] for t in bars]
    assert colours[:2] == list(fg.PALETTE[:2])
    assert colours[2] == fg.OTHERS_COLOUR
    assert len(set(colours)) == 4
    assert fig["layout"]["barmode"] == "relative"
    # customdata carries what a click needs: period, group id, placement, readable period.
    assert list(bars[0]["customdata"][0]) == ["2015-01-01", "kke", "exact", "2015"]


def test_share_mode_stacks_to_one_per_period() -> None:
    counts = ag.count_by_period(DF, "year", breakdown="topic", long=DS.long["topics"])
    fig = fg.make_timeline(counts, granularity="year", mode="share").to_dict()
    totals: dict[str, float] = {}
    for t in _bars(fig):
        for custom, y in zip(t["customdata"], _values(t["y"]), strict=True):
            totals[custom[0]] = totals.get(custom[0], 0) + y
    assert totals == pytest.approx({"2015-01-01": 1.0, "2019-01-01": 1.0})
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"


def test_rolling_mean_is_a_dashed_line_only_in_count_mode() -> None:
    counts = ag.count_by_period(DF, "month")
    rolling = ag.rolling_mean(DF, "month", 2)
    fig = fg.make_timeline(counts, granularity="month", rolling=rolling, rolling_window=2)
    lines = [t for t in fig.to_dict()["data"] if t["type"] == "scatter"]
    assert len(lines) == 1
    assert lines[0]["name"].startswith("2-month rolling mean")
    assert _values(lines[0]["y"])[1] == pytest.approx(3.5)
    shares = fg.make_timeline(counts, granularity="month", mode="share", rolling=rolling)
    assert not [t for t in shares.to_dict()["data"] if t["type"] == "scatter"]


def test_events_are_shaded_spans_with_labels_and_hover_details() -> None:
    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2015-10-30"]),
            "end_date": pd.to_datetime(["2015-11-01"]),
            "label": ["17th IMCWP"],
            "kind": pd.Categorical(["IMCWP"]),
            "location": ["Istanbul, Turkey"],
        }
    )
    fig = fg.make_timeline(ag.count_by_period(DF, "week"), granularity="week", events=events)
    layout = fig.to_dict()["layout"]
    assert len(layout["shapes"]) == 1
    assert pd.Timestamp(layout["shapes"][0]["x1"]) == pd.Timestamp("2015-11-02")
    labels = [a for a in layout["annotations"] if a["text"] == "17th IMCWP"]
    assert labels and "Istanbul" in labels[0]["hovertext"]
    assert "30 Oct 2015 - 1 Nov 2015" in labels[0]["hovertext"]


def test_compact_timeline_has_no_legend_and_no_coarse_panel() -> None:
    fig = fg.make_timeline(ag.count_by_period(DF, "week"), granularity="week", compact=True)
    d = fig.to_dict()
    assert _bars(d, "y2") == []
    assert d["layout"]["showlegend"] is False
    assert d["layout"]["height"] < 400


def test_timeline_rejects_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        fg.make_timeline(ag.count_by_period(DF, "month"), granularity="month", mode="pie")


def test_ranking_is_horizontal_largest_on_top_with_ids() -> None:
    table = ag.top_values(DF, DS.long["parties"], "party", 3)
    fig = fg.make_ranking(table, title="Top parties").to_dict()
    (bar,) = fig["data"]
    assert bar["orientation"] == "h"
    assert list(bar["y"]) == [party_label(p) for p in ("kke", "tkp", "cpc-canada")]
    assert _values(bar["x"]) == [6, 5, 3]
    assert list(bar["customdata"]) == ["kke", "tkp", "cpc-canada"]
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    assert fig["layout"]["yaxis"]["automargin"] is True


def test_share_ranking_shows_percentages() -> None:
    fig = fg.make_ranking(ag.topic_shares(DF, DS.long["topics"]), value="share").to_dict()
    assert fig["data"][0]["text"][0] == "29%"
    assert fig["layout"]["xaxis"]["tickformat"] == ".0%"


def test_heatmap_cells_match_the_crosstab() -> None:
    cross = ag.crosstab(
        DF, DS.long["topics"], DS.long["parties"], row_kind="topic", col_kind="party",
        top_rows=3, top_cols=2,
    )  # fmt: skip
    fig = fg.make_heatmap(cross).to_dict()
    (heat,) = fig["data"]
    assert heat["type"] == "heatmap"
    # Rows by their total in the grid (elections 5, war 5, labour 4), most active first.
    assert list(heat["y"]) == [topic_label(t) for t in ("elections", "war", "labour")]
    assert list(heat["x"]) == [party_label("kke"), party_label("tkp")]
    assert _values(heat["z"]) == [[3, 2], [3, 2], [2, 2]]
    assert list(heat["customdata"][1][0]) == ["war", "kke"]
    # Zero is a neutral grey, not the darkest colour of the scale.
    assert heat["colorscale"][0][1] == fg.HEATMAP_ZERO


def test_heatmap_drops_all_zero_rows_and_columns_and_a_one_value_bar_ends_at_1() -> None:
    cross = pd.DataFrame(
        {
            "row": ["t1", "t1", "t2", "t2"],
            "row_label": ["T1", "T1", "T2", "T2"],
            "col": ["p1", "p2", "p1", "p2"],
            "col_label": ["P1", "P2", "P1", "P2"],
            "statements": [1, 0, 0, 0],
        }
    )
    heat = fg.make_heatmap(cross).to_dict()["data"][0]
    assert heat["zmax"] == 1 and list(heat["colorbar"]["tickvals"]) == [0, 1]
    sparse = ag.crosstab(
        DF, DS.long["topics"], DS.long["parties"], row_kind="topic", col_kind="party",
        top_rows=25, top_cols=25,
    )  # fmt: skip
    grid = sparse.pivot_table(index="row", columns="col", values="statements", aggfunc="sum")
    assert (grid.sum(axis=1) > 0).all() and (grid.sum(axis=0) > 0).all()
    totals = sparse.groupby("row", sort=False)["statements"].sum().tolist()
    assert totals == sorted(totals, reverse=True)


def test_titles_say_what_is_counted_and_how_many_are_left_out() -> None:
    from dashboard.pagedata import top_title

    assert top_title("Parties named most often", 10, 19) == (
        "Parties named most often (top 10 of 19)"
    )
    assert top_title("Parties named most often", 3, 3) == "Parties named most often"
    shares = ag.topic_shares(DF, DS.long["topics"])
    fig = fg.make_ranking(shares, value="share", axis_title="Share of topic mentions").to_dict()
    assert fig["layout"]["xaxis"]["title"]["text"] == "Share of topic mentions"
    counts = ag.count_by_period(DF, "month", breakdown="topic", long=DS.long["topics"])
    fig = fg.make_timeline(counts, granularity="month", y_title="Topic mentions").to_dict()
    assert fig["layout"]["yaxis"]["title"]["text"] == "Topic mentions"


def test_co_mention_network_puts_the_party_in_the_middle() -> None:
    partners = ag.co_mentioned_with(DF, DS.long["parties"], "kke")
    fig = fg.make_co_mention_network(partners, center_id="kke", center_label="KKE").to_dict()
    nodes = fig["data"][-1]
    assert list(nodes["customdata"]) == ["kke", "tkp", "cpc-canada"]
    assert (nodes["x"][0], nodes["y"][0]) == (0, 0)
    edges = fig["data"][:-1]
    assert [e["line"]["width"] for e in edges] == pytest.approx([10, 1 + 9 / 3])


def _luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB`` or ``rgb(r, g, b)``."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    else:
        channels = [int(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


TOL_BRIGHT = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377"]


def test_palette_starts_with_tols_colour_blind_safe_scheme() -> None:
    assert list(fg.PALETTE[: len(TOL_BRIGHT)]) == TOL_BRIGHT
    assert len(set(fg.PALETTE)) == len(fg.PALETTE) >= 10  # ten groups plus "others"
    assert fg.OTHERS_COLOUR not in fg.PALETTE and fg.NONE_COLOUR not in fg.PALETTE


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(
    ("colour", "at_least"),
    # A single series must stand out clearly (3:1, WCAG's contrast for graphics); every colour
    # of a breakdown must at least not melt into the background.
    [(fg.SINGLE_COLOUR, 3.0), (fg.ACCENT_COLOUR, 2.5), (fg.PALETTE[0], 3.0)]
    + [(c, 1.8) for c in fg.PALETTE]
    + [(fg.OTHERS_COLOUR, 1.8), (fg.NONE_COLOUR, 1.8)],
)
def test_colours_read_on_the_light_and_the_dark_theme(
    theme: str, colour: str, at_least: float
) -> None:
    assert _contrast(colour, fg.BACKGROUNDS[theme]) >= at_least


def test_single_series_bars_use_the_readable_colour() -> None:
    timeline = fg.make_timeline(ag.count_by_period(DF, "month"), granularity="month").to_dict()
    ranking = fg.make_ranking(ag.top_values(DF, DS.long["parties"], "party", 3)).to_dict()
    colours = {t["marker"]["color"] for t in _bars(timeline) + _bars(ranking)}
    assert colours == {fg.SINGLE_COLOUR}
    assert _contrast(fg.SINGLE_COLOUR, fg.BACKGROUNDS["dark"]) >= 3


def _tick_labels(axis: dict, top: float) -> list[str]:
    """The labels plotly prints on a linear axis with ``tick0``/``dtick`` and ``,d``."""
    assert axis["tickformat"] == ",d"
    ticks = np.arange(axis["tick0"], top + axis["dtick"], axis["dtick"])
    return [f"{int(round(t)):,}" for t in ticks]


@pytest.mark.parametrize(
    ("top", "step"),
    [(0, 1), (1, 1), (2, 1), (5, 1), (7, 2), (10, 2), (15, 5), (20, 5), (37, 10), (50, 10)],
)
def test_count_axes_tick_whole_numbers_once_each(top: int, step: int) -> None:
    axis = fg.count_ticks(top)
    assert axis["dtick"] == step and axis["tick0"] == 0
    labels = _tick_labels(axis, top)
    assert len(labels) == len(set(labels))  # never "0 1 1 2 2"
    assert len(labels) <= 7  # nor a crowded axis on a short chart


def test_large_count_axes_keep_plotlys_own_whole_steps() -> None:
    axis = fg.count_ticks(12_000)
    assert axis["tickformat"] == ",d" and "dtick" not in axis


def _top_parties() -> dict:
    return fg.make_ranking(ag.top_values(DF, DS.long["parties"], "party", 3)).to_dict()


def _one_statements_topics() -> dict:
    rows = DF[DF["id"] == "t11"]
    return fg.make_ranking(ag.top_values(rows, DS.long["topics"], "topic")).to_dict()


def _timeline(granularity: str) -> dict:
    return fg.make_timeline(ag.count_by_period(DF, granularity), granularity=granularity).to_dict()


def _tallest(fig: dict, axis: str) -> float:
    """The largest count the axis has to show: the tallest stack, or the longest bar."""
    if axis == "xaxis":
        return max(max(_values(t["x"])) for t in fig["data"])
    stacks: dict[str, float] = {}
    for t in _bars(fig, "y2" if axis == "yaxis2" else "y"):
        for custom, y in zip(t["customdata"], _values(t["y"]), strict=True):
            stacks[custom[0]] = stacks.get(custom[0], 0) + y
    return max(stacks.values())


@pytest.mark.parametrize(
    ("figure", "axis"),
    [
        # Small counts, as in the Overview's top parties and a party's topics and countries.
        (_top_parties, "xaxis"),
        (_one_statements_topics, "xaxis"),
        (lambda: _timeline("month"), "yaxis"),
        (lambda: _timeline("week"), "yaxis2"),
    ],
)
def test_count_axes_of_figures_show_integer_ticks(figure, axis: str) -> None:
    fig = figure()
    labels = _tick_labels(fig["layout"][axis], _tallest(fig, axis))
    assert labels[0] == "0" and len(labels) == len(set(labels))
    assert fig["layout"][axis]["dtick"] >= 1


def test_share_axes_stay_percentages() -> None:
    counts = ag.count_by_period(DF, "year", breakdown="topic", long=DS.long["topics"])
    fig = fg.make_timeline(counts, granularity="year", mode="share").to_dict()
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%" and "dtick" not in fig["layout"]["yaxis"]


def test_figure_size_does_not_grow_with_the_number_of_statements() -> None:
    def size(n: int) -> tuple[int, int, int]:
        ds = make_dataset(n, seed=2)
        counts = ag.count_by_period(ds.df, "year", breakdown="topic", long=ds.long["topics"])
        fig = fg.make_timeline(counts, granularity="year").to_dict()
        points = sum(len(_values(t["y"])) for t in fig["data"])
        return points, len(json.dumps(fig, default=str)), counts["group"].cat.categories.size

    small_points, small_bytes, _ = size(3_000)
    big_points, big_bytes, groups = size(30_000)
    # Ten times the statements: at most one bar per (year, group), and about the same bytes.
    assert big_points <= 15 * groups
    assert big_bytes < 1.3 * small_bytes


def _x_range(fig: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    low, high = (pd.Timestamp(x) for x in fig["layout"]["xaxis"]["range"])
    return low, high


@pytest.mark.parametrize("granularity", ["week", "month", "quarter", "year"])
def test_a_lone_bar_never_fills_the_chart(granularity: str) -> None:
    one = DF[DF["id"] == "t11"]
    d = fg.make_timeline(ag.count_by_period(one, granularity), granularity=granularity).to_dict()
    (bar,) = _bars(d)
    low, high = _x_range(d)
    axis_ms = (high - low) / pd.Timedelta(milliseconds=1)
    assert _values(bar["width"])[0] <= axis_ms / fg.MIN_PERIODS


def test_span_puts_a_part_on_the_time_axis_of_the_whole() -> None:
    one = DF[DF["id"] == "t11"]  # October 2015 only
    counts = ag.count_by_period(one, "month")
    span = (DF["date"].min(), DF["date"].max())
    low, high = _x_range(fg.make_timeline(counts, granularity="month", span=span).to_dict())
    assert low <= span[0] and high >= pd.Timestamp("2019-11-01")
    alone_low, alone_high = _x_range(fg.make_timeline(counts, granularity="month").to_dict())
    assert alone_high < pd.Timestamp("2017-01-01")


def _cross(top: int) -> pd.DataFrame:
    return ag.crosstab(
        DF, DS.long["topics"], DS.long["parties"], row_kind="topic", col_kind="party",
        top_rows=top, top_cols=top,
    )  # fmt: skip


def test_small_heatmap_writes_its_counts_but_never_zeros() -> None:
    fig = fg.make_heatmap(_cross(6)).to_dict()
    (heat,) = fig["data"]
    z = np.array(_values(heat["z"]))
    assert (z == 0).any()  # the fixture has empty cells
    written = {(a["y"], a["x"]): a for a in fig["layout"]["annotations"]}
    assert set(written) == {(int(i), int(j)) for i, j in zip(*np.nonzero(z), strict=True)}
    assert all(a["text"] == f"{z[cell]:,}" for cell, a in written.items())
    # Dark numbers on the light (high) end of the colour scale, light ones on the dark end.
    top = z.max()
    for cell, a in written.items():
        dark_text = a["font"]["color"] == "#1A1A1A"
        assert dark_text == (z[cell] / top >= fg.HEATMAP_LIGHT_FROM)


def test_large_heatmap_shows_colours_only() -> None:
    n = int(np.ceil(np.sqrt(fg.HEATMAP_TEXT_CELLS))) + 1
    values = [f"v{i}" for i in range(n)]
    cross = pd.DataFrame(
        {
            "row": np.repeat(values, n),
            "row_label": np.repeat(values, n),
            "col": np.tile(values, n),
            "col_label": np.tile(values, n),
            "statements": np.arange(n * n) % 3,
        }
    )
    fig = fg.make_heatmap(cross).to_dict()
    assert not fig["layout"].get("annotations") and "texttemplate" not in fig["data"][0]


def test_heatmap_stretches_to_the_width_and_grows_with_its_rows() -> None:
    small, large = fg.make_heatmap(_cross(2)).to_dict(), fg.make_heatmap(_cross(5)).to_dict()
    for fig in (small, large):
        assert "scaleanchor" not in fig["layout"]["yaxis"]
        assert "width" not in fig["layout"]
        assert fig["data"][0]["colorbar"]["tickformat"] == ",d"
    rows = len(large["data"][0]["y"]) - len(small["data"][0]["y"])
    assert rows > 0 and large["layout"]["height"] >= small["layout"]["height"] + 30 * rows


def test_a_long_empty_stretch_is_cut_out_of_the_time_axis_and_each_bar_is_named() -> None:
    counts = pd.DataFrame(
        {
            "period": pd.to_datetime(["2015-10-01", "2019-09-01", "2019-10-01"]),
            "group": pd.Categorical(["all"] * 3),
            "label": ["All statements"] * 3,
            "placement": pd.Categorical(["exact"] * 3),
            "count": [9, 2, 13],
            "share": [1.0, 1.0, 1.0],
        }
    )
    axis = fg.make_timeline(counts, granularity="month").to_dict()["layout"]["xaxis"]
    ((low, high),) = [b["bounds"] for b in axis["rangebreaks"]]
    assert pd.Timestamp(low) > pd.Timestamp("2015-11-01")  # Oct 2015 and a month of air stay
    assert pd.Timestamp(high) < pd.Timestamp("2019-09-01")
    assert list(axis["ticktext"]) == ["Oct 2015", "Sep 2019", "Oct 2019"]
    # One party's part of a longer selection: the axis reaches the selection's ends (span)
    # and still cuts the empty years between its only bar and them.
    one = counts.iloc[:1]
    span = (pd.Timestamp("2015-10-01"), pd.Timestamp("2019-10-31"))
    axis = fg.make_timeline(one, granularity="month", span=span).to_dict()["layout"]["xaxis"]
    ((low, high),) = [b["bounds"] for b in axis["rangebreaks"]]
    assert pd.Timestamp("2015-11-01") < pd.Timestamp(low) < pd.Timestamp(high)
    assert pd.Timestamp(high) < pd.Timestamp("2019-10-01") < pd.Timestamp(axis["range"][1])
    assert list(axis["ticktext"]) == ["Oct 2015", "Oct 2019"]  # the selection's end is named


# --- world map --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return map_dataset()


def test_choropleth_as_data(ds):
    counts = pagedata.map_counts(map_view(ds), "party_countries")
    fig = fg.make_world_map(counts)
    (trace,) = fig.data
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["GRC", "TUR", "MLT"]
    assert list(trace.z) == [4, 3, 1]  # 4x spread: a linear colour scale
    assert trace.colorbar.dtick >= 1 and trace.colorbar.tickformat == ",d"  # no "1.5 statements"
    assert [c[1] for c in trace.customdata] == ["Greece", "Türkiye", "Malta"]
    assert trace.customdata[0][4] == "KKE (3), PAME (1)"
    for label in ("Statements", "Parties", "Top topic", "%{customdata[1]}"):
        assert label in trace.hovertemplate
    geo = fig.layout.geo
    assert geo.projection.type == "natural earth" and geo.showcountries and geo.landcolor


@pytest.mark.parametrize("animate", [False, True])
def test_map_is_large_transparent_with_its_colour_bar_beside_it(ds, animate):
    counts = pagedata.map_counts(map_view(ds), "party_countries", per_year=animate)
    fig = fg.make_world_map(counts, animation_by_year=animate).to_dict()
    layout, geo = fig["layout"], fig["layout"]["geo"]
    assert 520 <= layout["height"] <= 600
    # No white box on the dark theme: page colour shows through; water and land are drawn in
    # colours that read on both themes (translucent blue, mid grey).
    assert geo["bgcolor"] == layout["paper_bgcolor"] == "rgba(0, 0, 0, 0)"
    assert geo["showocean"] and geo["oceancolor"].endswith("0.18)")
    assert geo["showlakes"] and geo["lakecolor"] == geo["oceancolor"]
    grey = geo["landcolor"].lstrip("#")
    assert len({grey[0:2], grey[2:4], grey[4:6]}) == 1 and 0x90 <= int(grey[:2], 16) <= 0xE6
    bar = fig["data"][0]["colorbar"]
    assert bar["orientation"] == "v" and bar["x"] >= 1.0 and bar["xanchor"] == "left"
    if animate:
        # Play buttons and year slider sit inside the figure, under the map.
        (menu,) = layout["updatemenus"]
        assert menu["xanchor"] == "left" and menu["x"] >= 0
        assert layout["sliders"][0]["x"] > menu["x"] and layout["margin"]["b"] >= 60


def test_colour_by_parties(ds):
    counts = pagedata.map_counts(map_view(ds), "countries")
    fig = fg.make_world_map(counts, metric="parties")
    assert list(fig.data[0].z) == counts["parties"].tolist()
    assert fig.data[0].colorbar.title.text == "Parties"


def test_skewed_counts_are_coloured_on_a_log_scale_labelled_in_counts():
    counts = pd.DataFrame(
        {
            "iso3": ["GRC", "TUR", "CUB"],
            "country": ["Greece", "Türkiye", "Cuba"],
            "statements": [5000, 40, 1],
            "parties": [3, 2, 1],
            "top_parties": ["", "", ""],
            "top_topic": ["", "", ""],
        }
    )
    trace = fg.make_world_map(counts).data[0]
    assert np.allclose(trace.z, [math.log10(5000), math.log10(40), 0.0])
    assert "1,000" in trace.colorbar.ticktext
    assert [c[2] for c in trace.customdata] == [5000, 40, 1]  # hover keeps real numbers


def test_animation_has_one_frame_per_year_on_one_colour_range(ds):
    counts = pagedata.map_counts(map_view(ds), "party_countries", per_year=True)
    fig = fg.make_world_map(counts, animation_by_year=True)
    assert [f.name for f in fig.frames] == ["2015", "2019"]
    assert list(fig.frames[1].data[0].locations) == ["TUR", "GRC"]
    assert len({(f.data[0].zmin, f.data[0].zmax) for f in fig.frames}) == 1
    assert [s.label for s in fig.layout.sliders[0].steps] == ["2015", "2019"]
    with pytest.raises(ValueError, match="per_year"):
        fg.make_world_map(pagedata.map_counts(map_view(ds)), animation_by_year=True)


@pytest.mark.parametrize("n", [200, 4000])
def test_figure_holds_one_location_per_country_whatever_the_number_of_statements(n):
    counts = pagedata.map_counts(map_view(make_dataset(n, seed=1)), "countries")
    fig = fg.make_world_map(counts)
    assert len(fig.data) == 1
    assert len(fig.data[0].locations) == counts["iso3"].nunique() == len(counts)


def test_fewest_statements_stand_out_from_the_land_and_more_reads_darker(ds):
    fig = fg.make_world_map(pagedata.map_counts(map_view(ds), "party_countries"))
    scale = [color for _, color in fig.data[0].colorscale]
    land = _luminance(fig.layout.geo.landcolor)
    lows = _luminance(scale[0])
    # A country with one statement must not melt into the land (yellow on light grey did).
    assert (land + 0.05) / (lows + 0.05) >= 1.5
    lums = [_luminance(c) for c in scale]
    assert lums == sorted(lums, reverse=True)  # darker means more statements
