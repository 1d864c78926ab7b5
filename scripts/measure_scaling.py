"""Measure what grows with what, for docs/scaling.md: memory, store size, ingest and query time.

Given a raw statements file and the same statements enriched (a ``.parquet`` file or a folder
from ``dashboard enrich --engine dask``), prints, each measured in a fresh process:

* the dashboard's memory: resident set size (RSS) after ``load_dataset`` (what ``dashboard
  serve --data`` holds for every viewer), after building the search index, and after one
  Overview page computation, as MB in total and per million statements;
* the statement store: ``dashboard ingest RAW`` time (load + enrich + write) and the store's
  size on disk per million statements; ``dashboard ingest ENRICHED`` (no enrichment) time;
* the path beyond memory: one aggregation (statements per party and year) with DuckDB straight
  over the store's Parquet files - time and the process's peak RSS - against the same
  aggregation in memory after ``load_dataset``.

    dashboard generate --n 1000000 -o /tmp/raw1m.csv
    dashboard enrich /tmp/raw1m.csv -o /tmp/enriched1m.parquet
    python scripts/measure_scaling.py /tmp/raw1m.csv /tmp/enriched1m.parquet
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_RSS = """
import json, sys, time
def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
def peak_mb():  # VmHWM: ru_maxrss would include the parent's size at fork (kept over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
out = {}
"""

_DASHBOARD = (
    _RSS
    + """
from dashboard.dataset import load_dataset
from dashboard.filters import FilterSpec, search_index
from dashboard.pagedata import overview
from dashboard.view import make_view
import pandas, pyarrow, numpy
out["base_mb"] = rss_mb()
t = time.perf_counter()
ds = load_dataset(sys.argv[1])
out["load_s"] = time.perf_counter() - t
out["n"] = len(ds)
out["dataset_mb"] = rss_mb()
search_index(ds)
out["search_mb"] = rss_mb()
t = time.perf_counter()
overview(make_view(ds, FilterSpec()))
out["overview_s"] = time.perf_counter() - t
out["overview_mb"] = rss_mb()
t = time.perf_counter()
long = ds.long["parties"]
years = ds.analysis["year"].to_numpy()[long["row"].to_numpy()]
counts = long.assign(year=years).groupby(["value", "year"], observed=True).size()
out["memory_agg_s"] = time.perf_counter() - t
out["memory_agg_groups"] = int((counts > 0).sum())
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""
)

_DUCKDB = (
    _RSS
    + """
import duckdb
out["base_mb"] = rss_mb()
t = time.perf_counter()
rows = duckdb.sql(
    "SELECT party, year(date) AS year, count(*) AS n FROM ("
    f"  SELECT unnest(parties) AS party, date FROM read_parquet('{sys.argv[1]}/part-*.parquet')"
    ") GROUP BY ALL"
).fetchall()
out["duckdb_agg_s"] = time.perf_counter() - t
out["duckdb_agg_groups"] = len(rows)
out["peak_mb"] = peak_mb()
print(json.dumps(out))
"""
)


def _child(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", help="raw statements (e.g. from dashboard generate)")
    parser.add_argument("enriched", help="the same statements enriched (.parquet or a folder)")
    args = parser.parse_args()
    dashboard = str(Path(sys.executable).with_name("dashboard"))

    mem = _child(_DASHBOARD, args.enriched)
    n, per = mem["n"], mem["n"] / 1e6
    print(f"{n:,} statements")
    print("dashboard memory (RSS, fresh process):")
    print(f"  after imports                  {mem['base_mb']:8,.0f} MB")
    for key, label in (
        ("dataset_mb", "after load_dataset"),
        ("search_mb", "+ search index"),
        ("overview_mb", "+ one Overview page"),
    ):
        grown = mem[key] - mem["base_mb"]
        print(f"  {label:<30} {mem[key]:8,.0f} MB  ({grown / per:,.0f} MB per million statements)")
    print(f"  peak                           {mem['peak_mb']:8,.0f} MB")
    print(f"  load_dataset {mem['load_s']:.1f} s, Overview page {mem['overview_s']:.2f} s")
    print(
        f"  in memory: statements per party and year {mem['memory_agg_s']:.2f} s "
        f"({mem['memory_agg_groups']:,} groups)"
    )

    work = Path(tempfile.mkdtemp(prefix="measure-scaling-"))
    try:
        store = work / "store"
        seconds = _timed([dashboard, "ingest", args.raw, "--store", str(store)])
        size = _size_mb(store)
        print("statement store:")
        print(
            f"  ingest raw (load + enrich + write)  {seconds:7.1f} s = {n / seconds:,.0f} "
            "statements/s"
        )
        print(
            f"  store on disk                       {size:7.0f} MB ({size / per:,.0f} MB/million)"
        )
        print(
            f"  raw input on disk                   {Path(args.raw).stat().st_size / 1e6:7.0f} MB"
        )
        again = work / "store2"
        seconds = _timed([dashboard, "ingest", args.enriched, "--store", str(again)])
        print(f"  ingest already enriched             {seconds:7.1f} s")
        try:
            duck = _child(_DUCKDB, str(store))
        except subprocess.CalledProcessError as err:
            print(f"DuckDB not measured ({err.stderr.strip().splitlines()[-1]})")
        else:
            print("path beyond memory: DuckDB over the store's Parquet files:")
            print(
                f"  statements per party and year  {duck['duckdb_agg_s']:.2f} s "
                f"({duck['duckdb_agg_groups']:,} groups), peak RSS {duck['peak_mb']:,.0f} MB "
                f"(after imports {duck['base_mb']:,.0f} MB)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
