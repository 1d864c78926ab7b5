"""Nothing from data, file names or URLs renders as Markdown, LaTeX, links, images or HTML.

``dashboard.ui.safe.md`` is checked by rendering its output with a CommonMark renderer that has
GFM's strikethrough and tables and ``$`` maths switched on, and against GFM's autolink patterns
(``https://``, ``www.``, ``a@b.org``, which GFM finds in the rendered text). Then the app is
driven in AppTest with the same hostile text arriving by every route (query parameter, column
names, date examples, id examples, file names) and every element that renders Markdown is
checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from streamlit.testing.v1 import AppTest

from dashboard.ui import cache
from dashboard.ui.safe import md

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 120
PAYLOAD = "**bold** ![x](http://attacker.invalid/p.png) $x^2$ <b>x</b> [l](http://x.invalid)"
# A file name keeps only what follows its last "/", so the file-name route drops the slashes.
FILE_PAYLOAD = "**bold** ![x](attacker.invalid) $x^2$ <b>x<b> [l](x.invalid) ~~s~~"

_RENDER = MarkdownIt("commonmark").enable(["strikethrough", "table"]).use(dollarmath_plugin)
_MARKUP = re.compile(
    r"<(strong|em|img|a |b>|del|s>|code|pre|h\d|ul|ol|li|table|blockquote)|class=\"math"
)


# GFM's autolink literals: a protocol, "www." or an e-mail address in the text.
_AUTOLINK = re.compile(r"(?i)(https?://|ftp://|www\.|[\w.+-]@[a-z0-9-]+\.)")


def rendered_markup(body: str) -> list[str]:
    """The HTML tags a Markdown body turns into (besides the paragraph), and autolinks."""
    html = _RENDER.render(body)
    text = re.sub(r"<[^>]+>", "", html).replace("&amp;", "&")
    return _MARKUP.findall(html) + _AUTOLINK.findall(text)


def assert_inert(body: str) -> None:
    """``body`` renders as plain text: no markup, no maths, no link, no raw HTML."""
    assert rendered_markup(body) == [], body
    assert not re.search(r"(?<!\\)[$*<\[]", body), body


@pytest.mark.parametrize(
    "text",
    [
        PAYLOAD,
        FILE_PAYLOAD,
        "# heading",
        "- list item",
        "1. numbered",
        "> quote",
        "`code`",
        "a | b\n--|--\n1 | 2",
        "under_score_words and *stars*",
        "see www.example.org or mail a@example.org",
        "line one\n\n    indented code",
        "\\*already escaped\\*",
        "&lt;b&gt;entity&lt;/b&gt;",
        ":red[coloured] :material/home: :smile:",
    ],
)
def test_md_leaves_no_markup(text):
    body = md(text)
    assert rendered_markup(body) == [], (text, _RENDER.render(body))


def test_md_renders_as_the_same_words():
    # What a reader sees: the rendered text equals the input (invisible word joiners aside).
    for text in (PAYLOAD, "Total: 1,024 statements (2015-10) · party: KKE", "a_b *c* $5"):
        html = _RENDER.render(md(text))
        shown = re.sub(r"<[^>]+>", "", html).replace("\u2060", "").strip()
        unescaped = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
        assert unescaped.replace("&amp;", "&") == text


def test_md_keeps_plain_captions_unchanged():
    for text in ("6 statements · no filters", "3 of 6 statements · Jan 2015 – Oct 2015"):
        assert md(text) == text


# --- every route in the app -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def startup_dataset(tmp_path, monkeypatch):
    path = tmp_path / "startup.csv"
    path.write_text("id,title,text,date\na,KKE,The KKE said it.,2015-10-20\n")
    monkeypatch.setenv(cache.DATA_ENV, str(path))


def _bodies(at: AppTest) -> list[str]:
    """The Markdown bodies of every element that renders Markdown."""
    bodies: list[str] = []
    for kind in ("caption", "markdown", "warning", "error", "info", "success", "subheader"):
        bodies += [e.value for e in at.get(kind)]
    return bodies


def _check(at: AppTest, needle: str) -> list[str]:
    """Every body carrying the hostile text shows it as text (the app's own bold may stay)."""
    assert not at.exception, [e.value for e in at.exception]
    hits = [b for b in _bodies(at) if needle in b]
    assert hits, f"the value never reached the page: {_bodies(at)}"
    for body in hits:
        html = _RENDER.render(body)
        for tag in ("<img", "<a ", "<b>", 'class="math', "<strong>bold", "<del>", "<code>"):
            assert tag not in html, (tag, body, html)
        assert not _AUTOLINK.findall(re.sub(r"<[^>]+>", "", html)), body
    return hits


def _upload(name: str, text: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").upload(name, text.encode(), "text/csv")
    return at.run()


def test_query_parameter_in_the_caption_and_notices():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["q"] = PAYLOAD
    at.query_params["party"] = PAYLOAD  # not a party: dropped with a notice naming it
    at.run()
    hits = _check(at, "bold")
    assert any("search" in h for h in hits)
    assert at.warning, "the unknown party is named in a notice"


@pytest.mark.parametrize(
    ("route", "csv_text"),
    [
        ("column names", f"text,date,{PAYLOAD}\nThe KKE said it.,2015-10-20,x\n"),
        ("date examples", f"text,date\nThe KKE said it.,{PAYLOAD}\nThe TKP said it.,2015-10\n"),
        ("id examples", f"id,text\n{PAYLOAD},The KKE said it.\n{PAYLOAD},The TKP said it.\n"),
    ],
)
def test_values_from_an_uploaded_file(route, csv_text):
    at = _upload("mine.csv", csv_text)
    hits = _check(at, "bold")
    assert any(w for w in hits), route


def test_file_names_of_good_and_bad_uploads():
    at = _upload(f"{FILE_PAYLOAD}.csv", "text\nThe KKE said it.\n")
    assert next(m.value for m in at.metric if m.label == "Statements") == "1"
    _check(at, "bold")
    at = _upload(f"{FILE_PAYLOAD}.csv", "\x00\x01\x02" * 300)
    hits = _check(at, "bold")
    assert any("unchanged" in h for h in hits)


def test_startup_file_name_in_the_startup_error(tmp_path, monkeypatch):
    bad = tmp_path / f"{FILE_PAYLOAD}.csv"
    bad.write_bytes(b"\x00\x01\x02" * 300)
    monkeypatch.setenv(cache.DATA_ENV, str(bad))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    hits = _check(at, "bold")
    assert any("could not be loaded" in h for h in hits)


def test_escaped_bodies_still_name_the_value():
    frame = pd.DataFrame({"body": [md(PAYLOAD)]})
    shown = frame["body"].iloc[0].replace("\\", "").replace("\u2060", "")
    assert shown == PAYLOAD
