"""World map core: per-country counts, the choropleth as data, the offline files, the downloads."""

from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from dashboard import mapdata
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.paths import static_dir
from dashboard.synthetic import make_dataset

# Eight statements written as code. Awkward on purpose: a statement naming parties from two
# countries (row 1), an undated one (4), a party from a microstate the map cannot draw (5:
# Malta), a country mention without any party (6: Kosovo, which has no ISO code), month
# precision (1).
STATEMENTS = [
    # date, precision, parties, party_countries, countries, topics
    ("2015-10-05", "day", ["kke"], ["GRC"], ["TUR"], ["elections"]),
    ("2015-10-01", "month", ["kke", "tkp"], ["GRC", "TUR"], [], ["elections", "international"]),
    ("2019-10-20", "day", ["tkp"], ["TUR"], ["GRC", "TUR"], ["international"]),
    ("2019-03-01", "day", ["pame"], ["GRC"], ["GRC"], ["labour"]),
    (None, "none", ["kke"], ["GRC"], ["USA"], ["other"]),
    ("2015-11-01", "day", ["pkm"], ["MLT"], ["ITA", "MLT"], ["other"]),
    ("2019-06-01", "day", [], [], ["XKX"], ["war_imperialism"]),
    ("2019-11-01", "day", ["tkp"], ["TUR"], ["TUR"], ["international"]),
]


PRECISIONS = ["day", "month", "year", "none"]


def make_frame(rows: list[tuple]) -> pd.DataFrame:
    dates, precision, parties, party_countries, countries, topics = zip(*rows, strict=True)
    n = len(rows)
    return pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "title": [f"Statement {i}" for i in range(n)],
            "text": ["text"] * n,
            "date": pd.to_datetime(pd.Series(dates, dtype="object")),
            "date_precision": pd.Categorical(precision, categories=PRECISIONS),
            "url": [""] * n,
            "parties": list(parties),
            "party_countries": list(party_countries),
            "countries": list(countries),
            "topics": list(topics),
            "unresolved": [[] for _ in range(n)],
            "region": pd.Categorical([""] * n),
            "continent": pd.Categorical([""] * n),
        }
    )


@dataclass(frozen=True, eq=False)
class FakeView:
    """The two things ``map_counts`` reads from ``dashboard.ui.page.View``."""

    dataset: Dataset
    mask: np.ndarray
    _long: dict = field(default_factory=dict)

    @property
    def df(self) -> pd.DataFrame:
        return self.dataset.df[self.mask]

    def long(self, col: str) -> pd.DataFrame:
        table = self.dataset.long[col]
        return table[self.mask[table["row"].to_numpy()]]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return Dataset.from_enriched(make_frame(STATEMENTS), source="fixture.csv")


def by_iso(counts: pd.DataFrame) -> dict[str, dict]:
    return counts.set_index("iso3").to_dict("index")


# --- counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("by", "year", "expected"),
    [
        ("party_countries", None, {"GRC": 4, "TUR": 3, "MLT": 1}),
        ("party_countries", 2015, {"GRC": 2, "TUR": 1, "MLT": 1}),
        ("party_countries", 2019, {"GRC": 1, "TUR": 2}),
        ("countries", None, {"TUR": 3, "GRC": 2, "USA": 1, "ITA": 1, "MLT": 1, "XKX": 1}),
        ("countries", 2015, {"TUR": 1, "ITA": 1, "MLT": 1}),
        ("countries", 2019, {"TUR": 2, "GRC": 2, "XKX": 1}),
        ("countries", 2012, {}),
    ],
)
def test_statements_per_country(ds, by, year, expected):
    counts = mapdata.map_counts(ds, by, year)
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected
    assert counts["statements"].is_monotonic_decreasing
    assert list(counts.columns) == list(mapdata.COUNT_COLUMNS)


@pytest.mark.parametrize(
    ("by", "iso3", "parties", "top_parties", "top_topic"),
    [
        # KKE's statement with TKP counts for Greece, but TKP is not a Greek party.
        ("party_countries", "GRC", 2, "KKE (3), PAME (1)", "Elections"),
        ("party_countries", "TUR", 1, "TKP (3)", "International"),
        # Only "other" topics: "other" is the top topic rather than nothing.
        ("party_countries", "MLT", 1, "PKM (1)", "Other"),
        ("countries", "TUR", 2, "TKP (2), KKE (1)", "International"),
        ("countries", "XKX", 0, "", "War"),
    ],
)
def test_parties_and_top_topic(ds, by, iso3, parties, top_parties, top_topic):
    row = by_iso(mapdata.map_counts(ds, by))[iso3]
    assert row["parties"] == parties
    assert row["top_parties"] == top_parties
    assert row["top_topic"].lower().startswith(top_topic.lower())


@pytest.mark.parametrize(
    ("iso3", "country", "on_map"),
    [("GRC", "Greece", True), ("MLT", "Malta", False), ("XKX", "Kosovo", False)],
)
def test_names_and_whether_the_map_can_draw_it(ds, iso3, country, on_map):
    row = by_iso(mapdata.map_counts(ds, "countries"))[iso3]
    assert row["country"] == country
    assert row["on_map"] is on_map or row["on_map"] == on_map


def test_continent_and_region_come_with_the_counts(ds):
    row = by_iso(mapdata.map_counts(ds, "party_countries"))["GRC"]
    assert (row["continent"], row["region"]) == ("Europe", "Southern Europe")


def test_per_year_counts_drop_undated_statements(ds):
    counts = mapdata.map_counts(ds, "party_countries", per_year=True)
    got = {(r.iso3, r.year): r.statements for r in counts.itertuples()}
    assert got == {("GRC", 2015): 2, ("GRC", 2019): 1, ("TUR", 2015): 1, ("TUR", 2019): 2,
                   ("MLT", 2015): 1}  # fmt: skip


@pytest.mark.parametrize(
    ("keep_year", "expected"),
    [(2015, {"GRC": 2, "TUR": 1, "MLT": 1}), (2019, {"GRC": 1, "TUR": 2})],
)
def test_counts_follow_a_filtered_view(ds, keep_year, expected):
    mask = (ds.df["date"].dt.year == keep_year).to_numpy()
    counts = mapdata.map_counts(FakeView(ds, mask), "party_countries")
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected


def test_an_empty_view_gives_an_empty_table_and_an_empty_map(ds):
    view = FakeView(ds, np.zeros(len(ds), dtype=bool))
    counts = mapdata.map_counts(view, "countries")
    assert counts.empty and list(counts.columns) == list(mapdata.COUNT_COLUMNS)
    fig = mapdata.make_world_map(counts)
    assert len(fig.data[0].locations) == 0


@pytest.mark.parametrize(
    ("by", "iso3", "year", "rows"),
    [
        ("party_countries", "GRC", None, [0, 1, 3, 4]),
        ("party_countries", "GRC", 2015, [0, 1]),
        ("countries", "TUR", None, [0, 2, 7]),
        ("countries", "FRA", None, []),
    ],
)
def test_statement_rows_of_a_clicked_country(ds, by, iso3, year, rows):
    assert mapdata.statement_rows(ds, by, iso3, year).tolist() == rows


def test_available_years(ds):
    assert mapdata.available_years(ds) == [2015, 2019]


def test_unknown_mode_and_missing_column_are_explained(ds):
    with pytest.raises(ValueError, match="party_countries"):
        mapdata.map_counts(ds, "cities")
    bare = Dataset(df=ds.df, long={k: v for k, v in ds.long.items() if k != "countries"})
    with pytest.raises(DatasetError, match="no 'countries' column"):
        mapdata.map_counts(bare, "countries")


def test_counts_match_a_plain_python_count_on_synthetic_data():
    ds = make_dataset(3000, seed=7)
    expected: dict[str, int] = {}
    for codes in ds.df["countries"]:
        for code in set(codes):
            expected[code] = expected.get(code, 0) + 1
    counts = mapdata.map_counts(ds, "countries")
    assert dict(zip(counts["iso3"], counts["statements"], strict=True)) == expected


# --- figure -----------------------------------------------------------------------------------


def test_choropleth_as_data(ds):
    counts = mapdata.map_counts(ds, "party_countries")
    fig = mapdata.make_world_map(counts)
    (trace,) = fig.data
    assert trace.type == "choropleth" and trace.locationmode == "ISO-3"
    assert list(trace.locations) == ["GRC", "TUR", "MLT"]
    assert list(trace.z) == [4, 3, 1]  # 4x spread: a linear colour scale
    assert trace.colorbar.dtick >= 1 and trace.colorbar.tickformat == ",d"  # no "1.5 statements"
    assert [c[1] for c in trace.customdata] == ["Greece", "Türkiye", "Malta"]
    assert trace.customdata[0][4] == "KKE (3), PAME (1)"
    for label in ("Statements", "Parties", "Top topic", "%{customdata[1]}"):
        assert label in trace.hovertemplate
    geo = fig.layout.geo
    assert geo.projection.type == "natural earth" and geo.showcountries and geo.landcolor


@pytest.mark.parametrize("animate", [False, True])
def test_map_is_large_transparent_with_its_colour_bar_beside_it(ds, animate):
    counts = mapdata.map_counts(ds, "party_countries", per_year=animate)
    fig = mapdata.make_world_map(counts, animation_by_year=animate).to_dict()
    layout, geo = fig["layout"], fig["layout"]["geo"]
    assert 520 <= layout["height"] <= 600
    # No white box on the dark theme: page colour shows through; water and land are drawn in
    # colours that read on both themes (translucent blue, mid grey).
    assert geo["bgcolor"] == layout["paper_bgcolor"] == "rgba(0, 0, 0, 0)"
    assert geo["showocean"] and geo["oceancolor"].endswith("0.18)")
    assert geo["showlakes"] and geo["lakecolor"] == geo["oceancolor"]
    grey = geo["landcolor"].lstrip("#")
    assert len({grey[0:2], grey[2:4], grey[4:6]}) == 1 and 0x90 <= int(grey[:2], 16) <= 0xE6
    bar = fig["data"][0]["colorbar"]
    assert bar["orientation"] == "v" and bar["x"] >= 1.0 and bar["xanchor"] == "left"
    if animate:
        # Play buttons and year slider sit inside the figure, under the map.
        (menu,) = layout["updatemenus"]
        assert menu["xanchor"] == "left" and menu["x"] >= 0
        assert layout["sliders"][0]["x"] > menu["x"] and layout["margin"]["b"] >= 60


def test_colour_by_parties(ds):
    counts = mapdata.map_counts(ds, "countries")
    fig = mapdata.make_world_map(counts, metric="parties")
    assert list(fig.data[0].z) == counts["parties"].tolist()
    assert fig.data[0].colorbar.title.text == "Parties"


def test_skewed_counts_are_coloured_on_a_log_scale_labelled_in_counts():
    counts = pd.DataFrame(
        {
            "iso3": ["GRC", "TUR", "CUB"],
            "country": ["Greece", "Türkiye", "Cuba"],
            "statements": [5000, 40, 1],
            "parties": [3, 2, 1],
            "top_parties": ["", "", ""],
            "top_topic": ["", "", ""],
        }
    )
    trace = mapdata.make_world_map(counts).data[0]
    assert np.allclose(trace.z, [math.log10(5000), math.log10(40), 0.0])
    assert "1,000" in trace.colorbar.ticktext
    assert [c[2] for c in trace.customdata] == [5000, 40, 1]  # hover keeps real numbers


def test_animation_has_one_frame_per_year_on_one_colour_range(ds):
    counts = mapdata.map_counts(ds, "party_countries", per_year=True)
    fig = mapdata.make_world_map(counts, animation_by_year=True)
    assert [f.name for f in fig.frames] == ["2015", "2019"]
    assert list(fig.frames[1].data[0].locations) == ["TUR", "GRC"]
    assert len({(f.data[0].zmin, f.data[0].zmax) for f in fig.frames}) == 1
    assert [s.label for s in fig.layout.sliders[0].steps] == ["2015", "2019"]
    with pytest.raises(ValueError, match="per_year"):
        mapdata.make_world_map(mapdata.map_counts(ds), animation_by_year=True)


@pytest.mark.parametrize("n", [200, 4000])
def test_figure_holds_one_location_per_country_whatever_the_number_of_statements(n):
    counts = mapdata.map_counts(make_dataset(n, seed=1), "countries")
    fig = mapdata.make_world_map(counts)
    assert len(fig.data) == 1
    assert len(fig.data[0].locations) == counts["iso3"].nunique() == len(counts)


# --- offline files ----------------------------------------------------------------------------


def test_config_points_plotly_at_the_shipped_base_map_with_a_relative_url(ds):
    config = mapdata.plotly_config()
    url = config["topojsonURL"]
    assert not url.startswith("/") and "://" not in url and url.endswith("/")
    assert config["displaylogo"] is False
    # plotly.js fetches <topojsonURL><scope>_<resolution>m.json; Streamlit serves ./static at
    # app/static/, so the URL after that prefix is a path inside static/.
    fig = mapdata.make_world_map(mapdata.map_counts(ds))
    name = f"world_{fig.layout.geo.resolution}m.json"
    path = static_dir() / url.removeprefix("app/static/") / name
    topology = json.loads(path.read_text(encoding="utf-8"))
    assert topology["type"] == "Topology" and topology["arcs"]
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert {"GRC", "TUR", "FRA", "NOR", "CUB", "VNM"} <= ids
    assert {"land", "coastlines"} <= set(topology["objects"])
    assert mapdata.topojson_country_ids() == ids - {None}


def test_natural_earth_countries_have_unique_valid_iso3_codes():
    gdf = mapdata.load_countries_gdf()
    assert 170 <= len(gdf) <= 180
    assert list(gdf.columns) == ["iso3", "name", "continent", "region", "geometry"]
    assert gdf["iso3"].is_unique
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in gdf["iso3"])
    assert gdf["region"].astype("str").str.len().gt(0).all()
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
    assert gdf.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("iso3", "name", "continent", "inside"),
    [
        ("FRA", "France", "Europe", (2.35, 48.86)),  # Paris; -99 in raw Natural Earth
        ("NOR", "Norway", "Europe", (10.75, 59.91)),  # Oslo; -99 in raw Natural Earth
        ("XKX", "Kosovo", "Europe", (21.17, 42.66)),  # Pristina; -99, no ISO code at all
        ("CYP", "Cyprus", "Asia", (33.36, 35.19)),  # Nicosia: the north is merged in
        ("SOM", "Somalia", "Africa", (44.06, 9.56)),  # Hargeisa: Somaliland is merged in
        ("GRC", "Greece", "Europe", (23.73, 37.98)),  # Athens
    ],
)
def test_natural_earth_codes_fixed_where_it_has_none(iso3, name, continent, inside):
    row = mapdata.load_countries_gdf().set_index("iso3").loc[iso3]
    assert (row["name"], row["continent"]) == (name, continent)
    assert row.geometry.contains(Point(*inside))


def test_load_countries_gdf_returns_a_copy():
    gdf = mapdata.load_countries_gdf()
    gdf.loc[0, "name"] = "changed"
    assert mapdata.load_countries_gdf().loc[0, "name"] != "changed"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "could not be read"),
        ('{"type": "FeatureCollection", "features": []}', "lack the column"),
    ],
)
def test_a_broken_geometry_file_is_a_dataset_error(tmp_path, monkeypatch, content, message):
    path = tmp_path / "countries.geojson"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setattr(mapdata, "countries_path", lambda: path)
    with pytest.raises(DatasetError, match=message) as err:
        mapdata.load_countries_gdf()
    assert "build_map_data.py" in str(err.value) and str(path) in str(err.value)


# --- downloads --------------------------------------------------------------------------------


def test_geojson_download_carries_the_counts_on_natural_earth_geometries(ds):
    counts = mapdata.map_counts(ds, "countries")
    collection = json.loads(mapdata.countries_geojson(counts))
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["iso3"]: f for f in collection["features"]}
    # every Natural Earth country, plus the counted ones it cannot draw (Malta)
    assert len(features) == len(mapdata.load_countries_gdf()) + 1
    assert features["TUR"]["properties"]["statements"] == 3
    assert features["TUR"]["properties"]["top_parties"] == "TKP (2), KKE (1)"
    assert features["TUR"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert features["BRA"]["properties"]["statements"] == 0
    assert features["BRA"]["properties"]["country"] == "Brazil"
    assert features["MLT"]["properties"]["statements"] == 1
    assert features["MLT"]["geometry"] is None


def test_csv_download_reads_back_as_the_table(ds):
    counts = mapdata.map_counts(ds, "party_countries")
    back = pd.read_csv(io.BytesIO(mapdata.counts_csv(counts)), encoding="utf-8-sig")
    assert back["iso3"].tolist() == counts["iso3"].tolist()
    assert back["statements"].tolist() == counts["statements"].tolist()


def _luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` or ``rgb(r, g, b)``."""
    if color.startswith("#"):
        channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(v)) for v in color[color.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_fewest_statements_stand_out_from_the_land_and_more_reads_darker(ds):
    fig = mapdata.make_world_map(mapdata.map_counts(ds, "party_countries"))
    scale = [color for _, color in fig.data[0].colorscale]
    land = _luminance(fig.layout.geo.landcolor)
    lows = _luminance(scale[0])
    # A country with one statement must not melt into the land (yellow on light grey did).
    assert (land + 0.05) / (lows + 0.05) >= 1.5
    lums = [_luminance(c) for c in scale]
    assert lums == sorted(lums, reverse=True)  # darker means more statements
