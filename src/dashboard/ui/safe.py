"""The one way text from data, file names or URLs reaches a Streamlit element that renders Markdown.

``st.caption``, ``st.warning``, ``st.error``, ``st.info``, ``st.success``, ``st.markdown``,
``st.subheader``, progress texts and widget labels all render their text as Markdown (with
LaTeX between ``$``, images, links, emoji codes and raw HTML shown as text). A value that came
from a dataset (a column name, a date or id example), a file name, or a query parameter must go
through :func:`md` so that ``**bold** ![x](http://attacker.invalid/p.png) $x^2$ <b>x</b>`` shows
as exactly those characters: nothing bold, no image fetched, no formula, no link.

This module imports nothing from Streamlit; it only builds strings.
"""

from __future__ import annotations

import re

# The characters that start Markdown, GFM, LaTeX ($) or Streamlit directive (:red[...]) syntax
# anywhere in a line. "-", "+", "." and "()" need a line start or a "[" to mean anything, ":"
# and "&" only make icons, emoji or entities (handled below, or harmless).
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$!])")
# ":smile:" and ":material/icon:" are replaced in the rendered text, after escapes are gone.
_SHORTCODE = re.compile(r":(?=[\w+/-]+:)")
# GFM turns bare "https://...", "www.x.org" and "a@b.org" into links even after escaping, as it
# finds them in the rendered text: an invisible word joiner breaks the pattern.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=\\?[:.])")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=[\w-])")
_LINE_START_LIST = re.compile(r"^(\d+)([.)])")
_JOINER = "\u2060"


def md(value: object) -> str:
    """``value`` as Markdown that renders as the plain text of ``str(value)``.

    Line breaks and runs of whitespace become one space (a line could otherwise start a
    heading, list or code block); the text otherwise reads the same.
    """
    text = " ".join(str(value).split())
    text = _SPECIAL.sub(r"\\\1", text)
    text = _LINE_START_LIST.sub(r"\1\\\2", text)
    if text[:1] in ("-", "+", "="):
        text = "\\" + text
    text = _SHORTCODE.sub(":" + _JOINER, text)
    text = _AUTOLINK.sub(lambda m: m.group(1) + _JOINER, text)
    return _EMAIL_AT.sub(_JOINER + "@", text)
