"""World map page (AppTest on app.py): the map, its modes, year slider, country pick, downloads."""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest
from test_analysis_pages import _chart_blocks

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/world_map.py"


@pytest.fixture(autouse=True)
def bundled_sample(monkeypatch):
    """Every test runs on the bundled 24-statement sample."""
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    monkeypatch.delenv("DASHBOARD_DATA_DIR", raising=False)


def open_map(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def map_figure(at: AppTest):
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return pio.from_json(charts[0].proto.spec, skip_invalid=True)


def locations(at: AppTest) -> list[str]:
    trace = map_figure(at).data[0]
    assert trace.type == "choropleth"
    return list(trace.locations)


def country_table(at: AppTest):
    (table,) = [d.value for d in at.dataframe if "statements" in d.value.columns]
    return table


def rerun(widget) -> AppTest:
    """Run the app after a widget change and check it ran cleanly."""
    at = widget.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_map_of_party_home_countries_on_the_bundled_sample():
    at = open_map()
    shown = locations(at)
    # KKE/PAME/KNE (Greece), TKP (Turkey) and CPI (India) are in the sample.
    assert {"GRC", "TUR", "IND"} <= set(shown)
    table = country_table(at)
    assert set(table["iso3"]) == set(shown)
    greece = table.set_index("iso3").loc["GRC"]
    assert greece["statements"] == 4 and greece["country"] == "Greece"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download map data (GeoJSON)" in labels and "Download data (CSV + README, ZIP)" in labels


def test_switching_the_mode_maps_the_countries_mentioned():
    at = open_map()
    home = locations(at)
    rerun(at.radio(key="map_mode").set_value("countries"))
    mentioned = locations(at)
    assert mentioned != home
    # The Korean peninsula is only ever mentioned (the next meeting is in Pyongyang).
    assert "PRK" in mentioned and "PRK" not in home
    assert set(country_table(at)["iso3"]) == set(mentioned)


def test_the_year_slider_keeps_one_year():
    at = open_map()
    every_year = map_figure(at).data[0]
    rerun(at.select_slider(key="map_year").set_value(2019))
    one_year = map_figure(at).data[0]
    assert set(one_year.locations) == {"GRC", "TUR"}  # only the İzmir meeting is from 2019
    assert set(one_year.locations) < set(every_year.locations)


def test_animation_has_a_frame_per_year():
    at = open_map()
    rerun(at.toggle(key="map_animate").set_value(True))
    assert [f.name for f in map_figure(at).frames] == ["2015", "2019"]


def test_picking_a_country_lists_its_statements():
    at = open_map()
    assert not [s for s in at.subheader if "Greece" in s.value]
    rerun(at.selectbox(key="map_country").set_value("GRC"))
    assert any(s.value.startswith("Greece: 4 statements") for s in at.subheader)
    (statements,) = [d.value for d in at.dataframe if "Text" in d.value.columns]
    assert len(statements) == 4


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "no statement says this zzz"}, "No statements match"),
        # A statement naming no party: nothing to put on the party home map.
        ({"q": "Trans-Pacific"}, "party with a known home country"),
    ],
)
def test_nothing_to_map_gives_a_message_not_a_map(query, message):
    at = open_map(**query)
    assert not at.get("plotly_chart")
    assert any(message in i.value for i in at.info)


def test_map_takes_the_full_width_with_the_country_table_under_it():
    at = open_map()
    assert _chart_blocks(at)["world_map"] == ["main", "plotly_chart"]
    assert map_figure(at).layout.height >= 520
    assert len(country_table(at)) == len(locations(at))


def _no_base_map(monkeypatch, tmp_path):
    monkeypatch.setattr("dashboard.geo.static_dir", lambda: tmp_path)


def _broken_geometries(monkeypatch, tmp_path):
    broken = tmp_path / "ne_110m_countries.geojson"
    broken.write_text("{not geojson", encoding="utf-8")
    monkeypatch.setattr("dashboard.geo.countries_path", lambda: broken)


@pytest.mark.parametrize(
    ("break_map", "message"),
    [
        (_no_base_map, "the offline base map could not be read"),
        (_broken_geometries, "the country geometries could not be read"),
    ],
)
def test_missing_or_broken_map_data_gives_an_error_not_a_traceback(
    monkeypatch, tmp_path, break_map, message
):
    from dashboard import geo

    break_map(monkeypatch, tmp_path)
    # Both readers cache per process: clear them so this test reads the broken files and the
    # next test the real ones again.
    geo.topojson_country_ids.cache_clear()
    geo._read_countries.cache_clear()
    try:
        at = open_map()
        errors = [e.value for e in at.error]
        assert any(message in e for e in errors), errors
        assert "Restore" in errors[0]
        assert not at.get("plotly_chart")
        # The rest of the app still works: another page opens normally.
        at.switch_page("pages/overview.py").run()
        assert not at.exception and not at.error
    finally:
        geo.topojson_country_ids.cache_clear()
        geo._read_countries.cache_clear()
