"""Bad uploads on the Data page: a clear message, and the current dataset stays in place."""

from __future__ import annotations

import re

import pytest

UPLOAD_INPUT = '.st-key-data_upload input[type="file"]'


def statements_metric(tab) -> int:
    """The "Statements" figure under "Loaded dataset"."""
    label = tab.page.locator('[data-testid="stMetricLabel"]', has_text=re.compile("^Statements$"))
    metric = tab.page.locator('[data-testid="stMetric"]').filter(has=label).first
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def upload(tab, path) -> None:
    with tab.rerun():
        tab.page.locator(UPLOAD_INPUT).set_input_files(str(path))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # Binary noise under a .csv name: refused with an error saying the dataset is unchanged.
        ("bad.csv", bytes(range(256)) * 64 + b"\x00" * 4096, "The current dataset is unchanged"),
        # A readable table without any text-like column: the user is asked for the columns.
        ("numbers.csv", b"amount,year\n1,2015\n2,2019\n3,2019\n", "Which column holds"),
    ],
    ids=["binary", "no-text-column"],
)
def test_bad_upload_keeps_current_dataset(app, fixture_data, tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    tab = app.open("/data", selector=".st-key-data_upload")
    assert statements_metric(tab) == len(fixture_data)

    upload(tab, bad)
    alerts = tab.page.locator('[data-testid="stAlert"]').filter(has_text=message)
    alerts.first.wait_for(timeout=30_000)
    assert statements_metric(tab) == len(fixture_data)
    assert tab.shown_count() == len(fixture_data)
    assert tab.problems() == []

    # The other pages still show the dataset the session had.
    tab.go_to_page("Overview")
    assert tab.shown_count() == len(fixture_data)


def test_no_text_column_then_no_choice_says_what_to_do(app, fixture_data, tmp_path):
    bad = tmp_path / "numbers.csv"
    bad.write_bytes(b"amount,year\n1,2015\n2,2019\n")
    tab = app.open("/data", selector=".st-key-data_upload")
    upload(tab, bad)
    submit = tab.page.get_by_role("button", name="Load with these columns")
    submit.wait_for(timeout=30_000)
    with tab.rerun():
        submit.click()  # every column left at "(none)"
    error = tab.page.locator('[data-testid="stAlertContentError"]')
    assert "Pick the column that holds the statement text" in error.inner_text()
    assert statements_metric(tab) == len(fixture_data)
    assert tab.problems() == []
