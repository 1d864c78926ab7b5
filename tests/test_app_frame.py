"""The app frame in AppTest: pages run, filters and URL agree, presenter mode, uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.dataset import Dataset, load_dataset
from dashboard.errors import DatasetError
from dashboard.filters import FilterSpec
from dashboard.paths import sample_dataset
from dashboard.ui import cache
from dashboard.ui import page as ui_page
from dashboard.ui.routing import APP_PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [page.file for page in APP_PAGES]
TIMEOUT = 120  # the first run imports the data core and may enrich the bundled sample

# id, title, text, date, precision, parties, party_countries, topics, continent
ROWS = [
    ("s1", "KKE on the elections", "Statement of the CC.", "2015-10-20", "day",
     ["kke"], ["GRC"], ["elections"], "Europe"),
    ("s2", "TKP", "Workers' struggle in Turkey.", "2015-10-01", "month",
     ["tkp"], ["TUR"], ["labour"], "Asia"),
    ("s3", "Joint statement", "KKE and TKP on imperialist wars.", "2015-01-01", "year",
     ["kke", "tkp"], ["GRC", "TUR"], ["war_imperialism"], "Europe"),
    ("s4", "<script>alert('x')</script><b>bold</b>", "No date on this one.", None, "none",
     [], [], ["other"], ""),
    ("s5", "CPC", "CPC received more votes.", "2015-11-02", "day",
     ["cpc-canada"], ["CAN"], ["elections"], "North America"),
    ("s6", "IMCWP", "The meeting started in İzmir.", "2019-10-18", "day",
     ["kke", "tkp"], ["GRC", "TUR"], ["international"], "Europe"),
]  # fmt: skip


def _frame() -> pd.DataFrame:
    cols = list(zip(*ROWS, strict=True))
    return pd.DataFrame(
        {
            "id": list(cols[0]),
            "title": list(cols[1]),
            "text": list(cols[2]),
            "date": pd.to_datetime(pd.Series(cols[3])),
            "date_precision": list(cols[4]),
            "url": [f"https://example.org/{i}" for i in cols[0]],
            "parties": list(cols[5]),
            "party_countries": list(cols[6]),
            "countries": [[] for _ in ROWS],
            "topics": list(cols[7]),
            "unresolved": [[] for _ in ROWS],
            "continent": list(cols[8]),
            "region": ["" for _ in ROWS],
        }
    )


@pytest.fixture(autouse=True)
def fixture_path(tmp_path, monkeypatch) -> Path:
    """An already-enriched Parquet file as the startup dataset (read as it is, not enriched)."""
    path = tmp_path / "fixture_statements.parquet"
    _frame().to_parquet(path)
    monkeypatch.setenv(cache.DATA_ENV, str(path))
    return path


@pytest.fixture
def fixture_ds(fixture_path) -> Dataset:
    return load_dataset(fixture_path)


def _app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _switch(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _explore_count(at: AppTest) -> tuple[int, int]:
    """(shown, matching) from the Explore page's "Showing x of y" caption."""
    line = next(c.value for c in at.caption if c.value.startswith("Showing"))
    words = line.replace(",", "").split()
    return int(words[1]), int(words[3])


# --- pages run --------------------------------------------------------------------------------


def test_app_runs_on_the_bundled_sample(monkeypatch):
    monkeypatch.delenv(cache.DATA_ENV, raising=False)
    n = len(load_dataset(sample_dataset()).df)
    at = _app()
    _no_exception(at)
    assert at.caption[0].value == f"{n} statements · no filters"
    for page in PAGES:
        _switch(at, page)
        _no_exception(at)
        assert at.title, page  # every page has a heading ...
        assert at.caption[0].value.startswith(f"{n} statements"), page  # ... and the caption


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_when_nothing_matches(page):
    at = _app({"q": "zzzz-no-such-word"})
    _switch(at, page)
    _no_exception(at)
    assert at.caption[0].value.startswith("0 of 6 statements")
    if page != "pages/data.py":  # the Data page describes the whole dataset, not the selection
        assert any("No statements match" in i.value for i in at.info)


# --- filters and URL --------------------------------------------------------------------------


def test_sidebar_filter_changes_what_explore_counts(fixture_ds):
    at = _app()
    _switch(at, "pages/explore.py")
    assert _explore_count(at) == (6, 6)
    _switch(at, "pages/overview.py")  # the sidebar is drawn by app.py on every page
    at.multiselect(key="f_parties").set_value(["kke"]).run()
    _switch(at, "pages/explore.py")
    expected = int(FilterSpec(parties=("kke",)).mask(fixture_ds).sum())
    assert _explore_count(at) == (expected, expected)
    assert len(at.dataframe[0].value) == expected
    assert at.query_params["party"] == "kke"


def test_pickers_list_values_most_frequent_first_with_their_labels_and_counts():
    at = _app()
    _no_exception(at)
    assert at.multiselect(key="f_parties").options == [
        "KKE — Communist Party of Greece (Greece) · 3",
        "TKP — Communist Party of Turkey (Türkiye) · 3",
        "CPC — Communist Party of Canada (Canada) · 1",
    ]
    assert at.multiselect(key="f_topics").options[0] == "Elections · 2"
    # The labels are made once per dataset: a second run shows exactly the same options.
    before = [m.options for m in at.multiselect]
    at.run()
    assert [m.options for m in at.multiselect] == before


def test_search_box_and_dates_narrow_the_selection(fixture_ds):
    at = _app()
    at.text_input(key="f_search").set_value("kke").run()
    at.date_input(key="f_dates").set_value((dt.date(2015, 10, 1), dt.date(2015, 10, 31))).run()
    spec = FilterSpec(search="kke", date_from=dt.date(2015, 10, 1), date_to=dt.date(2015, 10, 31))
    n = int(spec.mask(fixture_ds).sum())
    assert at.caption[0].value == spec.describe(fixture_ds, n)
    assert at.query_params == {"q": "kke", "from": "2015-10-01", "to": "2015-10-31"}


def test_url_reproduces_the_view_on_any_page(fixture_ds):
    query = {"party": "kke,tkp", "from": "2015-10-01", "to": "2015-10-31", "topic": "labour"}
    spec, notices = FilterSpec.from_query(query, fixture_ds)
    assert notices == []
    expected_caption = spec.describe(fixture_ds, int(spec.mask(fixture_ds).sum()))
    at = _app(query)
    assert at.caption[0].value == expected_caption
    assert at.multiselect(key="f_parties").value == ["kke", "tkp"]
    assert at.multiselect(key="f_topics").value == ["labour"]
    for page in ("pages/explore.py", "pages/timeline.py", "pages/data.py"):
        _switch(at, page)
        assert at.caption[0].value == expected_caption, page
        assert at.query_params == query, page  # carried over the page switch


def test_a_range_from_the_first_date_keeps_both_ends_in_the_url():
    query = {"from": "2015-01-01", "to": "2015-10-31"}  # 2015-01-01 is the fixture's first day
    at = _app(query)
    assert at.query_params == query
    assert at.caption[0].value == "3 of 6 statements · Jan 2015 – Oct 2015"


def test_malformed_url_values_are_dropped_with_a_notice():
    at = _app({"party": "kke,no-such-party", "from": "2015-13-45", "present": "maybe"})
    _no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    for word in ("no-such-party", "2015-13-45", "maybe"):
        assert word in warnings
    assert at.query_params == {"party": "kke"}  # the URL now says what is shown
    at.multiselect(key="f_parties").set_value([]).run()
    assert not at.warning  # the notice goes once the user changes the filters


def test_unknown_dataset_key_in_url_falls_back_with_a_notice():
    at = _app({"ds": "0123456789abcdef"})
    _no_exception(at)
    assert any("no longer loaded" in w.value for w in at.warning)
    assert "ds" not in at.query_params
    assert at.caption[0].value == "6 statements · no filters"


def test_reset_button_clears_every_filter():
    at = _app({"party": "kke", "q": "elections", "from": "2015-10-01"})
    assert at.query_params
    at.button(key="f_reset").click().run()
    assert at.query_params == {}
    assert at.caption[0].value == "6 statements · no filters"


def test_presenter_mode_toggles_and_lives_in_the_url():
    at = _app({"party": "kke"})
    assert "present_exit" not in [b.key for b in at.button]
    at.toggle(key="present").set_value(True).run()
    assert at.query_params == {"party": "kke", "present": "1"}
    at.button(key="present_exit").click().run()
    assert at.query_params == {"party": "kke"}
    assert at.toggle(key="present").value is False


def test_legacy_first_request_for_a_page_still_gets_the_run_context():
    at = _app({"party": "tkp"})
    at.switch_page("pages/explore.py").run()  # explore.py runs alone, then reroutes via app.py
    _no_exception(at)
    assert at.caption[0].value.startswith("3 of 6 statements")
    assert at.multiselect(key="f_parties").value == ["tkp"]  # the sidebar is there
    assert _explore_count(at) == (3, 3)


def test_shared_presenter_link_opens_in_presenter_mode_with_its_filters():
    at = _app({"present": "1", "party": "tkp"})
    _switch(at, "pages/explore.py")
    _no_exception(at)
    assert at.toggle(key="present").value is True
    assert at.button(key="present_exit")
    assert at.caption[0].value.startswith("3 of 6 statements")
    assert at.query_params == {"present": "1", "party": "tkp"}


# --- statements are text -----------------------------------------------------------------------


def test_html_in_a_statement_is_shown_as_text_not_markup():
    at = _app()
    _switch(at, "pages/explore.py")
    titles = at.dataframe[0].value["Title"].tolist()
    assert "<script>alert('x')</script><b>bold</b>" in titles
    rendered = [m.value for m in at.markdown] + [str(h.proto) for h in at.get("html")]
    assert not any("<script>alert" in text or "<b>bold" in text for text in rendered)


def test_explore_downloads_hold_every_matching_statement(fixture_ds):
    spec = FilterSpec(parties=("tkp",))
    rows = list(
        csv.DictReader(io.StringIO(cache.export_bytes(fixture_ds, spec, "csv").decode("utf-8-sig")))
    )
    assert sorted(r["id"] for r in rows) == ["s2", "s3", "s6"]
    parquet = pd.read_parquet(io.BytesIO(cache.export_bytes(fixture_ds, spec, "parquet")))
    assert len(parquet) == 3


# --- loading another dataset ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.csv", "empty"),
        (b"%PDF-1.4 binary", "report.pdf", ".pdf"),
        (b"\x00\x01\x02\x03\xff\xfe" * 200, "garbage.csv", "garbage.csv"),
        (b"a,b\n1,2\n", "numbers.csv", "numbers.csv"),
    ],
)
def test_read_upload_explains_bad_files(data, name, words):
    with pytest.raises(DatasetError) as err:
        cache.read_upload(data, name)
    assert words in str(err.value)


def test_bad_upload_shows_the_error_and_keeps_the_dataset():
    at = _app({"party": "kke"})
    _switch(at, "pages/data.py")
    statements = next(m.value for m in at.metric if m.label == "Statements")
    at.file_uploader(key="data_upload").upload("broken.csv", b"\x00\x01\x02" * 300, "text/csv")
    at.run()
    _no_exception(at)
    assert any("broken.csv" in e.value and "unchanged" in e.value for e in at.error)
    assert next(m.value for m in at.metric if m.label == "Statements") == statements
    assert at.query_params == {"party": "kke"}


def test_good_upload_becomes_the_sessions_dataset():
    text = "headline,body,published\nKKE statement,The KKE said something.,2015-10-20\n"
    text += "TKP statement,The TKP said something else.,2015-10\n"
    at = _app()
    _switch(at, "pages/data.py")
    at.file_uploader(key="data_upload").upload("mine.csv", text.encode(), "text/csv")
    at.run()
    _no_exception(at)
    assert next(m.value for m in at.metric if m.label == "Statements") == "2"
    assert [t.value for t in at.text] == ["Source: mine.csv"]
    assert len(at.query_params.get("ds", "")) == 16  # a shared link names the upload
    at.button(key="data_back_to_startup").click().run()
    assert next(m.value for m in at.metric if m.label == "Statements") == "6"
    assert "ds" not in at.query_params  # the file still sits in the uploader but is not reloaded


def test_upload_without_an_obvious_text_column_asks_for_the_columns():
    text = "colour,words\nred,The KKE said something.\nblue,The TKP said something else.\n"
    at = _app()
    _switch(at, "pages/data.py")
    at.file_uploader(key="data_upload").upload("odd.csv", text.encode(), "text/csv")
    at.run()
    _no_exception(at)
    assert next(m.value for m in at.metric if m.label == "Statements") == "6"  # not loaded yet
    at.selectbox(key="data_map_text").set_value("words")
    next(b for b in at.button if b.label == "Load with these columns").click().run()
    _no_exception(at)
    assert next(m.value for m in at.metric if m.label == "Statements") == "2"


@pytest.mark.parametrize(
    ("use_sample", "first", "last"),
    [
        # The fixture's oldest statement is known only to the year, the newest to the day.
        (False, "2015", "18 Oct 2019"),
        # The sample's oldest statements are known only to October 2015.
        (True, "Oct 2015", "20 Oct 2019"),
    ],
)
def test_data_page_names_the_file_in_full_and_dates_at_their_precision(
    monkeypatch, fixture_path, use_sample, first, last
):
    if use_sample:
        monkeypatch.delenv(cache.DATA_ENV, raising=False)
    at = _switch(_app(), "pages/data.py")
    _no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert "Source" not in metrics  # a metric cuts a long file name to a few letters
    name = sample_dataset().name if use_sample else fixture_path.name
    assert [t.value for t in at.text] == [f"Source: {name}"]
    assert (metrics["First date"], metrics["Last date"]) == (first, last)


def test_statement_tables_keep_columns_the_dataset_fills():
    at = _switch(_app(), "pages/explore.py")
    table = at.dataframe[0].value
    assert {"Title", "Text", "Link"} <= set(table.columns)  # the fixture has titles and links
    assert "Countries mentioned" not in table.columns  # ... but no country mentions


# --- presenter mode charts ---------------------------------------------------------------------


def _map_figure():
    from dashboard.figures import make_world_map

    counts = pd.DataFrame(
        {
            "iso3": ["GRC", "TUR"],
            "country": ["Greece", "Türkiye"],
            "statements": [4, 3],
            "parties": [3, 3],
            "top_parties": ["", ""],
            "top_topic": ["", ""],
        }
    )
    return make_world_map(counts)


def _ranking_figure():
    from dashboard import figures as fg

    table = pd.DataFrame({"value": ["kke", "tkp"], "label": ["KKE", "TKP"], "statements": [2, 1]})
    return fg.make_ranking(table, title="Parties")


@pytest.mark.parametrize(
    ("make", "taller"),
    [
        (_ranking_figure, True),
        # plotly draws the world at a fixed aspect ratio: a taller map only adds empty bands.
        (_map_figure, False),
    ],
)
def test_presenter_charts_are_large_with_large_text(make, taller):
    from dashboard.ui.page import presenter_figure
    from dashboard.ui.theme import PRESENT_CHART_HEIGHT

    fig = make()
    big = presenter_figure(fig).to_dict()["layout"]
    if taller:
        assert big["height"] >= PRESENT_CHART_HEIGHT > fig.layout.height
    else:
        assert big["height"] == fig.layout.height
    axes = [v for k, v in big.items() if k.startswith(("xaxis", "yaxis"))]
    assert all(axis["tickfont"]["size"] >= 18 for axis in axes)
    assert big["font"]["size"] >= 18
    assert (fig.layout.font.size or 0) < 18  # the page's own figure is untouched


# --- statement tables -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(list(ui_page.DEFAULT_STATEMENT_COLUMNS), id="explore-defaults"),
        pytest.param(
            [c for c in ui_page.DEFAULT_STATEMENT_COLUMNS if c != "Title"], id="no-titles"
        ),
        pytest.param(["Date", "Title", "Text", "Parties", "Matched words"], id="topic-examples"),
    ],
)
def test_statement_tables_fit_a_1440_pixel_screen_without_sideways_scrolling(shown):
    widths = ui_page.statement_column_widths(False, shown)
    total = sum(ui_page.LINK_COLUMN_WIDTH if c == "Link" else widths[c] for c in shown)
    # The main column at 1440 px with the sidebar open is about 980 px wide.
    assert total <= ui_page.STATEMENT_TABLE_WIDTH <= 980
    # ... and the text still gets the most room of any column.
    assert widths["Text"] == max(widths[c] for c in shown if c != "Link")


def test_text_column_takes_the_room_a_missing_title_leaves():
    with_title = ui_page.statement_column_widths(False, list(ui_page.DEFAULT_STATEMENT_COLUMNS))
    without = ui_page.statement_column_widths(
        False, [c for c in ui_page.DEFAULT_STATEMENT_COLUMNS if c != "Title"]
    )
    assert without["Text"] == with_title["Text"] + with_title["Title"]
