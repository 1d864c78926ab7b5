"""``LiveDataset``: a store followed while the dashboard runs, one reload shared by all viewers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.dataset import Dataset, load_dataset
from dashboard.errors import DatasetError
from dashboard.live import LiveDataset, Update


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _ingest(tmp_path: Path, root: Path, name: str, ids: list[str]) -> None:
    rows = [f"{i},KKE statement {i},The KKE on the strike number {i}.,2015-10-2{n % 9}"
            for n, i in enumerate(ids)]  # fmt: skip
    path = tmp_path / f"{name}.csv"
    path.write_text("id,title,text,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["ingest", str(path), "--store", str(root)]) == 0


def _live(tmp_path: Path, loads: list[int] | None = None) -> tuple[LiveDataset, Clock, Path]:
    root = tmp_path / "store"
    _ingest(tmp_path, root, "first", ["a1", "a2"])
    clock = Clock()

    def load(path: Path) -> Dataset:
        if loads is not None:
            loads.append(1)
        return load_dataset(path)

    return LiveDataset(root, load, poll_seconds=5, clock=clock), clock, root


def test_new_batches_are_swapped_in_after_the_next_poll(tmp_path):
    loads: list[int] = []
    live, clock, root = _live(tmp_path, loads)
    first = live.current()
    assert len(first) == 2 and live.update_for(first) is None
    _ingest(tmp_path, root, "second", ["b1", "b2", "b3"])
    clock.now = 1  # before the poll interval: no look at the store yet
    assert live.current() is first
    clock.now = 6
    live.current()  # notices the new version and starts one reload ...
    live.wait()
    newer = live.current()  # ... which every viewer then gets
    assert len(newer) == 5 and newer is live.current()
    update = live.update_for(newer)
    assert update is not None and (update.added, update.total) == (3, 5)
    assert update.describe().endswith("- 3 new statements")
    assert loads == [1, 1]  # the first load and one reload, however many viewers asked


def test_an_unchanged_store_is_not_read_again(tmp_path):
    loads: list[int] = []
    live, clock, _ = _live(tmp_path, loads)
    for step in range(1, 6):
        clock.now = 10 * step
        live.current()
    live.wait()
    assert loads == [1]


def test_a_failed_reload_keeps_the_old_dataset(tmp_path):
    live, clock, root = _live(tmp_path)
    first = live.current()
    _ingest(tmp_path, root, "second", ["b1"])

    def broken(path: Path) -> Dataset:
        raise DatasetError("the store could not be read", where=str(path))

    live._load = broken  # the next reload fails
    clock.now = 6
    live.current()
    live.wait()
    assert live.current() is first
    assert "could not be read" in live.error


@pytest.mark.parametrize(
    ("added", "text"),
    [(1, "1 new statement"), (1200, "1,200 new statements"), (-3, "3 fewer")],
)
def test_update_notice_wording(added, text):
    update = Update(when=dt.datetime(2026, 11, 30, 14, 2), added=added, total=10, version=1)
    assert update.describe() == f"updated 14:02 - {text}"
