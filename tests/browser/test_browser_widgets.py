"""Dropdowns and dates do what people expect.

Typing an abbreviation and pressing Enter picks that party only (Streamlit's "Select N matches"
picked every party containing the letters); "Elec" + Enter picks Elections only; a typed end date
applies on Enter, not only when the field loses focus.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("key", "typed", "param", "value"),
    [("f_parties", "KKE", "party", "kke"), ("f_topics", "Elec", "topic", "elections")],
    ids=["party-abbreviation", "topic-prefix"],
)
def test_enter_picks_the_best_match_only(app, key, typed, param, value):
    tab = app.open("/", selector=f".st-key-{key}")
    box = tab.sidebar_widget(key).locator("input").first
    box.click()
    box.fill(typed)
    first = tab.page.get_by_role("option").first
    assert typed.lower() in first.inner_text().lower()
    assert "matches" not in first.inner_text()  # no bulk "Select N matches" entry
    with tab.rerun():
        tab.page.keyboard.press("Enter")
    tab.page.keyboard.press("Escape")
    assert tab.query().get(param) == [value]
    assert tab.problems() == []


def test_a_typed_end_date_applies_on_enter(app):
    tab = app.open("/explore", selector=".st-key-f_dates")
    before = tab.shown_count()
    # The end date's year segment: type 2015 over 2019 and press Enter, staying in the field.
    year = tab.sidebar_widget("f_dates").locator('[data-range-field="end"] [data-type="year"]')
    year.click()
    tab.page.keyboard.type("2015")
    with tab.rerun():
        tab.page.keyboard.press("Enter")
    assert tab.query().get("to", [""])[0].startswith("2015-")
    assert tab.shown_count() < before
    assert tab.problems() == []


# SVG paints in document order: a marker after a bar in the document is drawn over it.
SHAPES_JS = """
() => {
  const plot = document.querySelector('.js-plotly-plot');
  const shapes = [...plot.querySelectorAll('.shapelayer path')];
  const bars = [...plot.querySelectorAll('.barlayer .point path')];
  const over = shapes.filter(s => bars.some(
    b => b.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {shapes: shapes.length, bars: bars.length, over: over.length};
}
"""


def test_meeting_markers_are_drawn_behind_the_bars(app):
    tab = app.open("/timeline", {"period": "month"}, selector=".js-plotly-plot .barlayer .point")
    shapes = tab.page.evaluate(SHAPES_JS)
    assert shapes["shapes"] >= 2 and shapes["bars"] >= 1 and shapes["over"] == 0, shapes
    assert tab.problems() == []
