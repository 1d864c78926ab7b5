"""Country detection: aliases, look-alike names, word boundaries, case, exclusions, regions."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.countries import (
    CountryMatcher,
    continent_of,
    find_countries,
    load_country_matcher,
    load_regions,
    region_of,
)
from dashboard.errors import DatasetError

# A small alias table in the shape of data/country_aliases.csv, so these tests check the
# matching rules and not the bundled file.
ALIASES = [
    ("USA", "US", "abbreviation", 1),
    ("USA", "U.S.", "abbreviation", 1),
    ("USA", "American", "demonym", 0),
    ("PRK", "DPRK", "abbreviation", 1),
    ("PRK", "North Korea", "name", 0),
    ("PRK", "Pyongyang", "capital", 0),
    ("TUR", "Turkey", "name", 1),
    ("TUR", "Turkish", "demonym", 0),
    ("TUR", "İzmir", "city", 0),
    ("TUR", "Ankara", "capital", 0),
    ("AFG", "Kunduz", "city", 0),
    ("UKR", "Mariupol", "city", 0),
    ("JPN", "Japanese", "demonym", 0),
    ("GRC", "Greek", "demonym", 0),
    ("CYP", "Turkish Cypriot", "demonym", 0),
]


@pytest.fixture(scope="module")
def matcher() -> CountryMatcher:
    frame = pd.DataFrame(ALIASES, columns=["iso3", "alias", "kind", "case_sensitive"])
    return CountryMatcher(frame, source="test aliases")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US-Japan Security Treaty", ["JPN", "USA"]),
        ("the recent U.S. bombing of the hospital in Kunduz", ["AFG", "USA"]),
        ("Pyongyang, the capital of the DPRK", ["PRK"]),
        ("the Turkish government", ["TUR"]),
        ("meeting in İzmir", ["TUR"]),
        ("meeting in Izmir", ["TUR"]),
        ("meeting in IZMIR", ["TUR"]),
        ("Mariupol city committee", ["UKR"]),
        ("the Ankara massacre", ["TUR"]),
        ("Turkish Cypriot leaders", ["CYP"]),
        # the pronoun "us" and lower-case abbreviations are not countries
        ("let us fight", []),
        ("join us", []),
        # word boundaries
        ("the governor of Indiana", []),
        ("India and Indiana", ["IND"]),
        ("Niger and Nigeria", ["NER", "NGA"]),
        ("Nigerian oil", []),
        # the longest name wins
        ("Dominican Republic", ["DOM"]),
        ("Dominica", ["DMA"]),
        ("Papua New Guinea", ["PNG"]),
        ("Guinea-Bissau", ["GNB"]),
        ("Equatorial Guinea and Guinea", ["GIN", "GNQ"]),
        ("Democratic Republic of the Congo", ["COD"]),
        ("Republic of the Congo", ["COG"]),
        ("Republic of Korea", ["KOR"]),
        ("South Korea and North Korea", ["KOR", "PRK"]),
        ("British Virgin Islands", ["VGB"]),
        # names that fit several countries name none
        ("Korea", []),
        ("Congo", []),
        ("Virgin Islands", []),
        # pycountry's "X, Y of" names and common names
        ("Iran and Bolivia", ["BOL", "IRN"]),
        ("Viet Nam and Vietnam", ["VNM"]),
        ("Korea, Republic of", ["KOR"]),
        # demonyms inside wider regional words, and words that look like countries
        ("American imperialism", ["USA"]),
        ("Latin American solidarity", []),
        ("the European Parliament", []),
        ("New Jersey and New Mexico", []),
        ("a jersey", []),
        ("a turkey dinner and fine china", []),
        ("TURKEY AND CHINA", ["CHN", "TUR"]),
        ("Chad and Jordan", ["JOR", "TCD"]),
        # documented: the US state reads as the country
        ("Georgia", ["GEO"]),
        # curly quotes, odd spaces
        ("“Greece”", ["GRC"]),
        ("Sri\u00a0Lanka", ["LKA"]),
        ("", []),
    ],
)
def test_find_countries(matcher, text, expected):
    assert matcher.find(pd.Series([text])).iloc[0] == expected


def test_exclude_spans_hide_party_names(matcher):
    # ("Party of Greece" needs no span: any "Party of <country>" swallows the country.)
    texts = pd.Series(["Greek Communist Party statement", "Greek workers in Greece"])
    spans = pd.DataFrame({"row": [0, 1], "start": [0, 0], "end": [21, 5]})
    assert matcher.find(texts).tolist() == [["GRC"], ["GRC"]]
    # the second row keeps "Greece": only mentions overlapping a span are hidden
    assert matcher.find(texts, spans).tolist() == [[], ["GRC"]]


def test_output_is_aligned_sorted_and_unique(matcher):
    texts = pd.Series(["USA, US, U.S. and Greece", None, "Kunduz"], index=["a", "b", "c"])
    found = find_countries(texts, matcher=matcher)
    assert list(found.index) == ["a", "b", "c"]
    assert found.tolist() == [["GRC", "USA"], [], ["AFG"]]


@pytest.mark.parametrize(
    ("value", "iso3"),
    [
        ("GRC", "GRC"),
        ("GR", "GRC"),
        ("Greece", "GRC"),
        ("greece", "GRC"),
        (" North  Korea ", "PRK"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Korea", ""),
        ("Atlantis", ""),
        (float("nan"), ""),
        (None, ""),
    ],
)
def test_lookup_whole_values(matcher, value, iso3):
    assert matcher.lookup(value) == iso3


REGIONS = pd.DataFrame(
    {"continent": ["Europe", "Asia"], "region": ["Southern Europe", "Eastern Asia"]},
    index=pd.Index(["GRC", "CHN"], name="iso3"),
)


@pytest.mark.parametrize(
    ("iso3", "region", "continent"),
    [
        ("GRC", "Southern Europe", "Europe"),
        ("CHN", "Eastern Asia", "Asia"),
        ("XXX", "", ""),
        ("", "", ""),
    ],
)
def test_region_and_continent_of_one_code(iso3, region, continent):
    assert region_of(iso3, REGIONS) == region
    assert continent_of(iso3, REGIONS) == continent


def test_region_of_series_is_categorical():
    codes = pd.Series(["GRC", "", None, "CHN", "GRC"])
    regions = region_of(codes, REGIONS)
    assert isinstance(regions.dtype, pd.CategoricalDtype)
    assert regions.tolist() == ["Southern Europe", "", "", "Eastern Asia", "Southern Europe"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Greece,Hellas,name,0", "line 3: 'Greece' is not an ISO-3 code"),
        ("GRC,,name,0", "line 3: the alias is empty"),
        ("GRC,Hellas,name,yes", "line 3: case_sensitive is 'yes'"),
        ("GRC,Hellas,name,0,extra", "line 3: the line has more fields than the header"),
    ],
)
def test_malformed_alias_file_names_the_line(tmp_path, line, message):
    path = tmp_path / "aliases.csv"
    path.write_text(f"iso3,alias,kind,case_sensitive\nGRC,Hellas,name,0\n{line}\n", "utf-8")
    with pytest.raises(DatasetError) as err:
        CountryMatcher.load(path)
    assert message in str(err.value)


def test_alias_file_overrides_pycountry_and_can_block(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text(
        "iso3,alias,kind,case_sensitive\nCOD,Congo,name,0\n-,Georgia,name,0\n", encoding="utf-8"
    )
    found = CountryMatcher.load(path).find(pd.Series(["Congo", "Georgia", "Peru"]))
    assert found.tolist() == [["COD"], [], ["PER"]]


# The bundled reference files: the product's promises about real place names.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US-Japan Security Treaty", ["JPN", "USA"]),
        ("U.S. bombing of the hospital in Kunduz", ["AFG", "USA"]),
        ("Pyongyang, the capital of the DPRK", ["PRK"]),
        ("the Turkish government", ["TUR"]),
        ("started today in İzmir", ["TUR"]),
        ("Mariupol city committee", ["UKR"]),
        ("the Ankara massacre", ["TUR"]),
        ("let us go", []),
        ("Latin American peoples", []),
    ],
)
def test_bundled_aliases(text, expected):
    assert find_countries(pd.Series([text])).iloc[0] == expected


def test_bundled_regions_cover_every_country_alias():
    regions = load_regions()
    matcher = load_country_matcher()
    codes = {code for code in matcher.names if len(code) == 3}
    missing = sorted(codes - set(regions.index))
    assert missing == [], f"no region for {missing}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("El gobierno de Alemania y el pueblo cubano", ["CUB", "DEU"]),
        ("La délégation à la Havane salue le peuple libanais", ["CUB", "LBN"]),
        ("Die Regierung Griechenlands und die Türkei", ["GRC", "TUR"]),
        ("Заседание в Москве о ситуации на Украине", ["RUS", "UKR"]),
        ("Ο λαός της Ελλάδας και της Κύπρου", ["CYP", "GRC"]),
        ("Türkiye ve Yunanistan arasında", ["GRC", "TUR"]),
        ("اجتماع في بيروت حول العراق", ["IRQ", "LBN"]),
        ("Il governo statunitense e la Germania", ["DEU", "USA"]),
    ],
)
def test_country_names_in_other_languages(text: str, expected: list[str]) -> None:
    assert find_countries([text]).iloc[0] == expected


def test_translated_names_come_from_pycountry() -> None:
    from dashboard.countries import translated_names

    names = translated_names()
    assert names["Alemania"] == "DEU"
    assert names["Yunanistan"] == "GRC"
    assert names["Grèce"] == "GRC"


def test_translations_never_override_english_names() -> None:
    # "Chile" is also the Spanish and German name; "Iran" the German one; they stay as they were.
    assert find_countries(["Chile and Iran"]).iloc[0] == ["CHL", "IRN"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Liberal Democratic Party of Russia came second", []),
        ("Workers' Party of Korea plenum; talks with Japan", ["JPN"]),
        ("Το Δημοκρατικό Κόμμα της Ρωσίας", []),
        ("A party of Greece's left", ["GRC"]),  # lower case: a description, not a name
    ],
)
def test_a_country_inside_any_party_name_is_not_mentioned(text: str, expected: list[str]) -> None:
    assert find_countries([text]).iloc[0] == expected
