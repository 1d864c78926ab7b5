"""Benchmark the search box: the word index against the full-text scan it replaced.

Loads an enriched dataset, builds its ``SearchIndex`` (timing the normalised text and the word
index apart), then runs a list of realistic queries both ways - ``mask(query, scan=True)``, the
old full-text scan, and ``mask(query)``, the word index - checking they agree, and prints per
query the minimum and median wall and CPU milliseconds of each over ``--repeat`` warm runs.
Usage: ``python scripts/bench_search.py DATA.parquet [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.dataset import load_dataset
from dashboard.search import SearchIndex, WordIndex, normalise

QUERIES = [
    "strike",
    "war",
    "kke",
    "communist party",
    '"general strike"',
    "imperialism nato",
    "nato",
    "xi jinping",
    "partido",
    "κομμουνιστικό κόμμα",
    "中国共产党",
    '"communist party of greece"',
    '"communist party"',
    '"of the"',
    "u.s.",
    "c",
]


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def stats(times: list[tuple[float, float]]) -> str:
    walls = [w * 1e3 for w, _ in times]
    cpus = [c * 1e3 for _, c in times]
    return (
        f"{min(walls):7.1f} {statistics.median(walls):7.1f} "
        f"{min(cpus):7.1f} {statistics.median(cpus):7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="an enriched dataset (Parquet)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs per query and way")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")

    ds = load_dataset(args.data)
    n = len(ds.df)
    title = pa.array(ds.df["title"].array)
    text = pa.array(ds.df["text"].array)
    joined = pc.binary_join_element_wise(
        *(pc.fill_null(c.cast(pa.large_string()), "") for c in (title, text)),
        pa.scalar("\n", pa.large_string()),
    )
    wall, cpu = timed(lambda: normalise(joined))
    print(f"{n:,} statements; normalised text: {wall:.2f} s wall, {cpu:.2f} s CPU")
    normalised = normalise(joined)
    words: list[WordIndex] = []
    wall, cpu = timed(lambda: words.append(WordIndex(normalised)))
    index = words[0]
    print(
        f"word index: {wall:.2f} s wall, {cpu:.2f} s CPU; {index.nbytes / 1e6:.0f} MB "
        f"({len(index.words):,} words, {len(index.postings):,} postings); "
        f"text {normalised.nbytes / 1e6:.0f} MB"
    )
    built: list[SearchIndex] = []
    wall, cpu = timed(lambda: built.append(SearchIndex(title, text)))
    search = built[0]
    print(f"SearchIndex (both): {wall:.2f} s wall, {cpu:.2f} s CPU, {search.nbytes / 1e6:.0f} MB")

    everything = np.ones(n, dtype=bool)  # what FilterSpec passes when no other filter is set
    print(
        f"\n{'query':<30} {'rows':>8}  {'scan: wall min/med, CPU min/med':>31}  {'index: same':>31}"
    )
    for query in QUERIES:
        scanned = search.mask(query, within=everything, scan=True)
        found = search.mask(query, within=everything)
        if not np.array_equal(scanned, found):
            raise SystemExit(f"{query!r}: the index and the scan disagree")
        old, new = [], []
        for _ in range(args.repeat):
            old.append(timed(lambda q=query: search.mask(q, within=everything, scan=True)))
            new.append(timed(lambda q=query: search.mask(q, within=everything)))
        print(f"{query:<30} {int(found.sum()):>8}  {stats(old)}  {stats(new)}")
    print(f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
