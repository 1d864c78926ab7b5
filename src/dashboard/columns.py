"""Which column of a dataset holds which of ours: the recognised names and explicit mappings.

Owns ``data/column_names.csv`` (for each of our columns, the names a dataset may use for it,
most preferred first), guessing a file's columns from their names (``detect_columns``) and
reading a mapping written on the command line (``text=headline_text,date=publish_date``).
Names are compared after lower-casing and removing spaces, underscores and hyphens.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path

from dashboard import schema
from dashboard.errors import DatasetError
from dashboard.reference import reference_reader

#: Our columns, in output order (defined with the frame, in ``schema``).
COLUMNS: tuple[str, ...] = schema.MAPPABLE_COLUMNS
# Short keys a caller may use in a mapping instead of our full column names.
MAPPING_ALIASES: dict[str, str] = {
    "party": "source_party",
    "country": "source_country",
    "region": "source_region",
}
COLUMN_NAMES_FILE = "column_names.csv"


def normalise_name(name: object) -> str:
    """``"Published At"`` and ``"published_at"`` both become ``"publishedat"``."""
    return re.sub(r"[\s_\-]+", "", str(name)).lower()


@reference_reader(COLUMN_NAMES_FILE, fallback=True)
def _read_synonyms(path: Path) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {c: [] for c in COLUMNS}
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise DatasetError(
            f"the list of recognised column names could not be read ({err.strerror or err})",
            where=str(path),
            hint="restore data/column_names.csv from the repository",
        ) from err
    for number, row in enumerate(rows, start=2):
        ours, name = (row.get("column") or "").strip(), (row.get("name") or "").strip()
        if ours not in found or not name:
            raise DatasetError(
                f"unknown column '{ours}' or empty name",
                where=f"{path}, line {number}",
                hint=f"the column must be one of {', '.join(COLUMNS)}",
            )
        found[ours].append(name)
    return {c: tuple(names) for c, names in found.items()}


def column_synonyms() -> dict[str, tuple[str, ...]]:
    """``{our column: names a dataset may use for it, most preferred first}``."""
    return _read_synonyms()


def detect_columns(columns: Sequence[str]) -> dict[str, str]:
    """Guess which of ``columns`` holds each of our columns: ``{our column: their column}``.

    Each of their columns is used at most once; when a file has several candidates (``body``
    and ``teaser``) the name listed first in ``data/column_names.csv`` wins.
    """
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(normalise_name(column), column)
    found: dict[str, str] = {}
    used: set[str] = set()
    for ours, synonyms in column_synonyms().items():
        for synonym in synonyms:
            theirs = by_key.get(normalise_name(synonym))
            if theirs is not None and theirs not in used:
                found[ours] = theirs
                used.add(theirs)
                break
    return found


def parse_mapping(text: str) -> dict[str, str]:
    """``"text=headline_text,date=publish_date"`` as ``{"text": "headline_text", ...}``.

    ``ours=`` (nothing after the sign) tells the loader to ignore a column it would otherwise
    recognise by its name.
    """
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        ours, sign, theirs = part.partition("=")
        ours = ours.strip().lower()
        key = MAPPING_ALIASES.get(ours, ours)
        if not sign or key not in COLUMNS:
            raise DatasetError(
                f"cannot read the column mapping '{part}'",
                where="--map",
                hint=(
                    "write OURS=THEIRS pairs separated by commas, e.g. "
                    f"text=headline_text,date=publish_date; OURS is one of {', '.join(COLUMNS)}"
                ),
            )
        mapping[key] = theirs.strip()
    return mapping
