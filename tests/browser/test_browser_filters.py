"""Filters live in the URL: a shared link reproduces the view, and switching pages keeps them.

Also: clicking a timeline bar lists exactly the statements behind it.
"""

from __future__ import annotations

import pytest

BAR_JS = """
(period) => {
  const bars = [...document.querySelectorAll('.js-plotly-plot .barlayer .point')];
  const bar = bars.find(p => p.__data__ && new Date(p.__data__.x).toISOString().startsWith(period));
  if (!bar) return null;
  const box = bar.getBoundingClientRect();
  return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}
"""


@pytest.mark.parametrize(
    ("widget", "typed", "param", "value", "iso3", "next_page"),
    [
        ("f_parties", "Communist Party of Greece", "party", "kke", "GRC", "Timeline"),
        ("f_countries", "Türkiye", "country", "TUR", "TUR", "Explore statements"),
    ],
    ids=["party", "country"],
)
def test_filter_survives_link_and_page_switch(
    app, fixture_data, widget, typed, param, value, iso3, next_page
):
    expected = len(fixture_data.naming(iso3))
    tab = app.open("/", selector=f".st-key-{widget}")
    assert tab.shown_count() == len(fixture_data)

    tab.pick(widget, typed)
    assert tab.query().get(param) == [value]
    assert tab.shown_count() == expected

    # A fresh browser (no session, no cookies) opening the link sees the same view.
    other = app.new_tab()
    other.page.goto(tab.url)
    other.wait_idle(f".st-key-{widget}")
    assert other.shown_count() == expected
    assert typed in other.sidebar_widget(widget).inner_text()

    # Switching pages keeps the filter, in the numbers and in the URL.
    path = other.nav_links()[next_page]
    other.go_to_page(next_page)
    assert other.url.removeprefix(other.base_url).split("?")[0] == path != "/"
    assert other.query().get(param) == [value]
    assert other.shown_count() == expected
    assert tab.problems() == other.problems() == []


def test_date_range_from_link(app, fixture_data):
    # A link limited to 2015 shows the October 2015 statements, the month-precision one too,
    # and not the undated one.
    tab = app.open("/explore", {"from": "2015-01-01", "to": "2015-12-31"})
    expected = [s for s in fixture_data.statements if s.date.startswith("2015")]
    assert tab.shown_count() == len(expected)
    assert tab.problems() == []


def test_clicking_a_timeline_bar_lists_its_statements(app, fixture_data):
    tab = app.open("/timeline", selector=".js-plotly-plot .barlayer .point")
    # One tab, two clicks: each click must replace the listed statements.
    for period in ("2015-10", "2019-10"):
        point = tab.page.evaluate(BAR_JS, period)
        assert point is not None, f"no bar for {period}"
        with tab.rerun():
            tab.page.mouse.click(point["x"], point["y"])
        expected = [s for s in fixture_data.statements if s.date.startswith(period)]
        heading = tab.page.locator('[data-testid="stMain"] h3').filter(
            has_text="behind the selection"
        )
        assert f"({len(expected)})" in heading.inner_text()
        listed = tab.page.locator('[data-testid="stDataFrame"]').last
        assert tab.grid_rows(listed) == len(expected), period
    assert tab.problems() == []
