"""``enrich``: the columns it adds, title + text, source hints, chunks and progress, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

import dashboard.enrich as enrich_module
from dashboard.countries import CountryMatcher
from dashboard.enrich import ENRICHED_COLUMNS, enrich, statement_texts
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer
from dashboard.topics import load_taxonomy

COLUMNS = "id,name,abbreviation,native_name,country,aliases,parent,partyfacts_id,kind,context"
ROWS = [
    ("kke", "Communist Party of Greece", "KKE", "", "GRC", "", "", "", "party", "Greece"),
    ("kne", "Communist Youth of Greece", "KNE", "", "GRC", "", "kke", "", "youth", "Greece"),
    ("tkp", "Communist Party of Turkey", "TKP", "", "TUR", "", "", "", "party", "Turkey"),
    ("cpc-canada", "Communist Party of Canada", "CPC", "", "CAN", "", "", "", "party", "Canada"),
    ("cpc-china", "Communist Party of China", "CPC", "", "CHN", "", "", "", "party", "China"),
]
ALIASES = [("USA", "US", "abbreviation", 1), ("TUR", "Turkey", "name", 1)]


@pytest.fixture(scope="module")
def refs() -> dict[str, object]:
    return {
        "gazetteer": Gazetteer.from_frame(pd.DataFrame(ROWS, columns=COLUMNS.split(","))),
        "countries": CountryMatcher(
            pd.DataFrame(ALIASES, columns=["iso3", "alias", "kind", "case_sensitive"])
        ),
        "taxonomy": load_taxonomy(),
    }


def frame(titles: list[str], texts: list[str], **extra: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"title": titles, "text": texts, **extra})


def test_adds_the_columns_and_leaves_the_input_alone(refs):
    df = frame(["KKE and TKP meet", ""], ["In Turkey, about the US", "nothing here"])
    before = df.copy()
    out = enrich(df, **refs)
    pd.testing.assert_frame_equal(df, before)
    assert out is not df
    assert list(out.columns) == ["title", "text", *ENRICHED_COLUMNS]
    assert out["parties"].tolist() == [["kke", "tkp"], []]
    assert out["party_countries"].tolist() == [["GRC", "TUR"], []]
    assert out["countries"].tolist() == [["TUR", "USA"], []]
    assert out["unresolved"].tolist() == [[], []]
    assert out["region"].tolist() == ["Southern Europe", ""]
    assert out["continent"].tolist() == ["Europe", ""]
    for column in ("region", "continent"):
        assert isinstance(out[column].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize(
    ("title", "text", "joined"),
    [
        ("KKE statement", "On the strike", "KKE statement. On the strike"),
        ("", "Only text", "Only text"),
        ("Only title", "", "Only title"),
        ("  padded  ", None, "padded"),
        (None, float("nan"), ""),
    ],
)
def test_statement_text_joins_title_and_text(title, text, joined):
    assert statement_texts(frame([title], [text])).iloc[0] == joined


def test_title_and_text_do_not_run_together(refs):
    # "Communist Party of" + "Greece" must not read as one name across the join
    out = enrich(frame(["Communist Party of"], ["Greece wins"]), **refs)
    assert out["parties"].iloc[0] == []
    assert out["countries"].iloc[0] == ["GRC"]


def test_party_names_are_not_countries(refs):
    out = enrich(frame(["Communist Party of Greece and Communist Youth of Greece"], [""]), **refs)
    assert out["parties"].iloc[0] == ["kke", "kne"]
    assert out["party_countries"].iloc[0] == ["GRC"]
    assert out["countries"].iloc[0] == []


@pytest.mark.parametrize(
    ("extra", "parties", "unresolved"),
    [
        ({}, [], ["CPC"]),
        ({"source_country": ["CAN"]}, ["cpc-canada"], []),
        ({"source_country": ["China"]}, ["cpc-china"], []),
        ({"source_country": ["CN"]}, ["cpc-china"], []),
        ({"source_country": [None]}, [], ["CPC"]),
        ({"source_country": ["Atlantis"]}, [], ["CPC"]),
        ({"source_party": ["cpc-china"]}, ["cpc-china"], []),
        ({"source_party": ["Communist Party of Canada"]}, ["cpc-canada"], []),
        # "CPC" alone names no single party, but with the source country it does
        ({"source_party": ["CPC"]}, [], ["CPC"]),
        ({"source_party": ["CPC"], "source_country": ["CHN"]}, ["cpc-china"], []),
        ({"source_party": ["KKE"]}, [], ["CPC"]),
    ],
)
def test_source_columns_break_ties(refs, extra, parties, unresolved):
    out = enrich(frame(["CPC party statement on the economy"], [""], **extra), **refs)
    assert out["parties"].iloc[0] == parties
    assert out["unresolved"].iloc[0] == unresolved


def test_chunks_report_progress_and_give_the_same_result(refs, monkeypatch):
    titles = ["KKE", "", "TKP and CPC", "Communist Party of China", "", "US", "KNE"]
    texts = ["", "Communist Youth of Greece", "in Turkey", "CPC", "", "", "Greece"]
    df = frame(titles, texts)
    whole = enrich(df, **refs)
    monkeypatch.setattr(enrich_module, "CHUNK_SIZE", 3)
    seen: list[float] = []
    chunked = enrich(df, progress=seen.append, **refs)
    assert seen == pytest.approx([3 / 7, 6 / 7, 1.0])
    pd.testing.assert_frame_equal(chunked, whole)
    assert chunked["parties"].tolist()[3] == ["cpc-china"]


def test_merged_scan_equals_separate_scans(refs):
    # enrich walks the text once for parties and countries; the answer must not change.
    from dashboard.enrich import _merged_scanner
    from dashboard.link import party_scanner

    texts = pd.Series(["KKE in Turkey, US", "Communist Party of Turkey", "", "CPC and China"])
    gazetteer, matcher = refs["gazetteer"], refs["countries"]
    parties, countries = _merged_scanner(gazetteer, matcher).scan_each(texts)
    pd.testing.assert_frame_equal(parties, party_scanner(gazetteer).scan(texts))
    pd.testing.assert_frame_equal(countries, matcher.scanner.scan(texts))


@pytest.mark.parametrize("labels", [["b", "a", "c"], [7, 7, 3]])
def test_keeps_the_index(refs, labels):
    # labels may be anything, even repeated: rows are matched by position
    df = frame(["KKE", "TKP", "Greece"], ["", "", ""]).set_axis(labels)
    out = enrich(df, **refs)
    assert list(out.index) == labels
    assert out["parties"].tolist() == [["kke"], ["tkp"], []]
    assert out["countries"].tolist() == [[], [], ["GRC"]]


def test_empty_frame(refs):
    seen: list[float] = []
    out = enrich(frame([], []), progress=seen.append, **refs)
    assert len(out) == 0
    assert set(ENRICHED_COLUMNS) <= set(out.columns)
    assert seen == [1.0]


def test_missing_values_give_empty_lists(refs):
    out = enrich(frame([None, "KKE"], [float("nan"), None]), **refs)
    for column in ("parties", "party_countries", "countries", "unresolved"):
        assert out[column].tolist()[0] == []
    assert out["topics"].iloc[0] == ["other"]


def test_text_column_alone_is_enough(refs):
    out = enrich(pd.DataFrame({"text": ["KKE in Turkey"]}), **refs)
    assert out["parties"].iloc[0] == ["kke"]
    assert "title" not in out.columns


def test_without_title_or_text_is_a_clear_error(refs):
    with pytest.raises(DatasetError, match="neither a title nor a text column"):
        enrich(pd.DataFrame({"body": ["KKE"]}), **refs)


def test_taxonomy_given_as_a_path(refs, tmp_path):
    path = tmp_path / "topics.toml"
    path.write_text(
        '[[topic]]\nid = "strikes"\nlabel = "Strikes"\npatterns = ["strike"]\n', encoding="utf-8"
    )
    args = {**refs, "taxonomy": path}
    out = enrich(frame(["General strike", "KKE"], ["", ""]), **args)
    assert out["topics"].tolist() == [["strikes"], ["other"]]
