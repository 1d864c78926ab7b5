"""Synthetic enriched-looking statement datasets of any size, for tests and benchmarks.

``make_enriched_frame(n, seed)`` returns a frame with the columns of ``docs/architecture.md``
(as ``enrich`` would produce them) without running enrichment: real party ids and their real home
countries from ``data/parties.csv``, topic ids from ``data/topics.toml`` (a fixed list when the
taxonomy is not there), dates 2010-2024 with about 20% month precision, 1% year precision and 3%
undated, and a skewed party popularity (the gazetteer's first rows are the most frequent, as in
real news feeds where a handful of parties dominate). Everything is drawn with numpy from one
seeded generator, so the same ``(n, seed)`` always gives the same frame, and a million rows take
a few seconds. ``make_dataset`` wraps the frame in a ``Dataset``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.countries import country_names, load_regions
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.gazetteer import load_gazetteer
from dashboard.report import LoadReport
from dashboard.topics import load_taxonomy

PRECISIONS: tuple[str, ...] = ("day", "month", "year", "none")
# Share of statements per date precision: real feeds give a day for most items, a month for
# items reconstructed from monthly digests, a year for a few archive entries.
PRECISION_SHARES: tuple[float, ...] = (0.76, 0.20, 0.01, 0.03)
# How many parties a statement names (0 = a general statement about "communist parties").
PARTY_COUNT_SHARES: tuple[float, ...] = (0.15, 0.60, 0.18, 0.07)
COUNTRY_COUNT_SHARES: tuple[float, ...] = (0.35, 0.40, 0.18, 0.07)
TOPIC_COUNT_SHARES: tuple[float, ...] = (0.0, 0.55, 0.33, 0.12)
OTHER_TOPIC_SHARE = 0.10
UNRESOLVED_SHARE = 0.02
FIRST_DAY = np.datetime64("2010-01-01", "D")
LAST_DAY = np.datetime64("2024-12-31", "D")

# Used only when data/topics.toml is absent (early in development, or a stripped-down checkout).
FALLBACK_TOPICS: tuple[str, ...] = (
    "elections",
    "labour",
    "war-imperialism",
    "economy-trade",
    "international-solidarity",
    "anti-communism",
    "terror-violence",
    "youth",
    "sovereignty",
    "human-rights",
    "media",
    "party-life",
)


@dataclass(frozen=True)
class _Reference:
    """The reference tables the generator draws from, read once per process."""

    party_ids: np.ndarray
    party_names: np.ndarray
    party_abbrs: np.ndarray
    party_countries: np.ndarray
    ambiguous_abbrs: np.ndarray
    topic_ids: np.ndarray
    all_countries: np.ndarray
    country_names: dict[str, str]
    continent_of: dict[str, str]
    region_of: dict[str, str]


def _read_topic_ids() -> list[str]:
    """Topic ids in taxonomy order, without the ``other`` fallback."""
    try:
        ids = load_taxonomy().ids
    except DatasetError:  # a broken or half-written taxonomy must not break benchmarks
        return list(FALLBACK_TOPICS)
    ids = [i for i in ids if i != "other"]
    return ids or list(FALLBACK_TOPICS)


def _read_regions() -> tuple[dict[str, str], dict[str, str]]:
    try:
        table = load_regions()
    except DatasetError:
        return {}, {}
    return table["continent"].to_dict(), table["region"].to_dict()


@functools.lru_cache(maxsize=1)
def _reference() -> _Reference:
    parties = load_gazetteer().parties
    abbr_counts = parties.loc[parties["abbreviation"] != "", "abbreviation"].value_counts()
    ambiguous = np.array(sorted(abbr_counts.index[abbr_counts > 1]), dtype=object)
    if len(ambiguous) == 0:
        ambiguous = np.array(["CPC"], dtype=object)
    names = dict(country_names())
    continent_of, region_of = _read_regions()
    return _Reference(
        party_ids=parties["id"].to_numpy(dtype=object),
        party_names=parties["name"].to_numpy(dtype=object),
        party_abbrs=parties["abbreviation"].to_numpy(dtype=object),
        party_countries=parties["country"].to_numpy(dtype=object),
        ambiguous_abbrs=ambiguous,
        topic_ids=np.array(_read_topic_ids(), dtype=object),
        all_countries=np.array(sorted(names), dtype=object),
        country_names=names,
        continent_of=continent_of,
        region_of=region_of,
    )


def _zipf_weights(k: int, exponent: float = 1.1) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1, dtype=float) ** exponent
    return w / w.sum()


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` for int64 keys via one sort (numpy 2.4's hash-based default is ~10x slower)."""
    values = np.sort(values)
    if len(values) == 0:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _draw_long(
    rng: np.random.Generator, n: int, count_shares: tuple[float, ...], weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``k`` values per row (``k`` from ``count_shares``, index = k) with ``weights``.

    Returns ``(rows, codes)`` sorted by row, then code, without duplicates within a row:
    duplicates are dropped rather than redrawn, which thins multi-value rows slightly but keeps
    the draw a single vectorised pass.
    """
    counts = rng.choice(len(count_shares), size=n, p=count_shares)
    rows = np.repeat(np.arange(n, dtype=np.int64), counts)
    codes = rng.choice(len(weights), size=len(rows), p=weights)
    key = _sorted_unique(rows * len(weights) + codes)
    return key // len(weights), key % len(weights)


def _to_lists(n: int, rows: np.ndarray, codes: np.ndarray, vocab: np.ndarray) -> list[list[str]]:
    """One Python list per row of ``vocab[codes]`` (``rows`` ascending).

    Rows holding the same values share one list object: a million rows have only a few thousand
    distinct combinations, so this builds a few thousand lists instead of a million (seconds
    instead of tens of seconds, and far less memory). Nothing may mutate these lists - the
    Dataset contract already forbids mutating the frame.
    """
    counts = np.bincount(rows, minlength=n)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    position = np.arange(len(rows)) - starts[rows]
    # A row's combination as one float key; exact while base ** max_len stays below 2**53.
    key = np.zeros(n, dtype=np.float64)
    np.add.at(key, rows, (codes + 1) * np.power(float(len(vocab) + 1), position))
    _, first_row, inverse = np.unique(key, return_index=True, return_inverse=True)
    lists = np.empty(len(first_row), dtype=object)
    for i, row in enumerate(first_row.tolist()):
        lists[i] = vocab[codes[starts[row] : starts[row] + counts[row]]].tolist()
    return lists[inverse].tolist()


def _first_per_row(n: int, rows: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The first code of each row (``rows`` ascending), -1 where a row has none."""
    first = np.full(n, -1, dtype=np.int64)
    idx = np.unique(rows, return_index=True)[1]
    first[rows[idx]] = codes[idx]
    return first


def _draw_dates(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    span = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    # sqrt of a uniform draw tilts volume towards recent years, as in real archives.
    offsets = (np.sqrt(rng.random(n)) * span).astype(np.int64)
    days = FIRST_DAY + offsets.astype("timedelta64[D]")
    precision = rng.choice(len(PRECISIONS), size=n, p=PRECISION_SHARES)
    month_start = days.astype("datetime64[M]").astype("datetime64[D]")
    year_start = days.astype("datetime64[Y]").astype("datetime64[D]")
    dates = np.where(precision == 1, month_start, days)
    dates = np.where(precision == 2, year_start, dates).astype("datetime64[ns]")
    dates[precision == 3] = np.datetime64("NaT")
    return dates, precision


def _strings_by_combo(keys: np.ndarray, build: Callable[[np.ndarray], list[str]]) -> pd.Series:
    """``build`` applied once per distinct key (a row index array), broadcast back to rows."""
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    texts = np.array(build(first), dtype=object)
    return pd.Series(texts[inverse], dtype="str")


def make_enriched_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """A synthetic frame of ``n`` enriched statements, identical for the same ``(n, seed)``."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    ref = _reference()
    rng = np.random.default_rng(seed)
    n_parties, n_countries = len(ref.party_ids), len(ref.all_countries)

    dates, precision = _draw_dates(rng, n)

    # Parties: gazetteer order is popularity order (its first rows are the feed's regulars).
    p_rows, p_codes = _draw_long(rng, n, PARTY_COUNT_SHARES, _zipf_weights(n_parties, 1.2))
    # Order of mention within a row is random, not by popularity.
    mention_order = np.lexsort((rng.random(len(p_rows)), p_rows))
    p_rows, p_codes = p_rows[mention_order], p_codes[mention_order]
    home_codes = np.searchsorted(ref.all_countries, ref.party_countries)
    pc_key = _sorted_unique(p_rows * n_countries + home_codes[p_codes])
    first_party = _first_per_row(n, p_rows, p_codes)

    # Mentioned countries: the parties' home countries are the likeliest, then every other
    # country in a fixed seeded order, with Zipf weights so a few dominate as in real news.
    home_first = pd.unique(home_codes)
    rest = np.setdiff1d(np.arange(n_countries), home_first)
    popularity = np.concatenate([home_first, np.random.default_rng(12345).permutation(rest)])
    weights = np.empty(n_countries)
    weights[popularity] = _zipf_weights(n_countries, 1.0)
    c_rows, c_codes = _draw_long(rng, n, COUNTRY_COUNT_SHARES, weights)
    first_country = _first_per_row(n, c_rows, c_codes)

    topic_vocab = np.append(ref.topic_ids, "other")
    t_rows, t_codes = _draw_long(rng, n, TOPIC_COUNT_SHARES, _zipf_weights(len(ref.topic_ids), 0.8))
    # A tenth of the statements match no topic: enrich gives them ["other"] alone.
    is_other = rng.random(n) < OTHER_TOPIC_SHARE
    keep = ~is_other[t_rows]
    k = len(topic_vocab)
    t_key = np.sort(
        np.concatenate([t_rows[keep] * k + t_codes[keep], np.flatnonzero(is_other) * k + k - 1])
    )
    t_rows, t_codes = t_key // k, t_key % k
    first_topic = _first_per_row(n, t_rows, t_codes)

    u_rows = np.flatnonzero(rng.random(n) < UNRESOLVED_SHARE)
    u_codes = rng.integers(0, len(ref.ambiguous_abbrs), len(u_rows))

    first_home = np.where(first_party >= 0, ref.party_countries[np.maximum(first_party, 0)], "")
    region = pd.Series(first_home).map(ref.region_of).fillna("")
    continent = pd.Series(first_home).map(ref.continent_of).fillna("")

    names = np.append(ref.party_names, "Communist and workers' parties")
    abbrs = np.append(ref.party_abbrs, "Communists")
    country_names = np.array(
        [ref.country_names[c] for c in ref.all_countries] + ["the world"], dtype=object
    )
    topic_words = np.array([t.replace("-", " ") for t in topic_vocab], dtype=object)
    party_ix = np.where(first_party >= 0, first_party, n_parties)
    country_ix = np.where(first_country >= 0, first_country, n_countries)
    title = _strings_by_combo(
        party_ix * len(topic_vocab) + first_topic,
        lambda rows: [f"{names[party_ix[r]]} on {topic_words[first_topic[r]]}" for r in rows],
    )
    text = _strings_by_combo(
        (party_ix * len(topic_vocab) + first_topic) * (n_countries + 1) + country_ix,
        lambda rows: [
            f"{abbrs[party_ix[r]]} issued a statement about {topic_words[first_topic[r]]} "
            f"in {country_names[country_ix[r]]}."
            for r in rows
        ],
    )
    ids = "syn-" + pd.Series(np.arange(n), dtype=np.int64).astype("str").str.zfill(7)

    return pd.DataFrame(
        {
            "id": ids,
            "title": title,
            "text": text,
            "date": pd.Series(dates, dtype="datetime64[ns]"),
            "date_precision": pd.Categorical.from_codes(precision, categories=list(PRECISIONS)),
            "url": "https://example.org/statement/" + ids,
            "parties": _to_lists(n, p_rows, p_codes, ref.party_ids),
            "party_countries": _to_lists(
                n, pc_key // n_countries, pc_key % n_countries, ref.all_countries
            ),
            "countries": _to_lists(n, c_rows, c_codes, ref.all_countries),
            "topics": _to_lists(n, t_rows, t_codes, topic_vocab),
            "unresolved": _to_lists(n, u_rows, u_codes, ref.ambiguous_abbrs),
            "region": pd.Categorical(region),
            "continent": pd.Categorical(continent),
        }
    )


def make_dataset(n: int, seed: int = 0) -> Dataset:
    """``make_enriched_frame`` wrapped as a ``Dataset`` (long tables built, source named)."""
    df = make_enriched_frame(n, seed)
    undated = int((df["date_precision"] == "none").sum())
    report = LoadReport(
        source=f"synthetic-{n}",
        format="synthetic",
        rows_read=n,
        rows_kept=n,
        undated=undated,
    )
    return Dataset.from_enriched(df, report=report, source=f"synthetic-{n}")
