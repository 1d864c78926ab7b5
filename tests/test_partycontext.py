"""Context for bare names: leaders, the one country named, the source site (partycontext.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.enrich import enrich
from dashboard.errors import DatasetError
from dashboard.gazetteer import load_gazetteer
from dashboard.partycontext import load_generic_names, load_leaders, url_hints
from dashboard.paths import REPO_ROOT


def parties_of(texts: list[str], **columns: list[str]) -> list[list[str]]:
    df = pd.DataFrame({"title": [""] * len(texts), "text": texts, **columns})
    return enrich(df)["parties"].tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a leader named in the statement
        ("Elizabeth Rowley said the Communist Party will run candidates.", ["cpc-canada"]),
        ("Robert Griffiths told the Communist Party executive on Monday.", ["cpb-britain"]),
        # the one country named
        ("Vietnam's ruling Communist Party opened its congress in Hanoi.", ["cpv"]),
        ("El Partido Comunista llamó a votar en Chile.", ["pcch"]),
        ("Die Kommunistische Partei in Kuba feiert.", ["pcc-cuba"]),
        # a country inside another party's name says what the statement is about
        (
            "The Liberal Democratic Party of Russia came second, the Communist Party third.",
            ["cprf"],
        ),
        # two countries: no guess
        ("The Communist Party in Cuba and Vietnam met.", []),
        # a party named already: the bare name is that party, nothing is added
        ("The KKE said the Communist Party will fight on in Greece.", ["kke"]),
        # part of a longer name the gazetteer lacks
        ("The Revolutionary Communist Party of Oceania met in Cuba.", []),
        # written in lower case it describes, it does not name
        ("He left the communist party in Cuba long ago.", []),
        # "the communist parties of A, B and C": each country's party
        ("The communist parties of Greece, Cuba and Japan met.", ["kke", "pcc-cuba", "jcp"]),
        ("Los partidos comunistas de Chile y Cuba firmaron.", ["pcch", "pcc-cuba"]),
        # the chain stops at the first word that is not a country or a list joint
        ("The communist parties of Europe met in Cuba.", []),
    ],
)
def test_bare_names_resolved_from_the_statement(text: str, expected: list[str]) -> None:
    assert parties_of([text]) == [expected]


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("https://www.pcp.pt/nota", "The Central Committee of the PCP met.", ["pcp-portugal"]),
        ("https://www.pcp.pt/nota", "The Party calls for a strike.", ["pcp-portugal"]),
        ("https://kke.gr/article/1", "The Party salutes the workers.", ["kke"]),
        ("https://news.example.com/a", "The Party salutes the workers.", []),
        ("https://example.pt/a", "O Partido Comunista saúda a greve.", ["pcp-portugal"]),
        # a party-press site: an acronym needs no other context, the country decides
        ("https://www.communistparty.ie/x", "The CPI extends its solidarity.", ["cpi-ireland"]),
        # a party's name spelled with hyphens as the host name
        ("http://communist-party-of-cuba.example/x", "The Party met.", ["pcc-cuba"]),
    ],
)
def test_the_source_site_resolves(url: str, text: str, expected: list[str]) -> None:
    assert parties_of([text], url=[url]) == [expected]


def test_countries_in_a_party_list_are_not_countries_mentioned() -> None:
    df = pd.DataFrame(
        {"title": [""], "text": ["Communist Parties of Greece and Cuba met in Laos."]}
    )
    out = enrich(df)
    assert out["party_countries"].iloc[0] == ["CUB", "GRC"]
    assert out["countries"].iloc[0] == ["LAO"]


def test_url_hints_read_country_code_domains_and_party_hosts() -> None:
    press_site = "https://www.communistparty.ie/x"
    urls = pd.Series(
        ["https://www.pcp.pt/x", "http://sfi.se/kurs", "https://a.com/b", "", press_site]
    )
    country, party, press = url_hints(urls, load_gazetteer())
    assert country.tolist() == ["PRT", "SWE", "", "", "IRL"]
    assert party.tolist() == ["pcp-portugal", "", "", "", ""]
    assert press.tolist() == [True, False, False, False, True]


def test_a_leader_out_of_office_that_year_does_not_resolve() -> None:
    df = pd.DataFrame(
        {
            "title": ["", ""],
            "text": ["Aleka Papariga spoke for the Communist Party."] * 2,
            "date": pd.to_datetime(["2005-05-01", "2030-05-01"]),
        }
    )
    assert enrich(df)["parties"].tolist() == [["kke"], []]


def test_leaders_file_names_parties_of_the_gazetteer() -> None:
    leaders = load_leaders(REPO_ROOT / "data" / "leaders.csv")
    assert set(leaders["party"]) <= set(load_gazetteer().ids)
    assert (leaders["to"].isna() | (leaders["to"] >= leaders["from"])).all()
    assert not leaders.duplicated(["leader"]).any()


def test_generic_names_file_is_valid() -> None:
    names = load_generic_names(REPO_ROOT / "data" / "generic_party_names.csv")
    assert set(names["resolve_from"]) == {"context", "source", "list"}
    assert "Communist Party" in set(names["phrase"])


def test_a_bad_year_is_reported(tmp_path) -> None:
    path = tmp_path / "leaders.csv"
    path.write_text("party,leader,from,to\nkke,Someone,19x5,\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="not a year"):
        load_leaders(path)
