"""Search: case- and accent-insensitive words and phrases at word starts, at any size.

The first release failed from about 150,000 statements up ("Mask must be array or scalar, not
ChunkedArray"): Arrow hands back long text columns in chunks. These tests search texts held in
many chunks and a dataset read from a Parquet file written in many row groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import schema
from dashboard.dataset import load_dataset
from dashboard.filters import FilterSpec
from dashboard.search import SearchIndex, search_terms

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
