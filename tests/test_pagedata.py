"""``View`` and ``pagedata``: page data as plain functions of a view, shared by pages and tests."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pytest

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard import pagedata, schema
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.filters import FilterSpec
from dashboard.synthetic import make_dataset
from dashboard.view import View, make_view


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
    picked = (("2015-10-12", schema.ALL_GROUP, "exact"),)
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


def test_heatmap_titles_say_how_many_columns_of_how_many_are_shown() -> None:
    from dashboard.dataset import load_dataset
    from dashboard.filters import FilterSpec
    from dashboard.paths import sample_dataset
    from dashboard.view import make_view

    view = make_view(load_dataset(sample_dataset()), FilterSpec())
    titles = {k: f.layout.title.text for k, f in pagedata.topics(view, "month", 5).figures.items()}
    assert titles["by_party"].startswith("Topics by party (top 5 of ")
    wide = pagedata.topics(view, "month", 25).figures["by_party"].layout.title.text
    assert wide == "Topics by party"  # every party shown: nothing to say


# --- world map --------------------------------------------------------------------------------

# Eight statements written as code. Awkward on purpose: a statement naming parties from two
# countries (row 1), an undated one (4), a party from a microstate the map cannot draw (5:
# Malta), a country mention without any party (6: Kosovo, which has no ISO code), month
# precision (1).
MAP_STATEMENTS = [
    # date, precision, parties, party_countries, countries, topics
    ("2015-10-05", "day", ["kke"], ["GRC"], ["TUR"], ["elections"]),
    ("2015-10-01", "month", ["kke", "tkp"], ["GRC", "TUR"], [], ["elections", "international"]),
    ("2019-10-20", "day", ["tkp"], ["TUR"], ["GRC", "TUR"], ["international"]),
    ("2019-03-01", "day", ["pame"], ["GRC"], ["GRC"], ["labour"]),
    (None, "none", ["kke"], ["GRC"], ["USA"], ["other"]),
    ("2015-11-01", "day", ["pkm"], ["MLT"], ["ITA", "MLT"], ["other"]),
    ("2019-06-01", "day", [], [], ["XKX"], ["war_imperialism"]),
    ("2019-11-01", "day", ["tkp"], ["TUR"], ["TUR"], ["international"]),
]
MAP_PRECISIONS = ["day", "month", "year", "none"]


def make_map_frame(rows: list[tuple]) -> pd.DataFrame:
    dates, precision, parties, party_countries, countries, topics = zip(*rows, strict=True)
    n = len(rows)
    return pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "title": [f"Statement {i}" for i in range(n)],
            "text": ["text"] * n,
            "date": pd.to_datetime(pd.Series(dates, dtype="object")),
            "date_precision": pd.Categorical(precision, categories=MAP_PRECISIONS),
            "url": [""] * n,
            "parties": list(parties),
            "party_countries": list(party_countries),
            "countries": list(countries),
            "topics": list(topics),
            "unresolved": [[] for _ in range(n)],
            "region": pd.Categorical([""] * n),
            "continent": pd.Categorical([""] * n),
        }
    )


@functools.cache
def map_dataset() -> Dataset:
    """The eight map statements as a dataset (shared with the map tests of other modules)."""
    return Dataset.from_enriched(make_map_frame(MAP_STATEMENTS), source="fixture.csv")


def map_view(ds: Dataset, mask: np.ndarray | None = None) -> View:
    """All of ``ds``, or the rows of ``mask``, as a page's view."""
    return make_view(ds, FilterSpec(), mask)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return map_dataset()


def by_iso(counts: pd.DataFrame) -> dict[str, dict]:
    return counts.set_index("iso3").to_dict("index")


@pytest.mark.parametrize(
    ("by", "year", "expected"),
    [
        ("party_countries", None, {"GRC": 4, "TUR": 3, "MLT": 1}),
        ("party_countries", 2015, {"GRC": 2, "TUR": 1, "MLT": 1}),
        ("party_countries", 2019, {"GRC": 1, "TUR": 2}),
        ("countries", None, {"TUR": 3, "GRC": 2, "USA": 1, "ITA": 1, "MLT": 1, "XKX": 1}),
        ("countries", 2015, {"TUR": 1, "ITA": 1, "MLT": 1}),
        ("countries", 2019, {"TUR": 2, "GRC": 2, "XKX": 1}),
        ("countries", 2012, {}),
    ],
)
def test_statements_per_country(ds, by, year, expected):
    counts = pagedata.map_counts(map_view(ds), by, year)
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected
    assert counts["statements"].is_monotonic_decreasing
    assert list(counts.columns) == list(pagedata.MAP_COLUMNS)


@pytest.mark.parametrize(
    ("by", "iso3", "parties", "top_parties", "top_topic"),
    [
        # KKE's statement with TKP counts for Greece, but TKP is not a Greek party.
        ("party_countries", "GRC", 2, "KKE (3), PAME (1)", "Elections"),
        ("party_countries", "TUR", 1, "TKP (3)", "International"),
        # Only "other" topics: "other" is the top topic rather than nothing.
        ("party_countries", "MLT", 1, "PKM (1)", "Other"),
        ("countries", "TUR", 2, "TKP (2), KKE (1)", "International"),
        ("countries", "XKX", 0, "", "War"),
    ],
)
def test_parties_and_top_topic(ds, by, iso3, parties, top_parties, top_topic):
    row = by_iso(pagedata.map_counts(map_view(ds), by))[iso3]
    assert row["parties"] == parties
    assert row["top_parties"] == top_parties
    assert row["top_topic"].lower().startswith(top_topic.lower())


@pytest.mark.parametrize(
    ("iso3", "country", "on_map"),
    [("GRC", "Greece", True), ("MLT", "Malta", False), ("XKX", "Kosovo", False)],
)
def test_names_and_whether_the_map_can_draw_it(ds, iso3, country, on_map):
    row = by_iso(pagedata.map_counts(map_view(ds), "countries"))[iso3]
    assert row["country"] == country
    assert row["on_map"] is on_map or row["on_map"] == on_map


def test_continent_and_region_come_with_the_counts(ds):
    row = by_iso(pagedata.map_counts(map_view(ds), "party_countries"))["GRC"]
    assert (row["continent"], row["region"]) == ("Europe", "Southern Europe")


def test_per_year_counts_drop_undated_statements(ds):
    counts = pagedata.map_counts(map_view(ds), "party_countries", per_year=True)
    got = {(r.iso3, r.year): r.statements for r in counts.itertuples()}
    assert got == {("GRC", 2015): 2, ("GRC", 2019): 1, ("TUR", 2015): 1, ("TUR", 2019): 2,
                   ("MLT", 2015): 1}  # fmt: skip


@pytest.mark.parametrize(
    ("keep_year", "expected"),
    [(2015, {"GRC": 2, "TUR": 1, "MLT": 1}), (2019, {"GRC": 1, "TUR": 2})],
)
def test_counts_follow_a_filtered_view(ds, keep_year, expected):
    mask = (ds.df["date"].dt.year == keep_year).to_numpy()
    counts = pagedata.map_counts(map_view(ds, mask), "party_countries")
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected


def test_an_empty_view_gives_an_empty_table_and_an_empty_map(ds):
    view = map_view(ds, np.zeros(len(ds), dtype=bool))
    counts = pagedata.map_counts(view, "countries")
    assert counts.empty and list(counts.columns) == list(pagedata.MAP_COLUMNS)
    fig = fg.make_world_map(counts)
    assert len(fig.data[0].locations) == 0


@pytest.mark.parametrize(
    ("by", "iso3", "year", "rows"),
    [
        ("party_countries", "GRC", None, [0, 1, 3, 4]),
        ("party_countries", "GRC", 2015, [0, 1]),
        ("countries", "TUR", None, [0, 2, 7]),
        ("countries", "FRA", None, []),
    ],
)
def test_statement_rows_of_a_clicked_country(ds, by, iso3, year, rows):
    assert pagedata.country_rows(map_view(ds), by, iso3, year).tolist() == rows


def test_available_years(ds):
    assert pagedata.available_years(map_view(ds)) == [2015, 2019]


def test_unknown_mode_and_missing_column_are_explained(ds):
    with pytest.raises(ValueError, match="party_countries"):
        pagedata.map_counts(map_view(ds), "cities")
    bare = Dataset(df=ds.df, long={k: v for k, v in ds.long.items() if k != "countries"})
    with pytest.raises(DatasetError, match="no 'countries' column"):
        pagedata.map_counts(map_view(bare), "countries")


def test_counts_match_a_plain_python_count_on_synthetic_data():
    ds = make_dataset(3000, seed=7)
    expected: dict[str, int] = {}
    for codes in ds.df["countries"]:
        for code in set(codes):
            expected[code] = expected.get(code, 0) + 1
    counts = pagedata.map_counts(map_view(ds), "countries")
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected
