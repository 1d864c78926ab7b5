"""Party linking on awkward cases: shared short names, nested names, generic phrases, hints."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer
from dashboard.link import link_parties

COLUMNS = "id,name,abbreviation,native_name,country,aliases,parent,partyfacts_id,kind,context"
ROWS = [
    ("kke", "Communist Party of Greece", "KKE", "Κομμουνιστικό Κόμμα Ελλάδας", "GRC",
     "Greek Communist Party", "", "", "party", "Koutsoumpas | Rizospastis | Greece | Greek"),
    ("kne", "Communist Youth of Greece", "KNE", "", "GRC", "", "kke", "", "youth", "Greece"),
    ("tkp", "Communist Party of Turkey", "TKP", "", "TUR", "", "", "", "party", "Turkey"),
    ("cpc-canada", "Communist Party of Canada", "CPC", "", "CAN", "PCC", "", "", "party",
     "Liz Rowley | People's Voice | Canada | Canadian"),
    ("cpc-china", "Communist Party of China", "CPC", "中国共产党", "CHN",
     "Chinese Communist Party | CCP", "", "", "party", "Xi Jinping | Beijing | China | Chinese"),
    ("cpi-india", "Communist Party of India", "CPI", "", "IND", "", "", "", "party",
     "D. Raja | Kerala | India"),
    ("cpim-india", "Communist Party of India (Marxist)", "CPI(M)", "", "IND", "CPIM | CPI-M",
     "", "", "party", "Yechury | Kerala | India"),
    ("cpi-ireland", "Communist Party of Ireland", "CPI", "", "IRL", "", "", "", "party",
     "Dublin | Ireland | Irish"),
    ("pcp-portugal", "Portuguese Communist Party", "PCP", "", "PRT", "", "", "", "party",
     "Edgar Silva | Lisbon | Portugal"),
    ("pcp-peru", "Peruvian Communist Party", "PCP", "", "PER", "", "", "", "party",
     "Lima | Peru"),
    ("pcpe", "Communist Party of the Peoples of Spain", "PCPE", "", "ESP",
     "Communist Party of the People's of Spain", "", "", "party", "Spain"),
    ("pame", "All-Workers Militant Front", "PAME", "", "GRC", "All-Workers' Militant Front",
     "kke", "", "front", "Greece"),
    # A careless alias: generic phrases must be ignored, not trusted.
    ("sloppy", "Sloppy Workers Party of Nowhere", "SWPN", "", "NOR", "Communists | Communist Party",
     "", "", "party", ""),
]  # fmt: skip


MENTIONED = "mentioned_countries"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    frame = pd.DataFrame(ROWS, columns=COLUMNS.split(","))
    return Gazetteer.from_frame(frame, source="test gazetteer")


def link(gazetteer: Gazetteer, text: str, **hints: object):
    # Countries mentioned are given explicitly, so these tests do not depend on data/.
    hints.setdefault("mentioned_countries", [])
    kwargs = {k: pd.Series([v]) for k, v in hints.items()}
    result = link_parties(pd.Series([text]), gazetteer, **kwargs)
    return result.parties.iloc[0], result.unresolved.iloc[0]


@pytest.mark.parametrize(
    ("text", "hints", "parties", "unresolved"),
    [
        # No rule applies: the short name is reported, never guessed.
        ("CPC party statement on the economy", {}, [], ["CPC"]),
        ("PCP and CPA party congresses", {}, [], ["PCP"]),
        # (a) the full name of one candidate in the same statement
        ("The Communist Party of China (CPC) said the CPC will grow", {}, ["cpc-china"], []),
        ("CPC leader speaks; Communist Party of Canada statement", {}, ["cpc-canada"], []),
        # (b) a country the statement mentions (as computed by countries.py)
        ("CPC party says the elections were unfair", {MENTIONED: ["CAN"]}, ["cpc-canada"], []),
        ("CPC party says the elections were unfair", {MENTIONED: ["CHN"]}, ["cpc-china"], []),
        # (b) a context cue: leader, city, newspaper, demonym
        ("CPC delegation received by Xi Jinping", {}, ["cpc-china"], []),
        ("Liz Rowley of the CPC spoke", {}, ["cpc-canada"], []),
        ("PCP candidate Edgar Silva presented his lines", {}, ["pcp-portugal"], []),
        ("PCP party rally in Lima", {}, ["pcp-peru"], []),
        # (b) both candidates fit: a source hint still decides, otherwise unresolved
        ("CPC congress on Canada-China trade", {MENTIONED: ["CAN", "CHN"]}, [], ["CPC"]),
        ("CPC congress on Canada-China trade",
         {MENTIONED: ["CAN", "CHN"], "country_hints": "CHN"}, ["cpc-china"], []),
        # (c) the dataset's own source_country / source_party
        ("CPC party statement on the economy", {"country_hints": "CAN"}, ["cpc-canada"], []),
        ("CPC party statement on the economy", {"country_hints": "CHN"}, ["cpc-china"], []),
        ("CPC party statement on the economy", {"party_hints": "cpc-china"}, ["cpc-china"], []),
        # a hint that fits no candidate is no evidence
        ("CPC party statement on the economy", {"country_hints": "GRC"}, [], ["CPC"]),
        ("CPC party statement on the economy", {"party_hints": "kke"}, [], ["CPC"]),
        # missing hints (NaN) are no evidence either
        ("CPC party statement on the economy", {"country_hints": float("nan")}, [], ["CPC"]),
    ],
)  # fmt: skip
def test_ambiguous_short_names(gazetteer, text, hints, parties, unresolved):
    assert link(gazetteer, text, **hints) == (parties, unresolved)


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # nested names: the longest mention wins
        ("General Secretary of the CPI(M) visits China", ["cpim-india"]),
        ("Communist Party of India (Marxist) holds congress", ["cpim-india"]),
        ("CPI-M and CPIM are the same party", ["cpim-india"]),
        ("CPI(M) and CPI hold talks in Kerala", ["cpim-india", "cpi-india"]),
        ("Festival of the Communist Youth of Greece", ["kne"]),
        ("CC of the Communist Party of the People's of Spain(PCPE) released", ["pcpe"]),
        ("PCPE statement", ["pcpe"]),
        # order of first mention, each party once
        ("TKP and KKE met; TKP hosted, KKE spoke", ["tkp", "kke"]),
        ("Co-hosted by the Communist Party of Greece (KKE) and TKP", ["kke", "tkp"]),
        # curly apostrophes and case of long names
        ("All-workers’ Militant Front (PAME)'s action", ["pame"]),
        ("COMMUNIST PARTY OF GREECE CONDEMNS", ["kke"]),
        ("greek communist party statement", ["kke"]),
        # abbreviations match only as written: lower-case "kke" in running text is not KKE
        ("kke statement", []),
        ("Kke statement", []),
        ("the cpi(m) said", []),
        # native names, including scripts written without spaces between words
        ("Ανακοίνωση του Κομμουνιστικό Κόμμα Ελλάδας", ["kke"]),
        ("中国共产党中央委员会", ["cpc-china"]),
        # word boundaries
        ("KKE's statement", ["kke"]),
        ("KKEX and XKKE and KKE1", []),
        ("anti-KKE campaign", ["kke"]),
        # generic phrases and international meetings name no party
        ("Communists condemn the resolution", []),
        ("Communist Parties all over the world expose the TPP", []),
        ("solidarity mission of Communist parties", []),
        ("The appeal of the 21st International Meeting of Communist and Workers' Parties", []),
        ("the 21st International Meeting of the Communist and Workers' Parties (IMCWP)", []),
        ("European Communist Initiative statement", []),
        ("WFDY and WFTU congress", []),
        ("Communist and Workers' Parties of Europe", []),
        ("", []),
    ],
)  # fmt: skip
def test_names_found(gazetteer, text, parties):
    assert link(gazetteer, text)[0] == parties


def test_generic_aliases_are_ignored_and_reported(gazetteer):
    assert "sloppy: Communists" in gazetteer.ignored
    assert "sloppy: Communist Party" in gazetteer.ignored
    assert "Communists" not in set(gazetteer.patterns["pattern"])


def test_spans_cover_party_names(gazetteer):
    text = "The Communist Party of Greece (KKE) and CPC"
    result = link_parties(pd.Series([text]), gazetteer)
    spans = [text[s:e] for s, e in zip(result.spans["start"], result.spans["end"], strict=True)]
    # the unresolved "CPC" is a party name too: country detection must skip it
    assert spans == ["Communist Party of Greece", "KKE", "CPC"]


def test_rows_index_and_missing_values(gazetteer):
    texts = pd.Series(["KKE", None, float("nan"), "", "TKP and KKE"], index=[10, 11, 12, 13, 14])
    before = texts.copy()
    result = link_parties(texts, gazetteer)
    assert list(result.parties.index) == [10, 11, 12, 13, 14]
    assert result.parties.tolist() == [["kke"], [], [], [], ["tkp", "kke"]]
    assert all(isinstance(v, list) for v in result.unresolved)
    pd.testing.assert_series_equal(texts, before)


def test_rows_do_not_bleed_into_each_other(gazetteer):
    # a name split across two consecutive statements must not be found
    result = link_parties(pd.Series(["Communist Party of", "Greece"]), gazetteer)
    assert result.parties.tolist() == [[], []]


def test_empty_input(gazetteer):
    result = link_parties(pd.Series([], dtype=object), gazetteer)
    assert len(result.parties) == 0 and len(result.spans) == 0


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("greece", ["kke", "kne", "pame"]),
        ("GRC", ["kke", "kne", "pame"]),
        ("cpc", ["cpc-canada", "cpc-china"]),
        ("chinese", ["cpc-china"]),
        ("Portugal", ["pcp-portugal"]),
        ("no such party", []),
    ],
)
def test_search(gazetteer, query, ids):
    assert gazetteer.search(query)["id"].tolist() == ids


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kke,Communist Party of Greece,KKE,,GRC,,,,party", "line 3: expected 10 fields"),
        ("kke,Other,KKE,,GRC,,,,party,", "line 3: the id 'kke' is already used on line 2"),
        ("x,Other,X,,Greece,,,,party,", "line 3: the country 'Greece' is not an ISO-3 code"),
        ("x,Other,X,,GRC,,nope,,party,", "line 3: the parent 'nope' of 'x'"),
        ("x,Other,X,,GRC,,,,club,", "line 3: the kind 'club' is unknown"),
        ("X Y,Other,X,,GRC,,,,party,", "line 3: the id 'X Y' is not a lower-case slug"),
        (",Other,X,,GRC,,,,party,", "line 3: the id is empty"),
    ],
)
def test_malformed_gazetteer_names_the_line(tmp_path, line, message):
    path = tmp_path / "parties.csv"
    good = "kke,Communist Party of Greece,KKE,,GRC,,,,party,"
    path.write_text(f"{COLUMNS}\n{good}\n{line}\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        Gazetteer.load(path)
    assert message in str(err.value)


def test_missing_gazetteer_file(tmp_path):
    with pytest.raises(DatasetError, match="missing"):
        Gazetteer.load(tmp_path / "nope.csv")
