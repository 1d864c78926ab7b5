"""The app on a statement store: an upload can be added to the store for every viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import store
from dashboard.cli import main
from dashboard.ui import cache

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 60
UPLOAD = (
    "headline,body,published\n"
    "KKE statement,The KKE said something.,2015-10-20\n"
    "TKP statement,The TKP said something else.,2015-10\n"
)


@pytest.fixture
def store_root(tmp_path, monkeypatch) -> Path:
    source = tmp_path / "first.csv"
    source.write_text("id,title,text,date\nk1,KKE,The KKE calls a strike.,2015-10-20\n")
    root = tmp_path / "store"
    assert main(["ingest", str(source), "--store", str(root)]) == 0
    monkeypatch.setenv(cache.DATA_ENV, str(root))
    return root


def _upload(at: AppTest) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").upload("mine.csv", UPLOAD.encode(), "text/csv")
    return at.run()


def test_an_upload_can_be_added_to_the_store(store_root):
    at = _upload(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    assert not at.exception, [e.value for e in at.exception]
    button = at.button(key="data_add_to_store")
    assert "2 statements" in button.label
    at = button.click().run()
    assert any("Added 2 statements to the store" in s.value for s in at.success)
    assert len(store.read_store_table(store_root, ["id"])) == 3
    # Adding the same file again adds nothing, and says so.
    at = at.button(key="data_add_to_store").click().run()
    assert any("Nothing new" in s.value for s in at.success)
    assert len(store.read_store_table(store_root, ["id"])) == 3


def test_without_a_store_there_is_no_add_button(tmp_path, monkeypatch):
    data = tmp_path / "plain.csv"
    data.write_text("title,text\nKKE,The KKE said.\n")
    monkeypatch.setenv(cache.DATA_ENV, str(data))
    at = _upload(AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    assert not at.exception
    assert not [b for b in at.button if b.key == "data_add_to_store"]
