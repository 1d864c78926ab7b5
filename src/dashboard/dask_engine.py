"""Enrichment on Dask: ``dashboard enrich INPUT -o DIR --engine dask``.

Owns running the one ``dashboard.enrich.enrich`` over partitions on a Dask cluster (a bounded
``LocalCluster`` on loopback, or the scheduler the user names) and writing the result as a
partitioned Parquet dataset: one folder of ``part.NNNNNN.parquet`` files (in input order), each
of exactly ``store.STORE_SCHEMA`` (the one schema, defined in ``store.py``), that
``load_dataset(DIR)``, ``dashboard serve --data DIR`` and ``dashboard ingest DIR`` read directly.

Partitions and ids. ``load_statements`` decides things from a whole file - the day/month order
of numeric dates, exact duplicates, "-2" suffixes for repeated ids, whether source columns take
part in content-derived ids - so a file is never loaded in row slices on different workers:

* a single INPUT file is loaded once here, in this process (the ids, dates and duplicates are
  exactly those of the single-process ``dashboard enrich``), and written in row chunks of
  ``partition_rows`` to ``DIR/_input/``; each Dask partition reads one chunk and enriches it;
* a glob or a folder gives one partition per file, loaded and enriched on a worker (the ids are
  those ``dashboard enrich FILE`` gives for that file).

The gazetteer, country matcher and taxonomy are built once per worker process (a module-level
cache, warmed by the ``ReferencesPlugin`` worker plugin when a worker starts), never per
partition. Dask does the rest: partitioning (``from_map``), retries and rescheduling the tasks
of a worker that died (lineage: a partition is re-read from its file), and the progress bar.
The output is written into a hidden sibling folder and renamed into place at the end, so an
interrupted run leaves no half dataset under OUTPUT.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.errors import DatasetError
from dashboard.schema import LOADED_COLUMNS

try:  # the plugin's base class; without distributed, require_dask() explains what to install
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised by the "extra missing" test
    _WorkerPlugin = object  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from distributed import Client

    from dashboard.countries import CountryMatcher
    from dashboard.gazetteer import Gazetteer
    from dashboard.topics import Taxonomy

#: Rows per partition when one file is split: 100,000 statements enrich in about 4 s on a core,
#: and a worker peaks under 0.8 GB with them, process and reference data included.
PARTITION_ROWS = 100_000
#: Times a task that raised is retried; a task on a worker that died is rescheduled by Dask
#: itself (``distributed.scheduler.allowed-failures`` times).
RETRIES = 2
STAGING = "_input"
#: How long to try reaching a scheduler given with --scheduler.
CONNECT_TIMEOUT = "20s"
INSTALL_HINT = (
    'install the optional packages with `pip install -e ".[dask]"` '
    '(or `pip install "dask[dataframe]" distributed`), or leave out --engine dask to enrich '
    "in this process"
)

_LOCK = threading.Lock()
_REFERENCES: dict[str, References] = {}
_BUILDS: Counter[str] = Counter()


def require_dask() -> None:
    """Raise a ``DatasetError`` saying how to install Dask when it (or distributed) is missing."""
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as err:
        missing = err.name or "dask"
        raise DatasetError(
            f"the Dask engine needs the optional package '{missing.split('.')[0]}', "
            "which is not installed",
            where="--engine dask",
            hint=INSTALL_HINT,
        ) from err


# --- reference data, once per worker -----------------------------------------------------------


@dataclass(frozen=True)
class References:
    """What ``enrich`` needs besides the statements, built once per worker process."""

    gazetteer: Gazetteer
    countries: CountryMatcher
    taxonomy: Taxonomy

    @classmethod
    def build(cls, taxonomy: Taxonomy | None) -> References:
        from dashboard.countries import load_country_matcher
        from dashboard.enrich import _resolve_taxonomy, enrich
        from dashboard.gazetteer import load_gazetteer

        refs = cls(load_gazetteer(), load_country_matcher(), _resolve_taxonomy(taxonomy))
        # One tiny statement builds every lazy part (automata, regexes, region tables) now.
        warm = pd.DataFrame({"title": ["KKE"], "text": ["Workers in Athens"]})
        enrich(warm, taxonomy=refs.taxonomy, gazetteer=refs.gazetteer, countries=refs.countries)
        return refs


def references(key: str, taxonomy: Taxonomy | None) -> References:
    """The references for ``key`` in this process, built on first use (thread-safe)."""
    with _LOCK:
        refs = _REFERENCES.get(key)
        if refs is None:
            refs = _REFERENCES[key] = References.build(taxonomy)
            _BUILDS[key] += 1
        return refs


def reference_builds() -> dict[str, int]:
    """How often this process built each reference set (1 each on a healthy worker)."""
    return dict(_BUILDS)


def _taxonomy_key(taxonomy: Taxonomy | None) -> str:
    if taxonomy is None:
        return "default"
    from dask.base import tokenize

    return "taxonomy-" + tokenize(taxonomy)


class ReferencesPlugin(_WorkerPlugin):
    """A Dask ``WorkerPlugin``: build the references when a worker starts (or joins later)."""

    def __init__(self, key: str, taxonomy: Taxonomy | None) -> None:
        self.key = key
        self.taxonomy = taxonomy
        self.name = f"dashboard-references-{key}"

    def setup(self, worker: Any) -> None:
        references(self.key, self.taxonomy)

    def teardown(self, worker: Any) -> None:
        return None


# --- inputs and output -------------------------------------------------------------------------


def input_files(spec: str) -> list[Path]:
    """The statement files INPUT names: a file, a glob (``data/*.csv``) or a folder."""
    from dashboard.load import SUPPORTED_EXTENSIONS

    path = Path(spec)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.is_file()
            and not p.name.startswith((".", "_"))
            and p.suffix.lower() in SUPPORTED_EXTENSIONS
        )
        where = f"{spec} (a folder)"
    elif glob.has_magic(spec):
        files = sorted(Path(p) for p in glob.glob(spec) if Path(p).is_file())
        where = f"{spec} (a pattern)"
    else:
        raise DatasetError(
            "no such file or folder", where=spec, hint="give a file, a folder or a glob pattern"
        )
    if not files:
        raise DatasetError(
            "no statement files found",
            where=where,
            hint=f"the files must end in one of {', '.join(SUPPORTED_EXTENSIONS)}",
        )
    return files


def check_output_folder(out: Path, inputs: Sequence[Path]) -> None:
    """OUTPUT must be a new (or empty) folder that is none of the inputs."""
    if out.is_file():
        raise DatasetError(
            "the output of --engine dask is a folder of Parquet parts, but this is a file",
            where=str(out),
            hint="give a new folder name, e.g. enriched/",
        )
    if out.is_dir() and any(out.iterdir()):
        raise DatasetError(
            "the output folder already holds files; they would be mixed with the new parts",
            where=str(out),
            hint="give a new folder name, or remove the old dataset first",
        )
    resolved = out.resolve()
    for source in inputs:
        if resolved in (source.resolve(), *source.resolve().parents):
            raise DatasetError(
                "the output folder contains the input",
                where=str(out),
                hint="write the enriched dataset to a folder outside the input",
            )


def _chunks(df: pd.DataFrame, rows: int) -> Iterator[pd.DataFrame]:
    for begin in range(0, max(len(df), 1), rows):
        yield df.iloc[begin : begin + rows]


def _stage(df: pd.DataFrame, folder: Path, rows: int) -> list[str]:
    """Write a loaded frame in chunks of ``rows`` for the workers to read; the chunk paths."""
    folder.mkdir(parents=True)
    paths = []
    for number, chunk in enumerate(_chunks(df, rows)):
        path = folder / f"chunk-{number:06d}.parquet"
        pq.write_table(pa.Table.from_pandas(chunk, preserve_index=False), path)
        paths.append(str(path))
    return paths


# --- the tasks ----------------------------------------------------------------------------------


def _read_chunk(path: str) -> pd.DataFrame:
    """One staged chunk of a loaded file, as ``load_statements`` gave it."""
    return pq.read_table(path).to_pandas()


def _load_file(path: str, mapping: Mapping[str, str] | None) -> pd.DataFrame:
    """One whole input file, loaded on a worker exactly as ``dashboard enrich FILE`` loads it."""
    from dashboard.load import load_statements

    df = load_statements(path, mapping)
    df.attrs.clear()  # the LoadReport stays on the worker
    return df


def _enrich_partition(
    df: pd.DataFrame,
    key: str,
    taxonomy: Taxonomy | None,
    folder: str,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """``enrich`` one partition and write it as ``part.NNNNNN.parquet`` in ``STORE_SCHEMA``.

    The part is written under a dot-name and renamed, so a worker killed while writing leaves
    nothing a reader sees, and the retried task writes the same part again. Returns one row:
    the partition's number and statement count.
    """
    from dashboard.enrich import enrich
    from dashboard.store import to_store_table

    number = int(partition_info["number"]) if partition_info else 0
    refs = references(key, taxonomy)
    enriched = enrich(
        df, taxonomy=refs.taxonomy, gazetteer=refs.gazetteer, countries=refs.countries
    )
    final = Path(folder) / part_name(number)
    tmp = final.with_name(f".{final.name}.tmp-{uuid.uuid4().hex}")
    pq.write_table(to_store_table(enriched), tmp, compression="zstd")
    os.replace(tmp, final)
    return pd.DataFrame({"part": [number], "statements": [len(enriched)]})


def part_name(number: int) -> str:
    """``part.000012.parquet``: zero-padded, so file-name order is partition (input) order."""
    return f"part.{number:06d}.parquet"


# --- running ------------------------------------------------------------------------------------


@dataclass
class DaskEnrichResult:
    """What one Dask enrichment wrote."""

    output: Path
    files: int
    partitions: int
    statements: int
    repeated_ids: int


@contextlib.contextmanager
def dask_client(
    scheduler: str | None = None, workers: int | None = None, *, memory_limit: str = "auto"
) -> Iterator[Client]:
    """A client for ``scheduler`` (an address such as ``tcp://10.0.0.5:8786``), or for a new
    ``LocalCluster`` of ``workers`` single-threaded worker processes on 127.0.0.1 (the
    web server on loopback only, memory bounded per worker), closed on exit."""
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise DatasetError(
                f"could not connect to the Dask scheduler ({err})",
                where=scheduler,
                hint="check the address (tcp://HOST:8786) and that the scheduler is running",
            ) from err
        with client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise DatasetError(f"--workers must be 1 or more, not {n}", where="--workers")
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,  # enrich holds the GIL: one process per core
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # loopback only, any free port
            memory_limit=memory_limit,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def enrich_on_dask(
    source: str,
    output: str | os.PathLike[str],
    client: Client,
    *,
    mapping: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
    partition_rows: int = PARTITION_ROWS,
    show_progress: bool = True,
) -> DaskEnrichResult:
    """Enrich the statements ``source`` names (a file, glob or folder) on ``client``'s cluster
    and write them to the folder ``output`` as a partitioned Parquet dataset (``STORE_SCHEMA``).

    ``output`` and the input files must be paths the workers see (the same machine, or a shared
    file system).
    """
    require_dask()
    import dask.dataframe as dd
    from distributed import progress

    if partition_rows < 1:
        raise DatasetError(
            f"--partition-rows must be 1 or more, not {partition_rows}", where="--partition-rows"
        )
    files = input_files(source)
    out = Path(output)
    check_output_folder(out, files)
    work = out.parent / f".{out.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    key = _taxonomy_key(taxonomy)
    client.register_plugin(ReferencesPlugin(key, taxonomy))
    try:
        work.mkdir(parents=True)
        if len(files) == 1:
            from dashboard.load import get_load_report, load_statements

            loaded = load_statements(files[0], mapping)
            print(f"{files[0]}: {get_load_report(loaded).summary()}", file=sys.stderr)
            loaded.attrs.clear()
            chunks = _stage(loaded, work / STAGING, partition_rows)
            del loaded
            raw = dd.from_map(_read_chunk, chunks, enforce_metadata=False)
        else:
            # Only a hint (files may differ in their optional columns): partitions are not
            # checked against it, and the enrich step takes whatever a file gave.
            meta = pd.DataFrame({c: pd.Series([], dtype="str") for c in LOADED_COLUMNS})
            raw = dd.from_map(
                _load_file,
                [str(f) for f in files],
                mapping=dict(mapping) if mapping else None,
                meta=meta,
                enforce_metadata=False,
            )
        meta = pd.DataFrame(
            {"part": pd.Series([], dtype="int64"), "statements": pd.Series([], dtype="int64")}
        )
        written = raw.map_partitions(_enrich_partition, key, taxonomy, str(work), meta=meta)
        future = client.compute(written, retries=RETRIES)
        if show_progress:
            # A terminal gets a live bar; a log file a line every ten seconds, not ten a second.
            interval = "0.5s" if sys.stderr.isatty() else "10s"
            with contextlib.redirect_stdout(sys.stderr):  # stdout stays for data
                progress(future, interval=interval)
            print(file=sys.stderr)
        counts = future.result()
        shutil.rmtree(work / STAGING, ignore_errors=True)
        for leftover in work.glob(".*"):  # a part a killed worker was writing
            leftover.unlink()
        table = read_dataset_table(work, ["id"])
        if table.num_rows != int(counts["statements"].sum()):
            raise DatasetError(
                f"the parts hold {table.num_rows:,} statements, the partitions wrote "
                f"{int(counts['statements'].sum()):,}",
                where=str(work),
                hint="run the command again; if it repeats, report it",
            )
        repeated = int(table.column("id").to_pandas().duplicated().sum())
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.is_dir():
            out.rmdir()  # checked empty above
        os.replace(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    parts = len(list(out.glob("*.parquet")))
    return DaskEnrichResult(out, len(files), parts, table.num_rows, repeated)


def read_dataset_table(folder: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """A partitioned dataset folder as one Arrow table (``columns`` only, when given)."""
    from dashboard.store import read_parquet_folder_table

    return read_parquet_folder_table(folder, columns)
