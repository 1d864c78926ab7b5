"""docs/architecture.md names every module of the package, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "dashboard"
DOC = ROOT / "docs" / "architecture.md"


def modules() -> set[str]:
    """Every module of the package as the doc writes it: ``load.py``, ``ui/cache.py``."""
    return {
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    }


def module_table() -> set[str]:
    """The first cell of each row of the doc's module table."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Modules", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w/]+\.py)` \|", section, flags=re.MULTILINE))


def test_every_module_is_in_the_module_table() -> None:
    missing = modules() - module_table()
    assert not missing, f"add these to docs/architecture.md's module table: {sorted(missing)}"


def test_the_module_table_names_no_module_that_is_gone() -> None:
    gone = module_table() - modules()
    assert not gone, f"docs/architecture.md lists modules that do not exist: {sorted(gone)}"


def test_where_to_change_what_points_at_files_that_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "## Where to change what" in text
    table = text.split("## Where to change what", 1)[1]
    named = re.findall(r"`((?:src/dashboard/|data/|pages/|tests/)[\w./-]+)`", table)
    assert len(named) >= 6
    missing = [p for p in named if not (ROOT / p).exists()]
    assert not missing, f"'Where to change what' names files that do not exist: {missing}"
