"""Recognised column names (data/column_names.csv), its README table, and --map mappings."""

from __future__ import annotations

import re

import pytest

from dashboard.columns import COLUMNS, column_synonyms, detect_columns, parse_mapping
from dashboard.errors import DatasetError
from dashboard.paths import REPO_ROOT


def _readme_table() -> dict[str, tuple[str, ...]]:
    text = (REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = text.split("## `column_names.csv`", 1)[1]
    table: dict[str, tuple[str, ...]] = {}
    for line in section.splitlines():
        match = re.fullmatch(r"\| `(\w+)` \| (.+) \|", line.strip())
        if match:
            table[match.group(1)] = tuple(re.findall(r"`([^`]+)`", match.group(2)))
    return table


def test_readme_table_matches_the_file() -> None:
    assert _readme_table() == column_synonyms()


def test_every_column_has_names_and_no_name_is_listed_twice() -> None:
    synonyms = column_synonyms()
    assert set(synonyms) == set(COLUMNS)
    assert all(synonyms.values())
    names = [re.sub(r"[\s_\-]+", "", n).lower() for ns in synonyms.values() for n in ns]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        # ABC "A Million News Headlines"
        (["publish_date", "headline_text"], {"date": "publish_date", "title": "headline_text"}),
        # HuffPost News Category
        (
            ["link", "headline", "category", "short_description", "authors", "date"],
            {"url": "link", "title": "headline", "text": "short_description", "date": "date"},
        ),
        (["Published Date", "Article"], {"date": "Published Date", "text": "Article"}),
        (["web_url", "article_id", "full_text"], {"url": "web_url", "id": "article_id",
                                                  "text": "full_text"}),
    ],
)  # fmt: skip
def test_public_headline_formats_are_recognised(columns, expected) -> None:
    assert detect_columns(columns) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("text=headline_text,date=publish_date", {"text": "headline_text", "date": "publish_date"}),
        (" Party = who , country=", {"source_party": "who", "source_country": ""}),
        ("", {}),
    ],
)
def test_parse_mapping(text, expected) -> None:
    assert parse_mapping(text) == expected


@pytest.mark.parametrize("text", ["text", "body=words", "text:words"])
def test_bad_mappings_say_how_to_write_one(text) -> None:
    with pytest.raises(DatasetError) as caught:
        parse_mapping(text)
    assert "text=headline_text" in str(caught.value)


def test_an_edited_file_is_used(tmp_path, monkeypatch) -> None:
    (tmp_path / "column_names.csv").write_text("column,name\ntext,wording\n")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path))
    assert detect_columns(["wording", "text"]) == {"text": "wording"}
