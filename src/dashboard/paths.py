"""Where the project's bundled files live: the ``data/`` and ``static/`` folders at the repo root.

``DASHBOARD_DATA_DIR`` overrides the data folder (for tests or a deployment that keeps its
reference files elsewhere).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The folder holding the gazetteer, taxonomy, aliases and bundled sample."""
    override = os.environ.get("DASHBOARD_DATA_DIR")
    return Path(override) if override else REPO_ROOT / "data"


def reference_file(name: str) -> Path:
    """A reference file from ``data_dir()``, or the repository's own when that folder lacks it."""
    path = data_dir() / name
    return path if path.exists() else REPO_ROOT / "data" / name


def static_dir() -> Path:
    """The folder Streamlit serves at ``app/static/`` (map data for offline plotly maps)."""
    return REPO_ROOT / "static"


SAMPLE_DATASET_NAME = "sample_statements.csv"


def sample_dataset() -> Path:
    """The bundled sample dataset the app opens when no other dataset is given."""
    return data_dir() / SAMPLE_DATASET_NAME


def cached_by_mtime(loader: Callable[[Path], T], default_name: str) -> Callable[..., T]:
    """Wrap ``loader(path)`` so each file is read once and again only after it changes.

    The returned ``load(path=None)`` defaults to ``data_dir() / default_name`` (resolved at call
    time, so ``DASHBOARD_DATA_DIR`` is honoured); a missing file goes straight to ``loader`` so
    that its own error message explains it.
    """

    @functools.lru_cache(maxsize=4)
    def cached(path: str, mtime_ns: int) -> T:
        return loader(Path(path))

    def load(path: str | os.PathLike[str] | None = None) -> T:
        file = Path(path) if path is not None else data_dir() / default_name
        try:
            mtime = file.stat().st_mtime_ns
        except OSError:
            return loader(file)
        return cached(str(file.resolve()), mtime)

    load.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return load
