"""Look and feel: presenter mode's sizes and static CSS (the chart palette is ``figures.PALETTE``).

Owns the only HTML the app injects. It is a constant stylesheet - no data, no user text ever goes
into it - so statement text can never become markup. Presenter mode hides the sidebar, Streamlit's
header, toolbar and footer and enlarges type; charts are enlarged by ``ui.page.show_chart``.
"""

from __future__ import annotations

import streamlit as st

PRESENT_FONT_SCALE = 1.35
PRESENT_CHART_HEIGHT = 640
PRESENT_FONT_SIZE = 19  # chart text in presenter mode, readable from the back of a room
PRESENT_TITLE_SIZE = 25

_BASE_CSS = """
<style>
/* Long statements wrap instead of widening the page. */
[data-testid="stCaptionContainer"] { overflow-wrap: anywhere; }
</style>
"""

_PRESENT_CSS = f"""
<style>
section[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"],
[data-testid="stSidebarNav"],
header[data-testid="stHeader"],
[data-testid="stToolbar"],
[data-testid="stDecoration"],
[data-testid="stStatusWidget"],
footer {{ display: none !important; }}
html {{ font-size: {PRESENT_FONT_SCALE * 100:.0f}%; }}
.block-container, [data-testid="stMainBlockContainer"] {{
  padding-top: 1.5rem !important;
  max-width: 100% !important;
}}
[data-testid="stCaptionContainer"] p {{ font-size: 1.1rem; }}
/* Five headline numbers share a 1280-pixel screen: "20 Oct 2019" must not end in "…". */
[data-testid="stMetricValue"] {{ font-size: 1.8rem; }}
</style>
"""


def apply_theme(present: bool) -> None:
    """Inject the app's static stylesheet (and presenter mode's when ``present``)."""
    st.html(_BASE_CSS + (_PRESENT_CSS if present else ""))
