"""How the app looks on a laptop screen, in the dark theme, in presenter mode and embedded.

Dark theme is asked for the way users get it: the browser's (system) colour scheme, or
Streamlit's ``?embed_options=dark_theme``. Plotly charts must follow the theme: a white chart on
a dark page (or dark text on a dark chart) is what a user would notice.
"""

from __future__ import annotations

import re

import pytest

LOOK_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    app: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor,
    text: getComputedStyle(main.querySelector('h1')).color,
    charts: [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
      paper: getComputedStyle(el.querySelector('.main-svg')).backgroundColor,
      font: el._fullLayout.font.color,
      geo: el._fullLayout.geo ? el._fullLayout.geo.bgcolor : null,
      width: el.getBoundingClientRect().width,
    })),
    pageWidth: document.documentElement.scrollWidth,
    mainOverflow: main.scrollWidth - main.clientWidth,
    mainWidth: main.clientWidth,
  };
}
"""


def channels(colour: str) -> tuple[list[int], float]:
    """RGB 0-255 and alpha of ``rgb(...)``, ``rgba(...)``, ``#rgb`` or ``#rrggbb``."""
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return [int(digits[i : i + 2], 16) for i in (0, 2, 4)], 1.0
    values = [float(v) for v in re.findall(r"[\d.]+", colour)]
    return [int(v) for v in values[:3]], (values[3] if len(values) > 3 else 1.0)


def shown(colour: str | None, behind: str) -> str:
    """The colour a user sees: a transparent background shows what is behind it."""
    if not colour or channels(colour)[1] == 0:
        return behind
    return colour


def luminance(colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of a CSS colour."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels(colour)[0])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize(
    ("path", "scheme", "query", "dark"),
    [
        ("/", "light", {}, False),
        ("/", "dark", {}, True),
        ("/", "light", {"embed_options": "dark_theme"}, True),
        ("/world_map", "dark", {}, True),
    ],
    ids=["light", "dark-system", "dark-embed-option", "map-dark"],
)
def test_theme_and_laptop_viewport(app, fixture_data, path, scheme, query, dark):
    tab = app.open(path, query, color_scheme=scheme, width=1280, height=720, selector=".main-svg")
    look = tab.page.evaluate(LOOK_JS)
    assert tab.problems() == []
    assert tab.shown_count() == len(fixture_data)
    assert (luminance(look["app"]) < 0.2) is dark
    assert (luminance(look["text"]) > 0.5) is dark
    assert look["charts"], "no chart on the page"
    for chart in look["charts"]:
        # The chart's background (and a map's sea/frame) is the page's, and its text stands
        # out from it.
        paper = shown(chart["paper"], look["app"])
        assert abs(luminance(paper) - luminance(look["app"])) < 0.05
        assert abs(luminance(shown(chart["geo"], paper)) - luminance(look["app"])) < 0.05
        assert abs(luminance(chart["font"]) - luminance(paper)) > 0.3
        assert chart["width"] <= look["mainWidth"]
    # Nothing sticks out sideways at 1280 px.
    assert look["pageWidth"] <= 1280
    assert look["mainOverflow"] <= 0


def test_presenter_mode_hides_sidebar_and_keeps_filters(app):
    tab = app.open("/", {"present": "1", "party": "kke"}, selector=".main-svg")
    assert tab.shown_count() == 3  # f01, f05, f10 name KKE
    assert not tab.page.locator('[data-testid="stSidebar"]').is_visible()
    assert not tab.page.locator('header[data-testid="stHeader"]').is_visible()
    assert tab.page.get_by_role("button", name="Exit presenter mode").is_visible()
    assert "present=1" in tab.url and "party=kke" in tab.url
    assert tab.problems() == []


def test_embedded_app_keeps_filters(app):
    tab = app.open("/", {"embed": "true", "party": "kke"}, selector=".main-svg")
    assert tab.shown_count() == 3
    assert "party=kke" in tab.url
    assert tab.problems() == []
