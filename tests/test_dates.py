"""Date parsing: every accepted shape, its precision, and what stays undated."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.dates import PRECISIONS, parse_dates, parse_dates_detailed


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2015-10-20", "2015-10-20", "day"),
        ("  2015-10-20 ", "2015-10-20", "day"),
        ("2015-10-20T10:00:00", "2015-10-20 10:00:00", "day"),
        ("2015-10-20T10:00:00+02:00", "2015-10-20 08:00:00", "day"),
        ("2015-10-20 23:30:00-02:00", "2015-10-21 01:30:00", "day"),
        ("2015-10-20T10:00:00Z", "2015-10-20 10:00:00", "day"),
        ("2015/10/20", "2015-10-20", "day"),
        ("20.10.2015", "2015-10-20", "day"),
        ("15/10/2015", "2015-10-15", "day"),
        ("15th October 2015", "2015-10-15", "day"),
        ("1st of May 2016", "2016-05-01", "day"),
        ("15 Oct 2015", "2015-10-15", "day"),
        ("October 15, 2015", "2015-10-15", "day"),
        ("Oct 15 2015", "2015-10-15", "day"),
        ("Tuesday, 20 October 2015", "2015-10-20", "day"),
        ("Tue, 20 Oct 2015 10:00:00 +0200", "2015-10-20 08:00:00", "day"),
        ("1445299200", "2015-10-20", "day"),
        ("2015-10", "2015-10-01", "month"),
        ("2015-3", "2015-03-01", "month"),
        ("October 2015", "2015-10-01", "month"),
        ("Oct 2015", "2015-10-01", "month"),
        ("Sept. 2015", "2015-09-01", "month"),
        ("2015", "2015-01-01", "year"),
        (2015, "2015-01-01", "year"),
        (2015.0, "2015-01-01", "year"),
        (dt.datetime(2015, 10, 20, 5, 30), "2015-10-20 05:30:00", "day"),
        (dt.date(2015, 1, 2), "2015-01-02", "day"),
        (pd.Timestamp("2015-10-20T10:00", tz="Europe/Athens"), "2015-10-20 07:00:00", "day"),
    ],
)
def test_accepted_shapes(value: object, expected: str, precision: str) -> None:
    dates, precisions = parse_dates(pd.Series([value, "2001-01-01"], dtype=object))
    assert dates.iloc[0] == pd.Timestamp(expected)
    assert precisions.iloc[0] == precision


@pytest.mark.parametrize(
    ("value", "counts_as_unparsed"),
    [
        ("", False),
        ("   ", False),
        (None, False),
        (np.nan, False),
        ("nonsense", True),
        ("15 October", True),  # no year: a year is never invented
        ("31/02/2015", True),
        ("2015-13", True),
    ],
)
def test_undated_values(value: object, counts_as_unparsed: bool) -> None:
    parsed = parse_dates_detailed(pd.Series([value, "2015-10-20"], dtype=object))
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.precision.iloc[0] == "none"
    assert parsed.dates.iloc[1] == pd.Timestamp("2015-10-20")
    assert parsed.unparsed == int(counts_as_unparsed)


@pytest.mark.parametrize(
    ("values", "expected", "order"),
    [
        # One value with a month above 12 in second place proves the column is month-first.
        (["10/15/2015", "05/10/2015"], ["2015-10-15", "2015-05-10"], "month/day/year"),
        (["15/10/2015", "05/10/2015"], ["2015-10-15", "2015-10-05"], "day/month/year"),
        (["05/10/2015"], ["2015-10-05"], "day/month/year"),
    ],
)
def test_ambiguous_numeric_dates_follow_the_column(
    values: list[str], expected: list[str], order: str
) -> None:
    parsed = parse_dates_detailed(pd.Series(values))
    assert list(parsed.dates) == [pd.Timestamp(v) for v in expected]
    assert any("05/10/2015" in w and order in w for w in parsed.warnings)


def test_unambiguous_numeric_dates_give_no_warning() -> None:
    assert parse_dates_detailed(pd.Series(["15/10/2015", "20/10/2015"])).warnings == []


def test_result_types_and_index() -> None:
    values = pd.Series(["2015-10", None, "2015-10-20"], index=[7, 8, 9])
    dates, precision = parse_dates(values)
    assert dates.dtype == "datetime64[ns]"
    assert list(precision.cat.categories) == list(PRECISIONS)
    assert list(dates.index) == [7, 8, 9] and list(precision.index) == [7, 8, 9]
    assert list(precision) == ["month", "none", "day"]


def test_repeated_values_parse_the_same_and_count_every_row() -> None:
    values = pd.Series(["Oct 2015", "bad date", "Oct 2015", "bad date", "bad date"])
    parsed = parse_dates_detailed(values)
    assert list(parsed.precision) == ["month", "none", "month", "none", "none"]
    assert parsed.unparsed == 3
    assert parsed.examples == ["bad date"]


@pytest.mark.parametrize("tz", [None, "UTC", "America/New_York"])
def test_timestamp_columns_as_they_come(tz: str | None) -> None:
    stamps = pd.Series(pd.to_datetime(["2015-10-20 12:00", None]).tz_localize(tz))
    dates, precision = parse_dates(stamps)
    hours = 16 if tz == "America/New_York" else 12
    assert dates.iloc[0] == pd.Timestamp("2015-10-20") + pd.Timedelta(hours=hours)
    assert dates.dtype == "datetime64[ns]"
    assert list(precision) == ["day", "none"]
