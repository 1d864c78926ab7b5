"""Benchmark ``load_statements`` on a synthetic CSV of N statements (default 1,000,000).

Writes ``id,date,title,text,url`` rows with realistic repetition (a few thousand distinct dates
in mixed shapes, 1% exact duplicates) to a temporary file, loads it, and prints the time per
stage and the resulting frame's memory. Usage: ``python scripts/bench_load.py [N]``.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.load import load_statements


def write_csv(path: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    days = pd.date_range("2005-01-01", "2024-12-31", freq="D")
    picked = days[rng.integers(0, len(days), n)]
    shapes = rng.integers(0, 10, n)
    iso = picked.strftime("%Y-%m-%d")
    dates = np.where(shapes == 0, picked.strftime("%Y-%m"), iso)
    dates = np.where(shapes == 1, picked.strftime("%d %B %Y"), dates)
    dates = np.where(shapes == 2, picked.strftime("%Y-%m-%dT%H:%M:%S+02:00"), dates)
    source = np.arange(n) - (rng.random(n) < 0.01)  # about 1% repeat the previous row
    dates = dates[np.maximum(source, 0)]
    df = pd.DataFrame(
        {
            "id": "",
            "date": dates,
            "title": [f"Communist Party statement number {i}" for i in source],
            "text": [
                f"The party of country {i % 150} issued a statement on item {i} about workers."
                for i in source
            ],
            "url": [f"https://example.org/news/{i}" for i in source],
        }
    )
    df.to_csv(path, index=False)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.csv"
        start = time.perf_counter()
        write_csv(path, n)
        print(
            f"wrote {n:,} rows ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        df = load_statements(path)
        elapsed = time.perf_counter() - start
    report = df.attrs["load_report"]
    print(f"load_statements: {elapsed:.1f} s ({n / elapsed:,.0f} rows/s)")
    print(report.summary())
    print(
        f"frame memory: {df.memory_usage(deep=True).sum() / 1e6:.0f} MB; "
        f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB"
    )


if __name__ == "__main__":
    main()
