"""The bundled party gazetteer ``data/parties.csv``: schema, safe aliases, must-have rows.

These tests are about the data file itself (not the code that reads it): every row must be
loadable, every short name the linker may see must be safe to match, and the public
identifiers it carries (``partyfacts_id``) must agree with the Party Facts reference tables in
``../shared/reference`` when that folder is present.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from dashboard.gazetteer import Gazetteer

REPO_ROOT = Path(__file__).resolve().parents[1]
PARTIES_CSV = REPO_ROOT / "data" / "parties.csv"
REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference"

COLUMNS = [
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
]
KINDS = {"party", "youth", "front", "union", "women"}
SEPARATOR = " | "

# Names that refer to no particular organisation; any of them as a name, abbreviation or alias
# would link ordinary sentences ("Communists condemn ...") to one party.
GENERIC_NAMES = {
    "communist",
    "communists",
    "the communists",
    "communist party",
    "the communist party",
    "communist parties",
    "communist youth",
    "young communists",
    "workers",
    "workers party",
    "workers' party",
    "the party",
    "party",
    "socialist party",
    "labour party",
    "labor party",
    "left party",
    "the left",
    "left",
    "pc",
    "cp",
}
# Short upper-case strings that are common outside party names; the linker matches short
# all-caps names case-sensitively, so owning one of these would mislink everyday news.
COMMON_ACRONYMS = {
    "AKP",  # Turkey's ruling party, in most Turkish news
    "PKK",  # Kurdistan Workers' Party
    "PRC",  # People's Republic of China
    "PCR",  # the test
    "ICP",  # International Communist Press, the source of much of this data
    "KPK",  # Khyber Pakhtunkhwa, Pakistan
    "ECP",  # Election Commission of Pakistan
    "PDT",  # Pacific Daylight Time
    "CDU",  # Germany's Christian Democrats
    "UN",
    "EU",
    "US",
    "UK",
    "PM",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The ids of the seed sample's parties: code, tests and the bundled sample depend on them.
SEED_IDS = [
    "kke",
    "kne",
    "pame",
    "tkp",
    "kp-turkey",
    "kg-turkey",
    "cpc-canada",
    "cpc-china",
    "cpi-india",
    "cpim-india",
    "cpu-ukraine",
    "pcp-portugal",
    "pcp-peru",
    "jcp",
    "pca-argentina",
    "cpsl",
    "sacp",
    "pcpe",
    "akel",
    "cpa-australia",
    "cpa-armenia",
    "psl-usa",
]


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


HEADER, ROWS = _read(PARTIES_CSV)
BY_ID = {row["id"]: row for row in ROWS}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _surface_names(row: dict[str, str]) -> list[str]:
    """Every string the linker may look for in a statement for this row."""
    names = [row["name"], row["abbreviation"], row["native_name"], *_split(row["aliases"])]
    return [name for name in names if name]


def _is_short_caps(name: str) -> bool:
    return len(name) <= 5 and not any(ch.islower() for ch in name)


# -- schema ----------------------------------------------------------------------------------


def test_header_is_the_documented_column_list():
    assert HEADER == COLUMNS


def test_at_least_150_organisations():
    assert len(ROWS) >= 150


def test_no_row_has_missing_or_extra_fields():
    # DictReader puts surplus fields under None and fills missing ones with None.
    broken = [row.get("id") for row in ROWS if None in row or None in row.values()]
    assert broken == []


@pytest.mark.parametrize("column", ["id", "name", "country", "kind"])
def test_required_columns_are_filled(column):
    assert [row["id"] for row in ROWS if not row[column].strip()] == []


def test_ids_are_unique_slugs():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not SLUG_RE.match(i)] == []


def test_names_are_unique():
    seen: dict[str, str] = {}
    clashes = []
    for row in ROWS:
        key = row["name"].casefold()
        if key in seen:
            clashes.append((seen[key], row["id"]))
        seen[key] = row["id"]
    assert clashes == []


def test_countries_are_iso3_codes():
    bad = [
        (row["id"], row["country"])
        for row in ROWS
        if pycountry.countries.get(alpha_3=row["country"]) is None
    ]
    assert bad == []


def test_kinds_are_known():
    assert [(row["id"], row["kind"]) for row in ROWS if row["kind"] not in KINDS] == []


def test_parents_exist_and_share_the_home_country():
    bad = []
    for row in ROWS:
        parent = row["parent"]
        if not parent:
            continue
        if parent == row["id"] or parent not in BY_ID:
            bad.append((row["id"], parent, "unknown"))
        elif BY_ID[parent]["country"] != row["country"]:
            bad.append((row["id"], parent, "other country"))
    assert bad == []


def test_youth_wings_name_their_party():
    orphans = [row["id"] for row in ROWS if row["kind"] == "youth" and not row["parent"]]
    assert orphans == []


def test_partyfacts_ids_are_integers_used_once():
    ids = [row["partyfacts_id"] for row in ROWS if row["partyfacts_id"]]
    assert [i for i in ids if not i.isdigit()] == []
    assert len(ids) == len(set(ids))


def test_list_fields_are_clean():
    # "a |  | b", duplicates or stray spaces make aliases that never match or match twice.
    bad = []
    for row in ROWS:
        for column in ("aliases", "context"):
            raw = row[column]
            if not raw:
                continue
            parts = raw.split(SEPARATOR)
            if any(not p or p != p.strip() or "|" in p for p in parts):
                bad.append((row["id"], column, "separator"))
            if len(parts) != len(set(parts)):
                bad.append((row["id"], column, "duplicate"))
    assert bad == []


def test_single_value_fields_hold_no_list_separator():
    bad = [
        (row["id"], column)
        for row in ROWS
        for column in ("id", "name", "abbreviation", "native_name", "country", "parent")
        if "|" in row[column]
    ]
    assert bad == []


# -- safe names ------------------------------------------------------------------------------


def test_no_generic_name_or_alias():
    bad = [
        (row["id"], name)
        for row in ROWS
        for name in _surface_names(row)
        if " ".join(name.split()).casefold() in GENERIC_NAMES
    ]
    assert bad == []


def test_no_short_name_is_a_common_acronym():
    bad = [
        (row["id"], name) for row in ROWS for name in _surface_names(row) if name in COMMON_ACRONYMS
    ]
    assert bad == []


def _shared_short_names() -> dict[str, list[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in ROWS:
        for name in _surface_names(row):
            if _is_short_caps(name):
                owners[name].add(row["id"])
    return {name: sorted(ids) for name, ids in owners.items() if len(ids) > 1}


SHARED = _shared_short_names()


def test_the_known_ambiguous_short_names_are_shared():
    # The linker's context rules exist for these; each must really name several parties.
    for name in ("CPC", "CPA", "PCP", "KP", "CPI", "PCB", "CPB", "DKP", "SKP"):
        assert len(SHARED.get(name, [])) >= 2, name


@pytest.mark.parametrize("short_name", sorted(SHARED))
def test_parties_sharing_a_short_name_have_telling_context(short_name):
    owners = SHARED[short_name]
    cues = {pid: set(_split(BY_ID[pid]["context"])) for pid in owners}
    for pid in owners:
        others = set().union(*(cues[o] for o in owners if o != pid))
        assert len(cues[pid]) >= 3, f"{pid} needs at least 3 context cues"
        assert cues[pid] - others, f"{pid} has no cue that tells it apart from {owners}"


def test_bundled_file_loads_and_no_alias_is_dropped_as_generic():
    gazetteer = Gazetteer.load(PARTIES_CSV)
    assert len(gazetteer.ids) == len(ROWS)
    assert gazetteer.ignored == ()


# -- must-have rows --------------------------------------------------------------------------


@pytest.mark.parametrize("party_id", SEED_IDS)
def test_seed_ids_are_kept(party_id):
    assert party_id in BY_ID


@pytest.mark.parametrize(
    ("abbreviation", "country"),
    [
        ("KKE", "GRC"),
        ("PAME", "GRC"),
        ("TKP", "TUR"),
        ("CPRF", "RUS"),
        ("PCP", "PRT"),
        ("PCP", "PER"),
        ("CPC", "CHN"),
        ("CPC", "CAN"),
        ("CPI(M)", "IND"),
        ("SACP", "ZAF"),
        ("PCV", "VEN"),
        ("PCC", "CUB"),
        ("CPUSA", "USA"),
        ("AKEL", "CYP"),
        ("KSČM", "CZE"),
        ("WPK", "PRK"),
        ("CPV", "VNM"),
        ("PCF", "FRA"),
        ("DKP", "DEU"),
        ("DKP", "DNK"),
        ("FMLN", "SLV"),
        ("PCdoB", "BRA"),
    ],
)
def test_must_have_organisation_exists(abbreviation, country):
    found = [r["id"] for r in ROWS if r["abbreviation"] == abbreviation and r["country"] == country]
    assert len(found) == 1, f"{abbreviation} ({country}): {found}"


@pytest.mark.parametrize(
    ("child", "parent"),
    [("kne", "kke"), ("pame", "kke"), ("sfi", "cpim-india"), ("aituc", "cpi-india")],
)
def test_wings_point_at_their_party(child, parent):
    assert BY_ID[child]["parent"] == parent


# -- cross-check against Party Facts -----------------------------------------------------------

# Words too common in party names to show that two names are about the same organisation.
_NAME_STOPWORDS = {
    "party",
    "parti",
    "partido",
    "partito",
    "partei",
    "partij",
    "partia",
    "communist",
    "comunista",
    "the",
    "and",
    "for",
    "of",
}


def _words(*texts: str) -> set[str]:
    words = set()
    for text in texts:
        found = re.findall(r"[^\W\d_]{4,}", text.casefold())
        words |= {w for w in found if w not in _NAME_STOPWORDS}
    return words


@pytest.fixture(scope="module")
def partyfacts() -> dict[str, dict[str, str]]:
    path = REFERENCE_DIR / "partyfacts-core-parties.csv"
    if not path.is_file():
        pytest.skip(f"Party Facts reference table not found at {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["partyfacts_id"]: row for row in csv.DictReader(handle)}


@pytest.mark.reference
def test_partyfacts_ids_exist_for_the_same_country(partyfacts):
    bad = []
    for row in ROWS:
        pf = row["partyfacts_id"]
        if not pf:
            continue
        ref = partyfacts.get(pf)
        if ref is None:
            bad.append((row["id"], pf, "not in Party Facts"))
        elif ref["country"] != row["country"]:
            bad.append((row["id"], pf, f"Party Facts country is {ref['country']}"))
    assert bad == []


@pytest.mark.reference
def test_partyfacts_names_match_ours(partyfacts):
    # A distinctive word of the Party Facts name must appear among our names: catches an id
    # that points at another party of the same country.
    bad = []
    for row in ROWS:
        ref = partyfacts.get(row["partyfacts_id"])
        if ref is None:
            continue
        theirs = _words(ref["name_short"], ref["name"], ref["name_english"])
        ours = _words(*_surface_names(row))
        if not theirs & ours:
            bad.append((row["id"], ref["name_english"]))
    assert bad == []
