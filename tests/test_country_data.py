"""The bundled country reference files: data/country_aliases.csv (names, demonyms, capitals and
cities the country finder looks for) and data/country_regions.csv (continent and UN sub-region
per ISO-3). These tests are about the bundled data itself, so they read the real files."""

from __future__ import annotations

import pandas as pd
import pycountry
import pytest

from dashboard.paths import REPO_ROOT

DATA = REPO_ROOT / "data"
KINDS = {"name", "abbreviation", "demonym", "capital", "city", "historic", "none"}
CONTINENTS = {
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "South America",
    "Oceania",
    "Antarctica",
}
ISO3 = {c.alpha_3 for c in pycountry.countries}


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return pd.read_csv(DATA / "country_aliases.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_csv(DATA / "country_regions.csv", dtype=str, keep_default_na=False)


def lookup(aliases: pd.DataFrame, alias: str) -> pd.DataFrame:
    return aliases[aliases["alias"] == alias]


def test_aliases_schema(aliases: pd.DataFrame) -> None:
    assert list(aliases.columns) == ["iso3", "alias", "kind", "case_sensitive"]
    assert len(aliases) > 800
    assert set(aliases["kind"]) <= KINDS
    assert set(aliases["case_sensitive"]) <= {"0", "1"}
    assert (aliases["alias"].str.strip() == aliases["alias"]).all()
    assert (aliases["alias"].str.len() >= 2).all()


def test_every_alias_iso3_is_a_pycountry_country(aliases: pd.DataFrame) -> None:
    assert sorted(set(aliases["iso3"]) - ISO3 - {"-"}) == []


def test_phrases_naming_no_country_are_marked_so(aliases: pd.DataFrame) -> None:
    # ISO-3 "-" with kind "none": "Latin American", "New Mexico" hold a country's name or
    # demonym but name no country; the finder lets them swallow their text.
    none = aliases[aliases["iso3"] == "-"]
    assert (none["kind"] == "none").all()
    assert (aliases.loc[aliases["kind"] == "none", "iso3"] == "-").all()
    assert {"Latin American", "New Mexico", "Guinea pig"} <= set(none["alias"])


def test_capitalised_trap_names_are_country_names() -> None:
    from dashboard.countries import load_country_matcher, load_traps

    traps = load_traps(DATA / "country_traps.csv")
    capitalised = traps.loc[traps["rules"].str.split().map(lambda r: "capitalised" in r), "alias"]
    assert {"Chad", "China", "Guinea", "Jordan", "Turkey"} <= set(capitalised)
    matcher = load_country_matcher()
    assert all(matcher.lookup(name) for name in capitalised)


def test_no_alias_maps_to_two_countries(aliases: pd.DataFrame) -> None:
    folded = aliases.assign(key=aliases["alias"].str.casefold())
    per_alias = folded.groupby("key")["iso3"].nunique()
    assert per_alias[per_alias > 1].index.tolist() == []
    assert not folded.duplicated(["key", "iso3"]).any()


def test_no_alias_is_another_countrys_pycountry_name(aliases: pd.DataFrame) -> None:
    # The country finder adds pycountry's names itself; an alias equal to a different
    # country's name would make that name ambiguous.
    owner = dict(zip(aliases["alias"].str.casefold(), aliases["iso3"], strict=True))
    clashes = [
        (name, c.alpha_3, owner[name.casefold()])
        for c in pycountry.countries
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None))
        if name and owner.get(name.casefold(), c.alpha_3) != c.alpha_3
    ]
    assert clashes == []


def test_abbreviations_are_case_sensitive(aliases: pd.DataFrame) -> None:
    abbreviations = aliases[aliases["kind"] == "abbreviation"]
    assert (abbreviations["case_sensitive"] == "1").all()


@pytest.mark.parametrize(
    ("alias", "iso3", "case_sensitive"),
    [
        ("US", "USA", "1"),
        ("U.S.", "USA", "1"),
        ("USA", "USA", "1"),
        ("American", "USA", "0"),
        ("UK", "GBR", "1"),
        ("Britain", "GBR", "0"),
        ("Scotland", "GBR", "0"),
        ("DPRK", "PRK", "1"),
        ("North Korea", "PRK", "0"),
        ("Pyongyang", "PRK", "0"),
        ("Russia", "RUS", "0"),
        ("Iran", "IRN", "0"),
        ("Syria", "SYR", "0"),
        ("Turkish", "TUR", "0"),
        # "turkey" in lower case is a bird
        ("Turkey", "TUR", "1"),
        ("Türkiye", "TUR", "0"),
        ("İzmir", "TUR", "0"),
        ("Izmir", "TUR", "0"),
        ("Ankara", "TUR", "0"),
        ("Kunduz", "AFG", "0"),
        ("Mariupol", "UKR", "0"),
        ("Kyiv", "UKR", "0"),
        ("Kiev", "UKR", "0"),
        ("Holland", "NLD", "0"),
        ("Ivory Coast", "CIV", "0"),
        ("Palestine", "PSE", "0"),
        ("Gaza", "PSE", "0"),
        ("Greek Cypriot", "CYP", "0"),
        ("Bogotá", "COL", "0"),
        ("Bogota", "COL", "0"),
        ("São Paulo", "BRA", "0"),
        ("Sao Paulo", "BRA", "0"),
        ("DRC", "COD", "1"),
        ("Lima", "PER", "1"),
    ],
)
def test_aliases_the_product_relies_on(
    aliases: pd.DataFrame, alias: str, iso3: str, case_sensitive: str
) -> None:
    rows = lookup(aliases, alias)
    assert rows[["iso3", "case_sensitive"]].values.tolist() == [[iso3, case_sensitive]]


@pytest.mark.parametrize(
    "alias",
    [
        # contested or shared: documented exclusions
        "Jerusalem",
        "Korea",
        "Korean",
        "Macedonia",
        "Macedonian",
        "Congolese",
        "Guinean",
        "Dominican",
        "Soviet Union",
        "USSR",
        "Yugoslavia",
        "America",
        # person names, ordinary words or cities in several countries
        "Santiago",
        "Sofia",
        "Victoria",
        "Male",
        "Tripoli",
        "Valencia",
        "Georgia",
    ],
)
def test_ambiguous_names_are_left_out(aliases: pd.DataFrame, alias: str) -> None:
    assert lookup(aliases, alias).empty


def test_hong_kong_is_not_folded_into_china(aliases: pd.DataFrame) -> None:
    assert "HKG" in ISO3
    assert lookup(aliases, "Hong Kong").empty  # pycountry's own name keeps it HKG
    assert set(lookup(aliases, "Hongkonger")["iso3"]) == {"HKG"}


def test_regions_schema_and_coverage(regions: pd.DataFrame) -> None:
    assert list(regions.columns) == ["iso3", "continent", "region"]
    assert not regions["iso3"].duplicated().any()
    assert set(regions["iso3"]) == ISO3
    assert set(regions["continent"]) <= CONTINENTS
    assert (regions["region"] != "").all()


def test_each_region_sits_in_one_continent(regions: pd.DataFrame) -> None:
    per_region = regions.groupby("region")["continent"].nunique()
    assert per_region[per_region > 1].index.tolist() == []


@pytest.mark.parametrize(
    ("iso3", "continent", "region"),
    [
        ("GRC", "Europe", "Southern Europe"),
        ("CYP", "Europe", "Southern Europe"),
        ("TUR", "Asia", "Western Asia"),
        ("RUS", "Europe", "Eastern Europe"),
        ("CUB", "North America", "Caribbean"),
        ("MEX", "North America", "Central America"),
        ("BRA", "South America", "South America"),
        ("ZAF", "Africa", "Southern Africa"),
        ("IND", "Asia", "Southern Asia"),
        ("AUS", "Oceania", "Australia and New Zealand"),
        ("ATA", "Antarctica", "Antarctica"),
    ],
)
def test_known_regions(regions: pd.DataFrame, iso3: str, continent: str, region: str) -> None:
    row = regions[regions["iso3"] == iso3]
    assert row[["continent", "region"]].values.tolist() == [[continent, region]]


@pytest.fixture(scope="module")
def forms() -> pd.DataFrame:
    return pd.read_csv(DATA / "country_forms.csv", dtype=str, keep_default_na=False)


def test_forms_schema(forms: pd.DataFrame) -> None:
    assert list(forms.columns) == ["iso3", "alias", "language", "kind"]
    assert sorted(set(forms["iso3"]) - ISO3 - {"-"}) == []
    assert set(forms["kind"]) <= KINDS | {"stopword"}
    assert (forms["language"].str.fullmatch("[a-z]{2}")).all()
    assert (forms["alias"].str.strip() == forms["alias"]).all()


def test_no_form_maps_to_two_countries(forms: pd.DataFrame) -> None:
    per_alias = forms.assign(key=forms["alias"].str.casefold()).groupby("key")["iso3"].nunique()
    assert per_alias[per_alias > 1].index.tolist() == []


def test_forms_do_not_redefine_english_aliases(forms: pd.DataFrame, aliases: pd.DataFrame) -> None:
    # The matcher lets English names win; a form equal to one would be dead data.
    clash = set(forms["alias"].str.casefold()) & set(aliases["alias"].str.casefold())
    assert sorted(clash) == []
