"""Downloads: spreadsheet-safe CSV, JSON Lines and Parquet bytes, and what the files are called."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest
from test_pagedata import map_dataset, map_view

from dashboard import geo, pagedata
from dashboard.dataset import Dataset
from dashboard.export import (
    countries_geojson,
    download_name,
    to_csv_bytes,
    to_jsonl_bytes,
    to_parquet_bytes,
)
from dashboard.filters import FilterSpec


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "title": ['=HYPERLINK("http://x")', "-5 degrees in Athens", 'Say "hi", twice', "ok"],
            "text": ["Κομμουνιστικό Κόμμα", "line one\nline two", "@everyone", "+1"],
            "date": pd.to_datetime(["2015-10-20", "2015-10-01", "2015-01-01", None]),
            "date_precision": pd.Categorical(["day", "month", "year", "none"]),
            "parties": [["kke", "tkp"], [], ["=cmd"], ["pcp-portugal"]],
            "n": [-5, 3, 0, 12],
            "continent": pd.Categorical(["Europe", "", "-x", "Europe"]),
        }
    )


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _cell(value: str) -> str:
    df = pd.DataFrame({"title": [value]})
    return _csv_rows(to_csv_bytes(df))[0]["title"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+31 20 555", "'+31 20 555"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("plain text", "plain text"),
        ("a=b+c", "a=b+c"),  # only a leading trigger makes a formula
        (" =spaced", " =spaced"),
        ("", ""),
    ],
)
def test_csv_neutralises_formula_cells(value, written):
    assert _cell(value) == written


def test_csv_numbers_stay_numbers_and_lists_are_joined():
    data = to_csv_bytes(_frame())
    raw = data.decode("utf-8-sig").splitlines()
    assert raw[1].split(",")[-2] == "-5"  # unquoted: a spreadsheet reads a number, not text
    rows = _csv_rows(data)
    assert [r["parties"] for r in rows] == ["kke; tkp", "", "'=cmd", "pcp-portugal"]
    assert rows[2]["continent"] == "'-x"
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")["n"].tolist() == [-5, 3, 0, 12]


def test_csv_is_utf8_with_bom_and_keeps_quotes_and_newlines():
    data = to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data)
    assert rows[0]["text"] == "Κομμουνιστικό Κόμμα"
    assert rows[1]["text"] == "line one\nline two"
    assert rows[2]["title"] == 'Say "hi", twice'


def test_csv_writes_dates_at_their_precision():
    rows = _csv_rows(to_csv_bytes(_frame()))
    assert [r["date"] for r in rows] == ["2015-10-20", "2015-10", "2015", ""]


def test_csv_of_no_rows_is_just_the_header():
    data = to_csv_bytes(_frame().iloc[:0])
    assert data.decode("utf-8-sig").strip().split(",")[0] == '"id"'
    assert _csv_rows(data) == []


def test_jsonl_keeps_lists_dates_and_text_as_data():
    lines = to_jsonl_bytes(_frame()).decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4
    assert records[0]["parties"] == ["kke", "tkp"]
    assert records[0]["title"] == '=HYPERLINK("http://x")'  # JSON is data, not a spreadsheet
    # At their precision: a month-only date is never written with an invented first day.
    assert [r["date"] for r in records] == ["2015-10-20", "2015-10", "2015", None]
    assert records[1]["date_precision"] == "month"
    assert "Κομμουνιστικό" in lines[0]  # real UTF-8, not \\u escapes


def test_parquet_round_trips_lists_and_dates():
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(_frame())))
    assert [list(v) for v in back["parties"]] == [["kke", "tkp"], [], ["=cmd"], ["pcp-portugal"]]
    assert back["date"].iloc[1] == pd.Timestamp("2015-10-01")
    assert back["date_precision"].tolist() == ["day", "month", "year", "none"]
    assert back["n"].tolist() == [-5, 3, 0, 12]


OCT_2015 = {"date_from": dt.date(2015, 10, 1), "date_to": dt.date(2015, 10, 31)}


@pytest.mark.parametrize(
    ("source", "spec", "what", "ext", "name"),
    [
        ("", FilterSpec(parties=("kke",), **OCT_2015), "statements", "csv",
         "statements_KKE_2015-10.csv"),
        ("sample_statements.csv", FilterSpec(), "statements", "parquet",
         "statements_all_sample_statements.parquet"),
        ("/srv/data/icp 2015 (v2).xlsx", FilterSpec(topics=("elections",)), "timeline", ".csv",
         "timeline_elections_icp-2015-v2.csv"),
        ("feed.jsonl", FilterSpec(search="war"), "top parties", "jsonl",
         "top-parties_search-war_feed.jsonl"),
    ],
)  # fmt: skip
def test_download_name(source, spec, what, ext, name):
    assert download_name(source, spec, what, ext) == name


def _enriched_rows() -> pd.DataFrame:
    from dashboard import schema

    df = pd.DataFrame(
        {
            "id": ["a", "b"],
            "title": ["KKE and TKP", "PCP"],
            "text": ["x", "y"],
            "date": pd.to_datetime(["2015-10-01", "2019-10-18"]),
            "date_precision": pd.Categorical(["month", "day"]),
            "url": ["", ""],
            "parties": [["kke", "tkp"], ["pcp-portugal"]],
            "party_countries": [["GRC", "TUR"], ["PRT"]],
            "countries": [["SYR"], []],
            "topics": [["international"], ["other"]],
            "unresolved": [[], []],
            "region": ["Southern Europe", "Southern Europe"],
            "continent": ["Europe", "Europe"],
        }
    )
    return schema.conform(df)


def test_readable_csv_reads_back_with_names_beside_ids_and_dates_at_precision():
    from dashboard.export import readable
    from dashboard.labels import country_name, party_label, topic_label

    back = pd.read_csv(io.BytesIO(to_csv_bytes(readable(_enriched_rows()))), encoding="utf-8-sig")
    first = back.iloc[0]
    assert first["parties"] == f"{party_label('kke')}; {party_label('tkp')}"
    assert first["party_ids"] == "kke; tkp"
    assert first["party_countries"] == f"{country_name('GRC')}; {country_name('TUR')}"
    assert first["party_country_ids"] == "GRC; TUR"
    assert first["countries"] == country_name("SYR") and first["country_ids"] == "SYR"
    assert first["topics"] == topic_label("international") != "international"
    assert first["topic_ids"] == "international"
    # Greece and Türkiye lie in two regions and two continents: both are listed.
    assert first["continent"] == "Europe; Asia"
    assert first["region"] == "Southern Europe; Western Asia"
    assert str(first["date"]) == "2015-10"
    assert back.iloc[1]["date"] == "2019-10-18"


def test_readable_jsonl_keeps_lists_of_names_and_month_dates():
    from dashboard.export import readable

    lines = to_jsonl_bytes(readable(_enriched_rows())).decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert records[0]["date"] == "2015-10" and records[0]["date_precision"] == "month"
    assert records[0]["party_ids"] == ["kke", "tkp"]
    assert records[0]["continent"] == ["Europe", "Asia"]
    back = pd.read_json(io.BytesIO(b"\n".join(line.encode() for line in lines)), lines=True)
    assert list(back["party_ids"].iloc[0]) == ["kke", "tkp"]


def test_chart_zip_holds_the_csv_and_a_readme_naming_filters_and_dataset():
    import zipfile

    from dashboard.export import chart_zip, readme_text

    readme = readme_text(
        "Top parties", "icp.csv", "3 of 16 statements · party: KKE", "party=kke", "now"
    )
    data = chart_zip(pd.DataFrame({"party": ["KKE"], "statements": [3]}), "top.csv", readme)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["README.txt", "top.csv"]
        text = archive.read("README.txt").decode()
        table = pd.read_csv(io.BytesIO(archive.read("top.csv")), encoding="utf-8-sig")
    assert "Dataset: icp.csv" in text and "party: KKE" in text and "?party=kke" in text
    assert table.to_dict("list") == {"party": ["KKE"], "statements": [3]}


# --- world map --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return map_dataset()


def test_geojson_download_carries_the_counts_on_natural_earth_geometries(ds):
    counts = pagedata.map_counts(map_view(ds), "countries")
    collection = json.loads(countries_geojson(counts))
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["iso3"]: f for f in collection["features"]}
    # every Natural Earth country, plus the counted ones it cannot draw (Malta)
    assert len(features) == len(geo.load_countries_gdf()) + 1
    assert features["TUR"]["properties"]["statements"] == 3
    assert features["TUR"]["properties"]["top_parties"] == "TKP (2), KKE (1)"
    assert features["TUR"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert features["BRA"]["properties"]["statements"] == 0
    assert features["BRA"]["properties"]["country"] == "Brazil"
    assert features["MLT"]["properties"]["statements"] == 1
    assert features["MLT"]["geometry"] is None


def test_csv_download_reads_back_as_the_table(ds):
    counts = pagedata.map_counts(map_view(ds), "party_countries")
    back = pd.read_csv(io.BytesIO(to_csv_bytes(counts)), encoding="utf-8-sig")
    assert back["iso3"].tolist() == counts["iso3"].tolist()
    assert back["statements"].tolist() == counts["statements"].tolist()
