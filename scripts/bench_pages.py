"""Benchmark: the server work each dashboard page does after a filter change.

For an enriched dataset (a file written by ``dashboard enrich``, or synthetic statements of real
length generated and enriched on the fly) and a few representative filters, times per page:
the filter (``FilterSpec.mask`` and the ``View``), the page's data step (the same
``dashboard.pagedata`` function the page calls), its figures and their JSON (what
``st.plotly_chart`` sends) and the CSV download of each chart's numbers. Prints the median
wall-clock and CPU milliseconds per page and filter. Target: <= 250 ms per page.

    python scripts/bench_pages.py [--data FILE.parquet | --n 100000] [--repeat 3]

Nothing is cached between runs of the same page and filter: this is what the first viewer of a
new view waits for (later viewers of the same link get the cached result).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

try:
    import dashboard  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard import pagedata
from dashboard.dataset import Dataset, load_dataset
from dashboard.export import to_csv_bytes
from dashboard.filters import FilterSpec
from dashboard.view import View, make_view


def _ship(figures: dict[str, go.Figure] | go.Figure, *tables: object) -> None:
    """What ``show_chart`` costs besides drawing: each figure's JSON and each table's CSV."""
    for fig in figures.values() if isinstance(figures, dict) else [figures]:
        fig.to_json()
    for table in tables:
        to_csv_bytes(table)  # type: ignore[arg-type]


def overview(view: View) -> None:
    data = pagedata.overview(view)
    _ship(data.figures, data.counts, data.top_parties, data.top_topics)


def timeline(view: View) -> None:
    # The heavier of the common views: broken down by party, rolling mean and event markers.
    data = pagedata.timeline(view, ag.auto_granularity(view.df), "party", 8, 3, "count", True)
    _ship(data.figure, data.counts)


def world_map(view: View) -> None:
    pagedata.available_years(view)
    counts = pagedata.map_counts(view, "party_countries", None)
    _ship(fg.make_world_map(counts, metric="statements"), counts)


def topics(view: View) -> None:
    data = pagedata.topics(view, ag.auto_granularity(view.df, finest="month"), 12, "share")
    if len(data.shares):
        pagedata.topic_examples(view, data.shares["value"].iloc[0], 10)
    _ship(data.figures, data.shares, data.over_time, data.by_country, data.by_party)


def parties(view: View) -> None:
    ranking = pagedata.party_ranking(view)
    if ranking.empty:
        return
    profile = pagedata.party_profile(view, ranking["value"].iloc[0])
    _ship(profile.figures, profile.timeline, profile.topics, profile.countries, profile.partners)


def explore(view: View) -> None:
    from dashboard.ui.page import statements_table  # pure pandas, no Streamlit call

    statements_table(pagedata.explore_rows(view, "Newest first", 500))


def filter_only(view: View) -> None:
    """Nothing beyond building the view: the share of every page's time the filter takes."""


PAGES: dict[str, Callable[[View], None]] = {
    "(filter)": filter_only,
    "overview": overview,
    "timeline": timeline,
    "world map": world_map,
    "topics": topics,
    "parties": parties,
    "explore": explore,
}


def filters(ds: Dataset) -> dict[str, FilterSpec]:
    """No filter, the most named party, a year range, a continent + topic, one month, a word."""
    top_party = str(ds.long["parties"]["value"].value_counts().index[0])
    top_topic = str(ds.long["topics"]["value"].value_counts().index[0])
    continents = ds.df["continent"].astype("str")
    continent = str(continents[continents != ""].value_counts().index[0])
    return {
        "no filter": FilterSpec(),
        f"party {top_party}": FilterSpec(parties=(top_party,)),
        "2015-2019": FilterSpec(date_from=dt.date(2015, 1, 1), date_to=dt.date(2019, 12, 31)),
        f"{continent} + {top_topic}": FilterSpec(continents=(continent,), topics=(top_topic,)),
        "Oct 2019": FilterSpec(date_from=dt.date(2019, 10, 1), date_to=dt.date(2019, 10, 31)),
        "search 'strike'": FilterSpec(search="strike"),
    }


def synthetic_dataset(n: int) -> Dataset:
    """``n`` generated statements of real length, enriched (as ``dashboard enrich`` does)."""
    from dashboard.enrich import enrich
    from dashboard.generate import generate_statements
    from dashboard.load import load_statements

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{n}.parquet"
        generate_statements(n).to_parquet(path, index=False)
        df = load_statements(path)
    return Dataset.from_enriched(enrich(df), source=f"synthetic-{n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="an enriched .parquet/.jsonl file (dashboard enrich)")
    parser.add_argument("--n", type=int, default=100_000, help="synthetic statements otherwise")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page and filter")
    args = parser.parse_args()

    t0 = time.perf_counter()
    ds = load_dataset(args.data) if args.data else synthetic_dataset(args.n)
    print(f"dataset: {len(ds):,} statements ({ds.source}) in {time.perf_counter() - t0:.1f} s")
    specs = filters(ds)

    # Warm-up: per-dataset structures (search index, labels, validators) are built once per
    # server, not per filter change.
    for spec in specs.values():
        for page in PAGES.values():
            page(make_view(ds, spec))

    # Wall time is what a user waits; CPU time of this process is also printed because on a
    # shared machine wall time mostly measures the other processes.
    wall: dict[str, dict[str, list[float]]] = {p: {f: [] for f in specs} for p in PAGES}
    cpu: dict[str, dict[str, list[float]]] = {p: {f: [] for f in specs} for p in PAGES}
    for _ in range(args.repeat):
        for fname, spec in specs.items():
            for pname, page in PAGES.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                page(make_view(ds, spec))
                wall[pname][fname].append((time.perf_counter() - start) * 1000)
                cpu[pname][fname].append((time.process_time() - start_cpu) * 1000)

    n_rows = {f: int(spec.mask(ds).sum()) for f, spec in specs.items()}
    for what, times in (("wall-clock", wall), ("CPU", cpu)):
        _print_table(what, times, n_rows, args.repeat)
    try:
        load = " (load average {:.1f}, {:.1f}, {:.1f})".format(*os.getloadavg())
    except OSError:
        load = ""
    print(f"\n{os.cpu_count()} CPUs{load}")


def _print_table(
    what: str, times: dict[str, dict[str, list[float]]], n_rows: dict[str, int], repeat: int
) -> None:
    pages, specs = list(times), list(n_rows)
    width = max(len(f) for f in specs) + 2
    print(f"\nmedian {what} ms per page after a filter change ({repeat} runs; target <= 250 ms)")
    print(f"{'filter':<{width}}{'rows':>10}" + "".join(f"{p:>11}" for p in pages))
    for fname in specs:
        cells = "".join(f"{statistics.median(times[p][fname]):>11.0f}" for p in pages)
        print(f"{fname:<{width}}{n_rows[fname]:>10,}{cells}")
    overall = "".join(
        f"{statistics.median([t for ts in times[p].values() for t in ts]):>11.0f}" for p in pages
    )
    print(f"{'median':<{width}}{'':>10}{overall}")
    worst = max(np.median(ts) for per in times.values() for ts in per.values())
    print(f"slowest page/filter median: {worst:.0f} ms")


if __name__ == "__main__":
    main()
