"""A live store: statements ingested by another process reach an open dashboard by themselves.

The dashboard serves a statement store; while a tab shows a filtered Overview, a separate
``dashboard ingest`` process adds statements. Without any reload the tab shows the new count
within 30 seconds, with a notice saying what changed, and keeps its filter.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import App
from support.devserver import ServerDidNotStart, running_app

LIVE_DEADLINE_S = 30
CAPTION = '[data-testid="stMain"] [data-testid="stCaptionContainer"]'


def _write(path: Path, ids: range) -> Path:
    rows = [f"s{i},KKE statement {i},The KKE calls strike number {i}.,2015-10-{1 + i % 28:02d}"
            for i in ids]  # fmt: skip
    path.write_text("id,title,text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _ingest(source: Path, store: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "ingest", str(source), "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_ingested_statements_appear_in_an_open_dashboard(browser, tmp_path):
    store = tmp_path / "store"
    _ingest(_write(tmp_path / "first.csv", range(0, 6)), store)
    try:
        with running_app(store, tmp_path / "server.log") as url:
            app = App(browser, url)
            try:
                tab = app.open("/", {"party": "kke"}, selector=CAPTION)
                assert tab.shown_count() == 6
                runs = tab.runs()
                _ingest(_write(tmp_path / "second.csv", range(6, 10)), store)
                start = time.monotonic()
                tab.page.wait_for_function(
                    "() => document.querySelector('[data-testid=\"stMain\"]')"
                    "?.innerText.includes('4 new statements')",
                    timeout=LIVE_DEADLINE_S * 1000,
                    polling=250,
                )
                took = time.monotonic() - start
                print(f"live update shown {took:.1f} s after the ingest finished")
                tab.wait_idle()
                assert took < LIVE_DEADLINE_S
                assert tab.runs() > runs  # the page re-ran by itself: nobody reloaded it
                assert tab.shown_count() == 10
                assert tab.query().get("party") == ["kke"]  # the filter is kept
                assert not tab.problems()
            finally:
                app.close()
    except ServerDidNotStart as err:
        pytest.fail(str(err), pytrace=False)
