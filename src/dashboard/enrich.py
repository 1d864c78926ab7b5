"""Enrichment: add parties, their countries, countries mentioned, topics and regions to a frame.

``enrich`` is the one entry point (used by the CLI and the UI). It reads each statement as
``title + ". " + text``, links parties (``link.py``), finds countries outside party names
(``countries.py``), tags topics (``topics.py``) and adds the region and continent of the first
party's home country, in chunks of ``CHUNK_SIZE`` rows so a progress callback can report on a
million statements. The dataset's own ``source_country`` / ``source_party`` columns, when present,
only break ties between parties sharing a short name. Reference files are read once per process
(cached until they change on disk); the input frame is never modified.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import schema
from dashboard.countries import CountryMatcher, load_country_matcher, load_regions
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer, load_gazetteer
from dashboard.link import link_parties, party_scanner
from dashboard.textscan import PreparedTexts, TextScanner, lists_by_row

if TYPE_CHECKING:
    from dashboard.topics import Taxonomy

CHUNK_SIZE = 50_000
_TOPIC_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="topics")
ENRICHED_COLUMNS: tuple[str, ...] = schema.ENRICHED_COLUMNS


def statement_texts(df: pd.DataFrame) -> pd.Series:
    """``title + ". " + text`` per row (just one of them when the other is empty)."""
    if "title" not in df.columns and "text" not in df.columns:
        raise DatasetError(
            "the dataset has neither a title nor a text column",
            where=f"columns {', '.join(map(str, df.columns)) or '(none)'}",
            hint="Load it with load_statements, or name the statement column 'text'",
        )
    title, text = _column_as_arrow(df, "title"), _column_as_arrow(df, "text")
    has_title, has_text = pc.not_equal(title, ""), pc.not_equal(text, "")
    joined = pc.if_else(
        pc.and_(has_title, has_text),
        pc.binary_join_element_wise(title, text, pa.scalar(". ", pa.large_string())),
        pc.if_else(has_title, title, text),
    )
    return pd.Series(joined.to_pylist(), index=df.index, dtype=object)


def _column_as_arrow(df: pd.DataFrame, column: str) -> pa.Array:
    """A text column as trimmed arrow strings, "" for missing values or a missing column."""
    if column not in df.columns:
        return pa.array([""] * len(df), type=pa.large_string())
    # The str dtype is arrow-backed, so this is a zero-copy view for loaded datasets.
    array = pa.array(df[column].astype("str")).cast(pa.large_string())
    return pc.utf8_trim_whitespace(pc.fill_null(array, ""))


def _country_hints(
    df: pd.DataFrame, matcher: CountryMatcher, from_url: pd.Series | None
) -> pd.Series | None:
    """The source country per row: the ``source_country`` column, else the page's domain."""
    if "source_country" not in df.columns:
        return from_url
    values = df["source_country"].astype(object)
    uniq = pd.unique(values)
    table = {v: matcher.lookup(v) for v in uniq if isinstance(v, str)}
    mapped = values.map(table).astype(object)
    mapped = mapped.where(mapped.notna(), "")
    if from_url is not None:
        mapped = mapped.where(mapped != "", from_url)
    return mapped


def _party_hints(
    df: pd.DataFrame,
    gazetteer: Gazetteer,
    countries: pd.Series | None,
    from_url: pd.Series | None,
) -> pd.Series | None:
    """The source party per row: the ``source_party`` column, else the page's host name."""
    if "source_party" not in df.columns:
        return from_url
    values = df["source_party"].astype(object).where(df["source_party"].notna(), "")
    countries = countries if countries is not None else pd.Series("", index=df.index)
    pairs = pd.DataFrame({"party": values.astype(str), "country": countries.astype(str)})
    uniq = pairs.drop_duplicates()
    resolved = [
        gazetteer.resolve(p, c) for p, c in zip(uniq["party"], uniq["country"], strict=True)
    ]
    table = uniq.assign(id=resolved)
    merged = pairs.merge(table, on=["party", "country"], how="left")
    hints = pd.Series(merged["id"].to_numpy(dtype=object), index=df.index)
    if from_url is not None:
        hints = hints.where(hints != "", from_url)
    return hints


def _url_hints(
    df: pd.DataFrame, gazetteer: Gazetteer
) -> tuple[pd.Series | None, pd.Series | None, np.ndarray | None]:
    """Country, party and party-press flag per row from the page address (None without one)."""
    if "url" not in df.columns:
        return None, None, None
    from dashboard.partycontext import url_hints

    country, party, press = url_hints(df["url"], gazetteer)
    country.index = party.index = df.index
    return country, party, press.to_numpy(dtype=bool)


def _given_languages(df: pd.DataFrame) -> np.ndarray | None:
    """The dataset's own language codes ("" where blank), or None without such a column."""
    if "language" not in df.columns:
        return None
    values = df["language"].astype(object)
    return values.where(values.notna(), "").astype(str).str.strip().str.lower().to_numpy(object)


def _fill_language(
    prepared: PreparedTexts, given: np.ndarray | None
) -> tuple[list[str], np.ndarray]:
    """Language per statement: the given code, else a detected one ("" when unknown), and
    which statements held no evidence at all (for the batch prior in ``enrich``)."""
    from dashboard.language import detect_language

    if given is not None and (given != "").all():
        return given.tolist(), np.zeros(len(given), dtype=bool)  # nothing to detect
    silent: list[np.ndarray] = []
    detected = detect_language(prepared, prior=False, silent=silent)
    if given is not None:
        detected = np.where(given != "", given, detected)
        silent[0] &= given == ""
    return detected.tolist(), silent[0]


def _years(df: pd.DataFrame) -> np.ndarray | None:
    """The year of each statement (NaN when undated), so leaders are matched in office."""
    if "date" not in df.columns or not pd.api.types.is_datetime64_any_dtype(df["date"]):
        return None
    return df["date"].dt.year.to_numpy(dtype=float, na_value=np.nan)


def _resolve_taxonomy(taxonomy: Taxonomy | str | Path | None) -> Taxonomy:
    """A taxonomy object as given, or the file at a path (default ``data/topics.toml``), cached."""
    if taxonomy is not None and not isinstance(taxonomy, str | Path):
        return taxonomy
    from dashboard.topics import load_taxonomy

    return load_taxonomy(taxonomy)


@functools.lru_cache(maxsize=4)
def _merged_scanner(gazetteer: Gazetteer, matcher: CountryMatcher) -> TextScanner:
    """Party and country names in one automaton pair: one walk over the text instead of two."""
    return TextScanner.merged([party_scanner(gazetteer), matcher.scanner])


def _party_countries(parties: list[list[str]], country_of: dict[str, str]) -> list[list[str]]:
    """Sorted unique home countries per row, via one flat array (no per-row sorting in Python)."""
    lengths = np.fromiter(map(len, parties), dtype=np.int64, count=len(parties))
    rows = np.repeat(np.arange(len(parties)), lengths)
    flat = [country_of.get(p, "") for ps in parties for p in ps]
    frame = pd.DataFrame({"row": rows, "iso3": pd.Series(flat, dtype=object)})
    frame = frame[frame["iso3"] != ""].drop_duplicates().sort_values(["row", "iso3"])
    return lists_by_row(frame["row"].to_numpy(), frame["iso3"].to_numpy(), len(parties))


def _enrich_chunk(
    texts: pd.Series,
    gazetteer: Gazetteer,
    matcher: CountryMatcher,
    taxonomy: Taxonomy,
    country_hints: pd.Series | None,
    party_hints: pd.Series | None,
    years: np.ndarray | None = None,
    languages: np.ndarray | None = None,
    press: np.ndarray | None = None,
) -> dict[str, list[Any] | np.ndarray]:
    """The five list columns for one chunk of statement texts, its ``language`` codes
    (``languages`` as given, the blanks detected) and ``silent``: which statements held no
    language evidence (for the batch prior applied by ``enrich``)."""
    from dashboard.topics import tag_topics

    # Topics are RE2 passes in Arrow, which let go of the GIL: they run on a second core while
    # this thread finds parties and countries (mostly Python and numpy).
    topics = _TOPIC_THREAD.submit(tag_topics, texts, taxonomy)
    # Joined and normalised once; parties and countries are found in one walk over the text.
    prepared = PreparedTexts(texts)
    party_hits, country_hits = _merged_scanner(gazetteer, matcher).scan_each(prepared)
    found = matcher.tidy(country_hits, prepared)
    linked = link_parties(
        prepared,
        gazetteer,
        country_hints=country_hints,
        party_hints=party_hints,
        mentioned_countries=found,
        matches=party_hits,
        years=years,
        party_press=press,
    )
    parties = linked.parties.tolist()
    return {
        "parties": parties,
        "party_countries": _party_countries(parties, gazetteer.country_of),
        "countries": matcher.find(prepared, linked.spans, matches=found).tolist(),
        "topics": topics.result().tolist(),
        "unresolved": linked.unresolved.tolist(),
        "language": (language := _fill_language(prepared, languages))[0],
        "silent": language[1],
    }


def enrich(
    df: pd.DataFrame,
    *,
    taxonomy: Taxonomy | str | Path | None = None,
    gazetteer: Gazetteer | None = None,
    countries: CountryMatcher | None = None,
    progress: Callable[[float], None] | None = None,
) -> pd.DataFrame:
    """A new frame: ``df`` plus the columns ``parties``, ``party_countries``, ``countries``,
    ``topics``, ``unresolved``, ``region``, ``continent`` and ``language`` (the dataset's own
    codes kept, blanks detected; see docs/architecture.md).

    ``taxonomy`` is a ``Taxonomy``, a path to a taxonomy file, or None for ``data/topics.toml``;
    ``gazetteer`` and ``countries`` default to the bundled reference files. ``progress`` is
    called with the fraction done (0-1] after each chunk of ``CHUNK_SIZE`` rows.
    """
    gazetteer = gazetteer or load_gazetteer()
    matcher = countries or load_country_matcher()
    tax = _resolve_taxonomy(taxonomy)
    texts = statement_texts(df)
    url_country, url_party, press = _url_hints(df, gazetteer)
    country_hints = _country_hints(df, matcher, url_country)
    party_hints = _party_hints(df, gazetteer, country_hints, url_party)
    years = _years(df)
    languages = _given_languages(df)
    n = len(df)
    chunk_columns = (*schema.LIST_COLUMNS, schema.LANGUAGE)
    out: dict[str, list[object]] = {c: [] for c in chunk_columns}
    silent_parts: list[np.ndarray] = []
    # Each chunk builds hundreds of thousands of small lists that live on; the cyclic garbage
    # collector would re-scan the growing heap over and over while nothing here can form a
    # cycle, so it is paused for the loop (and restored even on error).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for begin in range(0, max(n, 1), CHUNK_SIZE):
            rows = slice(begin, min(begin + CHUNK_SIZE, n))
            if n:
                chunk = _enrich_chunk(
                    texts.iloc[rows],
                    gazetteer,
                    matcher,
                    tax,
                    None if country_hints is None else country_hints.iloc[rows],
                    None if party_hints is None else party_hints.iloc[rows],
                    None if years is None else years[rows],
                    None if languages is None else languages[rows],
                    None if press is None else press[rows],
                )
                silent_parts.append(chunk.pop("silent"))
                for column, values in chunk.items():
                    out[column].extend(values)
            if progress is not None:
                progress(rows.stop / n if n else 1.0)
    finally:
        if gc_was_enabled:
            gc.enable()
    result = df.copy()
    for column in schema.LIST_COLUMNS:
        result[column] = pd.Series(out[column], index=df.index, dtype=object)
    first_country = pd.Series(
        [gazetteer.country_of.get(p[0], "") if p else "" for p in out["parties"]],
        index=df.index,
        dtype=object,
    )
    regions = load_regions()
    for column in ("region", "continent"):
        table = regions[column]
        result[column] = first_country.map(table).fillna("").astype("category")
    # ISO 639-1 codes, "" when unknown; a given column keeps its place and its values. The
    # batch prior (see language.py) is applied once over the whole frame, so the result does
    # not depend on how the frame was cut into chunks.
    from dashboard.language import apply_prior

    codes = np.asarray(out["language"], dtype=object)
    silent = np.concatenate(silent_parts) if silent_parts else np.zeros(0, dtype=bool)
    languages = apply_prior(codes, silent) if len(codes) else codes
    result["language"] = pd.Series(languages, index=df.index, dtype=object).astype("category")
    return result
