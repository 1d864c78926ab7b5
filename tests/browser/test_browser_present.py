"""Presenter mode fits a projector: at 1280x720 and 1920x1080, light and dark, nothing is clipped.

Every widget label, caption, metric and heading shows its whole text (no "Anim…"), and a table
meant to show all its rows (the World map's countries, the Parties table) has no hidden inner
scroll: what the map shows, the table lists in full.
"""

from __future__ import annotations

import pytest

from dashboard.ui.routing import APP_PAGES

# Elements whose text must fit, and tables that must show every row without an inner scroll.
CLIPPED_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  const texts = main.querySelectorAll(
    '[data-testid="stWidgetLabel"] p, [data-testid="stWidgetLabel"] div, label p, '
    + '[data-testid="stMetricValue"] div, [data-testid="stMetricLabel"] p, '
    + '[data-testid="stCaptionContainer"] p, h1, h2, h3, [data-testid="stPageLink"] p');
  for (const el of texts) {
    if (!el.offsetParent || !el.innerText.trim()) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2
        && getComputedStyle(el).overflowY !== 'visible') {
      out.push('text: ' + el.innerText.trim().slice(0, 40));
    }
  }
  for (const key of ['map_table', 'pt_table']) {
    const grid = main.querySelector('.st-key-' + key);
    if (!grid) continue;
    for (const sc of grid.querySelectorAll('.dvn-scroller')) {
      if (sc.scrollHeight > sc.clientHeight + 1) {
        out.push(`table ${key}: ${sc.scrollHeight} px of rows in ${sc.clientHeight} px`);
      }
      if (sc.scrollWidth > sc.clientWidth + 1) {
        out.push(`table ${key}: ${sc.scrollWidth} px of columns in ${sc.clientWidth} px`);
      }
    }
  }
  return out;
}
"""

# The first page at the root address, then every other page except the Data page.
PAGES = ["/", *(f"/{page.url_path}" for page in APP_PAGES[1:] if page.url_path != "data")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)], ids=["720p", "1080p"])
def test_presenter_mode_clips_nothing(app, scheme, width, height):
    tab = app.new_tab(color_scheme=scheme, width=width, height=height)
    for path in PAGES:
        tab.page.goto(app.url(path, {"present": "1"}))
        tab.wait_idle('[data-testid="stMain"] h1')
        tab.page.wait_for_timeout(300)  # the grid sizes itself after the run
        assert tab.page.evaluate(CLIPPED_JS) == [], path
        # The sidebar is hidden and the map's "Animate" toggle reads in full.
        assert not tab.page.locator('section[data-testid="stSidebar"]').is_visible()
        if path == "/world_map":
            assert "Animate" in tab.sidebar_widget("map_animate").inner_text()
    assert tab.problems() == []
