"""The world map draws from the app's own files (no CDN); clicking a country lists its statements.

Plotly's geo map fetches its base map (topojson) at draw time; without it the map is an empty
box. These tests count what plotly actually drew in the SVG and compare the coloured countries
with the fixture's hand-written oracle.
"""

from __future__ import annotations

import contextlib

import pytest

PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

MAP_READY = ".js-plotly-plot .layer.countries path"
# Where Streamlit fetches a ``:material/...:`` page icon for the browser tab.
FAVICON_URL = "https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/"

# What plotly drew: sub-paths of the country-border and land layers (one SVG path each, with
# one "M" per ring), the ISO-3 codes of the choropleth trace, and which of its location paths
# have real geometry.
DRAWN_JS = """
() => {
  const el = document.querySelector('.js-plotly-plot');
  if (!el || !el._fullData) return {borders: 0, land: 0, locations: [], drawn: []};
  const rings = (sel) => {
    const p = el.querySelector(sel);
    return p ? ((p.getAttribute('d') || '').match(/M/g) || []).length : 0;
  };
  const shapes = [...el.querySelectorAll('path.choroplethlocation')];
  return {
    borders: rings('.layer.countries path'),
    land: rings('.layer.land path'),
    locations: el._fullData.filter(t => t.type === 'choropleth')
                           .flatMap(t => Array.from(t.locations || [])),
    drawn: shapes.filter(p => (p.getAttribute('d') || '').length > 20)
                 .map(p => p.__data__ && p.__data__.loc),
  };
}
"""

# A point inside the country's shape (its box centre can be sea, e.g. for Greece), in page
# coordinates, found by asking the browser what is under each point of a grid over the box.
POINT_IN_COUNTRY_JS = """
(iso3) => {
  const path = [...document.querySelectorAll('.js-plotly-plot path.choroplethlocation')]
    .find(p => p.__data__ && p.__data__.loc === iso3);
  if (!path) return null;
  path.scrollIntoView({block: 'center'});
  const box = path.getBoundingClientRect();
  for (let i = 1; i < 10; i++) {
    for (let j = 1; j < 10; j++) {
      const x = box.left + box.width * ((i * 5) % 10) / 10;
      const y = box.top + box.height * ((j * 5) % 10) / 10;
      if (document.elementFromPoint(x, y) === path) return {x, y};
    }
  }
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}
"""


def test_world_map_draws_offline(app, fixture_data):
    tab = app.open("/world_map", selector='[data-testid="stMain"] h1')
    with contextlib.suppress(PlaywrightTimeout):
        # Drawn a moment after the run ends; a blank map never gets it, so do not wait long.
        tab.page.wait_for_selector(MAP_READY, timeout=30_000)
    drawn = tab.page.evaluate(DRAWN_JS)
    # The 1:110m base map has ~550 border rings and ~380 land rings: far more than 100.
    assert drawn["borders"] > 100, f"blank map: {drawn}; {tab.problems()}"
    assert drawn["land"] > 100
    assert sorted(drawn["locations"]) == sorted(fixture_data.home_countries)
    assert sorted(drawn["drawn"]) == sorted(fixture_data.home_countries)
    assert any("/app/static/topojson/" in url for url in tab.requests)
    # The browser tab's icon is not part of the map (test_no_request_leaves_the_machine
    # covers it); anything else fetched from outside would be the map's doing.
    assert [url for url in tab.blocked if not url.startswith(FAVICON_URL)] == []
    assert tab.problems() == []


def test_clicking_a_country_lists_its_statements(app, fixture_data):
    tab = app.open("/world_map", selector=MAP_READY)
    # One tab, several clicks: each click must replace the listed statements.
    for iso3 in ("GRC", "TUR", "CAN"):
        point = tab.page.evaluate(POINT_IN_COUNTRY_JS, iso3)
        assert point is not None, f"{iso3} is not drawn on the map"
        with tab.rerun():
            tab.page.mouse.click(point["x"], point["y"])
        expected = fixture_data.naming(iso3)
        heading = tab.page.locator('[data-testid="stMain"] h3').filter(has_text="statements by")
        assert heading.count() == 1
        assert heading.inner_text().split(":")[1].strip().startswith(f"{len(expected)} statements")
        listed = tab.page.locator('[data-testid="stDataFrame"]').last
        assert tab.grid_rows(listed) == len(expected), iso3
        text = tab.grid_text(listed)
        for statement in expected:
            assert statement.text[:40] in text
    assert tab.problems() == []
