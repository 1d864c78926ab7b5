"""Benchmark ``dashboard enrich``: one process vs ``--engine dask`` with 1 and 2 workers.

Generates N synthetic statements (``dashboard.generate``, seeded) into a CSV once, then times,
on this machine:

* ``single``: ``load_statements`` + ``enrich`` + writing one Parquet file (``dashboard enrich``);
* ``dask, W workers, 1 file``: a ``LocalCluster`` of W single-threaded worker processes on
  loopback (start-up timed apart), then ``enrich_on_dask`` end to end: loading the file here (one
  process: a file's ids, dates and duplicates are decided over the whole file), staging it in
  chunks, enriching the partitions on the workers, writing the Parquet parts;
* ``dask, W workers, K files``: the same statements split into K files in a folder, so loading
  runs on the workers too (one partition per file) - how a corpus larger than one machine is fed.

Prints one row per run - wall seconds, statements per second, speed-up over ``single``, and the
CPU seconds spent (this process plus every worker) with statements per CPU second, which does
not depend on what else the machine runs - plus the enrichment-only rate of the single process,
the per-core figure to scale from. The machine's load average is printed too: wall-clock
figures are only as quiet as the machine.

    python scripts/bench_dask.py                  # 1,000,000 statements
    python scripts/bench_dask.py --n 200000 --workers 1,2
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from dashboard.dask_engine import PARTITION_ROWS, dask_client, enrich_on_dask
from dashboard.enrich import enrich
from dashboard.export import to_csv_bytes, to_parquet_bytes
from dashboard.generate import generate_statements
from dashboard.load import load_statements


def _row(label: str, seconds: float, cpu: float, n: int, base: float | None) -> str:
    speedup = f"{base / seconds:5.2f}x" if base else "  1.00x"
    return (
        f"| {label:<22} | {seconds:8.1f} | {n / seconds:12,.0f} | {speedup:>8} "
        f"| {cpu:7.1f} | {n / cpu:14,.0f} |"
    )


def _peak_rss_mb() -> float:
    """This process's peak resident set size in MB (run on each worker).

    ``VmHWM``, not ``ru_maxrss``: Linux carries ``ru_maxrss`` over ``exec``, so a worker spawned
    by this (large) process would report this process's size at the moment it forked.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds() -> float:
    """CPU seconds (user + system) this process has used; run on each worker too."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="statements (default 1M)")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--partition-rows", type=int, default=PARTITION_ROWS)
    parser.add_argument("--files", type=int, default=8, help="files for the folder runs (0: none)")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if w.strip()]

    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        source = tmp / "raw.csv"
        raw = generate_statements(args.n, seed=0)
        source.write_bytes(to_csv_bytes(raw))
        folder = tmp / "folder"
        folder.mkdir()
        for k in range(args.files):
            part = raw.iloc[k * len(raw) // args.files : (k + 1) * len(raw) // args.files]
            (folder / f"raw-{k:03d}.csv").write_bytes(to_csv_bytes(part))
        del raw
        mb = source.stat().st_size / 1e6
        print(f"{args.n:,} statements, {mb:,.0f} MB CSV; {os.cpu_count()} cores")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        start, cpu_start = time.perf_counter(), _cpu_seconds()
        df = load_statements(source)
        loaded = time.perf_counter()
        enriched = enrich(df)
        done_enrich = time.perf_counter()
        (tmp / "single.parquet").write_bytes(to_parquet_bytes(enriched))
        single = time.perf_counter() - start
        single_cpu = _cpu_seconds() - cpu_start
        load_s, enrich_s = loaded - start, done_enrich - loaded
        del df, enriched

        rows = [_row("single process", single, single_cpu, args.n, None)]
        startups = []
        peaks: list[tuple[str, float]] = []
        inputs = [(source, "1 file")]
        if args.files:
            inputs.append((folder, f"{args.files} files"))
        for workers in counts:
            begin = time.perf_counter()
            with dask_client(None, workers) as client:
                client.wait_for_workers(workers)
                startups.append((workers, time.perf_counter() - begin))
                for spec, what in inputs:
                    begin, cpu = time.perf_counter(), _cpu_seconds()
                    on_workers = client.run(_cpu_seconds)
                    out = tmp / f"dask-{workers}-{what.replace(' ', '-')}"
                    enrich_on_dask(
                        str(spec),
                        out,
                        client,
                        partition_rows=args.partition_rows,
                        show_progress=False,
                    )
                    seconds = time.perf_counter() - begin
                    cpu = _cpu_seconds() - cpu
                    after = client.run(_cpu_seconds)
                    cpu += sum(after[w] - on_workers.get(w, 0.0) for w in after)
                    row = _row(f"dask, {workers}w, {what}", seconds, cpu, args.n, single)
                    rows.append(row)
                    peaks.append((f"{workers}w, {what}", max(client.run(_peak_rss_mb).values())))
                    shutil.rmtree(out)

        print()
        print(
            "| engine                 |  seconds | statements/s | speed-up "
            "|   CPU s | statements/CPU s |"
        )
        print(
            "|------------------------|---------:|-------------:|---------:|--------:|----------------:|"
        )
        for row in rows:
            print(row)
        print()
        print(
            f"single process: load {load_s:.1f} s, enrich {enrich_s:.1f} s = "
            f"{args.n / enrich_s:,.0f} statements/s per core for enrichment alone"
        )
        for workers, seconds in startups:
            print(f"cluster start-up ({workers} worker(s)): {seconds:.1f} s (not in the table)")
        for what, peak in peaks:
            print(f"largest worker peak RSS so far ({what}): {peak:,.0f} MB")
        chunks = -(-args.n // args.partition_rows)
        print(f"1 file: {chunks} partitions of up to {args.partition_rows:,} statements")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
