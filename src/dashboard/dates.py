"""Vectorised date parsing with an honest precision: ``day``, ``month``, ``year`` or ``none``.

Owns turning whatever a dataset has in its date column (ISO strings, timestamps with a zone,
"2015-10", "October 2015", "15th October 2015", "15/10/2015", Excel datetime cells, Parquet
timestamps) into a ``datetime64[ns]`` column plus a ``date_precision`` category. A date is never
made more precise than its source: "2015-10" becomes 1 October 2015 with precision ``month``.
Real data repeats the same date strings many times, so each distinct value is parsed once; common
shapes go through regex masks and ``pd.to_datetime`` with explicit formats, and only the leftovers
reach ``dateutil``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from dateutil import parser as dateutil_parser

PRECISIONS: tuple[str, ...] = ("day", "month", "year", "none")
PRECISION_DTYPE = pd.CategoricalDtype(list(PRECISIONS), ordered=False)

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
_ISO_TIME = r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
_YMD = r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"
_YM = r"^(\d{4})[-/.](\d{1,2})$"
_YEAR_RE = r"^(\d{4})$"
_NUMERIC_DMY = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"
_D_MON_Y = rf"^(\d{{1,2}}){_ORD}\s+(?:of\s+)?([A-Za-z]+)\.?,?\s+(\d{{4}})$"
_MON_D_Y = rf"^([A-Za-z]+)\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})$"
_MON_Y = r"^([A-Za-z]+)\.?,?\s+(\d{4})$"
_EPOCH = r"^(\d{10}|\d{13})$"

# Two defaults that differ in every field: whatever dateutil fills from the default differs
# between the two parses, which tells us the string did not contain that field.
_DEFAULT_A = dt.datetime(2001, 1, 1)
_DEFAULT_B = dt.datetime(2002, 2, 2)


@dataclass
class ParsedDates:
    """The result of :func:`parse_dates_detailed`: dates, precisions and what went wrong."""

    dates: pd.Series
    precision: pd.Series
    unparsed: int = 0  # non-empty values that could not be read as a date
    examples: list[str] = field(default_factory=list)  # a few of those values, for messages
    warnings: list[str] = field(default_factory=list)


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a date column: ``(dates as datetime64[ns] with NaT, precision category)``.

    Both results keep the index of ``values``. Unreadable or empty values give ``NaT`` and
    precision ``none``; they are never an error.
    """
    parsed = parse_dates_detailed(values)
    return parsed.dates, parsed.precision


def parse_dates_detailed(values: pd.Series) -> ParsedDates:
    """Like :func:`parse_dates`, also counting unreadable values and noting ambiguous ones."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        dates = values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]")
        return _from_timestamps(dates)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _from_timestamps(values.astype("datetime64[ns]"))

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    u_dates, u_prec, warnings = _parse_uniques(np.asarray(uniques, dtype=object))
    u_dates = np.append(u_dates, np.datetime64("NaT", "ns"))
    u_prec = np.append(u_prec, np.int8(_NONE))
    # factorize marks missing values with -1, which indexes the appended NaT / "none" slot.
    dates = pd.Series(u_dates[codes], index=values.index, dtype="datetime64[ns]", name=values.name)
    prec_codes = u_prec[codes]
    precision = pd.Series(
        pd.Categorical.from_codes(prec_codes, dtype=PRECISION_DTYPE),
        index=values.index,
        name="date_precision",
    )

    failed_unique = np.isnat(u_dates[:-1]) & ~_blank(uniques)
    failed_rows = failed_unique[codes[codes >= 0]] if len(codes) else np.array([], dtype=bool)
    examples = [str(v) for v in np.asarray(uniques, dtype=object)[failed_unique][:3]]
    return ParsedDates(dates, precision, int(failed_rows.sum()), examples, warnings)


def _from_timestamps(dates: pd.Series) -> ParsedDates:
    codes = np.where(dates.isna().to_numpy(), _NONE, _DAY).astype(np.int8)
    precision = pd.Series(
        pd.Categorical.from_codes(codes, dtype=PRECISION_DTYPE),
        index=dates.index,
        name="date_precision",
    )
    return ParsedDates(dates, precision)


def _blank(uniques: object) -> np.ndarray:
    """True for distinct values that are empty after stripping (undated, not unreadable)."""
    as_text = pd.Series(np.asarray(uniques, dtype=object)).map(_as_text)
    return (as_text.str.len() == 0).to_numpy()


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel and JSON turn year columns into floats: 2015.0
    return str(value).strip()


def _parse_uniques(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Parse distinct values: returns ``(datetime64[ns] array, precision codes, warnings)``."""
    n = len(uniques)
    out = np.full(n, np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    prec = np.full(n, _NONE, dtype=np.int8)
    warnings: list[str] = []
    if n == 0:
        return out, prec, warnings

    # Excel cells and Python objects that already are dates need no parsing.
    is_stamp = np.fromiter(
        (isinstance(v, (dt.date, np.datetime64)) for v in uniques), dtype=bool, count=n
    )
    if is_stamp.any():
        stamps = pd.to_datetime(pd.Series(uniques[is_stamp]), utc=True, errors="coerce")
        out[is_stamp] = stamps.dt.tz_localize(None).astype("datetime64[ns]").to_numpy()
        prec[is_stamp] = np.where(np.isnat(out[is_stamp]), _NONE, _DAY)

    text = pd.Series(uniques).map(_as_text).astype(str)
    todo = ~is_stamp & (text.str.len() > 0).to_numpy()

    def fill(mask: np.ndarray, parsed: pd.Series, level: int) -> None:
        values = parsed.to_numpy(dtype="datetime64[ns]")
        ok = ~np.isnat(values)
        idx = np.flatnonzero(mask)[ok]
        out[idx] = values[ok]
        prec[idx] = level
        todo[idx] = False

    def match(pattern: str) -> np.ndarray:
        return todo & text.str.match(pattern).to_numpy()

    m = match(_ISO_DAY)
    if m.any():
        fill(m, pd.to_datetime(text[m], format="%Y-%m-%d", errors="coerce"), _DAY)
    m = match(_ISO_TIME)
    if m.any():
        stamps = pd.to_datetime(text[m], format="ISO8601", utc=True, errors="coerce")
        fill(m, stamps.dt.tz_localize(None), _DAY)
    m = match(_YMD)
    if m.any():
        parts = text[m].str.extract(_YMD).astype(int)
        fill(m, _assemble(parts[0], parts[1], parts[2]), _DAY)
    m = match(_YM)
    if m.any():
        parts = text[m].str.extract(_YM).astype(int)
        fill(m, _assemble(parts[0], parts[1], 1), _MONTH)
    m = match(_YEAR_RE)
    if m.any():
        fill(m, _assemble(text[m].astype(int), 1, 1), _YEAR)
    m = match(_EPOCH)
    if m.any():
        digits = text[m].astype("int64")
        seconds = np.where(text[m].str.len().to_numpy() == 13, digits // 1000, digits)
        fill(m, pd.to_datetime(pd.Series(seconds, index=digits.index), unit="s"), _DAY)

    dayfirst = True
    m = match(_NUMERIC_DMY)
    if m.any():
        parts = text[m].str.extract(_NUMERIC_DMY).astype(int)
        first, second, year = parts[0], parts[1], parts[2]
        says_dmy, says_mdy = first > 12, second > 12
        # Decide for the whole column: one "10/15/2015" means the file writes month first.
        dayfirst = not (says_mdy.any() and not says_dmy.any())
        day = first.where(says_dmy | (dayfirst & ~says_mdy), second)
        month = second.where(says_dmy | (dayfirst & ~says_mdy), first)
        fill(m, _assemble(year, month, day), _DAY)
        ambiguous = ~says_dmy & ~says_mdy & (first != second)
        if ambiguous.any():
            example = text[m][ambiguous.to_numpy()].iloc[0]
            order, evidence = (
                ("day/month/year", "no value has a month above 12 in second place")
                if dayfirst
                else ("month/day/year", f"e.g. '{text[m][says_mdy.to_numpy()].iloc[0]}'")
            )
            warnings.append(
                f"dates such as '{example}' ({int(ambiguous.sum()):,} distinct values) could be "
                f"day/month or month/day; read as {order} ({evidence})"
            )

    m = match(_D_MON_Y)
    if m.any():
        parts = text[m].str.extract(_D_MON_Y)
        fill(m, _assemble(parts[2], _month_number(parts[1]), parts[0]), _DAY)
    m = match(_MON_D_Y)
    if m.any():
        parts = text[m].str.extract(_MON_D_Y)
        fill(m, _assemble(parts[2], _month_number(parts[0]), parts[1]), _DAY)
    m = match(_MON_Y)
    if m.any():
        parts = text[m].str.extract(_MON_Y)
        fill(m, _assemble(parts[1], _month_number(parts[0]), 1), _MONTH)

    for i in np.flatnonzero(todo):
        parsed = _parse_one(text.iat[i], dayfirst)
        if parsed is not None:
            out[i], prec[i] = parsed
    return out, prec, warnings


def _month_number(names: pd.Series) -> pd.Series:
    return names.str.lower().map(_MONTHS)


def _assemble(year: object, month: object, day: object) -> pd.Series:
    """Build dates from parts; impossible ones (month 13, 31 June) become NaT."""
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    parts = parts.apply(pd.to_numeric, errors="coerce")
    valid = parts.notna().all(axis=1)
    result = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if valid.any():
        built = pd.to_datetime(parts[valid].astype("int64"), errors="coerce")
        result[valid] = built.astype("datetime64[ns]")
    return result


def _parse_one(value: str, dayfirst: bool) -> tuple[np.datetime64, int] | None:
    """dateutil for the odd shapes left over; ``None`` when the value is not a date."""
    try:
        a = dateutil_parser.parse(value, default=_DEFAULT_A, dayfirst=dayfirst)
        b = dateutil_parser.parse(value, default=_DEFAULT_B, dayfirst=dayfirst)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.year != b.year:
        return None  # "15 October" without a year: do not invent one
    if a.month != b.month:
        level = _YEAR
    elif a.day != b.day:
        level = _MONTH
    else:
        level = _DAY
    stamp = pd.Timestamp(a)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if level != _DAY:
        stamp = pd.Timestamp(year=stamp.year, month=1 if level == _YEAR else stamp.month, day=1)
    try:
        return np.datetime64(stamp.as_unit("ns").to_datetime64(), "ns"), level
    except (OverflowError, ValueError):
        return None
