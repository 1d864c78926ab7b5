"""What a statement's surroundings say about which party it means: leaders, generic names, sites.

This module owns the party reference tables besides the gazetteer, and one derivation:

* ``data/leaders.csv`` (``party, leader, from, to``): leaders with their years, so "the Communist
  Party" in a statement naming Elizabeth Rowley is the Communist Party of Canada.
* ``data/generic_party_names.csv`` (``language, phrase, resolve_from``): the bare names that
  stand for some party ("Communist Party", "Partido Comunista", "الحزب الشيوعي", "the Party").
  ``resolve_from`` is ``context`` (a leader, the one country the statement names, or the
  dataset's source) or ``source`` (only the site or source party the statement comes from: "the
  Party" in a general news text must stay nobody) or ``list`` ("the communist parties of
  Greece, Turkey and Russia": the parties of the countries that follow).
* ``data/acronym_clashes.csv`` and ``data/party_context_words.csv``: party short names that are
  common acronyms elsewhere ("CPU", "PCE") and the words that show a statement is about
  parties, so such an acronym counts only in party context (see ``link.py``).
* ``data/not_party_names.csv`` (``name, kind``): names that look like party names but belong to
  meetings, initiatives and federations ("International Meeting of Communist and Workers'
  Parties", "WFTU"); the linker matches them only to keep party aliases out of them.
* ``data/press_site_words.csv`` (``word``): words that make a host a party or party-press site
  ("communist", "partido", "solidnet").
* ``url_hints``: the country and party a row's source says, from ``source_country`` /
  ``source_party`` columns or the address of the page: its country-code top-level domain
  (``.pt`` -> PRT) and a host label that is a party's short name (``pcp.pt`` -> PCP of
  Portugal, ``kke.gr`` -> KKE). Worked out once per distinct host, not per row.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry

from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer
from dashboard.reference import load_name_words, read_rows, reference_reader

LEADERS_FILE = "leaders.csv"
CLASHES_FILE = "acronym_clashes.csv"
PARTY_WORDS_FILE = "party_context_words.csv"
GENERIC_FILE = "generic_party_names.csv"
NOT_PARTY_FILE = "not_party_names.csv"
PRESS_WORDS_FILE = "press_site_words.csv"
RESOLVE_FROM: tuple[str, ...] = ("context", "source", "list")
# Country-code domains that are not the ISO alpha-2 code, and generic ones said to be national.
_TLD_EXCEPTIONS = {"uk": "GBR", "el": "GRC"}


@reference_reader(LEADERS_FILE)
def load_leaders(path: Path) -> pd.DataFrame:
    """``party, leader, from, to`` (years as floats, NaN when open); errors name the line."""
    records = []
    for line, row in read_rows(path, ("party", "leader", "from", "to"), "leaders file"):
        years = []
        for column in ("from", "to"):
            value = row[column].strip()
            if value and not re.fullmatch(r"\d{4}", value):
                raise DatasetError(
                    f"'{value}' is not a year",
                    where=f"{path}, line {line}",
                    hint=f"Write the {column} year as four digits, or leave it empty",
                )
            years.append(float(value) if value else np.nan)
        records.append((row["party"].strip(), " ".join(row["leader"].split()), *years))
    return pd.DataFrame(records, columns=["party", "leader", "from", "to"])


@reference_reader(GENERIC_FILE)
def load_generic_names(path: Path) -> pd.DataFrame:
    """``language, phrase, resolve_from`` of the bare names that stand for some party."""
    records = []
    for line, row in read_rows(path, ("language", "phrase", "resolve_from"), "generic names"):
        how = row["resolve_from"].strip()
        if how not in RESOLVE_FROM:
            raise DatasetError(
                f"resolve_from is '{how}'",
                where=f"{path}, line {line}",
                hint=f"Use one of {', '.join(RESOLVE_FROM)}",
            )
        records.append((row["language"].strip(), " ".join(row["phrase"].split()), how))
    return pd.DataFrame(records, columns=["language", "phrase", "resolve_from"])


@reference_reader(CLASHES_FILE)
def load_acronym_clashes(path: Path) -> pd.DataFrame:
    """``acronym, also_means``: party short names that are common acronyms elsewhere."""
    rows = read_rows(path, ("acronym", "also_means"), "acronym clash file")
    return pd.DataFrame(
        [(r["acronym"].strip(), r["also_means"].strip()) for _, r in rows],
        columns=["acronym", "also_means"],
    )


@reference_reader(PARTY_WORDS_FILE)
def load_party_words(path: Path) -> pd.DataFrame:
    """``language, word``: words that show a statement is about parties."""
    rows = read_rows(path, ("language", "word"), "party context word file")
    return pd.DataFrame(
        [(r["language"].strip(), " ".join(r["word"].split())) for _, r in rows],
        columns=["language", "word"],
    )


@reference_reader(NOT_PARTY_FILE, fallback=True)
def load_not_party_names(path: Path) -> pd.DataFrame:
    """``name, kind``: names that look like party names but belong to meetings, initiatives,
    federations and sites ("International Meeting of Communist and Workers' Parties", "WFTU")."""
    rows = read_rows(path, ("name", "kind"), "not-party name file")
    return pd.DataFrame(
        [(" ".join(r["name"].split()), r["kind"].strip()) for _, r in rows],
        columns=["name", "kind"],
    )


@reference_reader(PRESS_WORDS_FILE, fallback=True)
def load_press_site_words(path: Path) -> tuple[str, ...]:
    """Lower-case words that make a host a party's or party press site ("communistparty.ie")."""
    rows = read_rows(path, ("word",), "press site word file")
    return tuple(r["word"].strip().lower() for _, r in rows)


@functools.lru_cache(maxsize=4096)
def _host_hint(host: str, gazetteer: Gazetteer, noise: frozenset[str]) -> tuple[str, str]:
    labels = [p for p in host.lower().split(".") if p]
    country = ""
    if labels:
        tld = labels[-1]
        found = pycountry.countries.get(alpha_2=tld.upper()) if len(tld) == 2 else None
        country = _TLD_EXCEPTIONS.get(tld) or (found.alpha_3 if found else "")
    party = ""
    for label in labels[:-1]:
        if label in noise or len(label) < 2:
            continue
        # "kommunistische-partei-deutschlands.de": a party's name spelled with hyphens.
        party = gazetteer.resolve(label, country) or gazetteer.resolve(
            label.replace("-", " "), country
        )
        if party and country and gazetteer.country_of.get(party) != country:
            party = ""  # "sfi.se" is a Swedish site, not the Students' Federation of India
        if party:
            break
    if party and not country:
        country = gazetteer.country_of.get(party, "")
    return country, party


# The host of an address (``urlsplit(...).hostname``), found by RE2 for every row at once: an
# optional scheme, ``//``, optional user info, then the host up to a port, path, query or fragment.
_HOST_PATTERN = (
    r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//(?:[^@/?#]*@)?"
    r"(?:\[(?P<ipv6>[^\]]*)\]|(?P<host>[^:/?#@]*))"
)


def url_hosts(urls: pd.Series) -> pd.Series:
    """The lower-cased host of each address ("" when there is none); an address without ``//``
    is read as starting with its host ("kke.gr/en" -> "kke.gr")."""
    values = pa.array(urls.astype(object).where(urls.notna(), "").astype(str), type=pa.string())
    slashed = pc.if_else(
        pc.match_substring(values, "//"),
        values,
        pc.binary_join_element_wise(pa.scalar("//"), values, pa.scalar("")),
    )
    found = pc.extract_regex(slashed, _HOST_PATTERN)
    ipv6, host = pc.struct_field(found, [0]), pc.struct_field(found, [1])
    # RE2 leaves a group that did not take part empty: an IPv6 literal or a plain host.
    either = pc.if_else(pc.equal(pc.fill_null(ipv6, ""), ""), host, ipv6)
    hosts = pc.fill_null(pc.utf8_lower(either), "")
    return pd.Series(hosts.to_numpy(zero_copy_only=False), index=urls.index, dtype=object)


def url_hints(urls: pd.Series, gazetteer: Gazetteer) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per row, the country and party the page address says ("" when it says nothing), and
    whether the page is on a party or party-press site (a party's host or a host holding a
    word of ``data/press_site_words.csv``). Worked out once per distinct host: a million
    addresses come from a few thousand sites."""
    codes, hosts = pd.factorize(url_hosts(urls), sort=False)
    press_words = load_press_site_words()
    noise = load_name_words()["host_noise"]
    countries, parties, presses = [], [], []
    for host in hosts:
        country, party = _host_hint(host, gazetteer, noise) if host else ("", "")
        countries.append(country)
        parties.append(party)
        presses.append(bool(party) or any(word in host for word in press_words))
    index = urls.index
    if len(hosts) == 0:
        empty = pd.Series([""] * len(urls), index=index, dtype=object)
        return empty, empty.copy(), pd.Series(False, index=index, dtype=bool)
    country = pd.Series(np.asarray(countries, dtype=object)[codes], index=index, dtype=object)
    party = pd.Series(np.asarray(parties, dtype=object)[codes], index=index, dtype=object)
    press = pd.Series(np.asarray(presses, dtype=bool)[codes], index=index, dtype=bool)
    return country, party, press
