"""``Dataset``: the enriched frame plus its list columns exploded once, shared by every viewer.

Built once per loaded file (the UI caches it with ``st.cache_resource``) and never mutated: all
filters and aggregations read ``df`` and the ``long`` tables and return new objects.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.errors import DatasetError
from dashboard.report import LoadReport

LIST_COLUMNS: tuple[str, ...] = ("parties", "party_countries", "countries", "topics", "unresolved")


def explode_list_column(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """Explode one list column into a ``row`` (int32 position) / ``value`` (category) frame.

    The lists go through Arrow (one C-level conversion) rather than a Python loop over rows.
    """
    lists = pa.array(df[column].to_numpy(dtype=object), type=pa.list_(pa.string()))
    lengths = pc.fill_null(pc.list_value_length(lists), 0).to_numpy(zero_copy_only=False)
    rows = np.repeat(np.arange(len(lists), dtype=np.int32), lengths)
    values = pc.list_flatten(lists).dictionary_encode()
    return pd.DataFrame({"row": rows, "value": values.to_pandas()})


@dataclass(frozen=True, eq=False)
class Dataset:
    """An enriched statements frame (index ``0..n-1``) and its exploded list columns."""

    df: pd.DataFrame
    long: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    report: LoadReport | None = None
    source: str = ""

    @classmethod
    def from_enriched(
        cls, df: pd.DataFrame, report: LoadReport | None = None, source: str = ""
    ) -> Dataset:
        """Wrap an ``enrich`` result: reset the index and explode each list column once."""
        df = df.reset_index(drop=True)
        long = {col: explode_list_column(df, col) for col in LIST_COLUMNS if col in df.columns}
        return cls(df=df, long=long, report=report, source=source)

    def __len__(self) -> int:
        return len(self.df)

    def rows_with_any(self, column: str, values: Iterable[str]) -> np.ndarray:
        """Boolean mask over ``df``: rows whose list ``column`` holds any of ``values``."""
        long = self.long[column]
        hit = long["value"].isin(list(values)).to_numpy()
        mask = np.zeros(len(self.df), dtype=bool)
        mask[long["row"].to_numpy()[hit]] = True
        return mask


ENRICHED_MARKERS: frozenset[str] = frozenset({"parties", "party_countries", "countries", "topics"})
CATEGORY_COLUMNS: tuple[str, ...] = ("region", "continent", "source_party", "source_country")


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


def read_enriched(path: Path) -> pd.DataFrame:
    """Read a file written by ``dashboard enrich`` (.parquet or .jsonl) without re-enriching."""
    try:
        if path.suffix.lower() == ".parquet":
            df = pd.read_parquet(path)
        else:
            df = pd.read_json(path, lines=True, dtype=False)
    except (OSError, ValueError) as err:
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
    df = df.copy()
    for col in LIST_COLUMNS:
        if col not in df.columns:
            df[col] = [[] for _ in range(len(df))]
        else:
            # Parquet gives numpy arrays, JSON gives lists; None stands for an empty list.
            df[col] = [[] if v is None else [str(x) for x in v] for v in df[col]]
    for col in ("title", "text", "url"):
        df[col] = df[col].fillna("").astype(str) if col in df.columns else ""
    df["id"] = df["id"].astype(str)
    df["date"] = pd.to_datetime(df.get("date"), errors="coerce")
    if "date_precision" not in df.columns:
        df["date_precision"] = np.where(df["date"].isna(), "none", "day")
    df["date_precision"] = pd.Categorical(
        df["date_precision"].fillna("none").astype(str), categories=["day", "month", "year", "none"]
    )
    for col in CATEGORY_COLUMNS:
        if col in df.columns:
            df[col] = df[col].fillna("").astype(str).astype("category")
    return df


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
    at every start of the app.
    """
    from dashboard.enrich import enrich
    from dashboard.load import get_load_report, load_statements

    label = name or getattr(source, "name", None) or str(source)
    if isinstance(source, str | os.PathLike) and mapping is None:
        path = Path(source)
        from dashboard.store import is_store, read_store

        if is_store(path):  # a folder written by `dashboard ingest`
            df = read_store(path)
            report = LoadReport(source=path.name, format="statement store")
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
