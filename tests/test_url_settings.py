"""Every page setting is in the URL: a link opens the same view, Back/Forward move between views.

AppTest of each page's own widgets (found by key) against the query string: a link seeds them,
changing them writes the URL, an unknown value is dropped with a notice that names it, and a
URL changed from outside (what Back/Forward do) wins over the widgets again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.routing import APP_PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE_FILES = {page.url_path: page.file for page in APP_PAGES}


def _open(page: str, **params: str) -> AppTest:
    """Open ``page`` as a link with ``params`` does (the first run lands on Overview)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE_FILES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _widget(at: AppTest, key: str):  # noqa: ANN202 - AppTest's element types are private
    for kind in ("selectbox", "radio", "number_input", "slider", "toggle", "multiselect"):
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0]
    select_sliders = [w for w in at.select_slider if w.key == key]
    if select_sliders:
        return select_sliders[0]
    raise AssertionError(f"no widget with key {key}")


# page, URL parameters, widget key -> value the link must produce
LINKS = [
    (
        "timeline",
        {"period": "week", "breakdown": "party", "show": "share", "top": "4", "rolling": "3"},
        {
            "tl_granularity": "week",
            "tl_breakdown": "party",
            "tl_mode": "share",
            "tl_top": 4,
            "tl_rolling": 3,
        },
    ),
    (
        "world_map",
        {"mode": "countries", "shade": "parties", "year": "2019"},
        {"map_mode": "countries", "map_metric": "parties", "map_year": 2019},
    ),
    ("topics", {"period": "year", "show": "count", "top": "5"}, {"tp_mode": "count", "tp_top": 5}),
    ("parties", {"profile": "tkp"}, {"pt_party": "tkp"}),
    (
        "explore",
        {"columns": "Date,Text,Id", "order": "Oldest first", "rows": "100"},
        {
            "explore_columns": ["Date", "Text", "Id"],
            "explore_order": "Oldest first",
            "explore_limit": 100,
        },
    ),
]


@pytest.mark.parametrize(("page", "params", "expected"), LINKS, ids=[p for p, _, _ in LINKS])
def test_a_link_opens_the_page_with_its_settings_and_keeps_them(page, params, expected) -> None:
    at = _open(page, **params)
    for key, value in expected.items():
        assert _widget(at, key).value == value, key
    # The URL still says what the page shows after the run (nothing is dropped or rewritten).
    for param, value in params.items():
        assert at.query_params[param] == value, param
    assert not at.warning, [w.value for w in at.warning]


def test_changing_a_setting_writes_it_to_the_url_and_the_default_leaves_it() -> None:
    at = _open("timeline")
    assert "breakdown" not in at.query_params
    at.selectbox(key="tl_breakdown").set_value("topic").run()
    assert at.query_params["breakdown"] == "topic"
    at.selectbox(key="tl_breakdown").set_value("none").run()
    assert "breakdown" not in at.query_params


def test_unknown_link_values_are_dropped_with_an_escaped_notice() -> None:
    at = _open("timeline", period="fortnight", breakdown="<b>x</b>")
    assert at.selectbox(key="tl_breakdown").value == "none"
    texts = " ".join(w.value for w in at.warning)
    assert "period=“fortnight”" in texts
    assert "breakdown=“\\<b\\>x\\</b\\>”" in texts  # escaped: shown as typed, not bold
    assert "period" not in at.query_params and "breakdown" not in at.query_params


def test_a_url_changed_from_outside_wins_like_back_and_forward() -> None:
    at = _open("world_map", mode="countries")
    assert at.radio(key="map_mode").value == "countries"
    # Back: the browser reruns the app with the older query string.
    del at.query_params["mode"]
    at.run()
    assert at.radio(key="map_mode").value == "party_countries"
    at.query_params["mode"] = "countries"  # Forward
    at.run()
    assert at.radio(key="map_mode").value == "countries"


def test_a_link_to_a_country_lists_its_statements_and_a_missing_one_is_dropped() -> None:
    at = _open("world_map", country="GRC")
    assert at.selectbox(key="map_country").value == "GRC"
    assert any("Greece" in s.value for s in at.subheader)
    at = _open("world_map", country="ATA")
    assert at.selectbox(key="map_country").value is None
    assert any("country=“ATA”" in w.value for w in at.warning)


def test_a_filter_link_opened_from_outside_replaces_the_sidebar_filters() -> None:
    at = _open("timeline", party="kke")
    assert at.multiselect(key="f_parties").value == ["kke"]
    del at.query_params["party"]  # Back to the unfiltered view
    at.run()
    assert at.multiselect(key="f_parties").value == []


def test_every_data_quality_figure_opens_the_statements_behind_it() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    metrics = {m.label: m.value for m in at.metric}
    pills = [w for w in at.get("button_group") if w.key == "data_issue"]
    assert pills, "no control opens the statements behind the quality figures"
    at.query_params["issue"] = "no_party"
    at.switch_page("pages/data.py").run()
    shown = [d for d in at.dataframe if "Text" in d.value.columns][-1].value
    assert len(shown) == int(metrics["No party found"]) > 0
    assert any("No party found" in s.value for s in at.subheader)
    assert at.query_params["issue"] == "no_party"


def test_parties_table_lists_parties_only_by_default_and_kinds_widen_it() -> None:
    at = _open("parties")
    table = [d for d in at.dataframe if "Statements per year" in str(d.proto) or "trend" in d.value]
    assert table, "no parties table"
    names = table[0].value["name"].tolist()
    assert names and not any("PAME" in n for n in names)  # a trade-union front, not a party
    assert "kind" not in table[0].value.columns  # one type listed: no type column
    at = _open("parties", kinds="party,union")
    widened = [d for d in at.dataframe if "trend" in d.value][0].value
    assert any("PAME" in n for n in widened["name"])
    assert set(widened["kind"]) == {"party", "union"}
    assert at.query_params["kinds"] == "party,union"


def test_a_row_click_in_the_parties_table_opens_that_profile() -> None:
    at = _open("parties")
    table = [d for d in at.dataframe if "trend" in d.value][0]
    last = table.value["name"].iloc[-1]
    # AppTest cannot click a grid row: set the selection state the way the grid reports it.
    at.session_state["pt_table"] = {"selection": {"rows": [len(table.value) - 1], "columns": []}}
    at.run()
    assert party_label_of(at.selectbox(key="pt_party").value) == last


def party_label_of(party_id: str) -> str:
    from dashboard.labels import party_label

    return party_label(party_id)


def test_an_unresolved_short_name_opens_its_statements() -> None:
    from dashboard import pagedata
    from dashboard.synthetic import make_dataset

    ds = make_dataset(2000)
    every = pagedata.quality_rows(ds, "unresolved")
    names = ds.long["unresolved"]["value"].astype("str")
    assert len(names.unique()) >= 2 and len(every) > 0
    for name in names.unique():
        rows = pagedata.quality_rows(ds, "unresolved", name)
        assert set(rows) <= set(every)
        assert len(rows) == names.eq(name).groupby(ds.long["unresolved"]["row"]).any().sum()
    assert len(pagedata.quality_rows(ds, "no_party")) == pagedata.data_quality(ds).no_party
