"""Reading the reference files of ``data/``: each file parsed once, and again only after it changes.

Every module that reads a file of ``data/`` (the gazetteer, country aliases and regions, the
topic taxonomy, leaders, languages, column names, time zones, events, name lists ...) goes
through ``reference_reader``: it turns a parser ``parse(path)`` into ``read(path=None)``,
cached by the file's path, modification time and size, so an analyst's edit shows up on the next
call without a restart. ``read_rows`` is the one strict reader of a reference CSV (rows with
their line numbers, errors naming the file and line). ``load_name_words`` reads
``data/name_words.csv``, the small words the name finders look at around a name.
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Generic, TypeVar

from dashboard.errors import DatasetError
from dashboard.paths import REPO_ROOT, data_dir

T = TypeVar("T")

PathArg = str | os.PathLike[str] | None
NAME_WORDS_FILE = "name_words.csv"
# What each word list of NAME_WORDS_FILE is for (see data/README.md).
WORD_USES: tuple[str, ...] = (
    "trap_neighbour",
    "language_lead",
    "bare_lead",
    "bare_continuation",
    "party_organ",
    "host_noise",
)


class ReferenceReader(Generic[T]):
    """``parse(path)`` cached by (path, modification time, size); see ``reference_reader``."""

    def __init__(
        self, parse: Callable[[Path], T], name: str, *, fallback: bool, maxsize: int
    ) -> None:
        self.parse = parse
        self.name = name
        self.fallback = fallback
        self._cached = functools.lru_cache(maxsize=maxsize)(self._parse_key)
        functools.update_wrapper(self, parse)

    def _parse_key(self, path: str, mtime_ns: int, size: int) -> T:
        del mtime_ns, size  # part of the key only: an edited file is read again
        return self.parse(Path(path))

    def __call__(self, path: PathArg = None) -> T:
        # The hot path (a label lookup calls it): one stat, no path resolution.
        if path is not None:
            candidates: tuple[str, ...] = (os.fspath(path),)
        else:
            candidates = (os.path.join(data_dir(), self.name),)
            if self.fallback:
                candidates += (os.path.join(REPO_ROOT, "data", self.name),)
        for file in candidates:
            try:
                stat = os.stat(file)
            except OSError:
                continue
            return self._cached(os.path.abspath(file), stat.st_mtime_ns, stat.st_size)
        # Missing: the parser's own error (or default) says so.
        return self.parse(Path(candidates[0]))

    def cache_clear(self) -> None:
        """Forget every parsed file."""
        self._cached.cache_clear()


def reference_reader(
    name: str, *, fallback: bool = False, maxsize: int = 4
) -> Callable[[Callable[[Path], T]], ReferenceReader[T]]:
    """Decorate ``parse(path)`` into ``read(path=None)``: ``data_dir() / name`` by default, each
    file parsed once and again only when its modification time or size changes.

    ``fallback`` reads the repository's own file when ``DASHBOARD_DATA_DIR`` lacks it. A missing
    file goes straight to ``parse`` (uncached), so that its error message (or default) explains
    it.
    """

    def wrap(parse: Callable[[Path], T]) -> ReferenceReader[T]:
        return ReferenceReader(parse, name, fallback=fallback, maxsize=maxsize)

    return wrap


def read_rows(path: Path, required: Sequence[str], what: str) -> list[tuple[int, dict[str, str]]]:
    """The non-blank rows of a reference CSV as ``(line, {column: value})``.

    Raises ``DatasetError`` naming ``what``, the file and the line for a missing file, a missing
    ``required`` column, a line with more fields than the header or text that is not UTF-8.
    """
    if not path.is_file():
        raise DatasetError(
            f"the {what} is missing",
            where=str(path),
            hint="Restore it from the repository or set DASHBOARD_DATA_DIR",
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            missing = [c for c in required if c not in header]
            if missing:
                raise DatasetError(
                    f"the {what} has no {', '.join(missing)} column",
                    where=f"{path}, line 1",
                    hint=f"The header must name {', '.join(required)}",
                )
            rows = []
            for row in reader:
                if None in row:
                    raise DatasetError(
                        "the line has more fields than the header",
                        where=f"{path}, line {reader.line_num}",
                        hint="Quote values that contain commas",
                    )
                clean = {(k or "").strip(): (v or "") for k, v in row.items()}
                if any(v.strip() for v in clean.values()):
                    rows.append((reader.line_num, clean))
    except (UnicodeDecodeError, csv.Error) as err:
        raise DatasetError(
            f"cannot read the {what} ({err})", where=str(path), hint="Save it as UTF-8 CSV"
        ) from err
    return rows


@reference_reader(NAME_WORDS_FILE, fallback=True)
def load_name_words(path: Path) -> Mapping[str, frozenset[str]]:
    """``data/name_words.csv`` as ``{use: case-folded words}`` for every use of ``WORD_USES``:
    words that may stand next to a country name ("In Jordan"), that make a demonym a language
    ("in Spanish"), that may stand before or after a bare party name, and web host labels that
    say nothing about a site ("www", "com")."""
    words: dict[str, set[str]] = {use: set() for use in WORD_USES}
    for line, row in read_rows(path, ("use", "word"), "name word file"):
        use = row["use"].strip()
        if use not in words:
            raise DatasetError(
                f"the use '{use}' is unknown",
                where=f"{path}, line {line}",
                hint=f"Use one of {', '.join(WORD_USES)}",
            )
        words[use].add(" ".join(row["word"].split()).casefold())
    return MappingProxyType({use: frozenset(found) for use, found in words.items()})
