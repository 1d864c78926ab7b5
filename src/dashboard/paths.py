"""Where the project's bundled files live: the ``data/`` and ``static/`` folders at the repo root.

``DASHBOARD_DATA_DIR`` overrides the data folder (for tests or a deployment that keeps its
reference files elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
_BUNDLED_DATA = REPO_ROOT / "data"


def data_dir() -> Path:
    """The folder holding the gazetteer, taxonomy, aliases and bundled sample."""
    override = os.environ.get("DASHBOARD_DATA_DIR")
    return Path(override) if override else _BUNDLED_DATA


def reference_file(name: str) -> Path:
    """A reference file from ``data_dir()``, or the repository's own when that folder lacks it."""
    path = data_dir() / name
    return path if path.exists() else _BUNDLED_DATA / name


def static_dir() -> Path:
    """The folder Streamlit serves at ``app/static/`` (map data for offline plotly maps)."""
    return REPO_ROOT / "static"


SAMPLE_DATASET_NAME = "sample_statements.csv"


def sample_dataset() -> Path:
    """The bundled sample dataset the app opens when no other dataset is given."""
    return data_dir() / SAMPLE_DATASET_NAME
