"""Every page's settings survive a link: a copied URL in a fresh browser shows the same view.

For each page, a link with its settings opens with those widgets set, the URL keeps them, and a
fresh browser opening the copied URL draws the same charts and text. Back/Forward move between
views; the menu's Overview link has a real address; a clicked timeline bar is in the link.
"""

from __future__ import annotations

import pytest
from test_browser_filters import BAR_JS

# page path, link settings, text each widget (by key) must show
LINKS = [
    (
        "/timeline",
        {"period": "week", "breakdown": "party", "show": "share", "top": "4"},
        {"tl_granularity": "Week", "tl_breakdown": "Party"},
    ),
    (
        "/world_map",
        {"mode": "countries", "shade": "parties", "year": "2019"},
        {"map_year": "2019"},
    ),
    ("/topics", {"period": "year", "show": "count", "top": "5"}, {"tp_granularity": "Year"}),
    ("/parties", {"profile": "tkp"}, {"pt_party": "Turkey"}),
    (
        "/explore",
        {"columns": "Date,Text,Id", "order": "Oldest first", "rows": "100"},
        {"explore_columns": "Id", "explore_order": "Oldest first"},
    ),
    ("/world_map", {"country": "GRC"}, {"map_country": "Greece"}),
    ("/parties", {"kinds": "party,youth"}, {"pt_kinds": "Youth organisations"}),
    ("/data", {"issue": "no_party"}, {"data_issue": "No party found"}),
]


def _widget_text(tab, key: str) -> str:
    """A widget's visible text including what its inputs hold (a selectbox shows its value in
    an input)."""
    return tab.sidebar_widget(key).evaluate(
        "el => el.innerText + ' ' + [...el.querySelectorAll('input')].map(i => i.value).join(' ')"
    )


def _checked(tab, key: str) -> str:
    """The label of a radio widget's chosen option."""
    return tab.sidebar_widget(key).evaluate(
        "el => el.querySelector('input:checked').closest('label').innerText"
    )


def _view(tab) -> tuple[str, list]:
    """What a user sees: the main column's text and every chart's drawn traces."""
    charts = tab.page.locator(".js-plotly-plot").count()
    return tab.main_text(), [tab.plotly_data(i) for i in range(charts)]


@pytest.mark.parametrize(
    ("path", "query", "shown"), LINKS, ids=[f"{p}-{list(q)[0]}" for p, q, _ in LINKS]
)
def test_a_copied_link_reproduces_every_page_setting(app, path, query, shown):
    tab = app.open(path, query, selector='[data-testid="stMain"] h1')
    for key, text in shown.items():
        assert text in _widget_text(tab, key), key
    assert {k: v[0] for k, v in tab.query().items() if k in query} == query
    # A fresh browser (no session) opening the copied URL sees the same view.
    other = app.open(tab.url.removeprefix(tab.base_url), selector='[data-testid="stMain"] h1')
    assert _view(other) == _view(tab)
    assert tab.problems() == other.problems() == []


def test_back_and_forward_move_between_views(app):
    tab = app.open("/world_map", selector=".st-key-map_mode")
    with tab.rerun():
        tab.sidebar_widget("map_mode").get_by_text("Countries mentioned").click()
    assert tab.query().get("mode") == ["countries"]
    with tab.rerun():
        tab.page.go_back()
    assert "mode" not in tab.query()
    assert "Party home country" in _checked(tab, "map_mode")
    with tab.rerun():
        tab.page.go_forward()
    assert tab.query().get("mode") == ["countries"]
    assert "Countries mentioned" in _checked(tab, "map_mode")
    assert tab.problems() == []


def test_the_overview_link_has_a_real_address(app):
    tab = app.open("/timeline", {"party": "kke"}, selector='[data-testid="stMain"] h1')
    assert tab.nav_links()["Overview"] == "/overview"
    other = app.open("/overview", {"party": "kke"}, selector='[data-testid="stMain"] h1')
    assert other.page.locator('[data-testid="stMain"] h1').first.inner_text() == "Overview"
    assert other.shown_count() == tab.shown_count()


def test_a_clicked_bar_is_in_the_link(app, fixture_data):
    tab = app.open("/timeline", selector=".js-plotly-plot .barlayer .point")
    point = tab.page.evaluate(BAR_JS, "2019-10")
    with tab.rerun():
        tab.page.mouse.click(point["x"], point["y"])
    assert tab.query().get("bar"), tab.url
    expected = [s for s in fixture_data.statements if s.date.startswith("2019-10")]
    other = app.open(tab.url.removeprefix(tab.base_url), selector='[data-testid="stDataFrame"]')
    heading = other.page.locator('[data-testid="stMain"] h3').filter(has_text="behind the")
    assert f"({len(expected)})" in heading.inner_text()
    assert tab.problems() == other.problems() == []


def test_a_click_on_a_parties_table_row_opens_its_profile(app):
    tab = app.open("/parties", selector=".st-key-pt_table")
    grid = tab.sidebar_widget("pt_table")
    rows = tab.grid_rows(grid)
    assert rows >= 2
    # The second row's checkbox column (the first row is the party shown by default): glide
    # draws rows on a canvas, so click by position below the 35-pixel header.
    box = grid.locator("canvas").first.bounding_box()
    row_px = 35
    with tab.rerun():
        tab.page.mouse.click(box["x"] + 15, box["y"] + row_px * 2 + row_px / 2)
    # The default (most named) party is left out of the URL: a profile here is the clicked one.
    assert tab.query().get("profile")
    other = app.open(tab.url.removeprefix(tab.base_url), selector=".st-key-pt_party")
    assert _widget_text(other, "pt_party") == _widget_text(tab, "pt_party")
    assert tab.problems() == []
