"""Vectorised date parsing with an honest precision: ``day``, ``month``, ``year`` or ``none``.

Owns turning whatever a dataset has in its date column (ISO strings, timestamps with a zone
offset or a zone name from ``data/timezones.csv``, "2015-10", "October 2015", "15th October
2015", "15/10/2015", "20150601", Excel datetime cells, Parquet timestamps) into a
``datetime64[ns]`` column plus a ``date_precision`` category. A date is never made more precise
than its source: "2015-10" becomes 1 October 2015 with precision ``month``.

Dates are built as ``datetime64[us]`` (pandas 3's own unit, good for any year 1-9999) and only
then narrowed to the frame's ``datetime64[ns]``; a date outside what nanoseconds can hold
(1678-2261) is left undated and counted in ``out_of_range`` - never wrapped round to another
year. Impossible dates ("2015-13-01", "31/02/2015"), zone names we do not know for sure ("IST")
and values that are not dates at all (a list in a JSON file) are undated and counted in
``unparsed``. Real data repeats the same date strings many times, so each distinct value is parsed
once; common shapes go through regex masks and vectorised numpy arithmetic, and only the leftovers
reach ``dateutil``.

Also owns writing dates back at their precision (``format_at``): the one formatter for tables,
downloads, captions, chart labels, file names and statement keys, so "2015-10" is never shown
or written as an invented first day.
"""

from __future__ import annotations

import csv
import datetime as dt
import warnings as py_warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

import numpy as np
import pandas as pd
import pyarrow as pa
from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

from dashboard import schema
from dashboard.reference import reference_reader

PRECISIONS = schema.PRECISIONS
PRECISION_DTYPE = schema.PRECISION_DTYPE

#: The years a ``datetime64[ns]`` column can hold whole (1677-09-21 .. 2262-04-11).
NS_FIRST_YEAR, NS_LAST_YEAR = 1678, 2261
_NS_MIN = np.datetime64(f"{NS_FIRST_YEAR}-01-01T00:00:00", "us")
_NS_MAX = np.datetime64(f"{NS_LAST_YEAR + 1}-01-01T00:00:00", "us")
_NAT = np.datetime64("NaT", "us")

_DAY, _MONTH, _YEAR, _NONE = range(4)

_MONTHS: dict[str, int] = {}
for _number, _full in enumerate(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    start=1,
):
    _MONTHS[_full] = _number
    _MONTHS[_full[:3]] = _number
_MONTHS["sept"] = 9

_ORD = r"(?:st|nd|rd|th)?"
_ISO_DAY = r"^(\d{4})-(\d{2})-(\d{2})$"
_ISO_TIME = (
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?$"
)
_ISO_ZONE_NAME = r"^(\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s+([A-Za-z]{1,5})$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_YMD = r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"
_YM = r"^(\d{4})[-/.](\d{1,2})$"
_YEAR_RE = r"^(\d{4})$"
_NUMERIC_DMY = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"
_D_MON_Y = rf"^(\d{{1,2}}){_ORD}\s+(?:of\s+)?([A-Za-z]+)\.?,?\s+(\d{{4}})$"
_MON_D_Y = rf"^([A-Za-z]+)\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})$"
_MON_Y = r"^([A-Za-z]+)\.?,?\s+(\d{4})$"
_EPOCH = r"^(\d{10}|\d{13})$"
# Values that start like an ISO date: never read day-first, whatever the column does.
_ISO_START = r"^\d{4}-\d{1,2}-\d{1,2}"

# Two defaults that differ in every field: whatever dateutil fills from the default differs
# between the two parses, which tells us the string did not contain that field.
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)

DAY_FIRST, MONTH_FIRST = "day/month/year", "month/day/year"


@dataclass
class ParsedDates:
    """The result of :func:`parse_dates_detailed`: dates, precisions and what went wrong."""

    dates: pd.Series
    precision: pd.Series
    unparsed: int = 0  # non-empty values that could not be read as a date
    examples: list[str] = field(default_factory=list)  # a few of those values, for messages
    warnings: list[str] = field(default_factory=list)
    out_of_range: int = 0  # dates read but outside 1678-2261, left undated
    out_of_range_examples: list[str] = field(default_factory=list)
    #: how numeric dates like 05/10/2015 were read: DAY_FIRST, MONTH_FIRST, or "" (none seen)
    order: str = ""
    order_evidence: str = ""
    #: per row: True where a date was read but lies outside 1678-2261 (so it is left undated)
    outside: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a date column: ``(dates as datetime64[ns] with NaT, precision category)``.

    Both results keep the index of ``values``. Unreadable or empty values give ``NaT`` and
    precision ``none``; they are never an error.
    """
    parsed = parse_dates_detailed(values)
    return parsed.dates, parsed.precision


def parse_dates_detailed(values: pd.Series) -> ParsedDates:
    """Like :func:`parse_dates`, also counting unreadable and out-of-range values."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        stamps = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return _from_timestamps(stamps, values)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _from_timestamps(values, values)

    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        # Lists, objects and other unhashable cells (JSON, Parquet) are not dates: one marker.
        codes, uniques = pd.factorize(values.map(_hashable), use_na_sentinel=True)
    if values.dtype == object:
        uniques = pd.Index(uniques.map(_hashable), dtype=object)  # bytes and arrays, too
    uniques_obj = np.asarray(uniques, dtype=object)
    result = _parse_uniques(uniques_obj)
    u_dates, u_prec = result.dates, result.precision
    in_range = (u_dates >= _NS_MIN) & (u_dates < _NS_MAX)
    outside = ~np.isnat(u_dates) & ~in_range
    u_dates = np.where(outside, _NAT, u_dates)
    u_prec = np.where(outside, np.int8(_NONE), u_prec).astype(np.int8)
    u_dates = np.append(u_dates, _NAT)
    u_prec = np.append(u_prec, np.int8(_NONE))
    # factorize marks missing values with -1, which indexes the appended NaT / "none" slot.
    dates = pd.Series(u_dates[codes].astype("datetime64[ns]"), index=values.index, name=values.name)
    precision = pd.Series(
        pd.Categorical.from_codes(u_prec[codes], dtype=PRECISION_DTYPE),
        index=values.index,
        name="date_precision",
    )

    present = codes >= 0
    failed_unique = np.isnat(u_dates[:-1]) & ~outside & ~_blank(uniques_obj)
    failed_rows = failed_unique[codes[present]] if len(codes) else np.array([], dtype=bool)
    outside_rows = outside[codes[present]] if len(codes) else np.array([], dtype=bool)
    examples = [_as_text(v) for v in uniques_obj[failed_unique][:3]]
    outside_examples = [_as_text(v) for v in uniques_obj[outside][:3]]
    return ParsedDates(
        dates,
        precision,
        int(failed_rows.sum()),
        examples,
        result.warnings,
        int(outside_rows.sum()),
        outside_examples,
        result.order,
        result.order_evidence,
        np.append(outside, False)[codes],
    )


@dataclass
class _Uniques:
    dates: np.ndarray  # datetime64[us], NaT when unreadable
    precision: np.ndarray  # int8 codes
    warnings: list[str]
    order: str = ""
    order_evidence: str = ""


_NOT_A_DATE = "\x00not-a-date"  # the marker for list/object cells; never parses


def _hashable(value: object) -> object:
    if isinstance(value, (list, tuple, dict, set, np.ndarray, bytes, bytearray)):
        return _NOT_A_DATE
    return value


def _from_timestamps(stamps: pd.Series, original: pd.Series) -> ParsedDates:
    """A column that already holds timestamps: day precision, out-of-range ones undated."""
    micro = stamps.to_numpy(dtype="datetime64[us]") if len(stamps) else np.array([], "M8[us]")
    outside = ~np.isnat(micro) & ((micro < _NS_MIN) | (micro >= _NS_MAX))
    micro = np.where(outside, _NAT, micro)
    codes = np.where(np.isnat(micro), _NONE, _DAY).astype(np.int8)
    precision = pd.Series(
        pd.Categorical.from_codes(codes, dtype=PRECISION_DTYPE),
        index=stamps.index,
        name="date_precision",
    )
    dates = pd.Series(micro.astype("datetime64[ns]"), index=stamps.index, name=stamps.name)
    examples = [str(v) for v in original[outside].astype(str).unique()[:3]]
    return ParsedDates(dates, precision, 0, [], [], int(outside.sum()), examples, outside=outside)


def _blank(uniques: np.ndarray) -> np.ndarray:
    """True for distinct values that are empty after stripping (undated, not unreadable)."""
    as_text = pd.Series(uniques, dtype=object).map(_as_text)
    return (as_text.str.len() == 0).to_numpy()


def _as_text(value: object) -> str:
    if isinstance(value, str) and value == _NOT_A_DATE:
        return "(a list or object, not a date)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel and JSON turn year columns into floats: 2015.0
    return str(value).strip()


def zone_offsets() -> dict[str, int]:
    """``{abbreviation: offset from UTC in seconds}`` from ``data/timezones.csv``.

    Only abbreviations that mean one zone are listed; an ambiguous one (CST, IST, BST) leaves
    the date unreadable rather than guessed.
    """
    return _read_zones()[0]


def _tzinfos() -> dict[str, dt.tzinfo]:
    """The zone names of ``data/timezones.csv`` as dateutil ``tzinfos``."""
    return _read_zones()[1]


@reference_reader("timezones.csv", fallback=True)
def _read_zones(path: Path) -> tuple[dict[str, int], dict[str, dt.tzinfo]]:
    """The file's offsets in seconds, and the same as dateutil ``tzinfos``."""
    table: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            offset = row["utc_offset"].strip()
            sign = -1 if offset.startswith("-") else 1
            hours, minutes = offset.lstrip("+-").split(":")
            seconds = int(hours) * 3600 + int(minutes) * 60
            table[row["abbreviation"].strip().upper()] = sign * seconds
    return table, {name: dateutil_tz.tzoffset(name, sec) for name, sec in table.items()}


def _parse_uniques(uniques: np.ndarray) -> _Uniques:
    """Parse distinct values into ``datetime64[us]`` with precision codes."""
    n = len(uniques)
    out = np.full(n, _NAT, dtype="datetime64[us]")
    prec = np.full(n, _NONE, dtype=np.int8)
    warnings: list[str] = []
    result = _Uniques(out, prec, warnings)
    if n == 0:
        return result

    # Excel cells and Python objects that already are dates need no parsing.
    is_stamp = np.fromiter(
        (isinstance(v, (dt.date, np.datetime64)) for v in uniques), dtype=bool, count=n
    )
    for i in np.flatnonzero(is_stamp):
        out[i] = _stamp_to_us(uniques[i])
        prec[i] = _NONE if np.isnat(out[i]) else _DAY

    text = pd.Series(uniques, dtype=object).map(_as_text).astype(str)
    not_a_date = np.fromiter((v is _NOT_A_DATE for v in uniques), dtype=bool, count=n)
    todo = ~is_stamp & ~not_a_date & (text.str.len() > 0).to_numpy()

    def fill(mask: np.ndarray, parsed: np.ndarray, level: int) -> None:
        # A value of one of the known shapes that does not make a real date ("2015-13-01") is
        # unreadable: dateutil would only guess it into another date.
        idx = np.flatnonzero(mask)
        ok = ~np.isnat(parsed)
        out[idx[ok]] = parsed[ok]
        prec[idx[ok]] = level
        todo[idx] = False

    def match(pattern: str) -> np.ndarray:
        return todo & text.str.match(pattern).to_numpy()

    def parts(mask: np.ndarray, pattern: str) -> pd.DataFrame:
        return text[mask].str.extract(pattern)

    m = match(_ISO_DAY)
    if m.any():
        p = parts(m, _ISO_DAY)
        fill(m, _assemble(p[0], p[1], p[2]), _DAY)
    m = match(_ISO_TIME)
    if m.any():
        p = parts(m, _ISO_TIME)
        day = _assemble(p[0], p[1], p[2])
        seconds = _clock(p[3], p[4], p[5].fillna("0"))
        offset = p[6].fillna("Z").map(_offset_seconds).to_numpy(dtype=np.int64)
        fill(m, _shift(day, seconds - offset), _DAY)
    m = match(_ISO_ZONE_NAME)
    if m.any():
        p = parts(m, _ISO_ZONE_NAME)
        zones = zone_offsets()
        known = p[1].str.upper().isin(list(zones)).to_numpy()
        stamps = np.full(int(m.sum()), _NAT, dtype="datetime64[us]")
        if known.any():
            inner = p[0][known].str.extract(_ISO_TIME)
            day = _assemble(inner[0], inner[1], inner[2])
            seconds = _clock(inner[3], inner[4], inner[5].fillna("0"))
            offset = p[1][known].str.upper().map(zones).to_numpy(dtype=np.int64)
            stamps[known] = _shift(day, seconds - offset)
        fill(m, stamps, _DAY)
    m = match(_COMPACT)
    if m.any():
        p = parts(m, _COMPACT)
        fill(m, _assemble(p[0], p[1], p[2]), _DAY)
    m = match(_YMD)
    if m.any():
        p = parts(m, _YMD)
        fill(m, _assemble(p[0], p[1], p[2]), _DAY)
    m = match(_YM)
    if m.any():
        p = parts(m, _YM)
        fill(m, _assemble(p[0], p[1], 1), _MONTH)
    m = match(_YEAR_RE)
    if m.any():
        fill(m, _assemble(text[m], 1, 1), _YEAR)
    m = match(_EPOCH)
    if m.any():
        digits = text[m].astype("int64").to_numpy()
        seconds = np.where(text[m].str.len().to_numpy() == 13, digits // 1000, digits)
        fill(m, seconds.astype("datetime64[s]").astype("datetime64[us]"), _DAY)

    dayfirst = True
    m = match(_NUMERIC_DMY)
    if m.any():
        p = parts(m, _NUMERIC_DMY).astype(int)
        first, second, year = p[0], p[1], p[2]
        says_dmy, says_mdy = first > 12, second > 12
        # Decide for the whole column: one "10/15/2015" means the file writes month first.
        dayfirst = not (says_mdy.any() and not says_dmy.any())
        as_dmy = says_dmy | (dayfirst & ~says_mdy)
        day = first.where(as_dmy, second)
        month = second.where(as_dmy, first)
        fill(m, _assemble(year, month, day), _DAY)
        result.order = DAY_FIRST if dayfirst else MONTH_FIRST
        if dayfirst and says_dmy.any():
            evidence = f"e.g. '{text[m][says_dmy.to_numpy()].iloc[0]}'"
        elif not dayfirst:
            evidence = f"e.g. '{text[m][says_mdy.to_numpy()].iloc[0]}'"
        else:
            evidence = "no value has a month above 12 in second place"
        result.order_evidence = evidence
        ambiguous = ~says_dmy & ~says_mdy & (first != second)
        if ambiguous.any():
            example = text[m][ambiguous.to_numpy()].iloc[0]
            warnings.append(
                f"dates such as '{example}' ({int(ambiguous.sum()):,} distinct values) could be "
                f"day/month or month/day; read as {result.order} ({evidence})"
            )

    m = match(_D_MON_Y)
    if m.any():
        p = parts(m, _D_MON_Y)
        fill(m, _assemble(p[2], _month_number(p[1]), p[0]), _DAY)
    m = match(_MON_D_Y)
    if m.any():
        p = parts(m, _MON_D_Y)
        fill(m, _assemble(p[2], _month_number(p[0]), p[1]), _DAY)
    m = match(_MON_Y)
    if m.any():
        p = parts(m, _MON_Y)
        fill(m, _assemble(p[1], _month_number(p[0]), 1), _MONTH)

    iso_start = text.str.match(_ISO_START).to_numpy()
    for i in np.flatnonzero(todo):
        parsed = _parse_one(text.iat[i], dayfirst and not iso_start[i])
        if parsed is not None:
            out[i], prec[i] = parsed
    return result


def _stamp_to_us(value: object) -> np.datetime64:
    """A Python/numpy date or datetime as naive UTC ``datetime64[us]`` (NaT if unusable)."""
    try:
        if isinstance(value, np.datetime64):
            return value.astype("datetime64[us]")
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return np.datetime64(value, "us")
        if isinstance(value, dt.date):
            return np.datetime64(value, "D").astype("datetime64[us]")
    except (OverflowError, ValueError, TypeError):
        pass
    return _NAT


def _month_number(names: pd.Series) -> pd.Series:
    return names.str.lower().map(_MONTHS)


def _numbers(values: object, index: pd.Index) -> np.ndarray:
    """Parts as float (NaN when missing or not a number), aligned to ``index``."""
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return np.full(len(index), float(values))  # type: ignore[arg-type]


def _assemble(year: object, month: object, day: object) -> np.ndarray:
    """Dates from parts as ``datetime64[us]``; impossible ones (month 13, 31 June) are NaT.

    Pure numpy arithmetic on calendar units: any year 1-9999 works and nothing can raise.
    """
    index = next(v.index for v in (year, month, day) if isinstance(v, pd.Series))
    y, mo, d = (_numbers(v, index) for v in (year, month, day))
    valid = (
        ~np.isnan(y) & ~np.isnan(mo) & ~np.isnan(d)
        & (y >= 1) & (y <= 9999) & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31)
    )  # fmt: skip
    y, mo, d = (np.where(valid, v, 1).astype(np.int64) for v in (y, mo, d))
    months = (y - 1970) * 12 + (mo - 1)
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    days = first + (d - 1).astype("timedelta64[D]")
    # 31 June rolls into July: such a date does not exist.
    valid &= days.astype("datetime64[M]") == months.astype("datetime64[M]")
    return np.where(valid, days.astype("datetime64[us]"), _NAT)


def _clock(hours: pd.Series, minutes: pd.Series, seconds: pd.Series) -> np.ndarray:
    h, mi, s = (
        pd.to_numeric(v, errors="coerce").to_numpy(dtype=float) for v in (hours, minutes, seconds)
    )
    bad = (h > 24) | (mi > 59) | (s > 60)
    total = np.where(bad, np.nan, h * 3600 + mi * 60 + s)
    return total


def _shift(day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """``day`` plus ``seconds`` (NaN seconds make NaT)."""
    bad = np.isnan(seconds) | np.isnat(day)
    delta = np.where(bad, 0, seconds).astype(np.int64).astype("timedelta64[s]")
    return np.where(bad, _NAT, day + delta)


def _offset_seconds(zone: str) -> int:
    if zone == "Z":
        return 0
    sign = -1 if zone.startswith("-") else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)


def _parse_one(value: str, dayfirst: bool) -> tuple[np.datetime64, int] | None:
    """dateutil for the odd shapes left over; ``None`` when the value is not a date."""
    zones = _tzinfos()
    try:
        with py_warnings.catch_warnings():
            # A zone name we do not know would otherwise be dropped with only a warning.
            py_warnings.simplefilter("error", dateutil_parser.UnknownTimezoneWarning)
            a = dateutil_parser.parse(value, default=_DEFAULT_A, dayfirst=dayfirst, tzinfos=zones)
            b = dateutil_parser.parse(value, default=_DEFAULT_B, dayfirst=dayfirst, tzinfos=zones)
    except (ValueError, OverflowError, TypeError, dateutil_parser.UnknownTimezoneWarning):
        return None
    if a.year != b.year:
        return None  # "15 October" without a year: do not invent one
    if a.month != b.month:
        level = _YEAR
    elif a.day != b.day:
        level = _MONTH
    else:
        level = _DAY
    if level != _DAY:
        return np.datetime64(dt.date(a.year, 1 if level == _YEAR else a.month, 1), "us"), level
    stamp = _stamp_to_us(a)
    return None if np.isnat(stamp) else (stamp, level)  # type: ignore[return-value]


# --- formatting at a precision ----------------------------------------------------------------

#: What :func:`format_at` can write: ``iso`` for files, keys and file names ("2015-06-01",
#: "2015-06", "2015"), ``key`` like ``iso`` but keeping a day's time of day when it has one
#: ("2015-06-01T10:30:00", a statement's identity), ``label`` for people ("1 Jun 2015",
#: "Jun 2015", "2015", "2015 Q2", "week of 1 Jun 2015").
STYLES: tuple[str, ...] = ("iso", "key", "label")
#: The precisions :func:`format_at` knows: a date's own (``PRECISIONS``) and a period's
#: granularity (``week``, ``quarter``); ``none`` means undated.
FORMAT_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "none")
_F_CODE = {name: code for code, name in enumerate(FORMAT_PRECISIONS)}
_F_NONE = _F_CODE["none"]
_F_SLOTS = 8  # precision codes packed into the key as ``micros * 8 + code``
_UNDATED_LABEL = "undated"
_MONTH_ABBR = np.array(
    ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    dtype=object,
)

DateValues = pd.Series | pd.DatetimeIndex | np.ndarray
Scalar = pd.Timestamp | dt.date | np.datetime64 | None


@overload
def format_at(values: DateValues, precision: str | pd.Series, style: str = ...) -> pd.Series: ...
@overload
def format_at(values: Scalar, precision: str | pd.Series, style: str = ...) -> str: ...
def format_at(
    values: DateValues | Scalar, precision: str | pd.Series, style: str = "iso"
) -> pd.Series | str:
    """Dates written as far as they are known: ``2015-10`` for a month, never an invented day.

    ``values`` is a datetime Series, ``DatetimeIndex`` or array (any unit, NaT for undated), or
    one date; ``precision`` is one name of ``FORMAT_PRECISIONS`` for all values or a per-row
    Series of them (missing means ``day``). ``style`` is one of ``STYLES``. Undated values (NaT
    or precision ``none``) are missing in ``iso`` and ``key`` (so CSV and JSON write null) and
    ``"undated"`` in ``label``. An array gives a ``str`` Series (a Series keeps its index); one
    date gives a ``str`` (``""`` when undated in ``iso``/``key``).

    Each distinct (date, precision) pair is formatted once, with numpy, so a million rows cost a
    factorize and a take.
    """
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, got {style!r}")
    if values is None or np.ndim(values) == 0:
        # One date (a caption, a metric): straight to the formatter, no factorize or Arrow.
        stamp = pd.Timestamp(values) if values is not None else pd.NaT
        if stamp is not pd.NaT and stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        micros = np.array([stamp.to_datetime64()], dtype="datetime64[us]")
        codes = _precision_codes(precision, 1)
        undated = np.isnat(micros) | (codes == _F_NONE)
        text = _format_uniques(micros, codes, undated, style)[0]
        return "" if text is None else str(text)
    index = values.index if isinstance(values, pd.Series) else pd.RangeIndex(len(values))
    micros = _micros(values)
    codes = _precision_codes(precision, len(micros))
    undated = np.isnat(micros) | (codes == _F_NONE)
    keys = np.where(undated, _F_NONE, micros.view(np.int64) * _F_SLOTS + codes)
    rows, uniques = pd.factorize(keys)
    u_micros = (uniques // _F_SLOTS).astype("datetime64[us]")
    u_codes = uniques % _F_SLOTS
    text = _format_uniques(u_micros, u_codes, np.asarray(uniques == _F_NONE), style)
    taken = pa.array(text, type=pa.large_string()).take(pa.array(rows))
    return pd.Series(taken, index=index, dtype="str", name=getattr(values, "name", None))


def _micros(values: DateValues) -> np.ndarray:
    """``datetime64[us]`` wall times: a zoned value keeps its own clock, not UTC's."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    elif isinstance(values, pd.DatetimeIndex) and values.tz is not None:
        values = values.tz_localize(None)
    return np.asarray(values, dtype="datetime64[us]")


def _precision_codes(precision: str | pd.Series, n: int) -> np.ndarray:
    """Per-row codes into ``FORMAT_PRECISIONS`` (missing precision means ``day``)."""
    if isinstance(precision, str):
        if precision not in _F_CODE:
            raise ValueError(f"precision must be one of {FORMAT_PRECISIONS}, got {precision!r}")
        return np.full(n, _F_CODE[precision], dtype=np.int64)
    cat = pd.Categorical(precision)
    unknown = set(map(str, cat.categories)) - set(_F_CODE)
    if unknown:
        raise ValueError(f"precision must be one of {FORMAT_PRECISIONS}, got {sorted(unknown)}")
    lookup = np.array([_F_CODE[str(c)] for c in cat.categories] + [_F_CODE["day"]], np.int64)
    return lookup[cat.codes]  # code -1 (missing) picks the appended "day"


def quarter_of(stamps: np.ndarray) -> np.ndarray:
    """1-4: the quarter of the year of each ``datetime64`` value."""
    months = stamps.astype("datetime64[M]") - stamps.astype("datetime64[Y]")
    return months.astype(np.int64) // 3 + 1


def _format_uniques(
    stamps: np.ndarray, codes: np.ndarray, undated: np.ndarray, style: str
) -> np.ndarray:
    """The text of each distinct (date, precision), ``None`` or "undated" where undated."""
    out = np.full(len(stamps), _UNDATED_LABEL if style == "label" else None, dtype=object)
    if not len(stamps) or undated.all():
        return out
    iso_day = np.datetime_as_string(stamps, unit="D")  # "2015-06-01": cut short below
    day, year = iso_day.astype(object), iso_day.astype("U4").astype(object)
    if style == "label":
        months = stamps.astype("datetime64[M]")
        month = _MONTH_ABBR[(months - stamps.astype("datetime64[Y]")).astype(np.int64) + 1]
        dom = (stamps.astype("datetime64[D]") - months).astype(np.int64) + 1
        quarter = quarter_of(stamps)
        day_label = dom.astype(str).astype(object) + " " + month + " " + year
        text = {
            "day": day_label,
            "week": "week of " + day_label,
            "month": month + " " + year,
            "quarter": year + " Q" + quarter.astype(str).astype(object),
            "year": year,
        }
    else:
        month_text = iso_day.astype("U7").astype(object)
        day_text = day
        if style == "key":
            timed = stamps != stamps.astype("datetime64[D]")
            if timed.any():
                day_text = np.where(timed, np.datetime_as_string(stamps, unit="s"), day)
        quarter_text = year + "-Q" + quarter_of(stamps).astype(str).astype(object)
        text = {"day": day_text, "week": day, "month": month_text, "quarter": quarter_text}
        text["year"] = year
    for name, strings in text.items():
        rows = (codes == _F_CODE[name]) & ~undated
        out[rows] = strings[rows]
    return out
