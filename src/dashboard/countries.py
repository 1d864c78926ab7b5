"""Countries in text, and the region and continent of a country.

``CountryMatcher`` finds the countries a text refers to - by name, common or official name,
abbreviation, demonym, capital or notable city - using pycountry's names for every country plus
``data/country_aliases.csv`` (the forms pycountry lacks: "US", "DPRK", "Turkish", "İzmir",
"Kunduz", ...). Matching is one ``TextScanner`` pass with word boundaries and longest match, so
"India" is not found in "Indiana" and "Dominican Republic" is not "Dominica". ``region_of`` and
``continent_of`` map ISO-3 codes through ``data/country_regions.csv`` (UN M49 sub-regions).

Decisions worth knowing:

* A name that fits several countries names none: "Korea" (derived from pycountry's "Korea,
  Republic of" and "Korea, Democratic People's Republic of"), "Congo" (pycountry's name of
  COG and the short form of "Congo, The Democratic Republic of the"), "Virgin Islands". The
  alias file settles any of them: its entries override the pycountry-derived ones.
* Names that are also people's names, US states or parts of other names ("Jim Jordan", "Chad
  Bianco", "Mark Cuban", "Georgia" the US state, "United Russia") are checked per
  ``data/country_traps.csv`` (see ``CountryMatcher._trap_ok``).
* Country names in 14 other languages come from pycountry's ISO 3166 translations, plus the
  inflected forms, demonyms and cities of ``data/country_forms.csv``; they never override an
  English name.
* A country inside any party's name ("Liberal Democratic Party of Russia") is reported by
  ``scan`` with ``inside`` True - evidence of what a statement is about - but ``find`` never
  counts it as a country mentioned.
* Names that are also ordinary lower-case words (rule ``capitalised`` in
  ``data/country_traps.csv``: "chad", "china", "guinea", "jordan", "turkey") match only
  capitalised or in capitals, so "turkey" (the bird) is not TUR.
* Short all-caps forms ("US", "UK") match only in capitals, so the pronoun "us" is never USA.
* Phrases that contain a country name or demonym but name no country ("Latin American", "New
  Mexico") are rows of ``data/country_aliases.csv`` with the ISO-3 ``-``; they swallow their
  text. Every matcher knows the bundled ones and the bundled ``capitalised`` names, also one
  built from an alias table of its own.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import pycountry

from dashboard.errors import DatasetError
from dashboard.paths import data_dir, reference_file
from dashboard.reference import load_name_words, read_rows, reference_reader
from dashboard.textscan import PreparedTexts, TextScanner, lists_by_row, prepare

NO_COUNTRY = "-"
# Key prefix of a country inside a party's name ("Party of Russia"): kept by ``scan`` with
# ``inside`` True, as evidence of what a statement is about, but never a country mentioned.
INSIDE_PARTY = "~"

# pycountry names left out, and why: "Jersey" (JEY) is mostly "New Jersey" or a shirt in news
# text; the island is rarely the subject.
EXCLUDED_PYCOUNTRY_NAMES: frozenset[str] = frozenset({"Jersey"})

# Languages whose country names come from pycountry's bundled ISO 3166 translations: those of
# the parties' own press. Translated names are matched as written (capitalised), and never
# override an English name: the forms they lack (inflections, demonyms) are in FORMS_FILE.
TRANSLATION_LANGUAGES: tuple[str, ...] = (
    "es", "pt", "fr", "de", "it", "tr", "el", "ru", "ar", "pl", "fi", "nl", "gl", "fa",
)  # fmt: skip
ALIASES_FILE = "country_aliases.csv"
FORMS_FILE = "country_forms.csv"
# Words that make the country name after them part of a party's name (see CountryMatcher).
PARTY_OF: tuple[tuple[str, str], ...] = (
    ("en", "Party of"),
    ("en", "Party of the"),
    ("el", "Κόμμα της"),
    ("el", "Κόμματος της"),
)
TRAPS_FILE = "country_traps.csv"
TRAP_RULES: tuple[str, ...] = ("before", "after", "context", "language", "none", "capitalised")
# Rules decided when the matcher is built, not per mention.
_BUILD_RULES = frozenset({"none", "capitalised"})
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’.-]*)[ \t]*$")
_WORD_AFTER = re.compile(r"^[ \t]*([^\W\d_][\w'’-]*)")
FORMS_COLUMNS: tuple[str, ...] = ("iso3", "alias", "language", "kind")
ALIAS_COLUMNS: tuple[str, ...] = ("iso3", "alias", "kind", "case_sensitive")
REGION_COLUMNS: tuple[str, ...] = ("iso3", "continent", "region")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")
_OF_TAIL = re.compile(r"^(.*\bof)( the)?$")


def _strip_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


@functools.cache
def country_names() -> Mapping[str, str]:
    """ISO-3 -> the country's display name: pycountry's short ``common_name`` where it has one
    ("North Korea", not "Korea, Democratic People's Republic of"), else its ``name``."""
    return MappingProxyType(
        {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    )


def pycountry_names(country: object) -> Iterator[str]:
    """Every form pycountry gives a country, plus mechanical rewrites of the "X, Y of" style.

    "Korea, Republic of" -> "Korea, Republic of", "Korea", "Republic of Korea";
    "Virgin Islands, British" -> "British Virgin Islands"; "Holy See (Vatican City State)" ->
    "Holy See"; "the State of Palestine" -> "State of Palestine".
    """
    for attr in ("name", "common_name", "official_name"):
        name = getattr(country, attr, None)
        if not name:
            continue
        name = _strip_the(name)
        yield name
        if " (" in name:
            yield name.split(" (", 1)[0]
        if ", " in name:
            head, tail = name.split(", ", 1)
            yield head
            if _OF_TAIL.match(tail) or " " not in tail:
                yield _strip_the(f"{tail} {head}")


@functools.cache
def translated_names(languages: tuple[str, ...] = TRANSLATION_LANGUAGES) -> dict[str, str]:
    """Country names in ``languages`` from pycountry's gettext catalogues: name -> ISO-3.

    Each translation goes through ``pycountry_names`` ("Russie, Fédération de" -> "Russie").
    A form given to two countries is dropped, and so are forms of one or two letters.
    """
    return {name: iso3 for name, (iso3, _) in _translations(languages).items()}


@functools.cache
def _translations(languages: tuple[str, ...]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Translated name -> (ISO-3, the languages that use it); see ``translated_names``."""
    found: dict[str, set[str]] = {}
    language_of: dict[str, dict[str, None]] = {}
    for language in languages:
        try:
            catalogue = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:  # a pycountry build without this language: nothing to add
            continue
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                english = getattr(country, attr, None)
                translated = catalogue.gettext(english) if english else ""
                if not translated:
                    continue
                for name in pycountry_names(_Named(translated)):
                    if len(name) > 2:
                        found.setdefault(name, set()).add(country.alpha_3)
                        language_of.setdefault(name, {})[language] = None
    return {
        name: (next(iter(codes)), tuple(language_of[name]))
        for name, codes in found.items()
        if len(codes) == 1
    }


class _Named:
    """A stand-in with just a ``name``, so ``pycountry_names`` can rewrite translated names."""

    def __init__(self, name: str) -> None:
        self.name = name


class CountryMatcher:
    """Find ISO-3 codes of the countries a text mentions."""

    def __init__(
        self,
        aliases: pd.DataFrame | None = None,
        source: str = "",
        forms: pd.DataFrame | None = None,
        *,
        languages: tuple[str, ...] = TRANSLATION_LANGUAGES,
        traps: pd.DataFrame | None = None,
    ) -> None:
        """Build from pycountry (English and ``languages``), a frame with the
        ``data/country_aliases.csv`` columns, one with the ``data/country_forms.csv`` columns and
        one with the ``data/country_traps.csv`` columns (``alias, rules``)."""
        # Names that are also people's names, US states or parts of other names, with the
        # checks a mention must pass (see ``_trap_ok``); rule "none" names no country at all.
        # Every matcher, also one built from tables of its own, knows the bundled phrases that
        # name no country and the names that count only capitalised ("turkey" is a bird).
        self.traps: dict[str, frozenset[str]] = {}
        never, capitalised = _bundled_word_rules()
        if traps is not None:
            for alias, rules in zip(traps["alias"], traps["rules"], strict=True):
                alias = " ".join(str(alias).split())
                rule_set = frozenset(str(rules).split())
                if "none" in rule_set:
                    never.append(alias)
                    continue
                if "capitalised" in rule_set:
                    capitalised.add(alias)
                if rule_set - _BUILD_RULES:
                    self.traps[alias] = rule_set - _BUILD_RULES
        self.source = source
        derived: dict[str, set[str]] = {}
        spelled: dict[str, str] = {}
        self.names: dict[str, str] = dict(country_names())
        for country in pycountry.countries:
            iso3 = country.alpha_3
            for name in pycountry_names(country):
                if name in EXCLUDED_PYCOUNTRY_NAMES:
                    continue
                derived.setdefault(name.casefold(), set()).add(iso3)
                spelled.setdefault(name.casefold(), name)
        given: dict[str, set[str]] = {}
        exact: set[str] = set()
        # (iso3, language, kind, form) of every name and demonym, for party-name templates.
        local: list[tuple[str, str, str, str]] = [
            (iso3, "en", "name", name)
            for name, codes in ((spelled[k], v) for k, v in derived.items())
            if len(codes) == 1
            for iso3 in codes
        ]
        if aliases is not None:
            for iso3, alias, flag, kind in zip(
                aliases["iso3"],
                aliases["alias"],
                aliases["case_sensitive"],
                aliases["kind"] if "kind" in aliases else [""] * len(aliases),
                strict=True,
            ):
                alias = " ".join(str(alias).split())
                if iso3 != NO_COUNTRY and kind in ("name", "demonym"):
                    local.append((iso3, "en", kind, alias))
                given.setdefault(alias.casefold(), set()).add(iso3)
                spelled[alias.casefold()] = alias
                if flag:
                    exact.add(alias)
                if iso3 != NO_COUNTRY:
                    self.names.setdefault(iso3, alias)
        for phrase in never:
            given.setdefault(phrase.casefold(), {NO_COUNTRY})
            spelled.setdefault(phrase.casefold(), phrase)
        # Other languages: pycountry's translations, then the curated forms (inflected names,
        # demonyms, cities), which win over the translations but never over an English name.
        foreign: dict[str, set[str]] = {}
        for name, (iso3, used_in) in _translations(languages).items():
            foreign[name.casefold()] = {iso3}
            spelled.setdefault(name.casefold(), name)
            exact.add(name)
            local.extend((iso3, language, "name", name) for language in used_in)
        if forms is not None:
            for iso3, alias, language, kind in zip(
                forms["iso3"], forms["alias"], forms["language"], forms["kind"], strict=True
            ):
                alias = " ".join(str(alias).split())
                foreign[alias.casefold()] = {iso3}
                spelled[alias.casefold()] = alias
                if iso3 != NO_COUNTRY and kind in ("name", "demonym"):
                    local.append((iso3, language, kind, alias))
        # Long official forms ("Republic of Cuba", "Korea, Republic of") are not what a party's
        # name is built from; keeping them out keeps the generated name list small.
        local = [r for r in local if "," not in r[3] and "(" not in r[3] and len(r[3]) <= 24]
        self.local_names = pd.DataFrame(local, columns=["iso3", "language", "kind", "name"])
        """Every country name and demonym per language: ``iso3, language, kind, name``."""
        for folded in list(foreign):
            if folded in derived or folded in given:
                del foreign[folded]
        # The alias file wins over names derived from pycountry.
        table = {**foreign, **derived, **given}
        pairs: list[tuple[str, str]] = []
        self._lookup: dict[str, str] = {}
        for folded, codes in table.items():
            iso3 = next(iter(codes)) if len(codes) == 1 else NO_COUNTRY
            name = spelled[folded]
            pairs.append((name, iso3))
            if iso3 != NO_COUNTRY:
                self._lookup[folded] = iso3
            if name in capitalised:
                exact.update((name, name.upper()))
                pairs.append((name.upper(), iso3))
        # "Liberal Democratic Party of Russia", "Κόμμα της Ρωσίας": a country that is part of
        # a party's name (of any party, not only those in the gazetteer) is not a country
        # mentioned; these phrases swallow it.
        names = self.local_names[self.local_names["kind"] == "name"]
        for language, lead in PARTY_OF:
            forms = names.loc[names["language"] == language, "name"]
            pairs.extend(
                (f"{lead} {name}", INSIDE_PARTY + iso3)
                for name, iso3 in zip(forms, names.loc[forms.index, "iso3"], strict=True)
            )
            exact.update(f"{lead} {name}" for name in forms)
        self.scanner = TextScanner(pairs, case_sensitive=exact)

    @classmethod
    def load(cls, path: str | Path | None = None) -> CountryMatcher:
        """Build from ``data/country_aliases.csv`` (or ``path``) and the forms and traps files
        beside it; errors name the file and line."""
        path = Path(path) if path is not None else data_dir() / ALIASES_FILE
        return cls(
            load_aliases(path),
            source=str(path),
            forms=load_forms(path.parent / FORMS_FILE),
            traps=load_traps(path.parent / TRAPS_FILE),
        )

    def lookup(self, value: object) -> str:
        """The ISO-3 code a whole value names: a code ("GRC", "GR") or a name ("Greece"), or ""."""
        if value is None or (isinstance(value, float) and value != value):
            return ""
        text = " ".join(str(value).split())
        if len(text) in (2, 3) and text.isalpha() and text.isupper():
            found = pycountry.countries.get(**{f"alpha_{len(text)}": text})
            if found is not None:
                return found.alpha_3
            if len(text) == 3 and text in self.names:
                return text
        return self._lookup.get(text.casefold(), "")

    def scan(self, texts: pd.Series | Sequence[str] | PreparedTexts) -> pd.DataFrame:
        """Every country mention: ``row, start, end, iso3`` (phrases naming no country dropped,
        and trap names - "Jim Jordan", "Georgia" the US state - that fail their checks)."""
        prepared = prepare(texts)
        return self.tidy(self.scanner.scan(prepared), prepared)

    def tidy(self, raw: pd.DataFrame, texts: PreparedTexts | None = None) -> pd.DataFrame:
        """``scan``'s result from a raw ``self.scanner`` scan (e.g. one share of a merged scan);
        pass the scanned ``texts`` so trap names are checked."""
        found = raw[raw["key"] != NO_COUNTRY].rename(columns={"key": "iso3"})
        found = found.reset_index(drop=True)
        iso = found["iso3"].astype("category")
        categories = [str(c) for c in iso.cat.categories]
        codes = iso.cat.codes.to_numpy().astype(np.int64)
        plain = [c.removeprefix(INSIDE_PARTY) for c in categories]
        unique = sorted(set(plain))
        to_unique = np.array([unique.index(c) for c in plain], dtype=np.int64)
        inside = np.array([c.startswith(INSIDE_PARTY) for c in categories], dtype=bool)
        found["inside"] = inside[codes] if len(codes) else np.zeros(0, dtype=bool)
        found["iso3"] = pd.Categorical.from_codes(
            to_unique[codes] if len(codes) else codes, categories=unique
        )
        if texts is None or not self.traps or found.empty:
            return found
        return found[self._trap_ok(found, texts)].reset_index(drop=True)

    @functools.cached_property
    def _trap_rules(self) -> dict[tuple[str, int], frozenset[str]]:
        """(ISO-3, length) of each trap name -> the union of the rules of such names."""
        table: dict[tuple[str, int], frozenset[str]] = {}
        for alias, rules in self.traps.items():
            iso3 = self._lookup.get(alias.casefold(), "")
            if iso3:
                key = (iso3, len(alias))
                table[key] = table.get(key, frozenset()) | rules
        return table

    def _trap_ok(self, found: pd.DataFrame, texts: PreparedTexts) -> np.ndarray:
        """Whether each mention passes its trap checks (non-trap mentions always do).

        ``before``/``after``: no capitalised word (a first or last name: "Jim Jordan", "Chad
        Bianco") directly before/after. ``context``: the statement names another country (not
        the USA) too. ``language``: not a demonym used for a language ("in Spanish)"). The
        characters around each mention are checked with numpy first; only mentions whose
        neighbours could fail a check (a letter one space before, a capital one space after,
        punctuation right after a demonym, a name needing context) are looked at in Python.
        """
        ok = np.ones(len(found), dtype=bool)
        rules_of = self._trap_rules
        if not rules_of or found.empty:
            return ok
        iso = found["iso3"].astype("category")
        categories = list(iso.cat.categories)
        length = (found["end"] - found["start"]).to_numpy()
        codes = iso.cat.codes.to_numpy().astype(np.int64)
        width = int(length.max()) + 1
        flags = {rule: np.zeros(len(categories) * width + 1, dtype=bool) for rule in TRAP_RULES}
        for (iso3, size), rules in rules_of.items():
            if iso3 in categories and size < width:
                for rule in rules:
                    flags[rule][categories.index(iso3) * width + size] = True
        key = np.where(codes >= 0, codes * width + length, len(categories) * width)
        cp = texts.codepoints
        last = len(cp) - 1
        g_start = texts.row_start[found["row"].to_numpy()] + found["start"].to_numpy()
        g_end = g_start + length

        def at(pos: np.ndarray) -> np.ndarray:
            return cp[np.clip(pos, 0, last)]

        before, after, next_char = at(g_start - 2), at(g_end + 1), at(g_end)
        letter_before = (((before | 32) >= 97) & ((before | 32) <= 122)) | (before >= 128)
        capital_after = ((after >= 65) & (after <= 90)) | (after >= 128)
        closing = np.isin(next_char, [ord(c) for c in ",.;:)!?"]) | (next_char == 0)
        maybe = (
            (flags["before"][key] & (at(g_start - 1) == 32) & letter_before)
            | (flags["after"][key] & (next_char == 32) & capital_after)
            | (flags["language"][key] & closing)
            | flags["context"][key]
        )
        candidates = np.flatnonzero(maybe)
        if len(candidates) == 0:
            return ok
        rows, starts = found["row"].to_numpy(), found["start"].to_numpy()
        ends, items = found["end"].to_numpy(), texts.items
        traps = {k.casefold(): v for k, v in self.traps.items()}
        iso3 = iso.astype(str).to_numpy(dtype=object)
        words = load_name_words()
        neighbours, leads = words["trap_neighbour"], words["language_lead"]
        checked: list[tuple[int, frozenset[str]]] = []
        for i in candidates:
            text = items[rows[i]]
            rules = traps.get(text[starts[i] : ends[i]].casefold())
            if rules is None:
                continue
            checked.append((i, rules))
            before_text = text[max(0, starts[i] - 40) : starts[i]]
            after_text = text[ends[i] : ends[i] + 40]
            ok[i] = not (
                ("before" in rules and _name_word(_WORD_BEFORE.search(before_text), neighbours))
                or ("after" in rules and _name_word(_WORD_AFTER.match(after_text), neighbours))
                or ("language" in rules and _names_language(before_text, after_text, leads))
            )
        needs_context = [(i, r) for i, r in checked if "context" in r]
        if needs_context:
            # Context: any other mention in the statement that stands, not itself a name
            # that needs context ("Georgia" twice is no context for "Georgia").
            trap_rows = {rows[i] for i, _ in needs_context}
            waiting = np.zeros(len(found), dtype=bool)
            waiting[[i for i, _ in needs_context]] = True
            other: dict[int, set[str]] = {}
            for i in np.flatnonzero(np.isin(rows, list(trap_rows)) & ~waiting & ok):
                other.setdefault(rows[i], set()).add(iso3[i])
            for i, _ in needs_context:
                if not (other.get(rows[i], set()) - {"USA"}):
                    ok[i] = False
        return ok

    def find(
        self,
        texts: pd.Series | Sequence[str] | PreparedTexts,
        exclude_spans: pd.DataFrame | None = None,
        *,
        matches: pd.DataFrame | None = None,
    ) -> pd.Series:
        """Per text, the sorted unique ISO-3 codes it mentions.

        ``exclude_spans`` (``row, start, end``, e.g. party names from ``link_parties``) hides
        mentions overlapping them, so "Communist Party of Greece" does not count as Greece.
        ``matches`` reuses an earlier ``scan`` of the same texts.
        """
        n = len(texts)
        index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(n)
        found = self.scan(texts) if matches is None else matches
        if "inside" in found.columns:
            found = found[~found["inside"].to_numpy(dtype=bool)]
        keep = ~overlaps(found, exclude_spans) if exclude_spans is not None else None
        row = found["row"].to_numpy()
        iso3 = found["iso3"].astype(str).to_numpy(dtype=object)
        if keep is not None:
            row, iso3 = row[keep], iso3[keep]
        frame = pd.DataFrame({"row": row, "iso3": iso3}).drop_duplicates()
        frame = frame.sort_values(["row", "iso3"], kind="stable")
        lists = lists_by_row(frame["row"].to_numpy(), frame["iso3"].to_numpy(), n)
        return pd.Series(lists, index=index, dtype=object, name="countries")


def overlaps(found: pd.DataFrame, spans: pd.DataFrame) -> np.ndarray:
    """Whether each ``row, start, end`` in ``found`` overlaps any span of ``spans`` (same row)."""
    if len(found) == 0 or len(spans) == 0:
        return np.zeros(len(found), dtype=bool)
    # Global coordinates: rows laid end to end, so one sorted search covers all rows.
    width = int(max(found["end"].max(), spans["end"].max())) + 1
    s_start = spans["row"].to_numpy() * width + spans["start"].to_numpy()
    s_end = spans["row"].to_numpy() * width + spans["end"].to_numpy()
    order = np.argsort(s_start, kind="stable")
    s_start, s_end = s_start[order], np.maximum.accumulate(s_end[order])
    f_start = found["row"].to_numpy() * width + found["start"].to_numpy()
    f_end = found["row"].to_numpy() * width + found["end"].to_numpy()
    last = np.searchsorted(s_start, f_end, side="left") - 1
    valid = last >= 0
    out = np.zeros(len(found), dtype=bool)
    out[valid] = s_end[last[valid]] > f_start[valid]
    return out


def _name_word(match: re.Match[str] | None, neighbours: frozenset[str]) -> bool:
    """Whether a neighbouring word is a capitalised name (not one of ``neighbours``, the
    function words such as "In" of ``data/name_words.csv``)."""
    if match is None:
        return False
    word = match.group(1).rstrip(".'’")
    if match.re is _WORD_BEFORE and word.endswith(("'s", "’s")):
        return False  # "Putin's Russia": a possessive before the name is not part of it
    return bool(word) and word[0].isupper() and word.casefold() not in neighbours


def _names_language(before: str, after: str, leads: frozenset[str]) -> bool:
    """Whether a demonym is a language here: "in Spanish)", "translated from French." (``leads``:
    the words after which a demonym names a language)."""
    word = _WORD_BEFORE.search(before)
    return (
        word is not None
        and word.group(1).casefold() in leads
        and (not after.strip() or after.lstrip()[0] in ",.;:)!?")
    )


@reference_reader(ALIASES_FILE)
def load_aliases(path: Path) -> pd.DataFrame:
    """``data/country_aliases.csv``: ``iso3, alias, kind, case_sensitive`` (a bool); errors name
    the file and line."""
    rows = read_rows(path, ("iso3", "alias"), "country alias file")
    records = []
    for line, row in rows:
        iso3 = row.get("iso3", "").strip()
        alias = row.get("alias", "").strip()
        flag = row.get("case_sensitive", "").strip() or "0"
        where = f"{path}, line {line}"
        if not (_ISO3_RE.match(iso3) or iso3 == NO_COUNTRY):
            raise DatasetError(
                f"'{iso3}' is not an ISO-3 code",
                where=where,
                hint="Use three capital letters (e.g. TUR), or '-' for a phrase naming none",
            )
        if not alias:
            raise DatasetError("the alias is empty", where=where, hint="Fill it or drop the line")
        if flag not in ("0", "1"):
            raise DatasetError(
                f"case_sensitive is '{flag}'", where=where, hint="Use 1 (exact case) or 0"
            )
        records.append((iso3, alias, row.get("kind", "").strip(), flag == "1"))
    return pd.DataFrame(records, columns=list(ALIAS_COLUMNS))


@reference_reader(TRAPS_FILE)
def load_traps(path: Path) -> pd.DataFrame | None:
    """``data/country_traps.csv``: country names that need checks; None when absent."""
    if not path.is_file():
        return None
    records = []
    for line, row in read_rows(path, ("alias", "rules"), "country traps file"):
        rules = row["rules"].split()
        if not rules or set(rules) - set(TRAP_RULES):
            raise DatasetError(
                f"unknown rules '{row['rules']}'",
                where=f"{path}, line {line}",
                hint=f"Use one or more of {', '.join(TRAP_RULES)}",
            )
        records.append((" ".join(row["alias"].split()), " ".join(rules)))
    return pd.DataFrame(records, columns=["alias", "rules"])


@reference_reader(FORMS_FILE)
def load_forms(path: Path) -> pd.DataFrame | None:
    """``data/country_forms.csv``: country names in other languages that pycountry lacks
    (inflected forms, demonyms, cities); None when the file is absent."""
    if not path.is_file():
        return None
    records = []
    for line, row in read_rows(path, FORMS_COLUMNS, "country forms file"):
        iso3, alias = row["iso3"].strip(), row["alias"].strip()
        if not (_ISO3_RE.match(iso3) or iso3 == NO_COUNTRY) or not alias:
            raise DatasetError(
                f"'{iso3}, {alias}' is not an ISO-3 code and a form",
                where=f"{path}, line {line}",
                hint="Use three capital letters (or '-' for a word naming no country) and a form",
            )
        records.append((iso3, alias, row["language"].strip(), row["kind"].strip()))
    return pd.DataFrame(records, columns=list(FORMS_COLUMNS))


def _bundled_word_rules() -> tuple[list[str], set[str]]:
    """The phrases that name no country (ISO-3 ``-`` in ``country_aliases.csv``: "Latin
    America", "New Mexico") and the names matched only capitalised or in capitals (rule
    ``capitalised`` in ``country_traps.csv``: "chad", "china", "turkey"), from the bundled files.
    """
    aliases = load_aliases(reference_file(ALIASES_FILE))
    never = aliases.loc[aliases["iso3"] == NO_COUNTRY, "alias"].tolist()
    traps = load_traps(reference_file(TRAPS_FILE))
    if traps is None:
        return never, set()
    capitalised = {
        alias
        for alias, rules in zip(traps["alias"], traps["rules"], strict=True)
        if "capitalised" in rules.split()
    }
    return never, capitalised


load_country_matcher = reference_reader(ALIASES_FILE)(CountryMatcher.load)
"""The matcher for a path (default ``data/country_aliases.csv``), cached until it changes."""


def find_countries(
    texts: pd.Series | Sequence[str],
    exclude_spans: pd.DataFrame | None = None,
    *,
    matcher: CountryMatcher | None = None,
) -> pd.Series:
    """Per text, the sorted unique ISO-3 codes of the countries it mentions (default matcher)."""
    return (matcher or load_country_matcher()).find(texts, exclude_spans)


@reference_reader("country_regions.csv")
def load_regions(path: Path) -> pd.DataFrame:
    """``data/country_regions.csv`` as a frame indexed by ISO-3 with ``continent``, ``region``."""
    rows = read_rows(path, REGION_COLUMNS, "country region file")
    records = []
    for line, row in rows:
        iso3 = row["iso3"].strip()
        if not _ISO3_RE.match(iso3):
            raise DatasetError(
                f"'{iso3}' is not an ISO-3 code",
                where=f"{path}, line {line}",
                hint="Use three capital letters, e.g. TUR",
            )
        records.append((iso3, row["continent"].strip(), row["region"].strip()))
    frame = pd.DataFrame(records, columns=list(REGION_COLUMNS))
    return frame.drop_duplicates("iso3").set_index("iso3")


def _map_region(
    iso3: str | pd.Series, column: str, regions: pd.DataFrame | None
) -> str | pd.Series:
    table = (regions if regions is not None else load_regions())[column]
    if isinstance(iso3, pd.Series):
        codes = iso3.astype(object).where(iso3.notna(), "")
        mapped = codes.map(table).where(lambda s: s.notna(), "")
        return mapped.astype("category").rename(column)
    return str(table.get(iso3, "")) if iso3 else ""


def region_of(iso3: str | pd.Series, regions: pd.DataFrame | None = None) -> str | pd.Series:
    """UN M49 sub-region of an ISO-3 code, or of each code in a Series (category); "" if unknown."""
    return _map_region(iso3, "region", regions)


def continent_of(iso3: str | pd.Series, regions: pd.DataFrame | None = None) -> str | pd.Series:
    """Continent of an ISO-3 code, or of each code in a Series (category); "" if unknown."""
    return _map_region(iso3, "continent", regions)
