"""The one reader of reference files (reference.py): parse once, again only after an edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.errors import DatasetError
from dashboard.reference import read_rows, reference_reader


def _counting_reader(name: str = "words.csv", **options: bool):
    calls: list[Path] = []

    @reference_reader(name, **options)
    def read(path: Path) -> list[str]:
        calls.append(path)
        return [row["word"] for _, row in read_rows(path, ("word",), "word file")]

    return read, calls


def test_a_file_is_parsed_once_and_again_after_it_changes(tmp_path: Path) -> None:
    read, calls = _counting_reader()
    path = tmp_path / "words.csv"
    path.write_text("word\nparty\n", encoding="utf-8")
    assert read(path) == ["party"]
    assert read(str(path)) is read(path)
    assert len(calls) == 1
    path.write_text("word\nparty\npartido\n", encoding="utf-8")
    assert read(path) == ["party", "partido"]
    assert len(calls) == 2


def test_the_default_file_follows_the_data_dir(tmp_path: Path, monkeypatch) -> None:
    read, _ = _counting_reader()
    (tmp_path / "words.csv").write_text("word\nkomünist\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    assert read() == ["komünist"]


def test_a_missing_file_reaches_the_parser_and_is_not_cached(tmp_path: Path) -> None:
    read, calls = _counting_reader()
    with pytest.raises(DatasetError, match="word file is missing"):
        read(tmp_path / "words.csv")
    with pytest.raises(DatasetError):
        read(tmp_path / "words.csv")
    assert len(calls) == 2


def test_fallback_reads_the_repository_file_when_the_data_dir_lacks_it(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    strict, _ = _counting_reader("press_site_words.csv")
    lenient, _ = _counting_reader("press_site_words.csv", fallback=True)
    with pytest.raises(DatasetError):
        strict()
    assert "communist" in lenient()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("other\nx\n", "has no word column"),
        ('word\n"a",b\n', "more fields than the header"),
    ],
)
def test_read_rows_names_the_problem_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "words.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match=message) as caught:
        read_rows(path, ("word",), "word file")
    assert str(path) in str(caught.value)
