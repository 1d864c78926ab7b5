"""Benchmark ``dashboard enrich`` end to end: CSV in, Parquet out, 230-character statements.

Writes ``--n`` synthetic statements (the generator of ``bench_enrich.py``, four headlines and
teasers run together and cut to 230 characters) to a temporary CSV, runs the real command in a
fresh process (start-up, loading, enrichment and writing included) and prints wall and CPU
statements per second - the figure to compare with the 20,000 statements/s target.

    python scripts/bench_enrich_cli.py              # 200,000 statements
    python scripts/bench_enrich_cli.py --n 50000
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_enrich import make_statements  # noqa: E402


def make_csv(n: int, path: Path, length: int = 230) -> float:
    """``n`` statements of ``length`` characters in ``path``; returns their mean length."""
    parts = [make_statements(n, seed) for seed in (1, 2, 3, 4)]
    text = pd.Series([""] * n)
    for part in parts:
        text = text + part["title"] + ". " + part["text"] + " "
    text = text.str.strip().str.slice(0, length)
    pd.DataFrame({"id": np.arange(n), "text": text}).to_csv(path, index=False)
    return float(text.str.len().mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.csv", Path(tmp) / "out.parquet"
        mean = make_csv(args.n, source)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        command = [sys.executable, "-m", "dashboard.cli", "enrich", str(source), "-o", str(target)]
        subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"{args.n:,} statements of {mean:.0f} characters: wall {wall:.2f} s "
        f"({args.n / wall:,.0f}/s), cpu {cpu:.2f} s ({args.n / cpu:,.0f}/s)"
    )


if __name__ == "__main__":
    main()
