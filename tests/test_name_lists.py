"""The bundled lists of names and words the finders read: data/ignored_aliases.csv,
data/not_party_names.csv, data/press_site_words.csv and data/name_words.csv. About the files
themselves (well formed, no duplicates) and what each list does to a statement."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from dashboard.gazetteer import Gazetteer, load_gazetteer, load_ignored_aliases
from dashboard.link import link_parties
from dashboard.partycontext import load_not_party_names, load_press_site_words, url_hints
from dashboard.paths import REPO_ROOT
from dashboard.reference import WORD_USES, load_name_words

DATA = REPO_ROOT / "data"
NOT_PARTY_KINDS = {"meeting", "initiative", "federation", "press", "website", "generic"}


def _rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@pytest.mark.parametrize(
    ("name", "header", "key"),
    [
        ("ignored_aliases.csv", ["language", "phrase"], "phrase"),
        ("not_party_names.csv", ["name", "kind"], "name"),
        ("press_site_words.csv", ["word"], "word"),
    ],
)
def test_list_file_is_well_formed(name: str, header: list[str], key: str) -> None:
    found, rows = _rows(name)
    assert found == header
    assert rows, f"{name} is empty"
    values = [row[key] for row in rows]
    assert all(v and v == " ".join(v.split()) for v in values), "blank or untidy value"
    assert all(None not in row for row in rows), "a line has more fields than the header"
    folded = [v.casefold() for v in values]
    assert len(set(folded)) == len(folded), "a value is listed twice"


def test_ignored_aliases_are_lower_case_with_a_language() -> None:
    _, rows = _rows("ignored_aliases.csv")
    assert all(row["phrase"] == row["phrase"].lower() for row in rows)
    assert all(len(row["language"]) == 2 for row in rows)


def test_not_party_names_have_a_known_kind() -> None:
    _, rows = _rows("not_party_names.csv")
    assert {row["kind"] for row in rows} <= NOT_PARTY_KINDS


def test_press_site_words_are_lower_case() -> None:
    _, rows = _rows("press_site_words.csv")
    assert all(row["word"] == row["word"].lower() for row in rows)


def test_an_ignored_alias_is_dropped_from_the_gazetteer() -> None:
    assert "communist party" in load_ignored_aliases()
    frame = pd.DataFrame(
        [{"id": "x", "name": "X Party of Y", "country": "GRC", "aliases": "Communist Party"}]
    )
    gazetteer = Gazetteer.from_frame(frame)
    assert gazetteer.ignored == ("x: Communist Party",)
    assert "Communist Party" not in set(gazetteer.patterns["pattern"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The World Federation of Democratic Youth met.", []),
        ("The World Federation of Trade Unions called a strike.", []),
        ("Democratic Youth marched.", ["dy"]),
    ],
)
def test_no_party_alias_matches_inside_a_not_party_name(text: str, expected: list[str]) -> None:
    assert {"IMCWP", "WFTU"} <= set(load_not_party_names()["name"])
    gazetteer = Gazetteer.from_frame(
        pd.DataFrame(
            [
                {"id": "kke", "name": "Communist Party of Greece", "country": "GRC"},
                {
                    "id": "dy",
                    "name": "Democratic Youth League",
                    "country": "GRC",
                    "aliases": "Democratic Youth | Trade Unions",
                },
            ]
        )
    )
    assert link_parties(pd.Series([text]), gazetteer).parties.iloc[0] == expected


def test_a_press_site_word_marks_the_host_as_party_press() -> None:
    assert "solidnet" in load_press_site_words()
    urls = pd.Series(["https://www.solidnet.org/article/1", "https://news.example.com/1"])
    _, _, press = url_hints(urls, load_gazetteer())
    assert press.tolist() == [True, False]


def test_name_words_are_well_formed_and_every_use_has_words() -> None:
    header, rows = _rows("name_words.csv")
    assert header == ["use", "word"]
    pairs = [(row["use"], row["word"]) for row in rows]
    assert len(set(pairs)) == len(pairs), "a word is listed twice for one use"
    assert all(word == word.lower() == " ".join(word.split()) for _, word in pairs)
    words = load_name_words()
    assert set(words) == set(WORD_USES)
    assert all(words[use] for use in WORD_USES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In Jordan the unions marched.", ["JOR"]),  # "In": a function word (trap_neighbour)
        ("Jim Jordan said so.", []),  # a first name
        ("The statement (PCC, in Spanish) was read.", []),  # a language (language_lead)
    ],
)
def test_name_words_decide_trap_names(text: str, expected: list[str]) -> None:
    from dashboard.countries import find_countries

    assert find_countries(pd.Series([text])).iloc[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Communist Party Congress opened in Hanoi, Vietnam.", ["cpv"]),  # party_organ
        ("The Communist Party of Oceania met in Vietnam.", []),  # bare_continuation
    ],
)
def test_name_words_decide_bare_party_names(text: str, expected: list[str]) -> None:
    from dashboard.enrich import enrich

    frame = pd.DataFrame({"title": [""], "text": [text]})
    assert enrich(frame)["parties"].iloc[0] == expected
