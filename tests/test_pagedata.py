"""``View`` and ``pagedata``: page data as plain functions of a view, shared by pages and tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import aggregate as ag
from dashboard import pagedata, schema
from dashboard.dataset import Dataset
from dashboard.filters import FilterSpec
from dashboard.synthetic import make_dataset
from dashboard.view import make_view


def _dataset() -> Dataset:
    rows = [
        # id, title, date, precision, parties, topics
        ("a", "KKE on the strike", "2015-10-12 09:00", "day", ["kke"], ["labour"]),
        ("b", "TKP and KKE", "2015-10-12 18:00", "day", ["tkp", "kke"], ["international"]),
        ("c", "PCP month", "2015-10-01", "month", ["pcp-portugal"], ["elections"]),
        ("d", "Undated", None, "none", ["kke"], ["other"]),
        ("e", "Older", "2014-01-05", "day", [], ["elections"]),
        ("f", "Year only", "2015-01-01", "year", ["tkp"], ["labour"]),
    ]
    df = pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "title": [r[1] for r in rows],
            "text": [f"text of {r[0]}" for r in rows],
            "date": pd.to_datetime([r[2] for r in rows], format="ISO8601"),
            "date_precision": [r[3] for r in rows],
            "parties": [r[4] for r in rows],
            "party_countries": [
                sorted({"kke": "GRC", "tkp": "TUR", "pcp-portugal": "PRT"}[p] for p in r[4])
                for r in rows
            ],
            "countries": [[] for _ in rows],
            "topics": [r[5] for r in rows],
        }
    )
    return Dataset.from_enriched(df, source="fixture")


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["id"].tolist()


def test_a_view_is_row_positions_and_analysis_columns():
    ds = _dataset()
    view = make_view(ds, FilterSpec(parties=("kke",)))
    assert view.rows.tolist() == [0, 1, 3]
    assert view.n == 3 and not view.is_all
    assert not view.mask.flags.writeable and not view.rows.flags.writeable
    # The view's frame carries what filters and aggregations read - not the text.
    assert "text" not in view.df.columns and "date" in view.df.columns
    assert view.df.index.tolist() == [0, 1, 3]
    assert sorted(view.long("parties")["row"].unique().tolist()) == [0, 1, 3]
    assert _ids(view.statements()) == ["a", "b", "d"]
    assert view.statements([1])["text"].tolist() == ["text of b"]


def test_an_unfiltered_view_shares_the_dataset_columns():
    ds = _dataset()
    view = make_view(ds, FilterSpec())
    assert view.is_all
    view.df["extra"] = 1  # a page may add a column to its own frame ...
    assert "extra" not in ds.analysis.columns  # ... without touching the shared dataset


@pytest.mark.parametrize("seed", range(5))
def test_by_date_orders_like_latest(seed):
    ds = make_dataset(5_000, seed=seed)
    rng = np.random.default_rng(seed)
    mask = rng.random(len(ds)) < rng.uniform(0.01, 1)
    for n in (1, 10, 200, 5_000):
        want = ag.latest(ds.analysis[mask], n).index.to_numpy()
        np.testing.assert_array_equal(pagedata.by_date(ds, mask, n), want)


def test_latest_puts_later_times_first_and_undated_last():
    ds = _dataset()
    latest = pagedata.overview(make_view(ds, FilterSpec())).latest
    # 18:00 before 09:00 the same day; the October month after its days; undated last.
    assert _ids(latest) == ["b", "a", "c", "f", "e", "d"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("Newest first", ["b", "a", "c", "f", "e", "d"]),
        ("Oldest first", ["e", "f", "c", "a", "b", "d"]),
        ("Title A-Z", ["a", "e", "c", "b", "d", "f"]),
    ],
)
def test_explore_rows_sort_all_matching_statements(order, expected):
    view = make_view(_dataset(), FilterSpec())
    assert _ids(pagedata.explore_rows(view, order, 10)) == expected
    assert _ids(pagedata.explore_rows(view, order, 2)) == expected[:2]


def test_overview_counts_the_filtered_statements():
    view = make_view(_dataset(), FilterSpec(date_from=dt.date(2015, 10, 1)))
    data = pagedata.overview(view)
    # a, b, the October month c and the year 2015 (f): a year overlaps its October.
    assert data.headline.statements == 4
    assert data.top_parties["value"].tolist()[:1] == ["kke"]
    assert int(data.top_parties.set_index("value").loc["kke", "statements"]) == 2
    assert data.granularity in ag.GRANULARITIES
    assert set(data.figures) == {"timeline", "parties", "topics"}


def test_timeline_selection_lists_the_statements_of_a_clicked_bar():
    view = make_view(_dataset(), FilterSpec())
    data = pagedata.timeline(view, "day", show_events=False)
    day_bar = data.counts[data.counts["placement"] == "exact"]
    assert day_bar["count"].sum() == 3  # a, b, e are placed on their days
    picked = (("2015-10-12", ag.ALL_GROUP, "exact"),)
    rows = pagedata.timeline_selection(view, "day", "none", 8, picked)
    assert _ids(rows) == ["b", "a"]


def test_party_profile_and_ranking():
    view = make_view(_dataset(), FilterSpec())
    ranking = pagedata.party_ranking(view)
    assert ranking["value"].tolist() == ["kke", "tkp", "pcp-portugal"]
    profile = pagedata.party_profile(view, "tkp")
    assert profile.summary["statements"] == 2
    assert profile.partners["value"].tolist() == ["kke"]
    assert _ids(profile.latest) == ["b", "f"]
    assert {"timeline", "topics", "partners"} <= set(profile.figures)


def test_topics_data_and_examples():
    view = make_view(_dataset(), FilterSpec())
    data = pagedata.topics(view, "month", 5)
    assert data.shares["statements"].sum() == 6
    assert _ids(pagedata.topic_examples(view, "elections", 5)) == ["c", "e"]
    assert "shares" in data.figures and "over_time" in data.figures


def test_data_quality_describes_the_whole_dataset():
    quality = pagedata.data_quality(_dataset())
    assert quality.undated == 1
    assert quality.no_party == 1
    assert quality.precision.to_dict() == {"day": 3, "month": 1, "year": 1, "none": 1}
    assert schema.DATE in _dataset().analysis.columns


def test_a_time_chart_with_too_many_bars_is_drawn_coarser():
    view = make_view(make_dataset(3_000, seed=1), FilterSpec())
    granularity, counts = pagedata.counts_that_fit(view, "day", max_bars=400)
    assert granularity in ("week", "month") and len(counts) <= 400
    # A chart that fits keeps the granularity asked for.
    assert pagedata.counts_that_fit(view, "year", max_bars=400)[0] == "year"


def test_timeline_says_which_granularity_it_drew(monkeypatch):
    monkeypatch.setattr(pagedata, "MAX_BARS", 600)
    view = make_view(make_dataset(3_000, seed=1), FilterSpec())
    data = pagedata.timeline(view, "day", "party", 8, 0, "count", False)
    # 15 years of days, weeks or months by party are more than 600 bars; quarters are not.
    assert (data.requested, data.granularity) == ("day", "quarter")
    assert len(data.counts) <= 600
