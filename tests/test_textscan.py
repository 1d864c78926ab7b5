"""The multi-pattern scanner under party linking and country detection, on its own.

``TextScanner.scan`` promises whole-word matches as ``row, start, end, key`` (positions in each
text, ``end`` exclusive), the longest match winning over one inside it, short all-caps names
matched as written and everything else in any case, across scripts. Each case below names the
exact spans it expects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.textscan import (
    PreparedTexts,
    TextScanner,
    as_text_list,
    clean_pattern,
    is_case_sensitive,
    keep_longest,
    lists_by_row,
    normalise,
    prepare,
)

Span = tuple[int, int, int, str]


def _spans(df: pd.DataFrame) -> list[Span]:
    return [
        (int(r), int(s), int(e), str(k))
        for r, s, e, k in zip(df["row"], df["start"], df["end"], df["key"], strict=True)
    ]


def _scan(pairs: list[tuple[str, str]], texts: list[str | None], **options) -> list[Span]:
    case_sensitive = options.pop("case_sensitive", ())
    return _spans(TextScanner(pairs, case_sensitive=case_sensitive).scan(texts, **options))


# --- word boundaries ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KKE", [(0, 0, 3, "kke")]),  # the whole text: start and end of text are boundaries
        ("(KKE)", [(0, 1, 4, "kke")]),
        ("KKE-led front", [(0, 0, 3, "kke")]),
        ("the KKE's view", [(0, 4, 7, "kke")]),
        ("said the KKE.", [(0, 9, 12, "kke")]),
        ("KKEs", []),  # a longer word
        ("1KKE", []),  # digits are word characters
        ("AKKE", []),
    ],
)
def test_a_name_matches_only_as_a_whole_word(text: str, expected: list[Span]) -> None:
    assert _scan([("KKE", "kke")], [text]) == expected


def test_a_name_never_matches_across_two_texts() -> None:
    assert _scan([("Greece Turkey", "x")], ["Greece", "Turkey"]) == []
    assert _scan([("Greece", "GRC")], ["Greece", "Greece"]) == [
        (0, 0, 6, "GRC"),
        (1, 0, 6, "GRC"),
    ]


def test_glued_repeats_are_one_word() -> None:
    assert _scan([("Greece", "GRC")], ["GreeceGreece Greece"]) == [(0, 13, 19, "GRC")]


# --- longest match and overlaps -----------------------------------------------------------------

PARTY_AND_COUNTRY = [("Communist Party of Greece", "kke"), ("Greece", "GRC")]


def test_the_longest_match_wins_over_a_name_inside_it() -> None:
    text = "The Communist Party of Greece met in Greece"
    assert _scan(PARTY_AND_COUNTRY, [text]) == [(0, 4, 29, "kke"), (0, 37, 43, "GRC")]


def test_without_longest_every_match_is_reported() -> None:
    assert _scan(PARTY_AND_COUNTRY, ["Communist Party of Greece"], longest=False) == [
        (0, 0, 25, "kke"),
        (0, 19, 25, "GRC"),
    ]


def test_a_name_with_punctuation_beats_its_prefix() -> None:
    pairs = [("CPI", "cpi"), ("CPI(M)", "cpim")]
    assert _scan(pairs, ["CPI(M) and CPI"]) == [(0, 0, 6, "cpim"), (0, 11, 14, "cpi")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Partial overlap: the longer name wins ...
        ("New Democracy Party", [(0, 4, 19, "dp")]),
        # ... and on a tie the earlier one.
        ("Democracy Party Democracy", [(0, 0, 15, "dp")]),
    ],
)
def test_partly_overlapping_names_keep_the_longer(text: str, expected: list[Span]) -> None:
    pairs = [("New Democracy", "nd"), ("Democracy Party", "dp"), ("Party Democracy", "pd")]
    assert _scan(pairs, [text]) == expected


def test_one_pattern_with_several_keys_reports_each_for_the_same_span() -> None:
    assert _scan([("CP", "cp-a"), ("CP", "cp-b")], ["the CP said"]) == [
        (0, 4, 6, "cp-a"),
        (0, 4, 6, "cp-b"),
    ]


def test_two_spellings_matching_one_span_for_one_key_are_reported_once() -> None:
    # "US" as written and "us" in any case both match the text "US".
    assert _scan([("US", "USA"), ("us", "USA")], ["US us"]) == [
        (0, 0, 2, "USA"),
        (0, 3, 5, "USA"),
    ]


# --- case rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("US", True),
        ("KKE", True),
        ("CPI(M)", True),
        ("U.S.", True),
        ("PKP-1930", True),  # digits do not count as letters
        ("AKEL", True),
        ("SYRIZ", True),
        ("SYRIZA", False),  # six letters: an ordinary word in capitals
        ("Greece", False),
        ("Us", False),
        ("1930", False),  # no letters at all
        ("", False),
    ],
)
def test_which_patterns_match_case_sensitively(pattern: str, expected: bool) -> None:
    assert is_case_sensitive(pattern) is expected


@pytest.mark.parametrize(
    ("pairs", "text", "expected"),
    [
        ([("US", "USA")], "us and US and Us", [(0, 7, 9, "USA")]),
        ([("KKE", "kke")], "kke Kke KKE", [(0, 8, 11, "kke")]),
        ([("Greece", "GRC")], "greece GREECE Greece", [(0, 0, 6, "GRC"), (0, 7, 13, "GRC"),
                                                       (0, 14, 20, "GRC")]),
        ([("SYRIZA", "syriza")], "Syriza", [(0, 0, 6, "syriza")]),
    ],
)  # fmt: skip
def test_short_all_caps_names_match_as_written_others_in_any_case(
    pairs: list[tuple[str, str]], text: str, expected: list[Span]
) -> None:
    assert _scan(pairs, [text]) == expected


def test_a_listed_pattern_matches_as_written_whatever_its_length() -> None:
    pairs = [("Left", "left")]
    anycase = [(0, 0, 4, "left"), (0, 5, 9, "left"), (0, 10, 14, "left")]
    assert _scan(pairs, ["left Left LEFT"]) == anycase
    assert _scan(pairs, ["left Left LEFT"], case_sensitive=["Left"]) == [(0, 5, 9, "left")]


def test_dotted_i_matches_in_every_case_without_shifting_positions() -> None:
    # "İ".lower() is two characters: the scanner folds it to "i" so later positions stay exact.
    assert _scan([("Izmir", "izm")], ["İzmir, İZMİR and izmir"]) == [
        (0, 0, 5, "izm"),
        (0, 7, 12, "izm"),
        (0, 17, 22, "izm"),
    ]


# --- non-Latin text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "text", "expected"),
    [
        # Cyrillic: any case; an inflected form is another word.
        ([("Россия", "RUS")], "РОССИЯ, россия и Россиянин", [(0, 0, 6, "RUS"), (0, 8, 14, "RUS")]),
        ([("Москва", "MOW")], "В Москве и Москва", [(0, 11, 17, "MOW")]),
        # Greek, with accents kept: "Ελλάδας" (genitive) is not "Ελλάδα".
        ([("Ελλάδα", "GRC")], "ΕΛΛΆΔΑ ελλάδα Ελλάδας", [(0, 0, 6, "GRC"), (0, 7, 13, "GRC")]),
        # Arabic: words are separated by spaces; a prefixed form is another word.
        ([("مصر", "EGY")], "في مصر اليوم وبمصر", [(0, 3, 6, "EGY")]),
        # CJK is written without spaces: a name matches inside a longer run of characters.
        ([("中国", "CHN")], "中国共产党和日本", [(0, 0, 2, "CHN")]),
        ([("日本", "JPN"), ("中国", "CHN")], "中国共产党和日本",
         [(0, 0, 2, "CHN"), (0, 6, 8, "JPN")]),
    ],
)  # fmt: skip
def test_names_in_other_scripts(
    pairs: list[tuple[str, str]], text: str, expected: list[Span]
) -> None:
    assert _scan(pairs, [text]) == expected


# --- normalisation ------------------------------------------------------------------------------


def test_curly_quotes_dashes_and_odd_spaces_match_their_ascii_forms() -> None:
    pairs = [("Workers' Party", "wp"), ("Marxist-Leninist", "ml"), ("Die Linke", "linke")]
    text = "Workers\u2019 Party, Marxist\u2013Leninist, Die\u00a0Linke"
    assert _scan(pairs, [text]) == [
        (0, 0, 14, "wp"),
        (0, 16, 32, "ml"),
        (0, 34, 43, "linke"),
    ]


def test_normalising_keeps_the_length() -> None:
    text = "\u201cİzmir\u201d \u2013 x\u00a0y\u2019s"
    assert normalise(text, fold=False) == '"İzmir" - x y\'s'
    assert normalise(text, fold=True) == '"izmir" - x y\'s'
    assert len(normalise(text, fold=True)) == len(text)


def test_a_name_broken_over_a_line_matches_in_the_collapsed_text() -> None:
    texts = ["The Sudanese Communist \nParty  said", "Sudanese\tCommunist Party"]
    assert _scan([("Sudanese  Communist Party", "scp")], texts) == [
        (0, 4, 28, "scp"),
        (1, 0, 24, "scp"),
    ]
    # Positions refer to the texts with runs of whitespace collapsed to one space.
    assert PreparedTexts(texts).items[0][4:28] == "Sudanese Communist Party"


def test_patterns_lose_their_extra_whitespace() -> None:
    assert clean_pattern("  Communist \n Party\x00of ") == "Communist Party of"


# --- inputs: empty, missing, many ---------------------------------------------------------------


def test_empty_inputs_give_an_empty_frame_with_the_columns() -> None:
    for scanner, texts in (
        (TextScanner([("a", "a")]), []),
        (TextScanner([]), ["a text"]),
        (TextScanner([("Greece", "GRC")]), ["", "no match here"]),
    ):
        out = scanner.scan(texts)
        assert list(out.columns) == ["row", "start", "end", "key"]
        assert out.empty


def test_empty_patterns_are_ignored() -> None:
    scanner = TextScanner([("", "none"), ("  ", "blank"), ("Greece", "GRC")])
    assert scanner.keys == ["GRC"]
    assert _spans(scanner.scan(["Greece"])) == [(0, 0, 6, "GRC")]


def test_missing_texts_count_as_empty_and_rows_are_positions() -> None:
    texts = pd.Series([None, "Greece", float("nan"), "in Greece"], index=[40, 30, 20, 10])
    assert _spans(TextScanner([("Greece", "GRC")]).scan(texts)) == [
        (1, 0, 6, "GRC"),
        (3, 3, 9, "GRC"),
    ]
    assert as_text_list(texts) == ["", "Greece", "", "in Greece"]
    assert as_text_list([None, 7, "x"]) == ["", "7", "x"]


def test_many_rows_map_back_to_their_own_row_and_offset() -> None:
    n = 20_000
    texts = [
        f"{'x' * (i % 7)} Greece and KKE" if i % 3 == 0 else f"row {i} says nothing"
        for i in range(n)
    ]
    out = TextScanner([("Greece", "GRC"), ("KKE", "kke")]).scan(texts)
    expected = []
    for i in range(0, n, 3):
        pad = i % 7 + 1
        expected += [(i, pad, pad + 6, "GRC"), (i, pad + 11, pad + 14, "kke")]
    assert _spans(out) == expected


def test_scanning_all_texts_at_once_equals_scanning_each_alone() -> None:
    texts = [
        "KKE and the Communist Party of Greece",
        "",
        "CPI(M), CPI and the US",
        "Москва\nи Ελλάδα",
        "Greece" * 3,
    ]
    scanner = TextScanner(
        [*PARTY_AND_COUNTRY, ("KKE", "kke"), ("CPI", "cpi"), ("CPI(M)", "cpim"), ("US", "USA"),
         ("Москва", "MOW"), ("Ελλάδα", "GRC")]
    )  # fmt: skip
    alone = [(i, s, e, k) for i, t in enumerate(texts) for _, s, e, k in _spans(scanner.scan([t]))]
    assert _spans(scanner.scan(texts)) == alone
    assert len(alone) == 7  # the glued "GreeceGreeceGreece" is no match


# --- shared work: prepared texts and merged scanners --------------------------------------------


def test_prepared_texts_give_the_same_matches_and_are_not_prepared_twice() -> None:
    texts = ["The Communist Party of Greece", "Greece"]
    prepared = prepare(texts)
    assert prepare(prepared) is prepared
    assert len(prepared) == 2
    scanner = TextScanner(PARTY_AND_COUNTRY)
    assert _spans(scanner.scan(prepared)) == _spans(scanner.scan(texts))


def test_a_merged_scanner_resolves_longest_match_per_original_scanner() -> None:
    parties = TextScanner([("Communist Party of Greece", "kke"), ("KKE", "kke")])
    countries = TextScanner([("Greece", "GRC")])
    texts = ["The Communist Party of Greece (KKE)", "Greece"]
    merged = TextScanner.merged([parties, countries])
    each = [_spans(df) for df in merged.scan_each(texts)]
    assert each == [_spans(parties.scan(texts)), _spans(countries.scan(texts))]
    # The country inside the party's name is still a country mention.
    assert each == [
        [(0, 4, 29, "kke"), (0, 31, 34, "kke")],
        [(0, 23, 29, "GRC"), (1, 0, 6, "GRC")],
    ]
    with pytest.raises(TypeError, match="scan_each"):
        merged.scan(texts)


# --- building blocks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "kept"),
    [
        ([], [], []),
        ([0, 0, 5], [10, 4, 8], [0]),  # both others lie inside the first
        ([0, 0], [4, 4], [0, 1]),  # identical spans (one pattern, two keys) are all kept
        ([0, 5], [4, 9], [0, 1]),  # disjoint
        ([0, 4], [4, 9], [0, 1]),  # touching is not overlapping
        ([0, 3], [5, 9], [1]),  # partial overlap: the longer wins
        ([0, 3], [6, 9], [0]),  # ... on a tie the earlier
        ([0, 2, 6], [5, 8, 12], [1]),  # a chain: the middle, longest, span beats both neighbours
    ],
)
def test_keep_longest(start: list[int], end: list[int], kept: list[int]) -> None:
    out = keep_longest(np.array(start, dtype=np.int64), np.array(end, dtype=np.int64))
    assert out.tolist() == kept


def test_lists_by_row_gives_every_row_its_own_list() -> None:
    out = lists_by_row(np.array([0, 0, 2]), np.array(["a", "b", "c"]), 4)
    assert out == [["a", "b"], [], ["c"], []]
    out[1].append("x")
    assert out[3] == []  # empty rows do not share one list
    assert lists_by_row(np.array([], dtype=np.int64), [], 2) == [[], []]
