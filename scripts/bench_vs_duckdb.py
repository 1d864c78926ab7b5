"""Benchmark: the dashboard's filtered aggregations against DuckDB on the same enriched Parquet.

For each file (written by ``dashboard enrich``), five aggregations - the count, statements per
month, the top parties, statements per party home country, and topic x party home country -
under six filters (none, a topic, a party, one month, a search word, a party and a topic). The
dashboard side is what a page runs: ``FilterSpec.mask`` over the ``Dataset`` (the search index
already built, as it is after the first search), a ``View`` and the ``aggregate`` functions.
The DuckDB side runs SQL over the same file loaded into an in-memory table, with a normalised
search column computed beforehand so both sides search prepared text. Prints median
milliseconds per task, both engines, and their ratio (dashboard / DuckDB; < 1 means faster).

    pip install -e ".[bench]"   # DuckDB is a benchmark extra, not a dependency
    python scripts/bench_vs_duckdb.py FILE.parquet [FILE.parquet ...] [--repeat 5]

Target (issue 7): no task slower than 2x DuckDB; the unfiltered ones faster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    import dashboard  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import contextlib

from dashboard import aggregate as ag
from dashboard.dataset import Dataset, load_dataset
from dashboard.filters import FilterSpec, search_index
from dashboard.view import View, make_view

# The dashboard's aggregations, given a fresh view.
CORE_TASKS: dict[str, Callable[[View], object]] = {
    "count": lambda v: v.n,
    "per month": lambda v: ag.count_by_period(v.df, "month"),
    "top parties": lambda v: ag.top_values(v.df, v.long("parties"), "party", 10),
    "per home country": lambda v: ag.top_values(v.df, v.long("party_countries"), "country", None),
    "topic x country": lambda v: ag.crosstab(
        v.df, v.long("topics"), v.long("party_countries"), row_kind="topic", col_kind="country"
    ),
}
# The same in SQL; {where} is the filter.
SQL_TASKS: dict[str, str] = {
    "count": "SELECT count(*) FROM t WHERE {where}",
    "per month": (
        "SELECT date_trunc('month', date) AS m, count(*) FROM t WHERE {where} AND date IS NOT NULL"
        " GROUP BY m ORDER BY m"
    ),
    "top parties": (
        "SELECT p, count(*) AS n FROM (SELECT unnest(parties) AS p FROM t WHERE {where})"
        " GROUP BY p ORDER BY n DESC, p LIMIT 10"
    ),
    "per home country": (
        "SELECT c, count(*) AS n FROM (SELECT unnest(party_countries) AS c FROM t WHERE {where})"
        " GROUP BY c ORDER BY n DESC, c"
    ),
    "topic x country": (
        "SELECT tp, c, count(*) FROM (SELECT unnest(topics) AS tp, party_countries FROM t"
        " WHERE {where}) AS x, unnest(x.party_countries) AS u(c) GROUP BY tp, c"
    ),
}


def filters(ds: Dataset) -> dict[str, tuple[FilterSpec, str]]:
    """Filter name -> (the dashboard's spec, the same as SQL)."""
    party = str(ds.long["parties"]["value"].value_counts().index[0])
    topic = str(ds.long["topics"]["value"].value_counts().index[1])
    return {
        "none": (FilterSpec(), "TRUE"),
        f"topic {topic}": (FilterSpec(topics=(topic,)), f"list_contains(topics, '{topic}')"),
        f"party {party}": (FilterSpec(parties=(party,)), f"list_contains(parties, '{party}')"),
        "Oct 2019": (
            FilterSpec(date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 10, 31)),
            "date >= TIMESTAMP '2019-10-01' AND date < TIMESTAMP '2019-11-01'",
        ),
        "search strike": (
            FilterSpec(search="strike"),
            "regexp_matches(norm, '(^|[^[:alnum:]])strike')",
        ),
        f"{party} + {topic}": (
            FilterSpec(parties=(party,), topics=(topic,)),
            f"list_contains(parties, '{party}') AND list_contains(topics, '{topic}')",
        ),
    }


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    run()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_file(path: Path, repeat: int) -> None:
    import duckdb

    t0 = time.perf_counter()
    ds = load_dataset(path)
    search_index(ds)  # built once per dataset, at the first search
    took = time.perf_counter() - t0
    print(f"\n{path.name}: {len(ds):,} statements (load + search index {took:.1f} s)")
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{path}')")
    con.execute(
        "ALTER TABLE t ADD COLUMN norm VARCHAR; "
        "UPDATE t SET norm = "
        "strip_accents(lower(coalesce(title, '') || chr(10) || coalesce(text, '')))"
    )
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    took = time.perf_counter() - t0
    print(f"DuckDB {duckdb.__version__}, {threads} threads (table load {took:.1f} s)")

    width = 22
    header = f"{'filter':<{width}}{'task':<18}{'rows':>10}"
    print(header + f"{'dashboard ms':>14}{'DuckDB ms':>11}{'ratio':>8}")
    ratios = []
    for fname, (spec, where) in filters(ds).items():
        n_rows = make_view(ds, spec).n
        sql_count = con.execute(SQL_TASKS["count"].format(where=where)).fetchone()[0]
        for task, core in CORE_TASKS.items():
            ours = _median_ms(lambda core=core, spec=spec: core(make_view(ds, spec)), repeat)
            sql = SQL_TASKS[task].format(where=where)
            theirs = _median_ms(lambda sql=sql: con.execute(sql).fetchall(), repeat)
            ratio = ours / theirs if theirs else float("inf")
            ratios.append((ratio, fname, task))
            rows = f"{n_rows:,}" if task == "count" else ""
            print(f"{fname:<{width}}{task:<18}{rows:>10}{ours:>14.1f}{theirs:>11.1f}{ratio:>8.2f}")
        if sql_count != n_rows:
            print(f"{'':<{width}}(DuckDB counts {sql_count:,}: month/year-precision dates overlap)")
    worst = max(ratios)
    print(f"slowest relative to DuckDB: {worst[0]:.2f}x ({worst[1]}, {worst[2]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="enriched .parquet files")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        import duckdb  # noqa: F401
    except ImportError:
        sys.exit('DuckDB is not installed: pip install -e ".[bench]"')
    for path in args.files:
        bench_file(path, args.repeat)
    with contextlib.suppress(OSError):
        print(
            "\n{} CPUs (load average {:.1f}, {:.1f}, {:.1f})".format(
                os.cpu_count(), *os.getloadavg()
            )
        )


if __name__ == "__main__":
    main()
