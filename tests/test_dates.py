"""Date parsing (every accepted shape, its precision, what stays undated) and formatting at a
precision."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard import schema
from dashboard.dates import PRECISIONS, format_at, parse_dates, parse_dates_detailed


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


# --- years outside 1678-2261, compact forms, zone names, impossible months ----------------------


@pytest.mark.parametrize(
    "value",
    ["1500-01-01", "9999-12-31", "9999999999", "1200", "1600-01", "Jan 2300", "0800-05-05T10:00Z"],
)
def test_dates_outside_the_nanosecond_range_are_undated_and_counted_never_shifted(value):
    parsed = parse_dates_detailed(pd.Series([value, "2015-10-20", value]))
    assert pd.isna(parsed.dates.iloc[0]) and pd.isna(parsed.dates.iloc[2])
    assert list(parsed.precision) == ["none", "day", "none"]
    assert (parsed.out_of_range, parsed.unparsed) == (2, 0)
    assert parsed.out_of_range_examples == [value]
    assert list(parsed.outside) == [True, False, True]
    assert parsed.dates.dtype == "datetime64[ns]"


def test_timestamp_columns_outside_the_range_are_undated_and_counted():
    stamps = pd.Series(np.array(["1500-01-01", "2015-10-20", "NaT"], dtype="datetime64[us]"))
    parsed = parse_dates_detailed(stamps)
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.dates.iloc[1] == pd.Timestamp("2015-10-20")
    assert parsed.out_of_range == 1


def test_python_dates_outside_the_range_from_excel_are_undated():
    parsed = parse_dates_detailed(pd.Series([dt.date(1500, 1, 1), dt.datetime(2015, 1, 2)]))
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.dates.iloc[1] == pd.Timestamp("2015-01-02")
    assert parsed.out_of_range == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20150601", "2015-06-01"),
        ("2015-06-01 12:00 EST", "2015-06-01 17:00"),
        ("2015-06-01T12:00:00 CEST", "2015-06-01 10:00"),
        ("2015-06-01 12:00 UTC", "2015-06-01 12:00"),
        ("1 June 2015 12:00 PDT", "2015-06-01 19:00"),
        ("1678-01-01", "1678-01-01"),
        ("2261-12-31", "2261-12-31"),
    ],
)
def test_compact_forms_and_zone_names_are_read_right(value, expected):
    parsed = parse_dates_detailed(pd.Series([value]))
    assert parsed.dates.iloc[0] == pd.Timestamp(expected)
    assert parsed.precision.iloc[0] == "day"


@pytest.mark.parametrize(
    "value",
    [
        "2015-13-01",
        "20151301",
        "2015-02-30",
        "2015-06-01 12:00 IST",  # India, Ireland or Israel: not guessed
        "2015-06-01 12:00 XYZ",
        "2015-06-01T25:00:00",
    ],
)
def test_impossible_months_and_unknown_zones_are_unreadable(value):
    parsed = parse_dates_detailed(pd.Series([value, "2015-10-20"]))
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.unparsed == 1
    assert parsed.examples == [value]


@pytest.mark.parametrize("cell", [["2015-10-20"], {"date": "2015-10-20"}, b"2015"])
def test_lists_and_objects_in_a_date_column_are_unreadable_not_fatal(cell):
    parsed = parse_dates_detailed(pd.Series([cell, "2015-10-20"], dtype=object))
    assert pd.isna(parsed.dates.iloc[0])
    assert parsed.dates.iloc[1] == pd.Timestamp("2015-10-20")
    assert parsed.unparsed == 1


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["10/15/2015", "05/10/2015"], "month/day/year"),
        (["15/10/2015", "05/10/2015"], "day/month/year"),
        (["2015-10-20"], ""),
    ],
)
def test_the_column_order_is_reported(values, order):
    assert parse_dates_detailed(pd.Series(values)).order == order


def test_iso_dates_are_never_read_day_first_by_the_fallback():
    # "2015-06-01 12:00 EST" used to reach dateutil with dayfirst and become 6 January.
    parsed = parse_dates_detailed(pd.Series(["2015-06-01 12:00 GMT", "05/10/2015"]))
    assert parsed.dates.iloc[0] == pd.Timestamp("2015-06-01 12:00")


def test_an_added_zone_name_is_read(tmp_path, monkeypatch):
    (tmp_path / "timezones.csv").write_text("abbreviation,utc_offset,name\nIST,+05:30,India\n")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    for value in ("2015-06-01 12:00 IST", "1 June 2015 12:00 IST"):
        parsed = parse_dates_detailed(pd.Series([value]))
        assert parsed.dates.iloc[0] == pd.Timestamp("2015-06-01 06:30"), value


# --- format_at ---------------------------------------------------------------------------------

JUNE = pd.Timestamp("2015-06-01")
OCT_5 = pd.Timestamp("2019-10-05 14:30:15")


@pytest.mark.parametrize(
    ("value", "precision", "style", "text"),
    [
        (JUNE, "day", "iso", "2015-06-01"),
        (JUNE, "month", "iso", "2015-06"),
        (JUNE, "year", "iso", "2015"),
        (JUNE, "week", "iso", "2015-06-01"),
        (JUNE, "quarter", "iso", "2015-Q2"),
        (JUNE, "none", "iso", ""),
        (OCT_5, "day", "iso", "2019-10-05"),
        (OCT_5, "day", "key", "2019-10-05T14:30:15"),
        (JUNE, "day", "key", "2015-06-01"),
        (OCT_5, "month", "key", "2019-10"),
        (JUNE, "day", "label", "1 Jun 2015"),
        (OCT_5, "day", "label", "5 Oct 2019"),
        (JUNE, "week", "label", "week of 1 Jun 2015"),
        (JUNE, "month", "label", "Jun 2015"),
        (OCT_5, "quarter", "label", "2019 Q4"),
        (JUNE, "year", "label", "2015"),
        (JUNE, "none", "label", "undated"),
        (None, "day", "label", "undated"),
        (pd.NaT, "day", "iso", ""),
        (dt.date(2015, 6, 1), "day", "iso", "2015-06-01"),
        (np.datetime64("2015-06-01"), "month", "label", "Jun 2015"),
    ],
)
def test_format_at_one_date(value, precision, style, text):
    assert format_at(value, precision, style) == text


def test_format_at_per_row_precisions_keep_the_index_and_leave_undated_missing():
    dates = pd.Series(
        pd.to_datetime(["2019-10-20", "2015-10-01", "2015-01-01", None, "2016-03-04"]),
        index=[10, 11, 12, 13, 14],
    )
    precision = pd.Series(
        pd.Categorical(["day", "month", "year", "none", None], dtype=schema.PRECISION_DTYPE),
        index=dates.index,
    )
    iso = format_at(dates, precision, "iso")
    assert iso.index.tolist() == [10, 11, 12, 13, 14]
    assert iso.dtype == "str"
    # A missing precision means "day"; undated rows stay missing, so CSV and JSON write null.
    assert iso.tolist()[:3] == ["2019-10-20", "2015-10", "2015"]
    assert pd.isna(iso.iloc[3]) and iso.iloc[4] == "2016-03-04"
    label = format_at(dates, precision, "label")
    assert label.tolist() == ["20 Oct 2019", "Oct 2015", "2015", "undated", "4 Mar 2016"]


def test_format_at_a_date_with_precision_none_is_undated():
    out = format_at(pd.Series([JUNE]), pd.Series(["none"]), "iso")
    assert pd.isna(out.iloc[0])


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_format_at_any_unit_and_a_datetime_index(unit):
    stamps = pd.DatetimeIndex(["2015-10-12", "2015-12-31"]).as_unit(unit)
    assert format_at(stamps, "week", "label").tolist() == [
        "week of 12 Oct 2015",
        "week of 31 Dec 2015",
    ]
    assert format_at(stamps.to_numpy(), "quarter", "label").tolist() == ["2015 Q4", "2015 Q4"]


def test_format_at_years_outside_nanoseconds():
    # Microsecond timestamps (pandas 3's own unit) hold years nanoseconds cannot.
    stamps = pd.Series(pd.to_datetime(["1453-05-29", "2300-02-01"]).as_unit("us"))
    assert format_at(stamps, "day", "label").tolist() == ["29 May 1453", "1 Feb 2300"]
    assert format_at(stamps, "month", "iso").tolist() == ["1453-05", "2300-02"]


def test_format_at_a_zoned_date_keeps_its_own_clock():
    stamp = pd.Series([pd.Timestamp("2015-10-20 23:30", tz="Europe/Athens")])
    assert format_at(stamp, "day", "key").tolist() == ["2015-10-20T23:30:00"]


def test_format_at_an_empty_column():
    out = format_at(pd.Series([], dtype="datetime64[ns]"), "day", "iso")
    assert out.empty and out.dtype == "str"


@pytest.mark.parametrize(
    ("precision", "style"), [("fortnight", "iso"), ("day", "fancy"), (pd.Series(["hour"]), "iso")]
)
def test_format_at_rejects_unknown_precisions_and_styles(precision, style):
    with pytest.raises(ValueError, match="must be one of"):
        format_at(pd.Series([JUNE]), precision, style)
