"""``FilterSpec``: each filter's mask, the caption, the file-name slug and the URL round trip."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.dataset import Dataset
from dashboard.filters import FilterSpec, date_span, option_counts
from dashboard.search import search_terms

D = dt.date

# id, title, text, date, precision, parties, party_countries, topics, continent, region
ROWS = [
    ("day", "KKE on the elections", "Statement of the CC.", "2015-10-20", "day",
     ["kke"], ["GRC"], ["elections"], "Europe", "Southern Europe"),
    ("month", "TKP", "Workers' struggle in Turkey.", "2015-10-01", "month",
     ["tkp"], ["TUR"], ["labour"], "Asia", "Western Asia"),
    ("year", "Joint statement", "KKE and TKP on imperialist wars.", "2015-01-01", "year",
     ["kke", "tkp"], ["GRC", "TUR"], ["war"], "Europe", "Southern Europe"),
    ("undated", "Communists everywhere", "No date on this one.", None, "none",
     [], [], ["other"], "", ""),
    ("nov", "Towards peace", "CPC received more votes.", "2015-11-02", "day",
     ["cpc-canada"], ["CAN"], ["elections"], "North America", "Northern America"),
    ("izmir", "IMCWP", "The meeting started in İzmir.", "2019-10-18", "day",
     ["kke", "tkp"], ["GRC", "TUR"], ["international"], "Europe", "Southern Europe"),
    ("sep", "Union news", 'The "trade union" movement grows.', "2015-09-30", "day",
     ["pame"], ["GRC"], ["labour"], "Europe", "Southern Europe"),
    ("apart", "Trade talks", "A union of workers.", "2016-03-04", "day",
     [], [], ["labour"], "", ""),
    ("pcp", "PCP", "Jerónimo de Sousa spoke.", "2016-02-01", "month",
     ["pcp-portugal"], ["PRT"], ["elections"], "Europe", "Southern Europe"),
]  # fmt: skip
ALL_IDS = [r[0] for r in ROWS]


def _dataset() -> Dataset:
    cols = list(zip(*ROWS, strict=True))
    df = pd.DataFrame(
        {
            "id": pd.Series(cols[0], dtype="str"),
            "title": pd.Series(cols[1], dtype="str"),
            "text": pd.Series(cols[2], dtype="str"),
            "date": pd.to_datetime(pd.Series(cols[3])),
            "date_precision": pd.Categorical(cols[4], categories=["day", "month", "year", "none"]),
            "url": "",
            "parties": list(cols[5]),
            "party_countries": list(cols[6]),
            "countries": [[] for _ in ROWS],
            "topics": list(cols[7]),
            "unresolved": [[] for _ in ROWS],
            "continent": pd.Categorical(cols[8]),
            "region": pd.Categorical(cols[9]),
        }
    )
    return Dataset.from_enriched(df, source="fixture.csv")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return _dataset()


def _ids(ds: Dataset, spec: FilterSpec) -> list[str]:
    return ds.df.loc[spec.mask(ds), "id"].tolist()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FilterSpec(), ALL_IDS),
        # A month-precision statement is in a range its month overlaps; a year one likewise.
        (FilterSpec(date_from=D(2015, 10, 1), date_to=D(2015, 10, 31)), ["day", "month", "year"]),
        (FilterSpec(date_from=D(2015, 10, 25), date_to=D(2015, 10, 26)), ["month", "year"]),
        (FilterSpec(date_from=D(2016, 1, 1)), ["izmir", "apart", "pcp"]),
        (FilterSpec(date_to=D(2015, 9, 30)), ["year", "sep"]),
        (FilterSpec(date_from=D(2016, 2, 29), date_to=D(2016, 2, 29)), ["pcp"]),
        (FilterSpec(parties=("kke",)), ["day", "year", "izmir"]),
        (FilterSpec(parties=("kke", "cpc-canada")), ["day", "year", "nov", "izmir"]),
        (FilterSpec(countries=("TUR",)), ["month", "year", "izmir"]),
        (FilterSpec(continents=("North America",)), ["nov"]),
        (FilterSpec(regions=("Western Asia",)), ["month"]),
        (FilterSpec(topics=("labour", "war")), ["month", "year", "sep", "apart"]),
        (FilterSpec(parties=("kke",), topics=("elections",)), ["day"]),
        # Search: case-insensitive words at a word start, AND'ed; "quoted phrases" kept together.
        (FilterSpec(search="war"), ["year"]),  # "wars" yes, "Towards" no
        (FilterSpec(search="KKE"), ["day", "year"]),
        (FilterSpec(search="union trade"), ["sep", "apart"]),
        (FilterSpec(search='"trade union"'), ["sep"]),
        (FilterSpec(search="izmir"), ["izmir"]),  # İzmir, accent and dotted capital folded
        (FilterSpec(search="JERONIMO sousa"), ["pcp"]),
        (FilterSpec(search="workers'"), ["month"]),
        (FilterSpec(search="kke nothing-like-this"), []),
        (FilterSpec(search='"trade union'), ["sep"]),  # an unclosed quote runs to the end
        (FilterSpec(parties=("kke",), date_from=D(2019, 1, 1)), ["izmir"]),
    ],
)
def test_mask(ds, spec, expected):
    assert _ids(ds, spec) == expected


def test_apply_keeps_row_positions_and_leaves_dataset_alone(ds):
    before = ds.df.copy()
    out = FilterSpec(parties=("tkp",)).apply(ds)
    assert out.index.tolist() == [1, 2, 5]
    pd.testing.assert_frame_equal(ds.df, before)


def test_date_span_covers_the_last_month_precision_statement(ds):
    assert date_span(ds) == (D(2015, 1, 1), D(2019, 10, 18))


def test_option_counts_count_statements(ds):
    counts = option_counts(ds, "parties")
    assert counts["kke"] == 3 and counts["tkp"] == 3
    assert counts.index[0] in {"kke", "tkp"}  # most frequent first
    assert "" not in option_counts(ds, "continent").index


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ('war "trade union"', ["war", "trade union"]),
        ("  Jerónimo   ", ["jeronimo"]),
        ("“curly quotes”", ["curly quotes"]),
        ('""', []),
    ],
)
def test_search_terms(query, terms):
    assert search_terms(query) == terms


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (FilterSpec(), "9 statements · no filters"),
        (
            FilterSpec(date_from=D(2015, 10, 1), date_to=D(2015, 10, 31), parties=("kke", "tkp")),
            "3 of 9 statements · Oct 2015 · parties: KKE, TKP",
        ),
        (FilterSpec(date_from=D(2015, 1, 1), date_to=D(2015, 12, 31)), "· 2015"),
        (FilterSpec(date_from=D(2015, 10, 3)), "· from 3 Oct 2015"),
        (FilterSpec(date_to=D(2016, 2, 1)), "· until 1 Feb 2016"),
        (FilterSpec(date_from=D(2015, 9, 1), date_to=D(2016, 2, 29)), "· Sep 2015 – Feb 2016"),
        (FilterSpec(date_from=D(2015, 1, 1), date_to=D(2016, 12, 31)), "· 2015–2016"),
        (FilterSpec(date_from=D(2015, 10, 3), date_to=D(2015, 10, 3)), "· 3 Oct 2015"),
        (
            FilterSpec(date_from=D(2015, 10, 3), date_to=D(2015, 11, 4)),
            "· 3 Oct 2015 – 4 Nov 2015",
        ),
        (FilterSpec(countries=("GRC",)), "· party country: Greece"),
        (FilterSpec(parties=("cpc-canada",)), "· party: CPC (Canada)"),
        (FilterSpec(parties=("kke", "tkp", "pame", "jcp")), "parties: KKE, TKP, PAME and 1 more"),
        (FilterSpec(search='"trade union"'), '· search: "trade union"'),
        (FilterSpec(continents=("Europe", "Asia")), "· continents: Europe, Asia"),
    ],
)
def test_describe(ds, spec, expected):
    text = spec.describe(ds, int(spec.mask(ds).sum()))
    assert text == expected if expected[0].isdigit() else expected in text


@pytest.mark.parametrize(
    ("spec", "slug"),
    [
        (FilterSpec(), "all"),
        (FilterSpec(parties=("kke",), date_from=D(2015, 10, 1), date_to=D(2015, 10, 31)),
         "KKE_2015-10"),
        (FilterSpec(date_from=D(2015, 1, 1), date_to=D(2016, 12, 31)), "2015-2016"),
        (FilterSpec(date_from=D(2015, 10, 3), date_to=D(2015, 11, 4)),
         "2015-10-03_to_2015-11-04"),
        (FilterSpec(parties=("cpc-canada",)), "CPC-Canada"),
        (FilterSpec(topics=("elections",), countries=("GRC", "TUR")), "GRC-TUR_elections"),
        (FilterSpec(search='Jerónimo "de Sousa"'), "search-Jeronimo-de-Sousa"),
        (FilterSpec(date_from=D(2015, 10, 3)), "from_2015-10-03"),
        (FilterSpec(date_to=D(2016, 2, 1)), "until_2016-02-01"),
        (FilterSpec(date_from=D(2015, 1, 1), date_to=D(2015, 12, 31)), "2015"),
        (FilterSpec(date_from=D(2015, 9, 1), date_to=D(2016, 2, 29)), "2015-09_to_2016-02"),
        (FilterSpec(date_from=D(2015, 10, 3), date_to=D(2015, 10, 3)), "2015-10-03"),
    ],
)  # fmt: skip
def test_slug(spec, slug):
    assert spec.slug() == slug


@pytest.mark.parametrize(
    "spec",
    [
        FilterSpec(),
        FilterSpec(date_from=D(2015, 10, 1), date_to=D(2015, 10, 31)),
        FilterSpec(parties=("kke", "cpc-canada"), topics=("labour",), search='war "trade union"'),
        FilterSpec(continents=("Europe",), regions=("Western Asia",), countries=("TUR", "GRC")),
        FilterSpec(date_to=D(2016, 2, 29), search="a,b & c=d?"),
    ],
)
def test_query_round_trip(ds, spec):
    assert FilterSpec.from_query(spec.to_query(), ds) == (spec, [])


@pytest.mark.parametrize(
    ("params", "expected", "notice_words"),
    [
        ({"party": "kke,nope"}, FilterSpec(parties=("kke",)), ["party", "nope"]),
        ({"party": ["kke", "tkp", "kke"]}, FilterSpec(parties=("kke", "tkp")), []),
        ({"country": "grc"}, FilterSpec(countries=("GRC",)), []),
        ({"continent": "europe"}, FilterSpec(continents=("Europe",)), []),
        ({"topic": "nosuchtopic,labour"}, FilterSpec(topics=("labour",)), ["nosuchtopic"]),
        ({"from": "2015-13-45"}, FilterSpec(), ["start date", "2015-13-45"]),
        ({"to": "yesterday"}, FilterSpec(), ["end date", "yesterday"]),
        ({"from": "2015-10"}, FilterSpec(date_from=D(2015, 10, 1)), []),
        ({"to": "2016-02"}, FilterSpec(date_to=D(2016, 2, 29)), []),
        ({"from": "2015"}, FilterSpec(date_from=D(2015, 1, 1)), []),
        (
            {"from": "2016-01-01", "to": "2015-01-01"},
            FilterSpec(date_from=D(2015, 1, 1), date_to=D(2016, 1, 1)),
            ["swapped"],
        ),
        ({"present": "1", "ds": "abc", "embed": "true"}, FilterSpec(), []),
        ({"q": "  kke  "}, FilterSpec(search="kke"), []),
        ({"party": ""}, FilterSpec(), []),
    ],
)
def test_from_query_drops_bad_values_with_a_notice(ds, params, expected, notice_words):
    spec, notices = FilterSpec.from_query(params, ds)
    assert spec == expected
    assert len(notices) == (1 if notice_words else 0)
    for word in notice_words:
        assert word in notices[0]


def test_spec_is_immutable_and_hashable():
    spec = FilterSpec(parties=["kke"])  # lists from widgets become tuples
    assert spec.parties == ("kke",)
    assert hash(spec) == hash(FilterSpec(parties=("kke",)))
    with pytest.raises(AttributeError):
        spec.search = "x"  # type: ignore[misc]


def test_mask_on_an_empty_dataset_is_empty():
    empty = Dataset.from_enriched(_dataset().df.iloc[:0])
    mask = FilterSpec(parties=("kke",), search="x", date_from=D(2015, 1, 1)).mask(empty)
    assert mask.dtype == np.bool_ and mask.shape == (0,)


# --- language ------------------------------------------------------------------------------


def _with_languages() -> Dataset:
    df = _dataset().df.copy()
    df["language"] = pd.Categorical(["en", "en", "en", "", "en", "en", "en", "en", "pt"])
    return Dataset.from_enriched(df, source="fixture.csv")


def test_language_filter_selects_statements_in_that_language():
    ds = _with_languages()
    assert _ids(ds, FilterSpec(languages=("pt",))) == ["pcp"]
    spec, notices = FilterSpec.from_query({"lang": "PT,xx"}, ds)
    assert spec.languages == ("pt",)
    assert any("“xx”" in n for n in notices)
    assert spec.to_query() == {"lang": "pt"}
    assert "language: Portuguese" in spec.describe(ds, 1)
    assert option_counts(ds, "language").to_dict() == {"en": 7, "pt": 1}
