"""AppTest of the Overview, Timeline, Topics and Parties pages on the bundled sample.

Each page runs without an exception on the sample and on a filter that matches nothing, and
changing a page's widgets (found by key) changes the figure it draws.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_figures import _tick_labels, _values

from dashboard.labels import party_distinct_short
from dashboard.ui.routing import APP_PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = {page.url_path: page for page in APP_PAGES}
# The pages tested here (by URL path) and how many charts each draws at least.
MIN_CHARTS = {"overview": 3, "timeline": 1, "topics": 4, "parties": 3}


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    # A link to the page itself: the Overview run above keeps only the filters in the URL.
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGES[page].file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _traces(spec: dict) -> list[dict]:
    return spec["data"]


@pytest.mark.parametrize("page", list(MIN_CHARTS))
def test_page_runs_on_the_bundled_sample(page: str) -> None:
    at = _open(page)
    assert [t.value for t in at.title] == [PAGES[page].title]
    assert len(at.get("plotly_chart")) >= MIN_CHARTS[page]
    # Every chart offers the table it was drawn from.
    downloads = [b for b in at.get("download_button") if "Download data" in b.proto.label]
    assert len(downloads) == len(at.get("plotly_chart"))


@pytest.mark.parametrize("page", list(MIN_CHARTS))
def test_page_shows_the_empty_state_when_nothing_matches(page: str) -> None:
    at = _open(page, q="zzqx-no-statement-says-this")
    assert not at.get("plotly_chart")
    assert any("No statements match" in i.value for i in at.info)


def test_overview_headline_numbers_describe_the_sample() -> None:
    at = _open("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Statements"] == "24"
    # The oldest sample dates are known only to October 2015; the newest is 20 Oct 2019.
    assert (metrics["Earliest"], metrics["Latest"]) == ("Oct 2015", "20 Oct 2019")


@pytest.mark.parametrize(
    ("key", "value"),
    [("tl_granularity", "year"), ("tl_breakdown", "party"), ("tl_breakdown", "topic")],
)
def test_timeline_widgets_change_the_figure(key: str, value: str) -> None:
    at = _open("timeline")
    before = _specs(at)[0]
    at.selectbox(key=key).select(value).run()
    assert not at.exception
    after = _specs(at)[0]
    assert after["data"] != before["data"]
    if key == "tl_breakdown":
        names = {t.get("name") for t in _traces(after)}
        assert len(names) > 1
    else:
        assert all(c[0].endswith("-01-01") for t in _traces(after) for c in t["customdata"])


def test_timeline_day_granularity_shows_month_precision_apart() -> None:
    at = _open("timeline")
    at.selectbox(key="tl_granularity").select("day").run()
    spec = _specs(at)[0]
    lower = [t for t in _traces(spec) if t.get("yaxis") == "y2"]
    # 13 of the 24 seed statements are dated only to October 2015 (seed_dates.csv).
    assert sum(sum(_values(t["y"])) for t in lower) == 13
    assert lower and all(t["customdata"][0][2] == "month" for t in lower)
    assert any("lower, hatched panel" in c.value for c in at.caption)


def test_timeline_share_mode_and_events_toggle() -> None:
    at = _open("timeline")
    before = _specs(at)[0]
    at.radio(key="tl_mode").set_value("share").run()
    assert _specs(at)[0]["layout"]["yaxis"]["tickformat"] == ".0%"
    assert before["layout"]["yaxis"].get("tickformat") != ".0%"
    shapes_on = len(_specs(at)[0]["layout"].get("shapes", []))
    # The sample's last statements are from October 2019: the 21st IMCWP (18-20 Oct) is shown.
    notes = {a.get("text") for a in _specs(at)[0]["layout"].get("annotations", [])}
    assert {"17th IMCWP", "21st IMCWP"} <= notes
    at.toggle(key="tl_events").set_value(False).run()
    assert len(_specs(at)[0]["layout"].get("shapes", [])) == 0 < shapes_on
    assert at.query_params["events"] == "0"


def test_timeline_events_can_be_switched_off_by_link() -> None:
    at = _open("timeline", events="0")
    assert at.toggle(key="tl_events").value is False


def test_topics_mode_changes_the_topics_over_time_chart() -> None:
    at = _open("topics")
    before = _specs(at)[1]
    at.radio(key="tp_mode").set_value("count").run()
    after = _specs(at)[1]
    assert after["layout"]["yaxis"].get("tickformat") != before["layout"]["yaxis"]["tickformat"]


def test_topics_examples_show_matched_words_as_text() -> None:
    at = _open("topics")
    table = at.dataframe[-1].value
    assert "Matched words" in table.columns
    assert table["Matched words"].str.len().gt(0).any()


def test_parties_picker_changes_the_profile_and_the_url() -> None:
    at = _open("parties")
    first = at.selectbox(key="pt_party").value
    before = _specs(at)[0]
    at.selectbox(key="pt_party").select_index(1).run()
    assert not at.exception
    chosen = at.selectbox(key="pt_party").value
    assert chosen != first
    assert at.query_params["profile"] == chosen
    assert _specs(at)[0] != before


def test_parties_page_opens_the_party_in_the_link() -> None:
    at = _open("parties", profile="tkp")
    assert at.selectbox(key="pt_party").value == "tkp"


def _heatmaps(at: AppTest) -> dict[str, dict]:
    return {
        s["layout"]["title"]["text"]: s
        for s in _specs(at)
        if s["data"] and s["data"][0]["type"] == "heatmap"
    }


def test_topic_heatmaps_use_short_labels_and_never_print_zeros() -> None:
    at = _open("topics")
    titles = list(_heatmaps(at))
    # The sample names 19 parties; 12 columns are shown, and the title says so.
    assert "Topics by party (top 12 of 19 parties)" in titles
    heatmaps = {t.split(" (top")[0]: spec for t, spec in _heatmaps(at).items()}
    assert set(heatmaps) == {"Topics by party home country", "Topics by party"}
    by_party = heatmaps["Topics by party"]["data"][0]
    party_ids = [c[1] for c in by_party["customdata"][0]]
    # "KKE", not "KKE (Greece)"; the country only where an abbreviation is shared.
    assert list(by_party["x"]) == [party_distinct_short(p) for p in party_ids]
    assert "KKE" in by_party["x"]
    assert "Greece" in heatmaps["Topics by party home country"]["data"][0]["x"]
    for spec in heatmaps.values():
        z = np.array(_values(spec["data"][0]["z"]))
        written = {(a["y"], a["x"]): a["text"] for a in spec["layout"]["annotations"]}
        assert written and "0" not in written.values()
        assert all(z[cell] > 0 for cell in written)


def _chart_blocks(at: AppTest) -> dict[str, list[str]]:
    """Chart key -> the kinds of blocks it sits in (``["main", "horizontal", "column"]``)."""
    found: dict[str, list[str]] = {}

    def walk(node, path: list[str]) -> None:
        if getattr(node, "type", None) == "plotly_chart":
            found[node.key] = path
        for child in getattr(node, "children", {}).values():
            walk(child, [*path, str(getattr(child, "type", ""))])

    walk(at._tree, [])
    return found


def test_topic_heatmaps_are_stacked_full_width() -> None:
    blocks = _chart_blocks(_open("topics"))
    # Each heatmap directly in the page, one under the other - not squeezed into a column.
    assert blocks["tp_by_country"] == blocks["tp_by_party"] == ["main", "plotly_chart"]
    assert "column" in _chart_blocks(_open("overview"))["ov_parties"]  # the check can fail


@pytest.mark.parametrize(
    ("page", "chart", "axis"),
    [
        ("overview", 1, "xaxis"),  # "Parties named most often"
        ("parties", 1, "xaxis"),  # "Its topics"
        ("parties", 2, "xaxis"),  # "Countries its statements mention"
        ("parties", 0, "yaxis"),  # the party's timeline
        ("timeline", 0, "yaxis"),
    ],
)
def test_small_count_axes_on_the_sample_have_whole_ticks(page: str, chart: int, axis: str) -> None:
    spec = _specs(_open(page))[chart]
    values = [v for t in spec["data"] for v in _values(t["x" if axis == "xaxis" else "y"])]
    labels = _tick_labels(spec["layout"][axis], max(values))
    assert len(labels) == len(set(labels))


def test_a_party_seen_in_one_month_is_drawn_on_the_selections_time_axis() -> None:
    at = _open("parties", profile="cpim-india")  # two statements, both from October 2015
    spec = _specs(at)[0]
    (bar,) = [t for t in spec["data"] if t["type"] == "bar"]
    assert [c[0] for c in bar["customdata"]] == ["2015-10-01"]
    low, high = (pd.Timestamp(x) for x in spec["layout"]["xaxis"]["range"])
    # The sample runs from October 2015 to October 2019; one month is a thin bar on it.
    assert low <= pd.Timestamp("2015-10-01") and high >= pd.Timestamp("2019-10-31")
    assert _values(bar["width"])[0] < (high - low) / pd.Timedelta(milliseconds=1) / 20


def test_statement_tables_leave_out_columns_the_sample_never_fills() -> None:
    at = _open("overview")
    table = at.dataframe[-1].value
    assert "Title" not in table.columns  # the sample has no titles
    assert {"Date", "Text", "Parties"} <= set(table.columns)
    assert table["Text"].str.len().min() > 0
