"""``Dataset``: the enriched frame, its list columns exploded once and its per-row arrays.

Built once per loaded file (the UI caches it with ``st.cache_resource``) and shared by every
viewer; never mutated. The frame holds no per-row Python objects (``schema.conform``): text as
Arrow strings, list columns as Arrow ``list<string>``. Filters and aggregations read the
``long`` tables (one ``row``/``value`` pair per list entry, the value a categorical) and the
date arrays in ``dates`` (day numbers, precision codes, and the rows in date order for
``searchsorted``), so selecting rows is array arithmetic and counting is ``bincount``.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import os
import threading
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import schema
from dashboard.errors import DatasetError
from dashboard.report import LoadReport

LIST_COLUMNS = schema.LIST_COLUMNS
ENRICHED_MARKERS = schema.ENRICHED_MARKERS
# Undated rows sort after every date in ``DateArrays.order``.
_UNDATED_DAY = np.iinfo(np.int64).max
_VERSIONS = itertools.count(1)
_MEMO_LOCK = threading.Lock()
T = TypeVar("T")


def codes_in(cat: pd.Categorical, values: Iterable[str]) -> np.ndarray:
    """Per entry of ``cat``: is its value one of ``values``? One lookup per category, then a
    take of the codes (missing entries, code -1, are False) - no string compared per row."""
    wanted = cat.categories.astype("str").get_indexer(list(values))
    hit = np.zeros(len(cat.categories) + 1, dtype=bool)
    hit[wanted[wanted >= 0]] = True
    return hit[cat.codes]


def explode_list_column(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Explode one list column into a ``row`` (int32 position) / ``value`` (category) frame.

    Straight from the Arrow list array: parent indices and a dictionary encoding, no Python
    loop over rows.
    """
    lists = schema.list_array(df[column])
    rows = pc.list_parent_indices(lists).to_numpy().astype(np.int32)
    values = pc.list_flatten(lists).dictionary_encode()
    return pd.DataFrame({"row": rows, "value": values.to_pandas()})


def _precision_rank(df: pd.DataFrame) -> np.ndarray:
    """0 day, 1 month, 2 year, 3 undated per row, from the precision column's category codes."""
    if schema.DATE_PRECISION not in df.columns:
        return np.where(df[schema.DATE].isna().to_numpy(), 3, 0).astype(np.int8)
    values = df[schema.DATE_PRECISION]
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    rank_of = np.array(
        [schema.PRECISIONS.index(c) if c in schema.PRECISIONS else 0 for c in cat.categories] + [3],
        dtype=np.int8,
    )
    return rank_of[cat.codes]  # code -1 (missing) picks the trailing 3


@dataclass(frozen=True)
class DateArrays:
    """Per-row date facts, computed once per dataset.

    ``start``/``end``: the first and last day (``datetime64[D]``) a statement can refer to (a
    month-precision statement spans its month), NaT when undated; ``rank``: 0 day, 1 month,
    2 year, 3 undated; ``order``: row positions sorted by ``start`` (undated last) and
    ``sorted_start`` the matching day numbers, so a date range is two ``searchsorted`` calls.
    """

    start: np.ndarray
    end: np.ndarray
    rank: np.ndarray
    order: np.ndarray
    sorted_start: np.ndarray
    longest_span: int  # days covered by the longest-spanning statement (a year: 365)

    @classmethod
    def build(cls, df: pd.DataFrame) -> DateArrays:
        n = len(df)
        if schema.DATE not in df.columns:
            nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
            rank = np.full(n, 3, dtype=np.int8)
        else:
            nat = None
            rank = _precision_rank(df)
        if nat is not None:
            start = end = nat
        else:
            start = df[schema.DATE].to_numpy().astype("datetime64[D]")
            undated = np.isnat(start) | (rank == 3)
            rank[undated] = 3
            start = start.copy()
            start[undated] = np.datetime64("NaT")
            month_end = (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
            year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
            end = np.where(rank == 1, month_end, start)
            end = np.where(rank == 2, year_end, end)
        days = start.astype(np.int64)
        days = np.where(np.isnat(start), _UNDATED_DAY, days)
        order = np.argsort(days, kind="stable")
        span = (end - start).astype(np.int64)
        dated = ~np.isnat(start)
        for arr in (start, end, rank, order):
            arr.flags.writeable = False
        return cls(
            start=start,
            end=end,
            rank=rank,
            order=order,
            sorted_start=days[order],
            longest_span=int(span[dated].max()) if dated.any() else 0,
        )

    def rows_overlapping(
        self, first: np.datetime64 | None, last: np.datetime64 | None
    ) -> np.ndarray:
        """Boolean mask: dated statements whose span overlaps ``[first, last]`` (days)."""
        n = len(self.start)
        lo = 0
        hi = int(np.searchsorted(self.sorted_start, _UNDATED_DAY, side="left"))
        if last is not None:
            hi = int(np.searchsorted(self.sorted_start, np.int64(last.astype(np.int64)), "right"))
        if first is not None:
            # A statement starting up to ``longest_span`` days earlier may still reach ``first``.
            earliest = np.int64(first.astype(np.int64)) - self.longest_span
            lo = int(np.searchsorted(self.sorted_start, earliest, side="left"))
        mask = np.zeros(n, dtype=bool)
        rows = self.order[lo:hi]
        if first is not None:
            rows = rows[self.end[rows] >= first]
        mask[rows] = True
        return mask


def _analysis_frame(df: pd.DataFrame, dates: DateArrays) -> pd.DataFrame:
    """The columns every filter and aggregation reads, plus the derived ``DAY``,
    ``PRECISION_RANK`` and ``YEAR``."""
    columns = [c for c in schema.ANALYSIS_COLUMNS if c in df.columns]
    out = df[columns].copy(deep=False)
    dated = ~np.isnat(dates.start)
    out[schema.DAY] = dates.start.view(np.int64)  # NaT is int64's minimum: UNDATED_DAY
    out[schema.PRECISION_RANK] = dates.rank
    years = dates.start.astype("datetime64[Y]").astype(np.int64) + 1970
    out[schema.YEAR] = np.where(dated, years, 0).astype(np.int32)
    return out


@dataclass(frozen=True, eq=False)
class Dataset:
    """An enriched statements frame (index ``0..n-1``), its exploded list columns and arrays.

    ``version`` is unique per built dataset in this process: caches key on it.
    """

    df: pd.DataFrame
    long: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    report: LoadReport | None = None
    source: str = ""
    version: int = field(default_factory=lambda: next(_VERSIONS))
    dates: DateArrays | None = None
    analysis: pd.DataFrame | None = None
    _memos: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False)
    _memo_locks: dict[Hashable, threading.Lock] = field(
        default_factory=dict, init=False, repr=False
    )

    @classmethod
    def from_enriched(
        cls, df: pd.DataFrame, report: LoadReport | None = None, source: str = ""
    ) -> Dataset:
        """Wrap an ``enrich`` result: conform its dtypes, explode each list column once."""
        df = schema.conform(df)
        long = {col: explode_list_column(df, col) for col in LIST_COLUMNS if col in df.columns}
        return cls(df=df, long=long, report=report, source=source)

    def __post_init__(self) -> None:
        # A Dataset built directly (not through from_enriched) still gets its arrays.
        if self.dates is None:
            object.__setattr__(self, "dates", DateArrays.build(self.df))
        if self.analysis is None:
            object.__setattr__(self, "analysis", _analysis_frame(self.df, self.dates))

    def __len__(self) -> int:
        return len(self.df)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` the first time ``key`` is asked for, then the same object for as long as
        the dataset lives: the one home of values derived from a dataset (its search index,
        option counts, the UI's per-dataset caches). Built once even when several sessions ask
        at the same time; the result is shared, so never mutate it."""
        try:
            return self._memos[key]
        except KeyError:
            pass
        with _MEMO_LOCK:
            lock = self._memo_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memos:
                self._memos[key] = build()
        return self._memos[key]

    @cached_property
    def everything(self) -> tuple[np.ndarray, np.ndarray]:
        """(all-True mask, every position): the unfiltered selection, built once, read-only."""
        mask = np.ones(len(self.df), dtype=bool)
        rows = np.arange(len(self.df), dtype=np.int64)
        mask.flags.writeable = False
        rows.flags.writeable = False
        return mask, rows

    def rows_with_any(self, column: str, values: Iterable[str]) -> np.ndarray:
        """Boolean mask over ``df``: rows whose list ``column`` holds any of ``values``."""
        long = self.long[column]
        hit = codes_in(long["value"].array, values)
        mask = np.zeros(len(self.df), dtype=bool)
        mask[long["row"].to_numpy()[hit]] = True
        return mask

    def rows(self, positions: np.ndarray | pd.Index | Iterable[int]) -> pd.DataFrame:
        """Full statements (every column) at ``positions``, index = those positions."""
        positions = np.asarray(positions, dtype=np.int64)
        return self.df.take(positions)


def _enriched_columns(path: Path) -> set[str]:
    """Column names of a Parquet or JSON Lines file, cheaply (schema / first line only)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return set(pq.read_schema(path).names)
        if suffix in {".jsonl", ".ndjson"}:
            with path.open(encoding="utf-8-sig") as fh:
                first = fh.readline()
            row = json.loads(first) if first.strip() else {}
            return set(row) if isinstance(row, dict) else set()
    except (OSError, ValueError, ImportError):
        return set()  # not readable as an enriched file: the normal loader will say why
    return set()


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a frame without Python objects: list columns stay Arrow lists."""
    # One chunk per column: a take (a page showing ten statements) from a chunked column makes
    # Arrow concatenate all its chunks first - hundreds of MB per call at a million statements.
    table = table.combine_chunks()
    lists = {name: table.column(name) for name in LIST_COLUMNS if name in table.column_names}
    rest = table.drop_columns(list(lists))
    df = rest.to_pandas()
    for name, values in lists.items():
        df[name] = schema.list_series(values, df.index)
    return df


def read_enriched(path: Path) -> pd.DataFrame:
    """Read a file written by ``dashboard enrich`` (.parquet or .jsonl) without re-enriching.

    Parquet goes straight from Arrow into the frame's dtypes (``schema.conform``); list columns
    are never turned into Python lists.
    """
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            df = arrow_to_frame(pq.read_table(path))
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError, pa.ArrowException) as err:
        raise DatasetError(
            f"could not read the enriched file ({err})",
            where=str(path),
            hint="Re-create it with `dashboard enrich INPUT -o OUTPUT`",
        ) from err
    return normalise_enriched(df, str(path))


def normalise_enriched(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """An enriched frame read from a file or the store, with the dtypes every stage expects."""
    missing = (ENRICHED_MARKERS | {"id"}) - set(df.columns)
    if missing:
        raise DatasetError(
            f"enriched file lacks the columns {', '.join(sorted(missing))}",
            where=where,
            hint="Re-create it with `dashboard enrich INPUT -o OUTPUT`",
        )
    try:
        return schema.conform(df)
    except (pa.ArrowException, TypeError, ValueError) as err:
        raise DatasetError(
            f"the enriched file's list columns are not lists of names ({err})",
            where=where,
            hint="Re-create it with `dashboard enrich INPUT -o OUTPUT`",
        ) from err


def release_unused_memory() -> None:
    """Give memory freed after a big build back to the system.

    Loading a million statements or building their search index frees several hundred MB of
    temporary buffers that Arrow's pool and the C allocator would otherwise keep (the server's
    resident memory after the search index: 1.8 GB, 1.07 GB after this). Costs milliseconds;
    does nothing where glibc's ``malloc_trim`` is missing.
    """
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_RELEASE_DELAY_S = 5.0
_release_timer: threading.Timer | None = None
_release_lock = threading.Lock()


def release_unused_memory_soon(delay_s: float = _RELEASE_DELAY_S) -> None:
    """``release_unused_memory`` once, ``delay_s`` seconds from now, on a background thread.

    For after each new page computation: many within a few seconds (a room of viewers, a tour
    of pages) lead to one release, off the request's path (it costs up to ~0.1 s with a GB free).
    """
    global _release_timer
    with _release_lock:
        if _release_timer is not None and _release_timer.is_alive():
            return
        _release_timer = threading.Timer(delay_s, release_unused_memory)
        _release_timer.daemon = True
        _release_timer.start()


def load_dataset(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    mapping: Mapping[str, str] | None = None,
    taxonomy: Any = None,
    name: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> Dataset:
    """Load and enrich a statements file (or read an already-enriched one) into a ``Dataset``.

    A Parquet or JSON Lines file that already carries the enriched list columns (the output of
    ``dashboard enrich``) is used as it is, so a million-statement dataset is enriched once, not
    at every start of the app; so are a statement store and a folder of enriched Parquet parts
    (the output of ``dashboard enrich --engine dask``).
    """
    from dashboard.enrich import enrich
    from dashboard.load import get_load_report, load_statements

    label = name or getattr(source, "name", None) or str(source)
    if isinstance(source, str | os.PathLike) and mapping is None:
        path = Path(source)
        from dashboard.store import is_parquet_folder, is_store, read_parquet_folder, read_store

        folder = is_parquet_folder(path)  # a folder written by `dashboard enrich --engine dask`
        if folder or is_store(path):  # ... or by `dashboard ingest`
            df = read_parquet_folder(path) if folder else read_store(path)
            kind = "partitioned Parquet dataset" if folder else "statement store"
            report = LoadReport(source=path.name, format=kind)
            report.rows_read = report.rows_kept = len(df)
            report.undated = int(df["date"].isna().sum())
            return Dataset.from_enriched(df, report=report, source=path.name)
        if _enriched_columns(path) >= ENRICHED_MARKERS:
            df = read_enriched(path)
            n = len(df)
            report = LoadReport(source=path.name, format=f"enriched {path.suffix.lstrip('.')}")
            report.rows_read = report.rows_kept = n
            report.undated = int(df["date"].isna().sum())
            if progress is not None:
                progress(1.0)
            return Dataset.from_enriched(df, report=report, source=path.name)
    df = load_statements(source, mapping, name=name)
    report = get_load_report(df)
    enriched = enrich(df, taxonomy=taxonomy, progress=progress)
    return Dataset.from_enriched(enriched, report=report, source=Path(str(label)).name)
