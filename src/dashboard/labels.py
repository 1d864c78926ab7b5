"""Display labels: turning ids of every kind into words people read.

Owns every id -> label mapping shown in the UI, captions, charts, downloads and file names, with
one entry point, ``label_ids(values, kind)``: party labels from the gazetteer file
``data/parties.csv`` ("KKE (Greece)"; the other forms, "Communist Party of Greece (KKE) -
Greece" and so on, are the ``party_*`` functions), country names from pycountry (its short
``common_name`` where it has one), topic labels from the taxonomy (``dashboard.topics``),
language names, column titles (``schema.DISPLAY_LABELS``, for plotly's ``labels=`` and table
headers) and the words of an aggregate's special groups ("all", "(none)", "(others)"). Every
lookup falls back to the raw id when the reference data does not know it, so a dataset that
names a party missing from the gazetteer still shows something. Reference tables come through
their loaders (``load_gazetteer``, ``load_taxonomy``: read once, again after an edit);
``label_ids`` looks each distinct value up once, so labelling a million rows costs no more than
labelling the few hundred distinct ids.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, overload

import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.countries import country_names
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer, load_gazetteer
from dashboard.topics import load_taxonomy, topic_labels

LabelKind = Literal[
    "party",
    "party_short",
    "party_abbreviation",
    "party_picker",
    "organisation",
    "country",
    "topic",
    "language",
    "column",
]


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
    """``"de"`` -> ``"German"`` (ISO 639 names from pycountry); "Unknown" for ""."""
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
    """``"war_imperialism"`` -> ``"War, militarism and imperialism"`` (the taxonomy's label),
    else a readable form of the id."""
    label = _topic_labels().get(str(topic_id))
    return label if label else _humanise(topic_id)


def _column_label(column: str) -> str:
    """``"party_countries"`` -> ``"Party home countries"``: ``schema.DISPLAY_LABELS``, else the
    name made readable."""
    return schema.DISPLAY_LABELS.get(column, column.replace("_", " ").capitalize())


#: The words for the special groups of an aggregate frame (``schema.ALL_GROUP`` ...).
GROUP_LABELS: dict[str, str] = {
    schema.ALL_GROUP: "All statements",
    schema.NONE_GROUP: "None named",
    schema.OTHERS_GROUP: "Others",
}
#: Breakdown -> its own words for "(others)" and "(none)": "Other topics" must not read like the
#: taxonomy's own "other" topic.
BREAKDOWN_GROUP_LABELS: dict[str, dict[str, str]] = {
    breakdown: {schema.OTHERS_GROUP: others, schema.NONE_GROUP: none}
    for breakdown, (others, none) in {
        "topic": ("Other topics", "No topic"),
        "party": ("Other parties", "No party named"),
        "country": ("Other countries", "No party home country"),
        "region": ("Other regions", "No party named"),
        "continent": ("Other continents", "No party named"),
    }.items()
}
#: Columns of the frame that hold ids, and the kind of id each holds.
COLUMN_KINDS: dict[str, LabelKind] = {
    schema.PARTIES: "party",
    schema.PARTY_COUNTRIES: "country",
    schema.COUNTRIES: "country",
    schema.TOPICS: "topic",
}

_LOOKUPS: dict[str, Callable[[str], str]] = {
    "party": party_label,
    "party_short": party_distinct_short,
    "party_abbreviation": party_short,
    "party_picker": party_picker_label,
    "organisation": lambda kind: KIND_LABELS.get(kind, kind),
    "country": country_name,
    "topic": topic_label,
    "language": language_name,
    "column": _column_label,
}


@overload
def label_ids(values: str, kind: LabelKind | None, *, groups: str | None = None) -> str: ...
@overload
def label_ids(
    values: pd.Series | pd.Index | Sequence[str] | np.ndarray,
    kind: LabelKind | None,
    *,
    groups: str | None = None,
) -> pd.Series: ...
def label_ids(
    values: str | pd.Series | pd.Index | Sequence[str] | np.ndarray,
    kind: LabelKind | None,
    *,
    groups: str | None = None,
) -> str | pd.Series:
    """The display labels of ids of one ``kind``: the one way ids become words.

    ``kind`` is ``party`` ("KKE (Greece)"), ``party_short`` for captions and file names ("KKE",
    "CPC (Canada)" where two parties share "CPC"), ``party_abbreviation`` (always just "CPC"),
    ``party_picker`` for searchable pickers ("KKE — Communist Party of Greece (Greece)"),
    ``organisation`` (a gazetteer ``kind``: "Trade unions"), ``country`` ("Greece"), ``topic``
    (the taxonomy's label), ``language`` ("German"), ``column`` (a frame or aggregate column's
    title, for axes, legends and table headers) or None for values that already read as words
    (regions, continents). An id the reference data does not know stays as it is.

    ``groups`` is given when the values are an aggregate's groups: the breakdown name (or ``""``)
    whose words ``"all"``, ``"(none)"`` and ``"(others)"`` take (``GROUP_LABELS``,
    ``BREAKDOWN_GROUP_LABELS``), and an empty label reads "(blank)".

    One id gives a ``str``. A Series gives a ``str`` Series with its index, anything else a
    Series with a default index (assign it back with ``df.index = label_ids(df.index, ...)``);
    missing values stay missing. Each distinct id is looked up once, so labelling a million rows
    costs no more than labelling the few hundred distinct ids.
    """
    if kind is not None and kind not in _LOOKUPS:
        raise ValueError(f"kind must be one of {sorted(_LOOKUPS)}, got {kind!r}")
    lookup = _LOOKUPS[kind] if kind is not None else str
    if groups is not None:
        words = {**GROUP_LABELS, **BREAKDOWN_GROUP_LABELS.get(groups, {})}
        plain = lookup

        def lookup(value: str) -> str:
            return words.get(value) or plain(value) or "(blank)"

    if isinstance(values, str):
        return lookup(values)
    if isinstance(values, pd.Series):
        series = values
    else:
        index = pd.RangeIndex(len(values))
        series = pd.Series(values, index=index, name=getattr(values, "name", None))
    mapping = {v: lookup(str(v)) for v in pd.unique(series.dropna())}
    # ``map`` with a dict is a hash lookup per row (and per category for categoricals), so
    # the Python-level lookups above run once per distinct id, not once per row.
    return series.map(mapping).astype("str")
