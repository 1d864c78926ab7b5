"""Freed build buffers go back to the system: resident memory after a big build drops."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dashboard import dataset
from dashboard.dataset import release_unused_memory, release_unused_memory_soon

STATM = Path("/proc/self/statm")


def _resident_mb() -> float:
    return int(STATM.read_text().split()[1]) * 4096 / 1e6


@pytest.mark.skipif(not STATM.exists(), reason="resident memory is read from Linux's /proc")
def test_freed_temporary_buffers_are_returned() -> None:
    # ~1.4 GB of 96 KB buffers from the C heap with a few kept alive among them, as a load or
    # an index build leaves it: the heap cannot shrink from its top, so without the release the
    # freed pages stay resident.
    chunks = [np.ones(12 * 1024, dtype=np.int64) for _ in range(15_000)]
    kept = chunks[::50]
    del chunks
    before = _resident_mb()
    release_unused_memory()
    assert _resident_mb() < before - 1000
    assert len(kept) == 300


def test_releases_asked_for_in_a_burst_run_once(monkeypatch) -> None:
    import threading
    import time

    calls: list[float] = []
    done = threading.Event()

    def fake_release() -> None:
        calls.append(time.monotonic())
        done.set()

    monkeypatch.setattr(dataset, "release_unused_memory", fake_release)
    monkeypatch.setattr(dataset, "_release_timer", None)
    for _ in range(20):
        release_unused_memory_soon(delay_s=0.2)
    assert done.wait(5)
    time.sleep(0.3)
    assert len(calls) == 1
