"""Generated name variants of each country's communist party (``data/party_templates.csv``)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.countries import load_country_matcher
from dashboard.errors import DatasetError
from dashboard.gazetteer import Gazetteer, load_gazetteer
from dashboard.link import link_parties
from dashboard.paths import REPO_ROOT
from dashboard.variants import load_templates, main_parties, template_patterns


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The CP of Cuba sent greetings to the congress.", ["pcc-cuba"]),
        ("Greetings from the Cuban CP on the anniversary.", ["pcc-cuba"]),
        ("Signed: CP (Cuba), Lebanese CP", ["pcc-cuba", "lcp-lebanon"]),
        ("Delegations: CP, Denmark and CP of Japan", ["dkp-denmark", "jcp"]),
        ("El Partido Comunista de Cuba celebró su congreso.", ["pcc-cuba"]),
        ("O Partido Comunista do Japão saudou a greve.", ["jcp"]),
        ("Le Parti communiste libanais et le PC de Cuba", ["lcp-lebanon", "pcc-cuba"]),
        ("Il Partito Comunista di Cuba ha salutato", ["pcc-cuba"]),
        ("Der Parteitag der Kommunistischen Partei Kubas begann", ["pcc-cuba"]),
        ("Küba Komünist Partisi kongresi toplandı", ["pcc-cuba"]),
        ("بيان الحزب الشيوعي اللبناني حول الانتخابات", ["lcp-lebanon"]),
        ("Заявление Коммунистической партии Кубы", ["pcc-cuba"]),
        ("The Sudanese Communist\n  Party issued a statement", ["scp-sudan"]),
        # abbreviations with a qualifier in lower case or spaced, and spelled out
        ("The CPI(m) state committee met in Kerala", ["cpim-india"]),
        ("The CPI (Marxist) won the seat", ["cpim-india"]),
        # Dutch demonyms (data/country_forms.csv)
        ("De Venezolaanse Communistische Partij roept op", ["pcv"]),
        # common misspellings of the long name
        ("Thanks to the Commmunist Party of Cuba for hosting", ["pcc-cuba"]),
        # "Party of Communists of X" names the country's party too; the bare form resolves
        ("The Party of Communists won in Moldova", ["pcrm"]),
    ],
)
def test_generated_forms_find_the_countrys_party(text: str, expected: list[str]) -> None:
    assert link_parties([text], load_gazetteer()).parties.iloc[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The only communist party in Nepal is small.",  # a description, not a name
        "Philippine Communist Party statement",  # the PKP's own name, not the CPP
    ],
)
def test_generated_forms_do_not_take_other_names(text: str) -> None:
    parties = link_parties([text], load_gazetteer()).parties.iloc[0]
    assert "cpp-philippines" not in parties and "ncp-nepal" not in parties


def test_a_country_with_two_claimants_gets_no_forms() -> None:
    main = main_parties(load_gazetteer(), load_country_matcher())
    # The CPB and the historic CPGB both claim "Communist Party of Britain".
    assert "GBR" not in main
    assert main["CUB"] == "pcc-cuba"


def test_generated_forms_never_repeat_a_gazetteer_name() -> None:
    gazetteer = load_gazetteer()
    generated = template_patterns(gazetteer, load_country_matcher())
    taken = set(gazetteer.patterns["pattern"].str.casefold())
    assert not generated["pattern"].str.casefold().isin(taken).any()
    assert len(generated) > 1000


def test_template_file_is_valid() -> None:
    templates = load_templates(REPO_ROOT / "data" / "party_templates.csv")
    languages = {"en", "es", "pt", "fr", "de", "it", "tr", "el", "ru", "ar"}
    assert set(templates["language"]) >= languages
    assert not templates.duplicated().any()


def test_a_template_without_a_slot_is_reported(tmp_path) -> None:
    path = tmp_path / "t.csv"
    pd.DataFrame({"language": ["en"], "template": ["Communist Party"]}).to_csv(path, index=False)
    with pytest.raises(DatasetError, match="exactly one"):
        load_templates(path)


def test_a_gazetteer_naming_no_countrys_communist_party_still_links() -> None:
    """No "Communist Party of X" row: nothing is generated, and linking still works."""
    gazetteer = Gazetteer.from_frame(
        pd.DataFrame(
            {
                "id": ["wpb-belgium"],
                "name": ["Workers' Party of Belgium"],
                "abbreviation": ["PTB"],
                "native_name": [""],
                "country": ["BEL"],
                "aliases": [""],
                "parent": [""],
                "partyfacts_id": [""],
                "kind": ["party"],
                "context": [""],
            }
        )
    )
    generated = template_patterns(gazetteer, load_country_matcher())
    assert generated.empty and list(generated.columns) == ["pattern", "id"]
    linked = link_parties(["The Workers' Party of Belgium met the CP of Cuba."], gazetteer)
    assert linked.parties.iloc[0] == ["wpb-belgium"]
