"""The party gazetteer: ``data/parties.csv`` read and checked into a ``Gazetteer``.

A ``Gazetteer`` holds the organisations (one row per id), lookups from id to name, abbreviation,
home country, parent and kind, the table of names a statement may use for each party (name,
abbreviation, native name, aliases and a few mechanical spelling variants), and the context cues
(leaders, newspapers, cities, demonyms) used to tell apart parties that share a short name. It
owns nothing about matching text - ``link.py`` builds its scanners from these tables. A malformed
file raises ``DatasetError`` naming the file and line.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.countries import country_names
from dashboard.errors import DatasetError
from dashboard.paths import data_dir
from dashboard.reference import read_rows, reference_reader

PARTY_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "abbreviation",
    "native_name",
    "country",
    "aliases",
    "parent",
    "partyfacts_id",
    "kind",
    "context",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "name", "country")
KINDS: tuple[str, ...] = ("party", "youth", "front", "union", "women", "international")
LIST_SEPARATOR = "|"

IGNORED_ALIASES_FILE = "ignored_aliases.csv"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHORT_QUALIFIED = re.compile(r"^([A-Z]{2,6}) ?\(([A-Z]{1,3}(?:-[A-Z]{1,2})?)\)$")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


@reference_reader(IGNORED_ALIASES_FILE, fallback=True)
def load_ignored_aliases(path: Path) -> frozenset[str]:
    """``data/ignored_aliases.csv``, case-folded: phrases that name no particular organisation
    ("Communists condemn ...", "communist parties of Europe", "il Partito Comunista"). An alias
    equal to one of them is ignored rather than trusted, because one careless alias would
    otherwise link thousands of general statements to one party."""
    rows = read_rows(path, ("language", "phrase"), "ignored alias file")
    return frozenset(" ".join(row["phrase"].split()).casefold() for _, row in rows)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def spelling_variants(name: str) -> Iterator[str]:
    """Mechanical variants of a name: hyphens written as spaces ("All-Workers" ~ "All Workers"),
    a long name's qualifier glued on ("Communist Party of Nepal(United)").

    Quote styles need no variants: the scanner maps curly quotes to straight ones in both
    patterns and texts.
    """
    if "-" in name:
        yield name.replace("-", " ")
    if " (" in name and len(name) > 12:
        # Long names with a qualifier are often glued: "Communist Party of Nepal(Maoist)".
        yield name.replace(" (", "(")
    short = _SHORT_QUALIFIED.match(name)
    if short:
        # "CPI(M)" is also written "CPI(m)", "CPI (M)" and "CPI (m)".
        head, qualifier = short.groups()
        for gap in ("", " "):
            for q in (qualifier, qualifier.lower()):
                variant = f"{head}{gap}({q})"
                if variant != name:
                    yield variant


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """The organisations of ``data/parties.csv`` and the names that refer to them.

    ``parties``: one row per organisation, indexed by ``id``, all columns ``str`` ("" when
    empty). ``patterns``: ``pattern, id, source`` (``source`` is ``name``, ``abbreviation``,
    ``native_name``, ``alias`` or ``variant``). ``context``: ``cue, id``. ``ignored``: aliases
    dropped because they are generic phrases (``data/ignored_aliases.csv``).
    """

    parties: pd.DataFrame
    patterns: pd.DataFrame
    context: pd.DataFrame
    ignored: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """Read and check a gazetteer file (default ``data/parties.csv``)."""
        path = Path(path) if path is not None else data_dir() / "parties.csv"
        if not path.is_file():
            raise DatasetError(
                "the party gazetteer file is missing",
                where=str(path),
                hint="Restore data/parties.csv or point DASHBOARD_DATA_DIR at a folder holding it",
            )
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader, None)
                rows = [(reader.line_num, row) for row in reader]
        except (UnicodeDecodeError, csv.Error) as err:
            raise DatasetError(
                f"cannot read the gazetteer ({err})",
                where=str(path),
                hint="Save it as UTF-8 CSV with a header row",
            ) from err
        if header is None:
            raise DatasetError("the gazetteer is empty", where=str(path), hint="Add a header row")
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise DatasetError(
                f"the gazetteer has no {', '.join(missing)} column",
                where=f"{path}, line 1",
                hint=f"The header must name the columns {', '.join(PARTY_COLUMNS)}",
            )
        records = []
        for line, row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise DatasetError(
                    f"expected {len(header)} fields but found {len(row)}",
                    where=f"{path}, line {line}",
                    hint='Quote fields that contain commas ("Communist Party, Turkey")',
                )
            records.append((line, dict(zip(header, (c.strip() for c in row), strict=True))))
        return cls.from_records(records, source=str(path))

    @classmethod
    def from_frame(cls, df: pd.DataFrame, source: str = "") -> Gazetteer:
        """Build from a frame with the ``data/parties.csv`` columns (tests, user uploads)."""
        records = [
            (i + 2, {str(k): "" if pd.isna(v) else str(v).strip() for k, v in row.items()})
            for i, row in enumerate(df.to_dict("records"))
        ]
        return cls.from_records(records, source=source or "parties frame")

    @classmethod
    def from_records(cls, records: list[tuple[int, dict[str, str]]], source: str) -> Gazetteer:
        """Check ``(line, row)`` records and build the tables; errors name the line."""
        seen: dict[str, int] = {}
        rows: list[dict[str, str]] = []
        for line, raw in records:
            row = {c: raw.get(c, "") for c in PARTY_COLUMNS}
            where = f"{source}, line {line}"
            for column in REQUIRED_COLUMNS:
                if not row[column]:
                    raise DatasetError(
                        f"the {column} is empty",
                        where=where,
                        hint="Every row needs id, name, country",
                    )
            if not _ID_RE.match(row["id"]):
                raise DatasetError(
                    f"the id '{row['id']}' is not a lower-case slug",
                    where=where,
                    hint="Use lower-case letters, digits and hyphens, e.g. 'cpc-canada'",
                )
            if row["id"] in seen:
                raise DatasetError(
                    f"the id '{row['id']}' is already used on line {seen[row['id']]}",
                    where=where,
                    hint="Give each organisation its own id",
                )
            if not _ISO3_RE.match(row["country"]):
                raise DatasetError(
                    f"the country '{row['country']}' is not an ISO-3 code",
                    where=where,
                    hint="Use three capital letters, e.g. GRC for Greece",
                )
            row["kind"] = row["kind"] or "party"
            if row["kind"] not in KINDS:
                raise DatasetError(
                    f"the kind '{row['kind']}' is unknown",
                    where=where,
                    hint=f"Use one of {', '.join(KINDS)}",
                )
            seen[row["id"]] = line
            rows.append(row)
        for row in rows:
            if row["parent"] and row["parent"] not in seen:
                raise DatasetError(
                    f"the parent '{row['parent']}' of '{row['id']}' is not an id in the file",
                    where=f"{source}, line {seen[row['id']]}",
                    hint="Use the id of another row, or leave parent empty",
                )
        parties = pd.DataFrame(rows, columns=list(PARTY_COLUMNS)).set_index("id", drop=False)
        parties.index.name = None
        patterns, ignored = _pattern_table(rows)
        context = pd.DataFrame(
            [(cue, row["id"]) for row in rows for cue in _split(row["context"])],
            columns=["cue", "id"],
        )
        return cls(
            parties=parties, patterns=patterns, context=context, ignored=ignored, source=source
        )

    # -- lookups -------------------------------------------------------------------------------

    @functools.cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.parties["id"])

    @functools.cached_property
    def country_of(self) -> dict[str, str]:
        """id -> home country ISO-3."""
        return dict(zip(self.parties["id"], self.parties["country"], strict=True))

    @functools.cached_property
    def name_of(self) -> dict[str, str]:
        return dict(zip(self.parties["id"], self.parties["name"], strict=True))

    @functools.cached_property
    def abbreviation_of(self) -> dict[str, str]:
        return dict(zip(self.parties["id"], self.parties["abbreviation"], strict=True))

    @functools.cached_property
    def kind_of(self) -> dict[str, str]:
        return dict(zip(self.parties["id"], self.parties["kind"], strict=True))

    def label(self, party_id: str) -> str:
        """Display label: "KKE (Communist Party of Greece)", or the name when no abbreviation."""
        name = self.name_of.get(party_id, party_id)
        abbr = self.abbreviation_of.get(party_id, "")
        return f"{abbr} ({name})" if abbr and abbr != name else name

    @functools.cached_property
    def _exact(self) -> dict[str, tuple[str, ...]]:
        table: dict[str, list[str]] = {}
        for pid in self.ids:
            table.setdefault(pid.casefold(), []).append(pid)
        for pattern, pid in zip(self.patterns["pattern"], self.patterns["id"], strict=True):
            ids = table.setdefault(pattern.casefold(), [])
            if pid not in ids:
                ids.append(pid)
        return {k: tuple(v) for k, v in table.items()}

    def candidates(self, value: str) -> tuple[str, ...]:
        """Ids a whole value names exactly (an id, name, abbreviation or alias, any case)."""
        return self._exact.get(" ".join(str(value).split()).casefold(), ())

    def resolve(self, value: str, country: str = "") -> str:
        """The one id ``value`` names ("" when unknown or ambiguous); ``country`` breaks ties."""
        found = self.candidates(value)
        if len(found) > 1 and country:
            found = tuple(p for p in found if self.country_of[p] == country)
        return found[0] if len(found) == 1 else ""

    def search(self, query: str) -> pd.DataFrame:
        """Organisations whose id, names, aliases, country code or country name contain ``query``.

        Case-insensitive substring search for ``dashboard parties QUERY``; an empty query
        returns every organisation. Columns are those of ``data/parties.csv`` plus
        ``country_name``.
        """
        df = self.parties.reset_index(drop=True)
        country_name = df["country"].map(lambda iso3: country_names().get(iso3, ""))
        df = df.assign(country_name=country_name)
        needle = " ".join(query.split()).casefold()
        if not needle:
            return df
        haystack = (
            df[["id", "name", "abbreviation", "native_name", "aliases", "country", "country_name"]]
            .astype(str)
            .agg(" | ".join, axis=1)
            .str.casefold()
        )
        return df[haystack.str.contains(needle, regex=False)].reset_index(drop=True)


def _pattern_table(rows: list[dict[str, str]]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    generic = load_ignored_aliases()
    out: list[tuple[str, str, str]] = []
    ignored: list[str] = []
    for row in rows:
        names = [
            (row["name"], "name"),
            (row["abbreviation"], "abbreviation"),
            (row["native_name"], "native_name"),
        ]
        names += [(alias, "alias") for alias in _split(row["aliases"])]
        seen: set[str] = set()
        for name, source in names:
            name = " ".join(name.split())
            if not name:
                continue
            if name.casefold() in generic:
                ignored.append(f"{row['id']}: {name}")
                continue
            for pattern, src in [(name, source)] + [
                (v, "variant") for v in spelling_variants(name)
            ]:
                if pattern.casefold() in generic or pattern in seen:
                    continue
                seen.add(pattern)
                out.append((pattern, row["id"], src))
    return pd.DataFrame(out, columns=["pattern", "id", "source"]), tuple(ignored)


load_gazetteer = reference_reader("parties.csv")(Gazetteer.load)
"""The gazetteer at a path (default ``data/parties.csv``), cached until the file changes."""
