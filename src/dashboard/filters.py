"""``FilterSpec``: the one immutable description of which statements the analyst is looking at.

Owns the meaning of every sidebar filter - date range (precision-aware: a month-precision
statement is in a range when its month overlaps it), continent, region, party home country,
party, topic and free-text search - and its three faces: a boolean mask over a ``Dataset``, a
sentence for people ("31 of 1,024 statements · Oct 2015 · parties: KKE, TKP") plus a slug for
file names, and URL query parameters (``to_query`` / ``from_query``, where unknown or malformed
values are dropped with a notice instead of an error). Values inside one filter are OR'ed
(party KKE or TKP), filters are AND'ed. Everything is vectorised: dates are two
``searchsorted`` calls on the dataset's date order, list filters a lookup on the category codes
of its exploded ``long`` tables, and search goes through a ``search.SearchIndex`` built once per
dataset. Masks of a spec are remembered per dataset, so a second viewer of the same link pays
nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.dataset import Dataset, codes_in
from dashboard.dates import format_at
from dashboard.labels import LabelKind, label_ids
from dashboard.search import SearchIndex

# URL parameter names; short because they end up in shared links.
Q_FROM, Q_TO = "from", "to"
Q_CONTINENT, Q_REGION, Q_COUNTRY, Q_PARTY, Q_TOPIC, Q_LANGUAGE, Q_SEARCH = (
    "continent",
    "region",
    "country",
    "party",
    "topic",
    "lang",
    "q",
)
QUERY_KEYS: tuple[str, ...] = (
    Q_FROM,
    Q_TO,
    Q_CONTINENT,
    Q_REGION,
    Q_COUNTRY,
    Q_PARTY,
    Q_TOPIC,
    Q_LANGUAGE,
    Q_SEARCH,
)
# FilterSpec field -> (URL key, column it filters, words for notices and captions).
_LIST_FILTERS: dict[str, tuple[str, str, str, str]] = {
    "continents": (Q_CONTINENT, "continent", "continent", "continents"),
    "regions": (Q_REGION, "region", "region", "regions"),
    "countries": (Q_COUNTRY, "party_countries", "party country", "party countries"),
    "parties": (Q_PARTY, "parties", "party", "parties"),
    "topics": (Q_TOPIC, "topics", "topic", "topics"),
    "languages": (Q_LANGUAGE, "language", "language", "languages"),
}
# FilterSpec field -> the kind of label a caption shows for its values (None: already words).
_CAPTION_KINDS: dict[str, LabelKind | None] = {
    "continents": None,
    "regions": None,
    "countries": "country",
    "parties": "party_short",
    "topics": "topic",
    "languages": "language",
}
MAX_SEARCH_LENGTH = 500
_CAPTION_ITEMS = 3

# ---------------------------------------------------------------------------------------------
# Dates


def date_span(ds: Dataset) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any dated statement can refer to (``None`` when none is dated).

    Computed once per dataset: the sidebar asks on every run of every viewer."""

    def build() -> tuple[dt.date | None, dt.date | None]:
        dates = ds.dates
        if dates is None or len(dates.start) == 0:
            return None, None
        dated = ~np.isnat(dates.start)
        if not dated.any():
            return None, None
        first = dates.start[dates.order[0]]
        return first.astype(dt.date), dates.end[dated].max().astype(dt.date)

    return ds.memo(("date span",), build)


def _parse_date(value: str, *, end: bool) -> dt.date | None:
    """``2015-10-12``, ``2015-10`` or ``2015``; a month or year means its first (or last) day."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = (int(p) for p in text.split("-"))
            day = calendar.monthrange(year, month)[1] if end else 1
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


def _is_month_start(day: dt.date) -> bool:
    return day.day == 1


def _is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


# style -> (between two years, between two other dates, before a start, before an end)
_RANGE_WORDS: dict[str, tuple[str, str, str, str]] = {
    "label": ("–", " – ", "from ", "until "),
    "iso": ("-", "_to_", "from_", "until_"),
}


def _date_range_text(start: dt.date | None, end: dt.date | None, style: str) -> str:
    """A date range at the precision it covers: whole years, whole months, else days.

    ``label`` for captions ("2015–2017", "Oct 2015 – Nov 2015", "from 1 Jun 2015"), ``iso`` for
    file names ("2015-2017", "2015-10_to_2015-11", "from_2015-06-01"); ``""`` for no range.
    """
    years, between, after, before = _RANGE_WORDS[style]
    if start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            precision, between = "year", years
        elif _is_month_start(start) and _is_month_end(end):
            precision = "month"
        else:
            precision = "day"
        first, last = format_at(start, precision, style), format_at(end, precision, style)
        return first if first == last else f"{first}{between}{last}"
    if start:
        return f"{after}{format_at(start, 'day', style)}"
    if end:
        return f"{before}{format_at(end, 'day', style)}"
    return ""


# ---------------------------------------------------------------------------------------------
# Search


def search_index(ds: Dataset) -> SearchIndex:
    """The dataset's ``SearchIndex``, built on first use and kept with the dataset."""

    def build() -> SearchIndex:
        df = ds.df
        empty = pa.array([""] * len(df), type=pa.large_string())
        title = pa.array(df["title"].array) if "title" in df.columns else empty
        text = pa.array(df["text"].array) if "text" in df.columns else empty
        return SearchIndex(title, text)

    return ds.memo("search_index", build)


# ---------------------------------------------------------------------------------------------
# Options


def _category_mask(values: pd.Series, wanted: Sequence[str]) -> np.ndarray:
    """Rows of a one-value column (categorical or not) whose value is one of ``wanted``."""
    cat = values.array if isinstance(values.dtype, pd.CategoricalDtype) else pd.Categorical(values)
    return codes_in(cat, wanted)


def option_counts(ds: Dataset, column: str) -> pd.Series:
    """Statements per value of a filterable column, most frequent first (empty values left out).

    ``column`` is a list column of ``ds.long`` (``parties``, ``party_countries``, ``topics``) or
    a plain one (``continent``, ``region``). Computed once per dataset; a list value repeated
    within one statement (``enrich`` never writes that) would be counted twice.
    """

    def build() -> pd.Series:
        if column in ds.long:
            long = ds.long[column]
            values = long["value"].cat
            # enrich lists each value once per statement, so counting entries counts statements.
            codes = values.codes.to_numpy(dtype=np.int64)
            tally = np.bincount(codes[codes >= 0], minlength=len(values.categories))
            counts = pd.Series(tally, index=values.categories.astype("str"), dtype="int64")
        elif column in ds.df.columns:
            counts = ds.df[column].value_counts()
            counts.index = counts.index.astype("str")
        else:
            counts = pd.Series(dtype="int64")
        counts = counts[(counts.index != "") & counts.index.notna() & (counts > 0)]
        counts.index = counts.index.astype("str")
        return counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")

    return ds.memo(("options", column), build)


def _known_values(ds: Dataset, column: str) -> dict[str, str]:
    """Lower-cased value -> stored value, so a hand-typed URL may say ``grc`` or ``europe``."""
    return {str(v).lower(): str(v) for v in option_counts(ds, column).index}


# ---------------------------------------------------------------------------------------------
# The spec


def _as_values(raw: str | Sequence[str] | None, known: Mapping[str, str]) -> list[str]:
    """Split ``a,b`` and repeated params into values; a whole known value may contain a comma."""
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    values: list[str] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        if item.lower() in known:
            values.append(item)
            continue
        values.extend(p.strip() for p in item.split(",") if p.strip())
    return values


def _short_list(items: Sequence[str]) -> str:
    if len(items) <= _CAPTION_ITEMS:
        return ", ".join(items)
    return ", ".join(items[:_CAPTION_ITEMS]) + f" and {len(items) - _CAPTION_ITEMS} more"


def _slug_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def _get_param(params: Mapping[str, Any], key: str) -> list[str] | None:
    """All values of one URL parameter, from ``st.query_params`` or a plain mapping."""
    if key not in params:
        return None
    get_all = getattr(params, "get_all", None)
    if callable(get_all):
        return [str(v) for v in get_all(key)]
    value = params[key]
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


@dataclass(frozen=True)
class FilterSpec:
    """Which statements to show: every field empty means "all statements".

    ``countries`` are party home countries (ISO-3) and ``parties`` party ids; ``search`` is the
    text of the search box (case-insensitive words AND'ed, "quoted phrases" kept together).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    continents: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    search: str = ""

    def __post_init__(self) -> None:
        # Sequences arrive as lists from widgets; a frozen spec must hold hashable tuples.
        for name in _LIST_FILTERS:
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        object.__setattr__(self, "search", (self.search or "").strip()[:MAX_SEARCH_LENGTH])

    @property
    def is_empty(self) -> bool:
        """True when no filter is set (the spec selects every statement)."""
        return self == FilterSpec()

    def active_filters(self) -> list[str]:
        """Names of the fields that are set, in sidebar order."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, (), "")]

    # -- applying ---------------------------------------------------------------------------

    def mask(self, ds: Dataset) -> np.ndarray:
        """Boolean array over ``ds.df``: True for the statements this spec selects."""
        n = len(ds.df)
        mask = np.ones(n, dtype=bool)
        if (self.date_from is not None or self.date_to is not None) and ds.dates is not None:
            # Undated statements cannot be placed in any range, so a date filter drops them.
            first = None if self.date_from is None else np.datetime64(self.date_from, "D")
            last = None if self.date_to is None else np.datetime64(self.date_to, "D")
            mask &= ds.dates.rows_overlapping(first, last)
        for name, (_, column, _, _) in _LIST_FILTERS.items():
            values = getattr(self, name)
            if not values:
                continue
            if column in ds.long:
                mask &= ds.rows_with_any(column, values)
            elif column in ds.df.columns:
                mask &= _category_mask(ds.df[column], values)
            else:
                mask &= False
        if self.search and mask.any():
            mask = search_index(ds).mask(self.search, within=mask)
        return mask

    def apply(self, ds: Dataset) -> pd.DataFrame:
        """The selected rows of ``ds.df`` (index = row positions); ``ds.df`` itself when all."""
        if self.is_empty:
            return ds.df
        return ds.df[self.mask(ds)]

    # -- words ------------------------------------------------------------------------------

    def describe(self, ds: Dataset, n_matching: int) -> str:
        """One line saying what is shown: ``"31 of 1,024 statements · Oct 2015 · party: KKE"``."""
        total = len(ds.df)
        noun = "statement" if total == 1 else "statements"
        if self.is_empty:
            return f"{total:,} {noun} · no filters"
        parts = [f"{n_matching:,} of {total:,} {noun}"]
        dates = _date_range_text(self.date_from, self.date_to, "label")
        if dates:
            parts.append(dates)
        for name, (_, _, singular, plural) in _LIST_FILTERS.items():
            values = getattr(self, name)
            if values:
                words = singular if len(values) == 1 else plural
                labels = label_ids(list(values), _CAPTION_KINDS[name]).tolist()
                parts.append(f"{words}: {_short_list(labels)}")
        if self.search:
            parts.append(f"search: {self.search}")
        return " · ".join(parts)

    def slug(self) -> str:
        """A short file-name-safe summary: ``"KKE_2015-10"``; ``"all"`` when nothing is set."""
        parts: list[str] = []
        if self.parties:
            shorts = label_ids(list(self.parties[:_CAPTION_ITEMS]), "party_short").tolist()
            more = "-etc" if len(self.parties) > _CAPTION_ITEMS else ""
            parts.append("-".join(_slug_part(s) for s in shorts) + more)
        for values in (
            self.countries,
            self.continents,
            self.regions,
            self.topics,
            self.languages,
        ):
            if values:
                more = "-etc" if len(values) > _CAPTION_ITEMS else ""
                parts.append("-".join(_slug_part(v) for v in values[:_CAPTION_ITEMS]) + more)
        if self.search:
            parts.append("search-" + _slug_part(self.search)[:30].strip("-"))
        dates = _date_range_text(self.date_from, self.date_to, "iso")
        if dates:
            parts.append(dates)
        slug = "_".join(p for p in parts if p)[:100].strip("-_")
        return slug or "all"

    # -- URL --------------------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """URL query parameters for this spec (only the filters that are set)."""
        query: dict[str, str] = {}
        if self.date_from is not None:
            query[Q_FROM] = self.date_from.isoformat()
        if self.date_to is not None:
            query[Q_TO] = self.date_to.isoformat()
        for name, (key, _, _, _) in _LIST_FILTERS.items():
            values = getattr(self, name)
            if values:
                query[key] = ",".join(values)
        if self.search:
            query[Q_SEARCH] = self.search
        return query

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | list[str]], ds: Dataset
    ) -> tuple[FilterSpec, list[str]]:
        """The spec a URL describes, plus notices about values that were dropped.

        Values the dataset does not have (a party id that does not exist, a misspelt topic) and
        dates that cannot be read are left out and named in the notices; nothing raises.
        Parameters this class does not own (``present``, ``ds``, ``embed``) are ignored.
        """
        notices: list[str] = []
        dates: dict[str, dt.date | None] = {Q_FROM: None, Q_TO: None}
        for key, words in ((Q_FROM, "start date"), (Q_TO, "end date")):
            raw = _get_param(params, key)
            if not raw or not raw[-1].strip():
                continue
            parsed = _parse_date(raw[-1], end=key == Q_TO)
            if parsed is None:
                notices.append(
                    f"Ignored the {words} “{raw[-1][:40]}” in the link: it is not a date "
                    "(write it as YYYY-MM-DD, YYYY-MM or YYYY)."
                )
            dates[key] = parsed
        date_from, date_to = dates[Q_FROM], dates[Q_TO]
        if date_from and date_to and date_from > date_to:
            notices.append(
                f"The link's start date {date_from.isoformat()} is after its end date "
                f"{date_to.isoformat()}; the two were swapped."
            )
            date_from, date_to = date_to, date_from

        lists: dict[str, tuple[str, ...]] = {}
        for name, (key, column, singular, plural) in _LIST_FILTERS.items():
            known = _known_values(ds, column)
            kept: list[str] = []
            dropped: list[str] = []
            for value in _as_values(_get_param(params, key), known):
                canonical = known.get(value.lower())
                if canonical is None:
                    dropped.append(value)
                elif canonical not in kept:
                    kept.append(canonical)
            if dropped:
                shown = ", ".join(f"“{v[:40]}”" for v in dropped[:5])
                words = singular if len(dropped) == 1 else plural
                notices.append(
                    f"Ignored {words} {shown} in the link: not found in this dataset "
                    f"({len(known):,} {plural} are available in the sidebar)."
                )
            lists[name] = tuple(kept)

        raw_search = _get_param(params, Q_SEARCH)
        search = raw_search[-1] if raw_search else ""
        if len(search) > MAX_SEARCH_LENGTH:
            notices.append(
                f"The search text in the link was cut to {MAX_SEARCH_LENGTH} characters."
            )
        spec = cls(date_from=date_from, date_to=date_to, search=search, **lists)
        return spec, notices

    def without(self, *names: str) -> FilterSpec:
        """A copy with the named fields cleared (e.g. ``spec.without("parties")``)."""
        empty = FilterSpec()
        return replace(self, **{n: getattr(empty, n) for n in names})
