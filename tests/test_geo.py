"""Country geometry: the shipped Natural Earth countries and the offline base map plotly draws."""

from __future__ import annotations

import json
import re

import pytest
from shapely.geometry import Point
from test_pagedata import map_dataset, map_view

from dashboard import figures as fg
from dashboard import geo, pagedata
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.paths import static_dir
from dashboard.ui.page import plotly_config


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return map_dataset()


def test_config_points_plotly_at_the_shipped_base_map_with_a_relative_url(ds):
    config = plotly_config()
    url = config["topojsonURL"]
    assert not url.startswith("/") and "://" not in url and url.endswith("/")
    assert config["displaylogo"] is False
    # plotly.js fetches <topojsonURL><scope>_<resolution>m.json; Streamlit serves ./static at
    # app/static/, so the URL after that prefix is a path inside static/.
    fig = fg.make_world_map(pagedata.map_counts(map_view(ds)))
    name = f"world_{fig.layout.geo.resolution}m.json"
    path = static_dir() / url.removeprefix("app/static/") / name
    topology = json.loads(path.read_text(encoding="utf-8"))
    assert topology["type"] == "Topology" and topology["arcs"]
    ids = {g.get("id") for g in topology["objects"]["countries"]["geometries"]}
    assert {"GRC", "TUR", "FRA", "NOR", "CUB", "VNM"} <= ids
    assert {"land", "coastlines"} <= set(topology["objects"])
    assert geo.topojson_country_ids() == ids - {None}


def test_natural_earth_countries_have_unique_valid_iso3_codes():
    gdf = geo.load_countries_gdf()
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
    row = geo.load_countries_gdf().set_index("iso3").loc[iso3]
    assert (row["name"], row["continent"]) == (name, continent)
    assert row.geometry.contains(Point(*inside))


def test_load_countries_gdf_returns_a_copy():
    gdf = geo.load_countries_gdf()
    gdf.loc[0, "name"] = "changed"
    assert geo.load_countries_gdf().loc[0, "name"] != "changed"


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
    monkeypatch.setattr(geo, "countries_path", lambda: path)
    with pytest.raises(DatasetError, match=message) as err:
        geo.load_countries_gdf()
    assert "build_map_data.py" in str(err.value) and str(path) in str(err.value)
