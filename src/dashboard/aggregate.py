"""Aggregations behind the analysis pages: small frames of counts, shares and co-mentions.

Every function takes the filtered frame (``View.df``: index = row positions in the dataset) and,
where a list column is involved, its exploded table (``View.long(col)``: ``row``/``value``), and
returns a small frame whose size depends on the number of periods, parties, countries or topics -
never on the number of statements - so figures built from it stay small. All work is vectorised
over category codes (``np.bincount``, ``groupby`` on integer keys); no Python loop runs per row.

Dates are placed honestly: a statement whose date is only known to the month is never spread over
days. At day or week granularity such statements keep their own ``placement`` ("month", at the
month start), and year-precision ones ("year", at 1 January) wherever the granularity is finer
than a year; figures draw them apart and pages say so in a caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.labels import LabelKind, label_ids, party_country
from dashboard.schema import ALL_GROUP, NONE_GROUP, OTHERS_GROUP

Granularity = Literal["day", "week", "month", "quarter", "year"]
Breakdown = Literal["none", "topic", "party", "country", "region", "continent"]

GRANULARITIES: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
BREAKDOWNS: tuple[str, ...] = ("none", "topic", "party", "country", "region", "continent")
# Breakdown -> (column of the frame, label kind). List columns come from View.long(column).
BREAKDOWN_COLUMNS: dict[str, tuple[str, LabelKind | None]] = {
    "topic": ("topics", "topic"),
    "party": ("parties", "party"),
    "country": ("party_countries", "country"),
    "region": ("region", None),
    "continent": ("continent", None),
}
LIST_BREAKDOWNS = frozenset({"topic", "party", "country"})

# Placement of a statement on the time axis at a given granularity.
EXACT, MONTH, YEAR = "exact", "month", "year"
PLACEMENTS: tuple[str, ...] = (EXACT, MONTH, YEAR)
# Finest date precision a granularity needs for a statement to sit exactly in one period.
_NEEDED_RANK = {"day": 0, "week": 0, "month": 1, "quarter": 1, "year": 2}
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_FREQ = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}


# --- helpers ----------------------------------------------------------------------------------


# Keys spanning a small range are counted with a dense table instead of a sort: O(n) instead of
# O(n log n). The limits keep the table's memory small: a bool per slot for distinct keys, an
# int64 per slot for counts, and never far more slots than keys.
DENSE_UNIQUE_SPAN = 1 << 25
DENSE_COUNT_SPAN = 1 << 22


def _dense_span(keys: np.ndarray, limit: int, per_key: int) -> tuple[int, int] | None:
    """(min, span) of ``keys`` when a dense table over them is cheap, else None."""
    if len(keys) == 0:
        return None
    low, high = int(keys.min()), int(keys.max())
    span = high - low + 1
    if span <= limit and span <= per_key * len(keys) + (1 << 16):
        return low, span
    return None


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted unique int64 values: a dense table when their span is small, else one sort
    (numpy 2.4's hash-based ``np.unique`` is ~10x slower on a few hundred thousand keys)."""
    dense = _dense_span(values, DENSE_UNIQUE_SPAN, 64)
    if dense is not None:
        low, span = dense
        seen = np.zeros(span, dtype=bool)
        seen[values - low] = True
        return np.flatnonzero(seen).astype(np.int64) + low
    values = np.sort(values)
    if len(values) == 0:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def count_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct int64 keys, how often each occurs): a ``bincount`` when the keys span a
    small range, else one sort."""
    dense = _dense_span(keys, DENSE_COUNT_SPAN, 16)
    if dense is not None:
        low, span = dense
        tally = np.bincount(keys - low, minlength=span)
        present = np.flatnonzero(tally)
        return present.astype(np.int64) + low, tally[present].astype(np.int64)
    keys = np.sort(keys)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(starts, len(keys)))
    return keys[starts], counts.astype(np.int64)


def row_positions(df: pd.DataFrame, rows: np.ndarray | pd.Series) -> np.ndarray:
    """Positions in ``df`` of dataset row numbers ``rows``; -1 for rows ``df`` does not hold.

    ``df`` is a filtered frame whose index holds dataset row positions, so an unrestricted long
    table also works: its rows outside the filter map to -1 and are dropped by callers.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        # Every row of the dataset (an unfiltered view): positions are the row numbers.
        return np.where(rows < len(df), rows, -1)
    index = df.index.to_numpy(dtype=np.int64)
    size = int(max(index.max(initial=-1), rows.max(initial=-1))) + 1
    lookup = np.full(size, -1, dtype=np.int64)
    lookup[index] = np.arange(len(index))
    return lookup[rows]


def _restrict(df: pd.DataFrame, long: pd.DataFrame) -> tuple[np.ndarray, pd.Categorical]:
    """(positions in ``df``, values) of the ``long`` entries that belong to ``df``'s rows."""
    pos = row_positions(df, long["row"].to_numpy())
    keep = pos >= 0
    values = long["value"]
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    if keep.all():  # a view's own long table: every entry is one of its rows
        return pos, cat
    return pos[keep], cat[keep]


def _dates_i8(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(day numbers since 1970 as int64, dated mask) of ``df``'s dates.

    A view's analysis frame carries them precomputed (``schema.DAY``); a plain frame's ``date``
    column is converted here.
    """
    if schema.DAY in df.columns:
        days = df[schema.DAY].to_numpy()
        return days, days != schema.UNDATED_DAY
    dates = df["date"].to_numpy().astype("datetime64[D]")
    dated = ~np.isnat(dates)
    return dates.astype(np.int64), dated


def _precision_rank(df: pd.DataFrame) -> np.ndarray:
    """0 day, 1 month, 2 year, 3 undated - per row (via category codes, not strings)."""
    if schema.PRECISION_RANK in df.columns:
        return df[schema.PRECISION_RANK].to_numpy()
    values = df["date_precision"]
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    ranks = np.array([_PRECISION_RANK.get(str(c), 3) for c in cat.categories] + [3], dtype=np.int8)
    rank = ranks[cat.codes]  # code -1 (missing) picks the trailing 3
    rank[~_dates_i8(df)[1]] = 3
    return rank


# Calendar floors go through a table over the days the data spans when it is at most this long
# (numpy's month and year conversions cost ~50 ms per million values; a gather costs ~3 ms).
FLOOR_TABLE_DAYS = 1 << 20


def floor_days(days: np.ndarray, unit: str) -> np.ndarray:
    """Start of the ``unit`` period (day/week/month/quarter/year) holding each day number."""
    if unit in ("month", "quarter", "year") and len(days) > 4096:
        low, high = int(days.min()), int(days.max())
        if high - low < FLOOR_TABLE_DAYS:
            table = _floor_calendar(np.arange(low, high + 1, dtype=np.int64), unit)
            return table[days - low]
    return _floor_calendar(days, unit)


def _floor_calendar(days: np.ndarray, unit: str) -> np.ndarray:
    d = days.astype("datetime64[D]")
    if unit == "day":
        return d
    if unit == "week":
        # 1970-01-01 was a Thursday; (days + 3) % 7 is 0 on Mondays.
        return d - ((days + 3) % 7).astype("timedelta64[D]")
    months = d.astype("datetime64[M]")
    if unit == "month":
        return months.astype("datetime64[D]")
    if unit == "quarter":
        m = months.astype(np.int64)
        return (m - m % 3).astype("datetime64[M]").astype("datetime64[D]")
    if unit == "year":
        return d.astype("datetime64[Y]").astype("datetime64[D]")
    raise ValueError(f"unknown granularity {unit!r}; choose one of {', '.join(GRANULARITIES)}")


def _needed_rank(granularity: Granularity) -> int:
    """The coarsest precision rank placed exactly at ``granularity`` (ValueError if unknown)."""
    if granularity not in _NEEDED_RANK:
        raise ValueError(
            f"unknown granularity {granularity!r}; choose one of {', '.join(GRANULARITIES)}"
        )
    return _NEEDED_RANK[granularity]


def _placement(df: pd.DataFrame, granularity: Granularity) -> np.ndarray:
    """Placement code per row: 0 exact, 1 at its month, 2 at its year, -1 undated."""
    needed = _needed_rank(granularity)
    rank = _precision_rank(df)
    placement = np.where(rank <= needed, 0, rank).astype(np.int8)
    placement[rank == 3] = -1
    return placement


def _place_days(df: pd.DataFrame, granularity: Granularity) -> tuple[np.ndarray, np.ndarray]:
    """Per row: (period start as int64 day number, placement code); undated rows get
    ``schema.UNDATED_DAY`` and code -1."""
    placement = _placement(df, granularity)
    days, dated = _dates_i8(df)
    undated = ~dated
    if not dated.any():
        return np.full(len(days), schema.UNDATED_DAY, dtype=np.int64), placement
    big = np.iinfo(np.int64).max
    low = int(np.min(days, where=dated, initial=big))
    high = int(np.max(days, where=dated, initial=schema.UNDATED_DAY))
    if high - low >= FLOOR_TABLE_DAYS:
        period = np.full(len(days), schema.UNDATED_DAY, dtype=np.int64)
        for code, unit in ((0, granularity), (1, "month"), (2, "year")):
            rows = placement == code
            if rows.any():
                period[rows] = _floor_calendar(days[rows], unit).astype(np.int64)
        return period, placement
    # One small calendar table per unit over the days present, then gathers over every row
    # (undated rows read day 0 of the table and are marked undated afterwards): no boolean
    # compression of the million-row arrays.
    calendar = np.arange(low, high + 1, dtype=np.int64)
    at = days - low
    np.putmask(at, undated, 0)
    period = _floor_calendar(calendar, granularity).astype(np.int64)[at]
    for code, unit in ((1, "month"), (2, "year")):
        if unit == granularity:
            continue
        coarse = np.flatnonzero(placement == code)
        if len(coarse):
            period[coarse] = _floor_calendar(calendar, unit).astype(np.int64)[at[coarse]]
    np.putmask(period, undated, schema.UNDATED_DAY)
    return period, placement


def place_in_periods(df: pd.DataFrame, granularity: Granularity) -> tuple[np.ndarray, np.ndarray]:
    """Per row: (period start as datetime64[ns], placement code: 0 exact, 1 month, 2 year, -1).

    A row whose date precision is coarser than the granularity needs is placed at the start of
    its own month (code 1) or year (code 2) instead of being spread over finer periods.
    """
    period, placement = _place_days(df, granularity)
    return period.astype("datetime64[D]").astype("datetime64[ns]"), placement


def placement_counts(df: pd.DataFrame, granularity: Granularity) -> dict[str, int]:
    """Statements per placement at ``granularity``: ``{"exact", "month", "year", "undated"}``."""
    counts = np.bincount(_placement(df, granularity) + 1, minlength=4)
    return {
        "undated": int(counts[0]),
        EXACT: int(counts[1]),
        MONTH: int(counts[2]),
        YEAR: int(counts[3]),
    }


@dataclass(frozen=True)
class _Groups:
    """Row -> group assignment for a breakdown: pairs of (position in df, group code)."""

    pos: np.ndarray
    code: np.ndarray
    ids: list[str]  # group id per code, ordered by total statements (special groups last)
    kind: LabelKind | None


def _groups(
    df: pd.DataFrame, breakdown: Breakdown, long: pd.DataFrame | None, top_n: int | None
) -> _Groups:
    n = len(df)
    if breakdown == "none":
        return _Groups(np.arange(n), np.zeros(n, dtype=np.int64), [ALL_GROUP], None)
    if breakdown not in BREAKDOWN_COLUMNS:
        raise ValueError(f"unknown breakdown {breakdown!r}; choose one of {', '.join(BREAKDOWNS)}")
    column, kind = BREAKDOWN_COLUMNS[breakdown]
    if breakdown in LIST_BREAKDOWNS:
        if long is None:
            raise ValueError(f"breakdown {breakdown!r} needs the exploded {column!r} table")
        pos, cat = _restrict(df, long)
        codes = cat.codes.astype(np.int64)
        categories = [str(c) for c in cat.categories]
        # Statements naming no value still count, as their own "(none)" group.
        has_value = np.zeros(n, dtype=bool)
        has_value[pos] = True
        missing = np.flatnonzero(~has_value)
        pos = np.concatenate([pos, missing])
        codes = np.concatenate([codes, np.full(len(missing), len(categories), dtype=np.int64)])
        categories.append(NONE_GROUP)
    else:
        values = df[column]
        cat = (
            values.array
            if isinstance(values.dtype, pd.CategoricalDtype)
            else pd.Categorical(values)
        )
        codes = cat.codes.astype(np.int64)
        categories = [str(c) if str(c) != "" else NONE_GROUP for c in cat.categories]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(categories), codes)
            categories.append(NONE_GROUP)
        pos = np.arange(n)

    totals = np.bincount(codes, minlength=len(categories))
    special = np.array([c == NONE_GROUP for c in categories])
    # Largest first; ties in id order so results are deterministic. The "(none)" group never
    # takes a top-N slot: it is always shown, after the named groups.
    order = np.lexsort((np.array(categories, dtype=object).astype(str), -totals))
    order = [i for i in order if totals[i] > 0 and not special[i]]
    keep = order if top_n is None else order[:top_n]
    rest = order if top_n is None else order[top_n:]
    new_code = np.full(len(categories), -1, dtype=np.int64)
    new_code[keep] = np.arange(len(keep))
    ids = [categories[i] for i in keep]
    if rest:
        new_code[rest] = len(ids)
        ids.append(OTHERS_GROUP)
    none_codes = [i for i in np.flatnonzero(special) if totals[i] > 0]
    if none_codes:
        new_code[none_codes] = len(ids)
        ids.append(NONE_GROUP)
    mapped = new_code[codes]
    ok = mapped >= 0
    if not ok.all():
        pos, mapped = pos[ok], mapped[ok]
    if top_n is not None and rest:
        # A statement counts once in "(others)" even if it names several of the rest.
        others = mapped == ids.index(OTHERS_GROUP)
        once = unique_sorted(pos[others])
        pos = np.concatenate([pos[~others], once])
        mapped = np.concatenate([mapped[~others], np.full(len(once), ids.index(OTHERS_GROUP))])
    return _Groups(pos, mapped, ids, kind)


# --- counts over time -------------------------------------------------------------------------


def _bar_keys(df: pd.DataFrame, granularity: Granularity, dated_only: bool = True) -> np.ndarray:
    """Per row, its bar: ``period * len(PLACEMENTS) + placement`` (-1 for an undated row, or
    undated rows left out when ``dated_only``)."""
    period, placement = _place_days(df, granularity)
    if dated_only:
        dated = placement >= 0
        return period[dated] * len(PLACEMENTS) + placement[dated]
    return np.where(placement >= 0, period * len(PLACEMENTS) + placement, -1)


def _bar_counts(df: pd.DataFrame, granularity: Granularity) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted bar keys as in ``_bar_keys``, statements per bar) without a per-row period:
    one ``bincount`` of (day, precision) over the days the data spans, then the calendar
    floors on that small table. None when the span is too long for a table."""
    needed = _needed_rank(granularity)
    days, dated = _dates_i8(df)
    rank = _precision_rank(df)
    counted = dated & (rank < 3)
    if not counted.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    low = int(np.min(days, where=counted, initial=np.iinfo(np.int64).max))
    high = int(np.max(days, where=counted, initial=np.iinfo(np.int64).min))
    span = high - low + 1
    if span >= FLOOR_TABLE_DAYS:
        return None
    # (day, rank) -> statements; rows not counted land in one extra slot, dropped.
    slot = (days - low) * 3 + rank
    np.putmask(slot, ~counted, span * 3)
    tally = np.bincount(slot, minlength=span * 3 + 1)[: span * 3].reshape(span, 3)
    calendar = np.arange(low, high + 1, dtype=np.int64)
    keys, counts = [], []
    for r in range(3):
        placement = 0 if r <= needed else r
        unit = granularity if placement == 0 else ("month", "year")[placement - 1]
        present = np.flatnonzero(tally[:, r])
        if len(present):
            period = _floor_calendar(calendar[present], unit).astype(np.int64)
            keys.append(period * len(PLACEMENTS) + placement)
            counts.append(tally[present, r])
    key, count = np.concatenate(keys), np.concatenate(counts)
    order = np.argsort(key, kind="stable")
    key, count = key[order], count[order]
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    return key[starts], np.add.reduceat(count, starts).astype(np.int64)


def count_by_period(
    df: pd.DataFrame,
    granularity: Granularity,
    *,
    breakdown: Breakdown = "none",
    long: pd.DataFrame | None = None,
    top_n: int | None = 8,
) -> pd.DataFrame:
    """Statements per period (and group), one row per (period, placement, group).

    Columns: ``period`` (datetime64, period start), ``placement`` ("exact", "month", "year"),
    ``group`` (id; ordered categorical, largest first, then "(others)" and "(none)"), ``label``,
    ``count`` and ``share`` (count over all groups' counts of the same period and placement, so
    shares sum to 1 per bar). A statement with several topics (or parties) counts once in each of
    its groups. Undated statements are left out (see ``placement_counts``).
    """
    if breakdown == "none":  # one group holding every row
        groups = _Groups(np.empty(0, np.int64), np.empty(0, np.int64), [ALL_GROUP], None)
        bars = _bar_counts(df, granularity)
        keys, counts = bars if bars is not None else count_keys(_bar_keys(df, granularity))
    else:
        groups = _groups(df, breakdown, long, top_n)
        # One int64 key per (period, placement, group), counted in one pass: the bar of each
        # row first (-1 undated), then one gather per entry.
        bar = _bar_keys(df, granularity, dated_only=False)[groups.pos]
        dated = bar >= 0
        keys, counts = count_keys(bar[dated] * len(groups.ids) + groups.code[dated])
    n_groups = len(groups.ids)
    group_code = keys % n_groups
    rest = keys // n_groups
    out = pd.DataFrame(
        {
            "period": (rest // len(PLACEMENTS)).astype("datetime64[D]").astype("datetime64[ns]"),
            "placement": pd.Categorical.from_codes(
                (rest % len(PLACEMENTS)).astype(np.int8), categories=list(PLACEMENTS)
            ),
            "group": group_code,
            "count": counts,
        }
    )
    labels = label_ids(groups.ids, groups.kind, groups=breakdown)
    out["label"] = pd.Series(labels.to_numpy(dtype=object)[out["group"].to_numpy()], dtype="str")
    out["group"] = pd.Categorical.from_codes(
        out["group"].to_numpy(), categories=groups.ids, ordered=True
    )
    # Keys are sorted, so each bar (period, placement) is one run of equal ``rest`` values.
    bar = np.cumsum(np.concatenate(([True], rest[1:] != rest[:-1]))[: len(rest)]) - 1
    totals = np.bincount(bar, weights=counts)[bar] if len(bar) else np.zeros(0)
    out["share"] = counts / np.where(totals > 0, totals, 1)
    return out[["period", "placement", "group", "label", "count", "share"]]


def auto_granularity(df: pd.DataFrame, finest: Granularity = "day") -> Granularity:
    """A granularity giving a readable number of bars for the dated span of ``df``.

    Up to ~4 months: days; up to 5 years: months; up to 25 years: quarters; beyond: years -
    never finer than ``finest``.
    """
    day_numbers, dated = _dates_i8(df)
    day_numbers = day_numbers[dated]
    days = int(day_numbers.max() - day_numbers.min()) if len(day_numbers) else 0
    if days <= 120:
        choice = "day"
    elif days <= 5 * 366:
        choice = "month"
    elif days <= 25 * 366:
        choice = "quarter"
    else:
        choice = "year"
    return GRANULARITIES[max(GRANULARITIES.index(choice), GRANULARITIES.index(finest))]  # type: ignore[return-value]


def period_end(start: pd.Timestamp, granularity: Granularity) -> pd.Timestamp:
    """The last day of the period starting at ``start`` (a week ends on Sunday)."""
    start = pd.Timestamp(start)
    if granularity == "day":
        return start
    if granularity == "week":
        return start + pd.Timedelta(days=6)
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    return start + pd.DateOffset(months=months) - pd.Timedelta(days=1)


def period_range(
    start: pd.Timestamp, end: pd.Timestamp, granularity: Granularity
) -> pd.DatetimeIndex:
    """Every period start from ``start`` to ``end`` at ``granularity`` (both already floored)."""
    return pd.date_range(start, end, freq=_FREQ[granularity])


def rolling_mean(df: pd.DataFrame, granularity: Granularity, window: int) -> pd.DataFrame:
    """Trailing mean of statements per period over ``window`` periods (``period``, ``mean``).

    Only exactly placed statements count (month-precision ones are not spread over days), and
    periods without statements count as zero, so the mean is over calendar time. The first
    ``window - 1`` periods have no mean (NaN): a shorter window would overstate early values.
    """
    if window < 1:
        raise ValueError(f"the rolling window must be at least 1 period, got {window}")
    period, placement = _place_days(df, granularity)
    exact = period[placement == 0]
    if len(exact) == 0:
        return pd.DataFrame({"period": pd.Series([], dtype="datetime64[ns]"), "mean": []})
    keys, tally = count_keys(exact)
    counts = pd.Series(tally, index=pd.DatetimeIndex(keys.astype("datetime64[D]")).as_unit("ns"))
    full = period_range(counts.index.min(), counts.index.max(), granularity)
    series = counts.reindex(full, fill_value=0).astype(float)
    mean = series.rolling(window, min_periods=window).mean()
    return pd.DataFrame({"period": full.to_numpy(), "mean": mean.to_numpy()})


def rows_in_period(
    df: pd.DataFrame,
    granularity: Granularity,
    period: str | pd.Timestamp,
    placement: str = EXACT,
    *,
    breakdown: Breakdown = "none",
    group: str = ALL_GROUP,
    long: pd.DataFrame | None = None,
    top_n: int | None = 8,
) -> pd.DataFrame:
    """The statements behind one bar of ``count_by_period`` (same arguments), newest first."""
    when = np.datetime64(pd.Timestamp(period).to_datetime64(), "ns")
    periods, placements = place_in_periods(df, granularity)
    code = PLACEMENTS.index(placement) if placement in PLACEMENTS else 0
    in_bar = (periods == when) & (placements == code)
    groups = _groups(df, breakdown, long, top_n)
    if group in groups.ids:
        member = np.zeros(len(df), dtype=bool)
        member[groups.pos[groups.code == groups.ids.index(group)]] = True
        in_bar &= member
    elif breakdown != "none":
        in_bar[:] = False
    return latest(df[in_bar], len(df))


# --- totals and rankings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The Overview page's headline numbers for the filtered statements."""

    statements: int
    parties: int
    countries: int
    first: pd.Timestamp | None
    first_precision: str
    last: pd.Timestamp | None
    last_precision: str
    undated: int


def headline(
    df: pd.DataFrame, long_parties: pd.DataFrame, long_countries: pd.DataFrame
) -> Headline:
    """Statements, distinct parties, distinct party home countries and the date span."""
    _, parties = _restrict(df, long_parties)
    _, countries = _restrict(df, long_countries)
    dates = df["date"]
    dated = dates.notna().to_numpy()
    first = last = None
    first_p = last_p = "none"
    if dated.any():
        values = dates.to_numpy()
        i_first = int(np.flatnonzero(dated)[np.argmin(values[dated])])
        i_last = int(np.flatnonzero(dated)[np.argmax(values[dated])])
        first, last = pd.Timestamp(values[i_first]), pd.Timestamp(values[i_last])
        first_p = str(df["date_precision"].iloc[i_first])
        last_p = str(df["date_precision"].iloc[i_last])
    return Headline(
        statements=len(df),
        parties=int(len(np.unique(parties.codes[parties.codes >= 0]))),
        countries=int(len(np.unique(countries.codes[countries.codes >= 0]))),
        first=first,
        first_precision=first_p,
        last=last,
        last_precision=last_p,
        undated=int((~dated).sum()),
    )


def _ranking(
    counts: np.ndarray, cat: pd.Categorical, kind: LabelKind | None, n: int | None, total: int
) -> pd.DataFrame:
    """The top ``n`` categories by ``counts`` (ties by id) as ``value``/``label``/``statements``/
    ``share`` (of ``total``)."""
    ids = np.array([str(c) for c in cat.categories], dtype=object)
    order = np.lexsort((ids.astype(str), -counts))
    order = order[counts[order] > 0]
    if n is not None:
        order = order[:n]
    values = ids[order].tolist()
    statements = counts[order].astype(np.int64)
    return pd.DataFrame(
        {
            "value": pd.Series(values, dtype="str"),
            "label": label_ids(values, kind, groups=""),
            "statements": statements,
            "share": statements / max(total, 1),
        }
    )


def top_values(
    df: pd.DataFrame, long: pd.DataFrame, kind: LabelKind | None, n: int | None = 10
) -> pd.DataFrame:
    """The ``n`` values named in most statements: ``value``, ``label``, ``statements``, ``share``.

    ``share`` is the share of the filtered statements naming the value (a statement may name
    several, so shares need not sum to 1). Ties are broken by id so the order is stable.
    """
    _, cat = _restrict(df, long)
    return _top_of(cat, kind, n, len(df))


def _top_of(cat: pd.Categorical, kind: LabelKind | None, n: int | None, total: int) -> pd.DataFrame:
    """``top_values`` of already restricted entries ``cat`` (``total`` statements)."""
    counts = np.bincount(cat.codes[cat.codes >= 0], minlength=len(cat.categories))
    return _ranking(counts, cat, kind, n, total)


def topic_shares(df: pd.DataFrame, long_topics: pd.DataFrame) -> pd.DataFrame:
    """Every topic's share of topic mentions (sums to 1) and of statements.

    Columns: ``value`` (topic id), ``label``, ``statements``, ``share`` (of all topic mentions,
    so the shares of all topics sum to 1), ``share_of_statements``.
    """
    table = top_values(df, long_topics, "topic", n=None)
    total = table["statements"].sum()
    table["share_of_statements"] = table["share"]
    table["share"] = table["statements"] / total if total else 0.0
    return table


def pairs_by_row(
    pos_a: np.ndarray, pos_b: np.ndarray, n_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) with ``pos_a[i] == pos_b[j]``: an inner join of two exploded tables on the
    statement, done with counts and offsets instead of a hash join."""
    order_b = np.argsort(pos_b, kind="stable")
    counts_b = np.bincount(pos_b, minlength=n_rows)
    starts_b = np.concatenate(([0], np.cumsum(counts_b)[:-1]))
    reps = counts_b[pos_a]
    ia = np.repeat(np.arange(len(pos_a)), reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    ib = order_b[np.repeat(starts_b[pos_a], reps) + within]
    return ia, ib


def _top_lookup(cat: pd.Categorical, top: pd.Series) -> np.ndarray:
    """Per category code (and a trailing slot for code -1): its position in ``top`` or -1
    (int8/int16, the narrowest that holds it: the per-entry take is then cheaper)."""
    lookup = pd.Index(top.astype(str)).get_indexer(cat.categories.astype(str))
    dtype = np.int8 if len(top) < 127 else np.int16 if len(top) < 32_000 else np.int64
    return np.append(lookup, -1).astype(dtype)


# Row values folded into one bit pattern per statement at a time: 2**12 patterns x the column
# values stay a small table for ``bincount``.
PATTERN_BITS = 12
# Below this many (statement, row value) cells, ``pair_counts`` uses a plain bool matrix.
SMALL_GRID_CELLS = 1 << 20


def pair_counts(
    n_rows: int,
    r_pos: np.ndarray,
    r_code: np.ndarray,
    nr: int,
    columns: Sequence[tuple[np.ndarray, np.ndarray, int]],
) -> list[np.ndarray]:
    """Per (``c_pos``, ``c_code``, ``nc``) of ``columns``, ``grid[i, j]``: statements (positions
    ``< n_rows``) with an entry of row value ``i`` in (``r_pos``, ``r_code``) and one of column
    value ``j``; entries with a code of -1 (a value not shown) are left out.

    No join of the exploded tables: each statement's row values become a bit pattern (up to
    ``PATTERN_BITS`` values at a time), made once for every column table; each column entry
    reads its statement's pattern, one ``bincount`` counts (pattern, column value) and a small
    matrix product spreads the patterns over their bits. A row value named twice in a
    statement counts once.
    """
    grids = [np.zeros((nr, nc), dtype=np.int64) for _, _, nc in columns]
    r_pos, r_code = np.asarray(r_pos), np.asarray(r_code)
    if not (nr and len(r_pos)):
        return grids
    if (r_pos[1:] < r_pos[:-1]).any():  # exploded tables come in row order; be safe otherwise
        order = np.argsort(r_pos, kind="stable")
        r_pos, r_code = r_pos[order], r_code[order]
    named = [np.asarray(c_code) >= 0 for _, c_code, _ in columns]
    cols = [
        (np.asarray(c_pos)[keep], np.asarray(c_code)[keep].astype(np.int64), nc)
        for (c_pos, c_code, nc), keep in zip(columns, named, strict=True)
    ]
    if n_rows * nr <= SMALL_GRID_CELLS:
        # A small view: which row values each statement names, as a bool matrix read once per
        # column entry - cheaper than the pattern tables' fixed size.
        shown = r_code >= 0
        names = np.zeros((n_rows, nr), dtype=bool)
        names[r_pos[shown], r_code[shown]] = True
        for grid, (c_pos, c_code, nc) in zip(grids, cols, strict=True):
            entry, r = np.nonzero(names[c_pos])
            grid[:] = np.bincount(r * nc + c_code[entry], minlength=nr * nc).reshape(nr, nc)
        return grids
    for low in range(0, nr, PATTERN_BITS):
        width = min(PATTERN_BITS, nr - low)
        part = r_code >= 0 if nr <= PATTERN_BITS else (r_code >= low) & (r_code < low + width)
        pos = r_pos[part]
        if not len(pos):
            continue
        bit_of = np.zeros(nr, dtype=np.int16)  # code -> its bit in this part's pattern
        bit_of[low : low + width] = np.left_shift(1, np.arange(width))
        starts = np.flatnonzero(np.concatenate(([True], pos[1:] != pos[:-1])))
        pattern = np.zeros(n_rows, dtype=np.int16)
        pattern[pos[starts]] = np.bitwise_or.reduceat(bit_of[r_code[part]], starts)
        bits = (np.arange(1 << width)[:, None] >> np.arange(width)) & 1
        for grid, (c_pos, c_code, nc) in zip(grids, cols, strict=True):
            if not nc:
                continue
            tally = np.bincount(
                pattern[c_pos].astype(np.int64) * nc + c_code, minlength=(1 << width) * nc
            ).reshape(1 << width, nc)
            grid[low : low + width] = bits.T @ tally
    return grids


def crosstab(
    df: pd.DataFrame,
    long_rows: pd.DataFrame,
    long_cols: pd.DataFrame,
    *,
    row_kind: LabelKind | None,
    col_kind: LabelKind | None,
    top_rows: int = 12,
    top_cols: int = 15,
) -> pd.DataFrame:
    """Statements naming both values, for the top values of two list columns (a heatmap).

    Long format, one row per (row value, column value) pair including zero cells: ``row``,
    ``row_label``, ``col``, ``col_label``, ``statements``. Row and column values are taken from
    the most frequent ``top_rows``/``top_cols`` ones in ``df``; those with no statement in the
    grid are dropped and the rest ordered by their total in the grid, most active first.
    """
    (table,) = crosstabs(
        df,
        long_rows,
        [(long_cols, col_kind)],
        row_kind=row_kind,
        top_rows=top_rows,
        top_cols=top_cols,
    )
    return table


def crosstabs(
    df: pd.DataFrame,
    long_rows: pd.DataFrame,
    columns: Sequence[tuple[pd.DataFrame, LabelKind | None]],
    *,
    row_kind: LabelKind | None,
    top_rows: int = 12,
    top_cols: int = 15,
) -> list[pd.DataFrame]:
    """``crosstab`` of the same row values against several list columns (``(long table, kind)``
    each), sharing the work on the rows."""
    r_pos, r_cat = _restrict(df, long_rows)
    top_r = _top_of(r_cat, row_kind, top_rows, len(df))
    # Category code -> position among the top values (-1 if not shown): a lookup per category,
    # then one take per entry, instead of hashing every entry's string.
    r_code = _top_lookup(r_cat, top_r["value"])[r_cat.codes]
    tops, entries = [], []
    for long_cols, col_kind in columns:
        c_pos, c_cat = _restrict(df, long_cols)
        top_c = _top_of(c_cat, col_kind, top_cols, len(df))
        tops.append(top_c)
        entries.append((c_pos, _top_lookup(c_cat, top_c["value"])[c_cat.codes], len(top_c)))
    grids = pair_counts(len(df), r_pos, r_code, len(top_r), entries)
    return [_grid_table(grid, top_r, top_c) for grid, top_c in zip(grids, tops, strict=True)]


def _grid_table(grid: np.ndarray, top_r: pd.DataFrame, top_c: pd.DataFrame) -> pd.DataFrame:
    """A crosstab's long table from its ``grid`` over ``top_r`` x ``top_c``."""
    # Rows and columns in the order of their activity *in the grid*, and none that is all
    # zero: a topic frequent overall but never with the parties shown only takes room.
    row_order = [i for i in np.argsort(-grid.sum(axis=1), kind="stable") if grid[i].sum() > 0]
    col_order = [j for j in np.argsort(-grid.sum(axis=0), kind="stable") if grid[:, j].sum() > 0]
    grid = grid[np.ix_(row_order, col_order)] if row_order and col_order else grid[:0, :0]
    rows = top_r.iloc[row_order] if row_order else top_r.iloc[:0]
    cols = top_c.iloc[col_order] if col_order else top_c.iloc[:0]
    nr, nc = len(rows), len(cols)
    return pd.DataFrame(
        {
            "row": pd.Series(np.repeat(rows["value"].to_numpy(), nc), dtype="str"),
            "row_label": pd.Series(np.repeat(rows["label"].to_numpy(), nc), dtype="str"),
            "col": pd.Series(np.tile(cols["value"].to_numpy(), nr), dtype="str"),
            "col_label": pd.Series(np.tile(cols["label"].to_numpy(), nr), dtype="str"),
            "statements": grid.reshape(-1).astype(np.int64),
        }
    )


# --- parties ----------------------------------------------------------------------------------


def co_mentions(df: pd.DataFrame, long_parties: pd.DataFrame) -> pd.DataFrame:
    """Pairs of parties named in the same statement: ``party``, ``other``, ``statements``.

    Symmetric (each pair appears in both directions with the same count) and without
    self-pairs; sorted by ``statements`` descending.
    """
    pos, cat = _restrict(df, long_parties)
    per_row = np.bincount(pos, minlength=len(df))
    multi = per_row[pos] >= 2
    codes = cat.codes[multi].astype(np.int64)
    ia, ib = pairs_by_row(pos[multi], pos[multi], len(df))
    a, b = codes[ia], codes[ib]
    other = a != b
    k = len(cat.categories)
    keys, counts = count_keys(a[other] * k + b[other])
    ids = np.array([str(c) for c in cat.categories], dtype=object)
    out = pd.DataFrame(
        {
            "party": pd.Series(ids[keys // k], dtype="str"),
            "other": pd.Series(ids[keys % k], dtype="str"),
            "statements": counts,
        }
    )
    return out.sort_values(
        ["statements", "party", "other"], ascending=[False, True, True], ignore_index=True
    )


def rows_with_value(df: pd.DataFrame, long: pd.DataFrame, value: str) -> np.ndarray:
    """Boolean mask over ``df``: rows whose list column (exploded as ``long``) holds ``value``."""
    pos, cat = _restrict(df, long)
    mask = np.zeros(len(df), dtype=bool)
    if value in cat.categories:
        mask[pos[cat.codes == cat.categories.get_loc(value)]] = True
    return mask


def co_mentioned_with(
    df: pd.DataFrame, long_parties: pd.DataFrame, party_id: str, n: int | None = 10
) -> pd.DataFrame:
    """Parties named together with ``party_id`` most often: ``value``, ``label``, ``statements``,
    ``share`` (of the party's statements)."""
    pos, cat = _restrict(df, long_parties)
    mask = np.zeros(len(df), dtype=bool)
    if party_id in cat.categories:
        self_code = cat.categories.get_loc(party_id)
        mask[pos[cat.codes == self_code]] = True
    else:
        self_code = -1
    # Counted straight from the exploded table: no sub-frame of the party's statements needed.
    codes = cat.codes[mask[pos]]
    codes = codes[(codes >= 0) & (codes != self_code)]
    counts = np.bincount(codes, minlength=len(cat.categories))
    return _ranking(counts, cat, "party", n, int(mask.sum()))


def latest(df: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` most recent statements, undated last; a day-precision statement sorts before a
    month-precision one of the same month start (it is known to be at least as late)."""
    if len(df) == 0 or n <= 0:
        return df.iloc[:0]
    # Full timestamps (a statement at 18:00 is later than one at 09:00 the same day), in the
    # column's own unit: NaT is the smallest int64 in every unit.
    dates = df["date"].to_numpy().view(np.int64)
    # NaT is the smallest int64; lift it one step so negating cannot overflow and undated rows
    # sort last in the descending order.
    dates = np.maximum(dates, np.iinfo(np.int64).min + 1)
    rank = _precision_rank(df).astype(np.int64)
    order = np.lexsort((rank, -dates))
    if n < len(df):
        order = order[:n]
    return df.iloc[order]


def party_summary(df: pd.DataFrame, long_parties: pd.DataFrame, party_id: str) -> dict[str, object]:
    """Home country (ISO-3, from the gazetteer) and statement count for one party."""
    return {
        "party": party_id,
        "home_country": party_country(party_id),
        "statements": int(rows_with_value(df, long_parties, party_id).sum()),
    }
