"""The statement store: a folder of Parquet files that only ever grows by whole, atomic batches.

Owns the persistent store ``dashboard ingest`` adds to and ``dashboard serve --store`` serves:
its layout, its one schema, de-duplication by ``id`` across batches, atomic commits, locking,
compaction, and reading it back as the enriched frame ``read_enriched`` gives for a file.

Layout (``DIR`` defaults to ``$DASHBOARD_STORE``, else ``./data/store``)::

    DIR/_dashboard_store.json          marks the folder as a store (format version)
    DIR/part-000001-000001.parquet     batch 1
    DIR/part-000002-000002.parquet     batch 2
    DIR/part-000001-000002.parquet     batches 1-2 compacted (supersedes the two above)
    DIR/.lock                          held (flock) by the command writing the store
    DIR/.tmp-*                         a batch being written; never read

The *file names are the commit record*. A batch is written to a dot-named temporary file in
``DIR``, fsynced, renamed to its ``part-*`` name (atomic on POSIX) and the folder fsynced, so a
crash or ``kill -9`` at any moment leaves the store exactly as before (the temporary file is
ignored and removed later) or exactly as after. A part covering batches ``a..b`` supersedes any
part inside that range; readers here ignore superseded parts, and the next writer deletes them.
pyarrow.dataset, DuckDB (``read_parquet('DIR/part-*.parquet')``) and Dask read the folder as one
dataset: every part has exactly ``STORE_SCHEMA`` (lists as ``list<string>``, dates as
``timestamp[us]``) and names starting with "." or "_" are skipped by them. Only in the moment
between a compaction's rename and its clean-up could an outside reader see a batch twice.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pa_ds
import pyarrow.parquet as pq

from dashboard.errors import DatasetError

STORE_ENV = "DASHBOARD_STORE"
DEFAULT_STORE = Path("data") / "store"
MARKER = "_dashboard_store.json"
FORMAT_VERSION = 1
LOCK_NAME = ".lock"
LOCK_TIMEOUT_S = 60.0
#: Automatic compaction once a store holds this many parts.
COMPACT_AT = 16

_PART = re.compile(r"^part-(\d{6,})-(\d{6,})\.parquet$")
_LIST = pa.list_(pa.string())
STORE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("date", pa.timestamp("us")),
        ("date_precision", pa.string()),
        ("url", pa.string()),
        ("source_party", pa.string()),
        ("source_country", pa.string()),
        ("source_region", pa.string()),
        ("language", pa.string()),
        ("parties", _LIST),
        ("party_countries", _LIST),
        ("countries", _LIST),
        ("topics", _LIST),
        ("unresolved", _LIST),
        ("region", pa.string()),
        ("continent", pa.string()),
    ]
)
_LIST_COLUMNS = ("parties", "party_countries", "countries", "topics", "unresolved")
_OPTIONAL_COLUMNS = ("source_party", "source_country", "source_region", "language")


def default_store() -> Path:
    """``$DASHBOARD_STORE`` if set, else ``./data/store`` (relative to where you run)."""
    configured = os.environ.get(STORE_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_STORE


@dataclass(frozen=True, order=True)
class Part:
    """One Parquet file of the store, covering batches ``first..last``."""

    first: int
    last: int
    path: Path = field(compare=False)


@dataclass
class IngestResult:
    """What one ``ingest`` did: statements read, added, already stored; the new batch's name."""

    read: int = 0
    added: int = 0
    already_stored: int = 0
    batch: str = ""
    total: int = 0
    compacted: bool = False


def is_store(path: Path) -> bool:
    """True for a folder that holds a statement store."""
    return path.is_dir() and (path / MARKER).is_file()


def _all_parts(root: Path) -> list[Part]:
    parts = []
    for name in os.listdir(root):
        match = _PART.match(name)
        if match:
            parts.append(Part(int(match.group(1)), int(match.group(2)), root / name))
    return sorted(parts)


def live_parts(root: Path) -> list[Part]:
    """The parts that make up the store now: those no wider part covers."""
    parts = _all_parts(root)
    return [
        p
        for p in parts
        if not any(
            q.first <= p.first and p.last <= q.last and (q.first, q.last) != (p.first, p.last)
            for q in parts
        )
    ]


def store_version(root: Path) -> tuple[str, ...]:
    """A cheap token that changes whenever a batch is committed or the store compacted.

    The names of the live parts (one ``listdir``): equal tokens mean equal contents.
    """
    return tuple(p.path.name for p in live_parts(root)) if is_store(root) else ()


def _check_store(root: Path) -> None:
    if not root.exists():
        raise DatasetError(
            "there is no store here yet",
            where=str(root),
            hint="add statements with `dashboard ingest FILE --store DIR`",
        )
    if not is_store(root):
        raise DatasetError(
            f"this folder is not a statement store (it has no {MARKER})",
            where=str(root),
            hint="give the folder `dashboard ingest --store` created, or an empty/new folder",
        )


def read_store_table(root: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """The store's live parts as one Arrow table (``columns`` only, when given)."""
    _check_store(root)
    files = [str(p.path) for p in live_parts(root)]
    if not files:
        return STORE_SCHEMA.empty_table().select(list(columns or STORE_SCHEMA.names))
    return _read_parts(
        files,
        columns,
        what="the store could not be read",
        where=str(root),
        hint="run `dashboard compact --store DIR`; if a part is damaged, restore it",
    )


def _read_parts(
    files: Sequence[str], columns: Sequence[str] | None, *, what: str, where: str, hint: str
) -> pa.Table:
    """Parquet parts of ``STORE_SCHEMA`` as one Arrow table; a failure is a ``DatasetError``."""
    try:
        dataset = pa_ds.dataset(list(files), schema=STORE_SCHEMA, format="parquet")
        return dataset.to_table(columns=list(columns) if columns else None)
    except (OSError, pa.ArrowException) as err:
        raise DatasetError(f"{what} ({err})", where=where, hint=hint) from err


def read_store(root: Path) -> pd.DataFrame:
    """The whole store as the enriched frame ``dataset.read_enriched`` returns for a file.

    Straight from Arrow, as ``read_enriched`` reads Parquet: list columns stay Arrow lists.
    """
    return store_table_to_frame(read_store_table(root), str(root))


def store_table_to_frame(table: pa.Table, where: str) -> pd.DataFrame:
    """A table of ``STORE_SCHEMA`` (the store, or a partitioned dataset folder) as the enriched
    frame ``dataset.read_enriched`` returns for a file."""
    from dashboard.dataset import arrow_to_frame, normalise_enriched

    # A source column no batch had stays out, as it would for a file without it.
    empty = [c for c in _OPTIONAL_COLUMNS if table.column(c).null_count == table.num_rows]
    df = arrow_to_frame(table.drop_columns(empty))
    # Every stored date came through load_statements, so it fits nanoseconds.
    df["date"] = df["date"].astype("datetime64[ns]")
    return normalise_enriched(df, where)


# --- partitioned dataset folders (``dashboard enrich --engine dask``) ---------------------------


def parquet_folder_files(path: Path) -> list[Path]:
    """The Parquet parts of a folder, as Dask, DuckDB and pyarrow see them (no "." or "_")."""
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.iterdir()
        if p.suffix == ".parquet" and not p.name.startswith((".", "_")) and p.is_file()
    )


def is_parquet_folder(path: Path) -> bool:
    """True for a folder of enriched Parquet parts that is not a store (it has no marker)."""
    from dashboard.schema import ENRICHED_MARKERS

    files = parquet_folder_files(path)
    if not files or is_store(path):
        return False
    try:
        return set(pq.read_schema(files[0]).names) >= ENRICHED_MARKERS
    except (OSError, pa.ArrowException):
        return False


def read_parquet_folder_table(root: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """A partitioned dataset folder (every part ``STORE_SCHEMA``) as one Arrow table."""
    files = [str(p) for p in parquet_folder_files(root)]
    if not files:
        raise DatasetError(
            "this folder holds no Parquet parts",
            where=str(root),
            hint="write one with `dashboard enrich INPUT -o DIR --engine dask`",
        )
    return _read_parts(
        files,
        columns,
        what="the Parquet parts could not be read as one dataset",
        where=str(root),
        hint="every part must have the enriched columns; re-create the folder with "
        "`dashboard enrich INPUT -o DIR --engine dask`",
    )


def read_parquet_folder(root: Path) -> pd.DataFrame:
    """A partitioned dataset folder as the enriched frame (as ``read_store`` gives a store)."""
    return store_table_to_frame(read_parquet_folder_table(root), str(root))


def store_stats(root: Path) -> dict[str, object]:
    """Counts for ``dashboard stats``: statements, parties, first/last date, batches, parts."""
    table = read_store_table(root, ["id", "date", "date_precision", "parties"])
    dates = table.column("date").to_numpy(zero_copy_only=False)
    dated = dates[~np.isnat(dates)]
    parties = pc.list_flatten(table.column("parties").combine_chunks())
    parts = live_parts(root)
    return {
        "store": str(root),
        "statements": table.num_rows,
        "parties": len(pc.unique(parties)) if len(parties) else 0,
        "first_date": str(dated.min().astype("datetime64[D]")) if len(dated) else None,
        "last_date": str(dated.max().astype("datetime64[D]")) if len(dated) else None,
        "undated": int(table.num_rows - len(dated)),
        "batches": max((p.last for p in parts), default=0),
        "parts": len(parts),
    }


# --- writing -------------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the store's lock (one writer at a time); released even if the process is killed."""
    import fcntl  # POSIX only: imported here so that reading a store works everywhere

    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise DatasetError(
                        f"another command has been writing to the store for {timeout:.0f} s",
                        where=str(root),
                        hint="wait for the other `dashboard ingest` or `compact` to finish",
                    ) from err
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _fsync_dir(root: Path) -> None:
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _init_store(root: Path) -> None:
    """Create the folder and its marker (atomically) unless it is a store already."""
    if is_store(root):
        return
    if root.is_dir() and any(not n.startswith(".") for n in os.listdir(root)):
        raise DatasetError(
            "this folder holds other files, so it is not made into a store",
            where=str(root),
            hint="give an empty or new folder for --store",
        )
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    tmp.write_text(json.dumps({"format": FORMAT_VERSION, "schema": STORE_SCHEMA.names}) + "\n")
    os.replace(tmp, root / MARKER)
    _fsync_dir(root)


def _clean(root: Path) -> None:
    """Remove what crashed or finished writers left: temporary files and superseded parts.

    Called only with the lock held, so no writer is using them.
    """
    live = {p.path for p in live_parts(root)}
    for name in os.listdir(root):
        path = root / name
        if name.startswith(".tmp-") or (_PART.match(name) and path not in live):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _commit(root: Path, table: pa.Table, first: int, last: int) -> Path:
    """Write ``table`` as part ``first..last``: temporary file, fsync, rename, fsync folder."""
    final = root / f"part-{first:06d}-{last:06d}.parquet"
    tmp = root / f".tmp-{os.getpid()}-{uuid.uuid4().hex}"
    with open(tmp, "wb") as sink:
        pq.write_table(table, sink, compression="zstd")
        sink.flush()
        os.fsync(sink.fileno())
    os.replace(tmp, final)
    _fsync_dir(root)
    return final


def to_store_table(df: pd.DataFrame) -> pa.Table:
    """An enriched frame as a table of exactly ``STORE_SCHEMA`` (missing columns are null)."""
    arrays = []
    n = len(df)
    for name in STORE_SCHEMA.names:
        kind = STORE_SCHEMA.field(name).type
        if name not in df.columns:
            empty = pa.array([[]] * n, kind) if name in _LIST_COLUMNS else pa.nulls(n, kind)
            arrays.append(empty)
            continue
        arrays.append(_column(df[name], name, kind))
    return pa.Table.from_arrays(arrays, schema=STORE_SCHEMA)


def _column(values: pd.Series, name: str, kind: pa.DataType) -> pa.Array:
    """One column as ``kind``: through Arrow in C where it can, a Python loop where it must."""
    if name == "date":
        stamps = pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[us]")
        return pa.array(stamps, type=kind)
    try:
        if name in _LIST_COLUMNS:
            array = pa.array(values.to_numpy(dtype=object), type=kind, from_pandas=True)
            return pc.fill_null(array, pa.scalar([], type=kind))
        array = pa.array(values, from_pandas=True)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        return array if array.type == kind else array.cast(kind)
    except (pa.ArrowException, TypeError, ValueError):
        if name in _LIST_COLUMNS:
            return pa.array([[] if v is None else [str(x) for x in v] for v in values], type=kind)
        text = values.astype("object").where(values.notna(), None)
        return pa.array([None if v is None else str(v) for v in text], type=kind)


def add_frame(
    df: pd.DataFrame,
    root: Path,
    *,
    compact_at: int = COMPACT_AT,
) -> IngestResult:
    """Add the statements of an enriched frame whose ids the store lacks, as one new batch."""
    result = IngestResult(read=len(df))
    if root.exists() and not root.is_dir():
        raise DatasetError(
            "the store must be a folder, but this is a file",
            where=str(root),
            hint="give a folder name for --store",
        )
    with locked(root):
        _init_store(root)
        _clean(root)
        existing = read_store_table(root, ["id"]).column("id").to_numpy(zero_copy_only=False)
        ids = df["id"].astype(str)
        new = ~ids.isin(set(existing.tolist())).to_numpy()
        result.already_stored = int((~new).sum())
        result.added = int(new.sum())
        if result.added:
            parts = _all_parts(root)
            number = max((p.last for p in parts), default=0) + 1
            table = to_store_table(df[new])
            result.batch = _commit(root, table, number, number).name
            if len(live_parts(root)) >= compact_at:
                _compact_locked(root)
                result.compacted = True
        result.total = len(existing) + result.added
    return result


def ingest(
    paths: Sequence[str | os.PathLike[str]],
    root: Path,
    *,
    mapping: dict[str, str] | None = None,
    taxonomy: object = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[IngestResult, list[str]]:
    """Load and enrich ``paths`` and add them to the store as one batch: ``(result, reports)``.

    A path that is a folder of enriched Parquet parts (``dashboard enrich --engine dask``) is
    read as it is, without enriching it again.
    """
    from dashboard.enrich import enrich
    from dashboard.load import get_load_report, load_statements

    frames, reports = [], []
    for path in paths:
        if is_parquet_folder(Path(path)):  # already enriched (`dashboard enrich --engine dask`)
            df = read_parquet_folder(Path(path))
            reports.append(f"{path}: {len(df):,} enriched statements (a partitioned dataset)")
            frames.append(df)
            continue
        df = load_statements(path, mapping)
        reports.append(f"{path}: {get_load_report(df).summary()}")
        frames.append(enrich(df, taxonomy=taxonomy, progress=progress))
    combined = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # Two files may give the same id: the first one keeps it, as the store would.
    combined = combined[~combined["id"].astype(str).duplicated()]
    return add_frame(combined, root), reports


def _compact_locked(root: Path) -> bool:
    parts = live_parts(root)
    if len(parts) < 2:
        _clean(root)
        return False
    files = [str(p.path) for p in parts]
    table = pa_ds.dataset(files, schema=STORE_SCHEMA, format="parquet").to_table()
    _commit(root, table, parts[0].first, parts[-1].last)
    _clean(root)
    return True


def compact(root: Path) -> bool:
    """Merge the store's parts into one (True if there was anything to merge)."""
    _check_store(root)
    with locked(root):
        return _compact_locked(root)
