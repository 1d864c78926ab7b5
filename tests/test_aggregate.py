"""Aggregations on a dozen hand-made enriched statements with awkward dates and lists.

Expected numbers are counted by hand from the table in ``_rows`` (see the comments there).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import aggregate as ag
from dashboard.dataset import Dataset
from dashboard.dates import format_at

# Weeks start on Monday: 2015-10-12 and 2015-10-19 and 2015-11-02 are Mondays; 2019-10-18
# (Friday) and 2019-10-20 (Sunday) both fall in the week of Monday 2019-10-14.
_ROWS = [
    # date, precision, parties, party_countries, countries, topics, region
    ("2015-10-12", "day", ["kke"], ["GRC"], [], ["elections"], "Southern Europe"),  # 0
    ("2015-10-13", "day", ["kke", "tkp"], ["GRC", "TUR"], ["TUR"], ["elections", "labour"], "Southern Europe"),  # 1  # noqa: E501
    ("2015-10-15", "day", ["tkp"], ["TUR"], ["TUR"], ["labour"], "Western Asia"),  # 2
    ("2015-10-01", "month", ["kke"], ["GRC"], ["USA"], ["war"], "Southern Europe"),  # 3
    ("2015-10-01", "month", [], [], [], ["other"], ""),  # 4
    ("2015-11-02", "day", ["cpc-canada"], ["CAN"], [], ["elections"], "Northern America"),  # 5
    ("2015-01-01", "year", ["kke"], ["GRC"], [], ["labour"], "Southern Europe"),  # 6
    (None, "none", ["tkp", "kke"], ["GRC", "TUR"], [], ["war"], "Western Asia"),  # 7
    ("2019-10-18", "day", ["kke", "tkp", "cpc-canada"], ["CAN", "GRC", "TUR"], ["TUR"], ["elections", "war"], "Southern Europe"),  # 8  # noqa: E501
    ("2019-10-20", "day", ["tkp"], ["TUR"], ["PRK"], ["other"], "Western Asia"),  # 9
    ("2019-10-01", "month", ["cpi-india", "cpc-canada"], ["CAN", "IND"], [], ["labour"], "Southern Asia"),  # 10  # noqa: E501
    ("2015-10-19", "day", [], [], ["AFG", "USA"], ["war"], ""),  # 11
]  # fmt: skip
# Totals: kke rows 0,1,3,6,7,8 (6); tkp 1,2,7,8,9 (5); cpc-canada 5,8,10 (3); cpi-india 10 (1).


def _dataset() -> Dataset:
    df = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(len(_ROWS))],
            "title": [f"Statement {i}" for i in range(len(_ROWS))],
            "text": [""] * len(_ROWS),
            "date": pd.to_datetime([r[0] for r in _ROWS]),
            "date_precision": pd.Categorical(
                [r[1] for r in _ROWS], categories=["day", "month", "year", "none"]
            ),
            "url": [""] * len(_ROWS),
            "parties": [r[2] for r in _ROWS],
            "party_countries": [r[3] for r in _ROWS],
            "countries": [r[4] for r in _ROWS],
            "topics": [r[5] for r in _ROWS],
            "unresolved": [[] for _ in _ROWS],
            "region": pd.Categorical([r[6] for r in _ROWS]),
        }
    )
    return Dataset.from_enriched(df, source="fixture")


DS = _dataset()
DF = DS.df


def _restricted(mask: np.ndarray, col: str) -> pd.DataFrame:
    """What ``View.long(col)`` gives for ``mask``: the long table cut to the selected rows."""
    long = DS.long[col]
    return long[mask[long["row"].to_numpy()]]


def _counts(table: pd.DataFrame) -> dict[tuple[str, str, str], int]:
    return {
        (p.strftime("%Y-%m-%d"), str(pl), str(g)): int(c)
        for p, pl, g, c in table[["period", "placement", "group", "count"]].itertuples(index=False)
    }


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        (
            "day",
            {
                ("2015-10-12", "exact", "all"): 1,
                ("2015-10-13", "exact", "all"): 1,
                ("2015-10-15", "exact", "all"): 1,
                ("2015-10-19", "exact", "all"): 1,
                ("2015-11-02", "exact", "all"): 1,
                ("2019-10-18", "exact", "all"): 1,
                ("2019-10-20", "exact", "all"): 1,
                ("2015-10-01", "month", "all"): 2,
                ("2019-10-01", "month", "all"): 1,
                ("2015-01-01", "year", "all"): 1,
            },
        ),
        (
            "week",
            {
                ("2015-10-12", "exact", "all"): 3,
                ("2015-10-19", "exact", "all"): 1,
                ("2015-11-02", "exact", "all"): 1,
                ("2019-10-14", "exact", "all"): 2,
                ("2015-10-01", "month", "all"): 2,
                ("2019-10-01", "month", "all"): 1,
                ("2015-01-01", "year", "all"): 1,
            },
        ),
        (
            "month",
            {
                ("2015-10-01", "exact", "all"): 6,
                ("2015-11-01", "exact", "all"): 1,
                ("2019-10-01", "exact", "all"): 3,
                ("2015-01-01", "year", "all"): 1,
            },
        ),
        (
            "quarter",
            {
                ("2015-10-01", "exact", "all"): 7,
                ("2019-10-01", "exact", "all"): 3,
                ("2015-01-01", "year", "all"): 1,
            },
        ),
        ("year", {("2015-01-01", "exact", "all"): 8, ("2019-01-01", "exact", "all"): 3}),
    ],
)
def test_counts_per_period_never_spread_coarse_dates(granularity: str, expected: dict) -> None:
    table = ag.count_by_period(DF, granularity)
    assert _counts(table) == expected


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        ("day", {"exact": 7, "month": 3, "year": 1, "undated": 1}),
        ("week", {"exact": 7, "month": 3, "year": 1, "undated": 1}),
        ("month", {"exact": 10, "month": 0, "year": 1, "undated": 1}),
        ("quarter", {"exact": 10, "month": 0, "year": 1, "undated": 1}),
        ("year", {"exact": 11, "month": 0, "year": 0, "undated": 1}),
    ],
)
def test_placement_counts(granularity: str, expected: dict) -> None:
    assert ag.placement_counts(DF, granularity) == expected


def test_breakdown_by_party_counts_each_named_party_and_statements_without_one() -> None:
    table = ag.count_by_period(DF, "month", breakdown="party", long=DS.long["parties"])
    counts = _counts(table)
    assert {k: v for k, v in counts.items() if k[0] == "2015-10-01"} == {
        ("2015-10-01", "exact", "kke"): 3,
        ("2015-10-01", "exact", "tkp"): 2,
        ("2015-10-01", "exact", "(none)"): 2,
    }
    assert {k: v for k, v in counts.items() if k[0] == "2019-10-01"} == {
        ("2019-10-01", "exact", "kke"): 1,
        ("2019-10-01", "exact", "tkp"): 2,
        ("2019-10-01", "exact", "cpc-canada"): 2,
        ("2019-10-01", "exact", "cpi-india"): 1,
    }
    # Groups are ordered by total statements, "(none)" last; labels come with them.
    assert list(table["group"].cat.categories) == [
        "kke",
        "tkp",
        "cpc-canada",
        "cpi-india",
        "(none)",
    ]
    assert table.loc[table["group"] == "(none)", "label"].iloc[0] == "No party named"


def test_top_n_folds_the_rest_into_others_counting_each_statement_once() -> None:
    table = ag.count_by_period(DF, "month", breakdown="party", long=DS.long["parties"], top_n=2)
    counts = _counts(table)
    assert table.loc[table["group"] == "(others)", "label"].iloc[0] == "Other parties"
    # Row 10 names both cpi-india and cpc-canada: one statement in "(others)", not two.
    assert counts[("2019-10-01", "exact", "(others)")] == 2
    assert counts[("2015-11-01", "exact", "(others)")] == 1
    assert list(table["group"].cat.categories) == ["kke", "tkp", "(others)", "(none)"]


@pytest.mark.parametrize("breakdown", ["none", "topic", "party", "country", "region"])
@pytest.mark.parametrize("granularity", ["week", "month", "year"])
def test_shares_sum_to_one_per_bar(breakdown: str, granularity: str) -> None:
    column = ag.BREAKDOWN_COLUMNS.get(breakdown, ("",))[0]
    table = ag.count_by_period(
        DF, granularity, breakdown=breakdown, long=DS.long.get(column), top_n=3
    )
    sums = table.groupby(["period", "placement"], observed=True)["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)


def test_region_breakdown_uses_the_scalar_column_and_blank_is_none() -> None:
    counts = _counts(ag.count_by_period(DF, "year", breakdown="region"))
    assert counts[("2015-01-01", "exact", "Southern Europe")] == 4  # rows 0, 1, 3, 6
    assert counts[("2015-01-01", "exact", "(none)")] == 2  # rows 4, 11


def test_filtered_frame_with_an_unrestricted_long_table_counts_only_its_rows() -> None:
    mask = (DF["date"].dt.year == 2019).to_numpy()
    sub = DF[mask]
    a = ag.count_by_period(sub, "year", breakdown="party", long=DS.long["parties"])
    b = ag.count_by_period(sub, "year", breakdown="party", long=_restricted(mask, "parties"))
    pd.testing.assert_frame_equal(a, b)
    assert _counts(a) == {
        ("2019-01-01", "exact", "cpc-canada"): 2,
        ("2019-01-01", "exact", "tkp"): 2,
        ("2019-01-01", "exact", "cpi-india"): 1,
        ("2019-01-01", "exact", "kke"): 1,
    }


def test_rolling_mean_runs_over_calendar_periods_with_zeros() -> None:
    table = ag.rolling_mean(DF, "month", 2)
    assert table["period"].iloc[0] == pd.Timestamp("2015-10-01")
    assert table["period"].iloc[-1] == pd.Timestamp("2019-10-01")
    assert len(table) == 49  # Oct 2015 .. Oct 2019, every month
    mean = dict(zip(table["period"].dt.strftime("%Y-%m"), table["mean"], strict=True))
    assert np.isnan(mean["2015-10"])  # a 2-month window needs two months
    assert mean["2015-11"] == pytest.approx((6 + 1) / 2)
    assert mean["2015-12"] == pytest.approx(0.5)
    assert mean["2016-01"] == 0
    assert mean["2019-10"] == pytest.approx(1.5)


def test_rolling_mean_at_week_granularity_leaves_month_precision_out() -> None:
    table = ag.rolling_mean(DF, "week", 1)
    weeks = dict(zip(table["period"].dt.strftime("%Y-%m-%d"), table["mean"], strict=True))
    assert weeks["2015-10-12"] == 3  # rows 0-2; the month-precision rows 3 and 4 are not here
    assert sum(table["mean"]) == 7


def test_rolling_mean_rejects_a_zero_window() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ag.rolling_mean(DF, "month", 0)


@pytest.mark.parametrize(
    ("period", "placement", "breakdown", "group", "expected"),
    [
        ("2015-10-12", "exact", "none", "all", ["t2", "t1", "t0"]),
        ("2015-10-01", "month", "none", "all", ["t3", "t4"]),
        ("2015-10-01", "month", "party", "kke", ["t3"]),
        ("2015-10-01", "month", "party", "(none)", ["t4"]),
        ("2015-01-01", "year", "none", "all", ["t6"]),
        ("2019-10-14", "exact", "party", "cpc-canada", ["t8"]),
        ("2019-10-14", "exact", "party", "nobody", []),
    ],
)
def test_rows_in_period_lists_the_statements_behind_a_bar(
    period: str, placement: str, breakdown: str, group: str, expected: list[str]
) -> None:
    rows = ag.rows_in_period(
        DF,
        "week",
        period,
        placement,
        breakdown=breakdown,
        group=group,
        long=DS.long["parties"],
    )
    assert rows["id"].tolist() == expected


def test_headline_numbers_and_date_span() -> None:
    head = ag.headline(DF, DS.long["parties"], DS.long["party_countries"])
    assert (head.statements, head.parties, head.countries, head.undated) == (12, 4, 4, 1)
    assert format_at(head.first, head.first_precision, "label") == "2015"
    assert format_at(head.last, head.last_precision, "label") == "20 Oct 2019"


def test_top_values_rank_by_statements_with_shares() -> None:
    top = ag.top_values(DF, DS.long["parties"], "party", n=3)
    assert top["value"].tolist() == ["kke", "tkp", "cpc-canada"]
    assert top["statements"].tolist() == [6, 5, 3]
    assert top["share"].tolist() == pytest.approx([6 / 12, 5 / 12, 3 / 12])
    assert top["label"].iloc[0].startswith("KKE")


def test_topic_shares_sum_to_one_and_keep_statement_shares() -> None:
    shares = ag.topic_shares(DF, DS.long["topics"])
    # elections 0,1,5,8; labour 1,2,6,10; war 3,7,8,11; other 4,9: 14 mentions; ties by id.
    assert shares["value"].tolist() == ["elections", "labour", "war", "other"]
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["share"].tolist() == pytest.approx([4 / 14, 4 / 14, 4 / 14, 2 / 14])
    assert shares["share_of_statements"].tolist() == pytest.approx([4 / 12] * 3 + [2 / 12])


def test_crosstab_counts_statements_naming_both() -> None:
    cross = ag.crosstab(
        DF,
        DS.long["topics"],
        DS.long["parties"],
        row_kind="topic",
        col_kind="party",
        top_rows=3,
        top_cols=2,
    )
    cells = {(r, c): n for r, c, n in cross[["row", "col", "statements"]].itertuples(index=False)}
    assert cells == {
        ("elections", "kke"): 3,  # rows 0, 1, 8
        ("elections", "tkp"): 2,  # rows 1, 8
        ("labour", "kke"): 2,  # rows 1, 6
        ("labour", "tkp"): 2,  # rows 1, 2
        ("war", "kke"): 3,  # rows 3, 7, 8
        ("war", "tkp"): 2,  # rows 7, 8
    }


def test_co_mentions_are_symmetric_and_exclude_self() -> None:
    pairs = ag.co_mentions(DF, DS.long["parties"])
    table = {(a, b): n for a, b, n in pairs.itertuples(index=False)}
    assert table == {
        ("kke", "tkp"): 3,  # rows 1, 7, 8
        ("tkp", "kke"): 3,
        ("kke", "cpc-canada"): 1,
        ("cpc-canada", "kke"): 1,
        ("tkp", "cpc-canada"): 1,
        ("cpc-canada", "tkp"): 1,
        ("cpc-canada", "cpi-india"): 1,
        ("cpi-india", "cpc-canada"): 1,
    }
    assert not (pairs["party"] == pairs["other"]).any()


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ("kke", [("tkp", 3), ("cpc-canada", 1)]),
        ("cpc-canada", [("cpi-india", 1), ("kke", 1), ("tkp", 1)]),
        ("cpi-india", [("cpc-canada", 1)]),
        ("nobody", []),
    ],
)
def test_co_mentioned_with_one_party(party: str, expected: list) -> None:
    table = ag.co_mentioned_with(DF, DS.long["parties"], party)
    assert list(zip(table["value"], table["statements"], strict=True)) == expected


def test_latest_puts_the_newest_first_and_undated_last() -> None:
    assert ag.latest(DF, 4)["id"].tolist() == ["t9", "t8", "t10", "t5"]
    assert ag.latest(DF, 12)["id"].iloc[-1] == "t7"


def test_party_summary_gives_the_gazetteer_home_country() -> None:
    summary = ag.party_summary(DF, DS.long["parties"], "tkp")
    assert summary == {"party": "tkp", "home_country": "TUR", "statements": 5}


@pytest.mark.parametrize(
    ("start", "granularity", "end"),
    [
        ("2019-10-18", "day", "2019-10-18"),
        ("2019-10-14", "week", "2019-10-20"),
        ("2019-10-01", "month", "2019-10-31"),
        ("2019-10-01", "quarter", "2019-12-31"),
        ("2016-01-01", "year", "2016-12-31"),
    ],
)
def test_period_end_is_the_last_day_of_the_period(start: str, granularity: str, end: str) -> None:
    assert ag.period_end(pd.Timestamp(start), granularity) == pd.Timestamp(end)


@pytest.mark.parametrize(
    ("dates", "finest", "expected"),
    [
        (["2015-10-01", "2015-10-20"], "day", "day"),
        (["2015-10-01", "2015-10-20"], "month", "month"),
        (["2015-10-01", "2019-10-20"], "day", "month"),
        (["2010-01-01", "2024-12-31"], "day", "quarter"),
        (["1950-01-01", "2024-12-31"], "day", "year"),
    ],
)
def test_auto_granularity(dates: list[str], finest: str, expected: str) -> None:
    df = pd.DataFrame({"date": pd.to_datetime(dates)})
    assert ag.auto_granularity(df, finest=finest) == expected


def test_empty_selection_gives_empty_tables() -> None:
    empty = DF.iloc[:0]
    assert ag.count_by_period(empty, "month", breakdown="party", long=DS.long["parties"]).empty
    assert ag.top_values(empty, DS.long["parties"], "party").empty
    assert ag.co_mentions(empty, DS.long["parties"]).empty
    assert ag.rolling_mean(empty, "month", 3).empty
    assert ag.headline(empty, DS.long["parties"], DS.long["party_countries"]).statements == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"granularity": "fortnight"}, "unknown granularity"),
        ({"granularity": "month", "breakdown": "colour"}, "unknown breakdown"),
        ({"granularity": "month", "breakdown": "party"}, "needs the exploded"),
    ],
)
def test_bad_arguments_say_what_is_allowed(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ag.count_by_period(DF, **kwargs)
