"""Display labels: turning party ids, ISO-3 codes and topic ids into words people read.

Owns every id -> label mapping shown in the UI, captions, charts and file names: party labels
from the gazetteer file ``data/parties.csv`` ("KKE (Greece)", "Communist Party of Greece (KKE) -
Greece"), country names from pycountry (its short ``common_name`` where it has one), topic labels
from the taxonomy (``dashboard.topics``) and ``DISPLAY_LABELS`` for plotly's ``labels=``. Every
lookup falls back to the raw id when the reference data does not know it, so a dataset that
names a party missing from the gazetteer still shows something. Reference tables come through
their loaders (``load_gazetteer``, ``load_taxonomy``: read once, again after an edit);
``map_labels`` maps each distinct value once, so labelling a million rows costs no more than
labelling the few hundred distinct ids.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from dashboard import schema
from dashboard.countries import country_names
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer, load_gazetteer
from dashboard.topics import load_taxonomy, topic_labels

LabelKind = Literal["party", "country", "topic"]

# Column (and aggregate) names -> axis/legend titles, defined with the frame in ``schema``.
DISPLAY_LABELS = schema.DISPLAY_LABELS


@dataclass(frozen=True)
class _PartyRow:
    name: str
    abbreviation: str
    country: str
    kind: str = "party"


@functools.lru_cache(maxsize=4)
def _party_rows(gazetteer: Gazetteer) -> Mapping[str, _PartyRow]:
    """Party id -> name, abbreviation, home country, once per gazetteer read."""
    parties = gazetteer.parties
    return {
        pid: _PartyRow(name=name, abbreviation=abbr, country=iso3, kind=kind)
        for pid, name, abbr, iso3, kind in zip(
            parties["id"],
            parties["name"],
            parties["abbreviation"],
            parties["country"],
            parties["kind"],
            strict=True,
        )
    }


def _party_table() -> Mapping[str, _PartyRow]:
    try:
        return _party_rows(load_gazetteer())
    except DatasetError:
        # A missing or broken gazetteer is reported by the loader; labels fall back to ids.
        return {}


@functools.lru_cache(maxsize=4)
def _ambiguous_abbreviations(gazetteer: Gazetteer) -> frozenset[str]:
    """Abbreviations two or more gazetteer parties share (CPC: Canada and China)."""
    counts = gazetteer.parties["abbreviation"].value_counts()
    return frozenset(a for a, c in counts.items() if a and c > 1)


def is_ambiguous_abbreviation(abbreviation: str) -> bool:
    """True when more than one party in the gazetteer uses ``abbreviation``."""
    try:
        return abbreviation in _ambiguous_abbreviations(load_gazetteer())
    except DatasetError:
        return False


@functools.lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """``"el"`` -> ``"Greek"`` (ISO 639 names from pycountry); "Unknown" for ""."""
    value = str(code).strip().lower()
    if not value:
        return "Unknown"
    try:
        import pycountry

        language = pycountry.languages.get(alpha_2=value) or pycountry.languages.get(alpha_3=value)
    except (ImportError, LookupError, KeyError):
        language = None
    return str(language.name) if language is not None else str(code)


@functools.lru_cache(maxsize=1024)
def country_name(iso3: str) -> str:
    """``"GRC"`` -> ``"Greece"``; pycountry's short common name where it has one, else the id."""
    code = str(iso3).strip().upper()
    if not code:
        return ""
    return country_names().get(code, str(iso3))


def party_short(party_id: str) -> str:
    """``"kke"`` -> ``"KKE"``: the abbreviation, else the full name, else the id itself."""
    row = _party_table().get(party_id)
    if row is None:
        return str(party_id)
    return row.abbreviation or row.name or str(party_id)


def party_label(party_id: str) -> str:
    """``"kke"`` -> ``"KKE (Greece)"``: short name plus home country, which also tells apart
    parties sharing an abbreviation (``"CPC (Canada)"`` / ``"CPC (China)"``)."""
    row = _party_table().get(party_id)
    if row is None:
        return str(party_id)
    short = row.abbreviation or row.name or str(party_id)
    return f"{short} ({country_name(row.country)})" if row.country else short


def party_long_label(party_id: str) -> str:
    """``"kke"`` -> ``"Communist Party of Greece (KKE) - Greece"`` for searchable pickers."""
    row = _party_table().get(party_id)
    if row is None:
        return str(party_id)
    name = row.name or str(party_id)
    if row.abbreviation and row.abbreviation != name:
        name = f"{name} ({row.abbreviation})"
    return f"{name} - {country_name(row.country)}" if row.country else name


def party_picker_label(party_id: str) -> str:
    """``"kke"`` -> ``"KKE — Communist Party of Greece (Greece)"``: the abbreviation first, so a
    picker's fuzzy search ranks the party whose abbreviation is typed ("KKE") above parties
    that merely contain the letters (AKEL, TKP)."""
    row = _party_table().get(party_id)
    if row is None:
        return str(party_id)
    name = row.name or str(party_id)
    if row.abbreviation and row.abbreviation != name:
        name = f"{row.abbreviation} — {name}"
    return f"{name} ({country_name(row.country)})" if row.country else name


def party_distinct_short(party_id: str) -> str:
    """The abbreviation, with the home country only when another party shares it.

    For captions and file names: ``"KKE"`` but ``"CPC (Canada)"``.
    """
    short = party_short(party_id)
    return party_label(party_id) if is_ambiguous_abbreviation(short) else short


# Organisation types in data/parties.csv's ``kind`` column, as the Parties page names them.
KIND_LABELS: dict[str, str] = {
    "party": "Parties",
    "youth": "Youth organisations",
    "women": "Women's organisations",
    "union": "Trade unions",
    "front": "Fronts",
    "international": "International organisations",
}
# What counts as a party unless the user asks for more: fronts and unions (PAME) are not.
DEFAULT_PARTY_KINDS: tuple[str, ...] = ("party",)


def party_kind(party_id: str) -> str:
    """The organisation type of a gazetteer id (``party``, ``youth``, ``union``, ``front``, ...);
    ``party`` for an id the gazetteer does not know."""
    row = _party_table().get(party_id)
    return row.kind if row is not None else "party"


def party_country(party_id: str) -> str:
    """The ISO-3 home country of a gazetteer party, ``""`` when unknown."""
    row = _party_table().get(party_id)
    return row.country if row is not None else ""


def _topic_labels() -> Mapping[str, str]:
    """Topic id -> label from ``data/topics.toml``, ``{}`` when absent or unreadable."""
    try:
        return topic_labels(load_taxonomy())
    except DatasetError:
        return {}  # a broken taxonomy is reported by the loader, not here


def _humanise(topic_id: str) -> str:
    words = str(topic_id).replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else str(topic_id)


def topic_label(topic_id: str) -> str:
    """``"war-imperialism"`` -> the taxonomy's label, else a readable form of the id."""
    label = _topic_labels().get(str(topic_id))
    return label if label else _humanise(topic_id)


_LOOKUPS = {"party": party_label, "country": country_name, "topic": topic_label}


def map_labels(values: pd.Series | pd.Index, kind: LabelKind) -> pd.Series:
    """Labels for a column or index of ids, looking each distinct id up only once.

    A Series keeps its index; an Index gives a Series with a default index (assign it back with
    ``df.index = map_labels(df.index, ...)``). Missing values stay missing.
    """
    if kind not in _LOOKUPS:
        raise ValueError(f"kind must be one of {sorted(_LOOKUPS)}, got {kind!r}")
    lookup = _LOOKUPS[kind]
    if isinstance(values, pd.Index):
        series = pd.Series(values, index=pd.RangeIndex(len(values)), name=values.name)
    else:
        series = values
    mapping = {v: lookup(str(v)) for v in pd.unique(series.dropna())}
    # ``map`` with a dict is a hash lookup per row (and per category for categoricals), so
    # the Python-level lookups above run once per distinct id, not once per row.
    return series.map(mapping).astype("str")
