"""Every cache of the Streamlit app: datasets shared by all sessions, filtered views, downloads.

Owns the one place where ``st.cache_resource`` is used. Datasets are loaded once per server
process and shared by every session (a million-row frame is never copied per viewer): the
startup dataset (``DASHBOARD_DATA`` or the bundled sample) keyed by path and modification time,
uploaded datasets in a small registry keyed by a hash of their content (so a link carrying
``ds=<key>`` opens the same upload while the server still holds it). Derived objects - the
filter mask of a ``FilterSpec``, the filtered ``View``, each page's data (``page_data``) and
download bytes - sit in small per-dataset LRU caches shared by every session, keyed by the
filters and the page's settings: a rerun with unchanged filters costs nothing, and a room of
viewers of one link costs one computation.
Nothing returned from here may be mutated: masks are read-only arrays, page data is shared.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import schema
from dashboard.dataset import Dataset, release_unused_memory, release_unused_memory_soon
from dashboard.errors import DatasetError
from dashboard.filters import FilterSpec, search_index
from dashboard.live import LiveDataset
from dashboard.load import SUPPORTED_EXTENSIONS
from dashboard.paths import sample_dataset
from dashboard.store import is_store
from dashboard.view import View, make_view

T = TypeVar("T")

DATA_ENV = "DASHBOARD_DATA"
MAX_UPLOADS = 4  # uploaded datasets kept in memory for the whole server, oldest dropped first
MAX_MASKS = 16  # filter masks per dataset (1 byte per statement each)
MAX_EXPORTS = 2  # export files per dataset (a CSV of a million statements is ~300 MB)
MAX_MAP_TABLES = 32  # per-country tables per dataset (a few hundred rows each)
SEARCH_PREBUILD_ROWS = 50_000  # smaller datasets build their search index in well under 1 s
SEARCH_PREBUILD_DELAY_S = 3.0
MAX_VIEWS = 8  # filtered views per dataset (positions and analysis columns: ~40 bytes a row)
MAX_PAGE_DATA = 128  # page aggregates per dataset (small frames)
Progress = Callable[[float], None]


def supported_extensions() -> tuple[str, ...]:
    """File extensions (without dot) the loader reads, for ``st.file_uploader(type=...)``."""
    return tuple(e.lstrip(".") for e in SUPPORTED_EXTENSIONS)


def startup_path() -> Path:
    """The dataset the app opens: ``$DASHBOARD_DATA`` if set, else the bundled sample."""
    configured = os.environ.get(DATA_ENV, "").strip()
    return Path(configured).expanduser() if configured else sample_dataset()


def build_dataset(
    source: str | os.PathLike[str] | io.BytesIO,
    *,
    name: str | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Load and enrich ``source`` into a ``Dataset``; every failure is a ``DatasetError``."""
    from dashboard.dataset import load_dataset  # imported late: the data core loads slowly

    label = name or str(source)
    try:
        return load_dataset(source, mapping=mapping, name=name, progress=progress)
    except DatasetError:
        raise
    except MemoryError as err:
        raise DatasetError(
            "there is not enough memory to load this dataset",
            where=label,
            hint="load a smaller part of it, or enrich it once with `dashboard enrich` to Parquet",
        ) from err
    except Exception as err:  # noqa: BLE001 - the UI must show a sentence, never a traceback
        raise DatasetError(
            f"the dataset could not be read ({type(err).__name__}: {err})",
            where=label,
            hint="check that the file is a statements table in one of the supported formats",
        ) from err


@st.cache_resource(show_spinner="Loading and enriching the statements…", max_entries=4)
def _load_path(path: str, mtime_ns: int, size: int) -> Dataset:
    # mtime and size are part of the cache key so an edited file is read again.
    del mtime_ns, size
    ds = build_dataset(path, name=Path(path).name)
    release_unused_memory()  # the load's temporary buffers
    prepare_search(ds)
    return ds


def prepare_search(ds: Dataset) -> None:
    """Build the dataset's search index in the background (seconds at a million statements),
    so the first search does not pay for it; a search typed meanwhile waits for this build."""
    if len(ds) < SEARCH_PREBUILD_ROWS:
        return

    def build() -> None:
        # Let the first page draw before taking a core for the index (2-core servers).
        time.sleep(SEARCH_PREBUILD_DELAY_S)
        search_index(ds)
        release_unused_memory()  # the build's temporary buffers: several hundred MB at 1M

    threading.Thread(target=build, name="search-index", daemon=True).start()


def load_startup_dataset() -> Dataset:
    """The startup dataset, loaded once per server and shared by all sessions."""
    path = startup_path()
    if not path.exists():
        where = f"${DATA_ENV}" if os.environ.get(DATA_ENV) else "the bundled sample"
        raise DatasetError(
            f"the dataset file {path} does not exist",
            where=where,
            hint=f"set {DATA_ENV} to an existing statements file (or start with `dashboard serve "
            "--data PATH`)",
        )
    if is_store(path):
        return live_store(path).current()
    stat = path.stat()
    return _load_path(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@st.cache_resource(show_spinner="Loading the statement store…")
def _live_store(path: str) -> LiveDataset:
    def load(root: Path) -> Dataset:
        ds = build_dataset(root, name=root.name)
        prepare_search(ds)
        return ds

    return LiveDataset(Path(path), load)


def live_store(path: Path) -> LiveDataset:
    """The store at ``path``, one ``LiveDataset`` per server: new batches ingested by other
    processes are loaded in the background and swapped in for every viewer."""
    return _live_store(str(path.resolve()))


def startup_live_store() -> LiveDataset | None:
    """The startup dataset's ``LiveDataset`` when it is a statement store, else None."""
    path = startup_path()
    return live_store(path) if is_store(path) else None


def empty_dataset() -> Dataset:
    """A dataset with no statements, shown when the startup file cannot be loaded."""
    return Dataset.from_enriched(schema.empty_enriched_frame(), source="(no dataset)")


def content_key(data: bytes, mapping: Mapping[str, str] | None = None) -> str:
    """A short stable key for an upload: its content hash (plus the column mapping used)."""
    digest = hashlib.sha256(data)
    for ours, theirs in sorted((mapping or {}).items()):
        digest.update(f"\0{ours}={theirs}".encode())
    return digest.hexdigest()[:16]


class _UploadRegistry:
    """Uploaded datasets by content key, shared by all sessions, at most ``MAX_UPLOADS``."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Dataset] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Dataset | None:
        with self._lock:
            ds = self._items.get(key)
            if ds is not None:
                self._items.move_to_end(key)
            return ds

    def put(self, key: str, ds: Dataset) -> None:
        with self._lock:
            self._items[key] = ds
            self._items.move_to_end(key)
            while len(self._items) > MAX_UPLOADS:
                self._items.popitem(last=False)


@st.cache_resource
def _uploads() -> _UploadRegistry:
    return _UploadRegistry()


def read_upload(
    data: bytes,
    name: str,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Read and enrich an uploaded file; raises ``DatasetError`` saying what is wrong.

    This is what the Data page calls; it touches no session state, so a failed upload leaves
    the session's current dataset as it was.
    """
    ext = Path(name).suffix.lower().lstrip(".")
    allowed = supported_extensions()
    if ext not in allowed:
        raise DatasetError(
            f"files ending in .{ext or '(nothing)'} are not supported",
            where=name,
            hint="upload one of: " + ", ".join(f".{e}" for e in allowed),
        )
    if not data:
        raise DatasetError("the file is empty", where=name, hint="upload a file with statements")
    ds = build_dataset(io.BytesIO(data), name=name, mapping=mapping, progress=progress)
    if len(ds.df) == 0:
        raise DatasetError(
            "no statements were found in the file",
            where=name,
            hint="check that it has a column with the statement text",
        )
    return ds


def register_upload(key: str, ds: Dataset) -> None:
    """Keep an uploaded dataset for every session (and for links carrying ``ds=key``)."""
    _uploads().put(key, ds)
    prepare_search(ds)


def uploaded_dataset(key: str) -> Dataset | None:
    """A dataset uploaded earlier in this server process, or ``None`` when it was dropped."""
    return _uploads().get(key)


def preview_upload_columns(data: bytes, name: str) -> tuple[list[str], dict[str, str]]:
    """The columns of an uploaded file and the mapping the loader would guess for them."""
    from dashboard.load import detect_columns, preview_columns

    try:
        columns = preview_columns(io.BytesIO(data), name=name)
    except DatasetError:
        raise
    except Exception as err:  # noqa: BLE001 - shown to the user as a sentence
        raise DatasetError(f"the file could not be read ({err})", where=name) from err
    return columns, dict(detect_columns(columns))


# ---------------------------------------------------------------------------------------------
# Per-dataset derived objects


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get_or_build(self, key: Any, build: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = build()  # outside the lock: two sessions may build the same value, harmlessly
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        release_unused_memory_soon()  # the build's temporary buffers, once things are quiet
        return value


def _lru(ds: Dataset, name: str, size: int) -> _LRU:
    return ds.memo(("lru", name), lambda: _LRU(size))


def filter_mask(ds: Dataset, spec: FilterSpec) -> np.ndarray:
    """``spec.mask(ds)``, cached per dataset and spec; read-only."""

    def build() -> np.ndarray:
        mask = spec.mask(ds)
        mask.flags.writeable = False
        return mask

    return _lru(ds, "mask", MAX_MASKS).get_or_build(spec, build)


def view(ds: Dataset, spec: FilterSpec) -> View:
    """The ``View`` of ``spec``, shared by every session looking at the same dataset and filters.

    Its analysis frame and restricted long tables are built once, on first use, for all of them.
    """
    return _lru(ds, "view", MAX_VIEWS).get_or_build(
        spec, lambda: make_view(ds, spec, filter_mask(ds, spec))
    )


def page_data(view: View, build: Callable[..., T], *settings: Hashable) -> T:
    """``build(view, *settings)`` (a ``dashboard.pagedata`` function), cached across sessions.

    Keyed by the dataset (its cache), the filters, the function and the page's settings, so
    every viewer of one shared link costs one computation. The result is shared: never mutate it.
    """
    key = (view.spec, build.__module__, build.__qualname__, settings)
    return _lru(view.dataset, "page", MAX_PAGE_DATA).get_or_build(
        key, lambda: build(view, *settings)
    )


def dataset_data(ds: Dataset, build: Callable[[Dataset], T]) -> T:
    """``build(ds)`` (figures about the whole dataset), once per dataset for every session."""
    key = (build.__module__, build.__qualname__)
    return _lru(ds, "dataset", MAX_PAGE_DATA).get_or_build(key, lambda: build(ds))


def export_bytes(ds: Dataset, spec: FilterSpec, fmt: str) -> bytes:
    """All statements ``spec`` selects, as ``csv``, ``jsonl`` or ``parquet`` bytes (cached).

    CSV and JSON Lines are for reading: names beside ids (``export.readable``). Parquet keeps
    the enriched frame's ids and types, so it loads back into the dashboard unchanged.
    """
    from dashboard import export

    writers: dict[str, Callable[[pd.DataFrame], bytes]] = {
        "csv": lambda df: export.to_csv_bytes(export.readable(df)),
        "jsonl": lambda df: export.to_jsonl_bytes(export.readable(df)),
        "parquet": export.to_parquet_bytes,
    }
    if fmt not in writers:
        raise ValueError(f"unknown export format {fmt!r}")

    def build() -> bytes:
        selected = view(ds, spec)
        return writers[fmt](ds.df if selected.is_all else selected.statements())

    return _lru(ds, "export", MAX_EXPORTS).get_or_build((spec, fmt), build)


def map_counts(
    view: View, by: str, year: int | None = None, *, per_year: bool = False
) -> pd.DataFrame:
    """``pagedata.map_counts`` for a page's view, cached per dataset, filter, mode and year.

    On a million statements a map table costs 1-2 s; clicking a country or moving the year
    slider back must not pay that again. Each caller gets its own copy of the small table.
    """
    from dashboard import geo, pagedata

    # Both map files are read through their own caches, so checking them on every run is cheap
    # and a missing or broken file is reported (DatasetError) rather than hidden by a cached
    # table; the base map's identity in the key drops tables built before it was re-read.
    base_map = geo.topojson_country_ids()
    geo.load_countries_gdf()
    key = (view.spec, by, year, per_year, id(base_map))
    table = _lru(view.dataset, "map", MAX_MAP_TABLES).get_or_build(
        key, lambda: pagedata.map_counts(view, by, year, per_year=per_year)
    )
    return table.copy()
