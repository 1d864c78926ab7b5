"""The Explore page's CSV download and how statement text with markup is shown.

The download must hold exactly the statements the page says match, with every cell a
spreadsheet would run as a formula (= + - @) made inert by a leading single quote. Statements
containing ``<script>`` or ``<img onerror>`` must show as the literal text and never run.
"""

from __future__ import annotations

import csv
import io

import pytest

FORMULA_IDS = ("f06", "f07", "f12", "f13")  # text starts with =HYPERLINK, +1, @SUM, -2
MARKUP_IDS = ("f05", "f11")  # <script>alert(1)</script>, <img src=x onerror=alert(1)>


def read_download(tab, button_text):
    with tab.page.expect_download(timeout=60_000) as info:
        tab.page.get_by_role("button", name=button_text).click()
    download = info.value
    raw = download.path().read_bytes()
    return download.suggested_filename, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("query", "countries"),
    [
        ({}, None),
        # Four statements with formula-like text and the three by Greek parties.
        ({"country": "ARG,ESP,LKA,UKR,GRC"}, {"ARG", "ESP", "LKA", "UKR", "GRC"}),
    ],
    ids=["all", "five-countries"],
)
def test_csv_download_matches_page_and_is_neutralised(app, fixture_data, query, countries):
    tab = app.open("/explore", query, selector=".st-key-explore_download_csv")
    expected = [s for s in fixture_data.statements if countries is None or countries & set(s.homes)]
    shown = tab.shown_count()
    assert shown == len(expected)

    name, rows = read_download(tab, f"CSV ({shown} statements)")
    assert name.endswith(".csv")
    assert len(rows) == shown
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {s.id for s in expected}
    for statement in expected:
        cell = by_id[statement.id]["text"]
        if statement.id in FORMULA_IDS:
            assert cell == "'" + statement.text
        else:
            assert cell == statement.text
    # Only the formula-like texts are touched.
    assert sum(row["text"].startswith("'") for row in rows) == len(
        [s for s in expected if s.id in FORMULA_IDS]
    )
    assert tab.problems() == []


ALL_IMAGES_SETTLED_JS = "() => [...document.images].every((img) => img.complete)"
MARKUP_JS = """
() => ({
  scripts: [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length,
  images: document.querySelectorAll('img[src="x"]').length,
  handlers: document.querySelectorAll('[onerror]').length,
})
"""


def test_markup_in_statements_shows_as_text(app, fixture_data):
    tab = app.open("/explore", {"q": "alert"}, selector='[data-testid="stDataFrame"]')
    # Both marked-up statements match the search, and nothing else does.
    assert tab.shown_count() == len(MARKUP_IDS)
    table = tab.page.locator('[data-testid="stDataFrame"]').last
    text = tab.grid_text(table)
    for sid in MARKUP_IDS:
        statement = fixture_data.by_id(sid)
        assert statement.title in text
        assert statement.text in text
    assert tab.page.evaluate(MARKUP_JS) == {"scripts": 0, "images": 0, "handlers": 0}
    # A stray handler would fire on an image's failed load: wait until every image has loaded or
    # failed, then for one more task turn of the page (the error event is queued as a task; an
    # alert blocks the page until the dialog handler has recorded it).
    tab.page.wait_for_function(ALL_IMAGES_SETTLED_JS, timeout=60_000)
    tab.page.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    assert tab.dialogs == []
    assert tab.problems() == []


def test_downloads_read_back_with_pandas_speak_names_and_dates_at_precision(app, fixture_data):
    import pandas as pd

    tab = app.open("/explore", {"party": "kke"}, selector=".st-key-explore_download_jsonl")
    shown = tab.shown_count()
    for label, reader in (
        ("CSV", lambda raw: pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype=str)),
        ("JSON Lines", lambda raw: pd.read_json(io.BytesIO(raw), lines=True, dtype=False)),
    ):
        with tab.page.expect_download(timeout=60_000) as info:
            tab.page.get_by_role("button", name=f"{label} ({shown} statements)").click()
        frame = reader(info.value.path().read_bytes()).set_index("id")
        assert len(frame) == shown
        # f10 names KKE and TKP: names as on screen, ids beside them, both home countries.
        joined = {
            c: "; ".join(v) if isinstance(v, list) else v for c, v in frame.loc["f10"].items()
        }
        assert "KKE" in joined["parties"] and "kke" in joined["party_ids"].split("; ")
        assert "Türkiye" in joined["party_countries"] and "TUR" in joined["party_country_ids"]
        assert joined["continent"] in ("Europe; Asia", "Asia; Europe")
        assert str(joined["date"]) == "2019-10-18"
    assert tab.problems() == []


def test_a_month_only_date_is_downloaded_as_its_month(app, fixture_data):
    import pandas as pd

    tab = app.open("/explore", {"q": "India"}, selector=".st-key-explore_download_jsonl")
    with tab.page.expect_download(timeout=60_000) as info:
        tab.page.get_by_role("button", name="JSON Lines (1 statement)").click()
    frame = pd.read_json(io.BytesIO(info.value.path().read_bytes()), lines=True, dtype=False)
    assert frame.loc[0, "id"] == "f08"
    assert str(frame.loc[0, "date"]) == "2015-10" and frame.loc[0, "date_precision"] == "month"
