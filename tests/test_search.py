"""Search: case- and accent-insensitive words and phrases at word starts, at any size.

The first release failed from about 150,000 statements up ("Mask must be array or scalar, not
ChunkedArray"): Arrow hands back long text columns in chunks. These tests search texts held in
many chunks and a dataset read from a Parquet file written in many row groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import schema
from dashboard.dataset import load_dataset
from dashboard.filters import FilterSpec
from dashboard.search import BLOCK_ROWS, SearchIndex, WordIndex, normalise, search_terms

TITLES = [
    "KKE calls a general strike",
    "Statement of the PCP",
    "Jerónimo de Sousa in İzmir",
    "Workers' struggle",
    "Towards the elections",
    "Wars and imperialism",
    "",
    "Le PCF et la grève",
]
TEXTS = [
    "The Communist Party of Greece said...",
    "O Partido Comunista Português",
    "",
    "Strike at the docks",
    "the party list",
    "no war",
    "Only a text here",
    "CGT et PCF",
]


def _index(chunks: int = 1) -> SearchIndex:
    def arr(values: list[str]) -> pa.ChunkedArray:
        parts = np.array_split(np.array(values, dtype=object), chunks)
        return pa.chunked_array([pa.array(list(p), type=pa.string()) for p in parts])

    return SearchIndex(arr(TITLES), arr(TEXTS))


def _hits(index: SearchIndex, query: str) -> list[int]:
    return np.flatnonzero(index.mask(query)).tolist()


@pytest.mark.parametrize("chunks", [1, 3, 8])
@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("strike", [0, 3]),  # title or text, any case
        ("STRIKE", [0, 3]),
        ("war", [5]),  # "Wars" and "war" - not "Towards"
        ("jeronimo", [2]),  # accents folded
        ("izmir", [2]),  # dotted capital I folded
        ('"communist party"', [0]),  # a phrase stays together
        ("communist greece", [0]),  # words are AND'ed
        ("pcp", [1]),
        ("pcf greve", [7]),
        ("workers'", [3]),
        ("workers’", [3]),  # curly apostrophe = straight one
        ("zzz", []),
        ("", list(range(8))),
    ],
)
def test_search_finds_word_starts_in_title_and_text(chunks, query, rows):
    assert _hits(_index(chunks), query) == sorted(set(rows))


def test_search_within_a_mask_only_returns_rows_of_the_mask():
    index = _index()
    within = np.zeros(8, dtype=bool)
    within[3] = True
    assert np.flatnonzero(index.mask("strike", within=within)).tolist() == [3]


def test_search_terms_split_words_and_quoted_phrases():
    assert search_terms('KKE "general strike" Jerónimo') == ["kke", "general strike", "jeronimo"]
    assert search_terms("“curly quotes” x") == ["curly quotes", "x"]


def test_search_on_a_dataset_read_in_many_chunks(tmp_path):
    # A file written in many row groups comes back from Parquet as chunked columns; the sample
    # is big enough that the search takes its sampled, two-thread path.
    n = 50_000
    rng = np.random.default_rng(0)
    words = np.array(["solidarity", "strike", "elections", "peace", "towards", "war"])
    titles = [" ".join(rng.choice(words, 3)) for _ in range(n)]
    frame = schema.conform(
        pd.DataFrame(
            {
                "id": [f"s{i}" for i in range(n)],
                "title": titles,
                "text": ["statement"] * n,
                "parties": [["kke"]] * n,
                "party_countries": [["GRC"]] * n,
                "countries": [[]] * n,
                "topics": [["other"]] * n,
            }
        )
    )
    path = tmp_path / "big.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, row_group_size=4_096)
    ds = load_dataset(path)
    mask = FilterSpec(search="war").mask(ds)
    expected = np.array(["war" in t.split() for t in titles])
    assert mask.sum() > 0
    np.testing.assert_array_equal(mask, expected)
    both = FilterSpec(search="war strike").mask(ds)
    expected_both = np.array([{"war", "strike"} <= set(t.split()) for t in titles])
    np.testing.assert_array_equal(both, expected_both)


# -- the word index answers exactly as the full-text scan ----------------------------------------

# Words and pieces that test where a word starts: case and accents, non-Latin scripts (with the
# Devanagari vowel sign, a spacing mark RE2 does not call a letter), apostrophes, hyphens, dots,
# digits, a zero-width joiner, symbols.
# fmt: off
PIECES = [
    "war", "wars", "War", "WAR", "towards", "warsaw", "été", "Été", "ete", "İzmir", "izmir",
    "straße", "kke", "KKE", "κκε", "Κομμουνιστικό", "партия", "Партии", "中国共产党", "共产",
    "कामगार", "মানুষ", "d'estaing", "d’Estaing", "u.s.", "U.S.A", "co-op", "x_y", "2024",
    "3rd", "½", "٣٤", "l'humanité", "#metoo", "@kke", "\u200d", "✊", "—", "«", "»", "'", "’",
    "general", "strike", "communist", "party", "nato", "imperialism",
]
SEPARATORS = [" ", "  ", "\n", "\t", ", ", ". ", "-", "/", "(", ")", "", "\u00a0", "'"]
# Prefixes and whole words, words cut inside a script or at punctuation, punctuation alone,
# phrases, several terms, absent words.
QUERIES = [
    "war", "wa", "w", "towards", "ete", "été", "izmir", "κκε", "κ", "партия", "парт", "中国",
    "共产", "कामगार", "का", "मगार", "মা", "d'estaing", "d’estaing", "estaing", "u.s.", "u.s",
    "s.", ".s.", "co-op", "-op", "op", "x_y", "_y", "2024", "202", "3rd", "½", "٣",
    "l'humanite", "'s", "'", "’", "#metoo", "metoo", "@kke", "✊", "—", "«", "zzz", "a", "é",
    "ß", "stra", '"general strike"', '"communist party"', "communist party", '"party, "',
    '"wars war"', "imperialism nato", '"war" zzz', "kke war", '"nato-"',
]
# fmt: on


def _texts(draw_pieces: list[tuple[str, str]]) -> str:
    return "".join(piece + sep for piece, sep in draw_pieces)


_piece = st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS))
_text = st.lists(_piece, max_size=12).map(_texts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_text, _text), min_size=1, max_size=12), data=st.data())
def test_index_finds_what_the_scan_finds(rows, data):
    index = SearchIndex(pa.array([t for t, _ in rows]), pa.array([x for _, x in rows]))
    # Queries: fixed tricky ones, substrings of the texts (phrases, words cut anywhere) and
    # several terms at once, inside a random mask or not.
    texts = [f"{title}\n{text}" for title, text in rows]
    row = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(row)))
    piece = row[start : start + data.draw(st.integers(1, 12))]
    queries = [*data.draw(st.lists(st.sampled_from(QUERIES), min_size=1, max_size=3))]
    queries += [piece, f'"{piece}"', f"{piece} {data.draw(st.sampled_from(QUERIES))}"]
    within = data.draw(st.none() | st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    within = None if within is None else np.array(within)
    for query in queries:
        np.testing.assert_array_equal(
            index.mask(query, within=within),
            index.mask(query, within=within, scan=True),
            err_msg=repr(query),
        )


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_text, max_size=10))
def test_word_index_holds_every_word_start_once_per_row(texts):
    # Reference: RE2 splitting the normalised text at runs of non-letters and non-digits.
    text = normalise(pa.array(texts, type=pa.string()))
    index = WordIndex(text)
    expected = {
        (row, word)
        for row, words in enumerate(pc.split_pattern_regex(text, r"[^\p{L}\p{N}]+").to_pylist())
        for word in words
        if word
    }
    words = [w.encode() for w in index.words.to_pylist()]
    assert words == sorted(set(words))  # byte order, no repeats: prefixes are ranges
    held = set()
    for i, word in enumerate(index.words.to_pylist()):
        rows = index.postings[index.offsets[i] : index.offsets[i + 1]]
        assert (np.diff(rows) > 0).all()
        held |= {(int(row), word) for row in rows}
    assert held == expected


def test_index_on_chunked_columns_of_many_blocks():
    # More rows than a build block and than the scan's two-thread threshold, in many chunks.
    n = 3 * BLOCK_ROWS + 123
    rng = np.random.default_rng(1)
    pieces = np.array(PIECES, dtype=object)
    seps = np.array(SEPARATORS, dtype=object)

    def column(size: int) -> pa.ChunkedArray:
        words = rng.choice(pieces, (n, size))
        between = rng.choice(seps, (n, size))
        values = [
            "".join(w + s for w, s in zip(*pair, strict=True))
            for pair in zip(words, between, strict=True)
        ]
        values[5] = None
        return pa.chunked_array([pa.array(p, pa.string()) for p in np.array_split(values, 37)])

    index = SearchIndex(column(4), column(8))
    within = rng.random(n) < 0.5
    for query in QUERIES:
        scanned = index.mask(query, scan=True)
        np.testing.assert_array_equal(index.mask(query), scanned, err_msg=repr(query))
        np.testing.assert_array_equal(
            index.mask(query, within=within), scanned & within, err_msg=repr(query)
        )


@pytest.mark.parametrize("values", [[], [""], [None, ""], ["...", "!!"], ["a"]])
def test_index_of_no_words(values):
    column = pa.array(values, type=pa.string())
    index = SearchIndex(column, column)
    for query in ["a", "war", "'", '"a b"']:
        np.testing.assert_array_equal(index.mask(query), index.mask(query, scan=True))
