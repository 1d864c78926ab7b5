"""Benchmark: the work each dashboard page does after a filter change, without Streamlit.

For a synthetic dataset (default 100,000 statements) and a few representative filters, times per
page: ``FilterSpec.mask`` + the filtered frame + the page's aggregations + building its figures
(and serialising them to JSON plus the charts' CSV downloads, as ``show_chart`` does), and prints
the median milliseconds per page. Target: < 300 ms per page.

    python scripts/bench_pages.py [--n 100000] [--repeat 3]
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
from typing import Any

import numpy as np
import pandas as pd

try:
    import dashboard  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dashboard import aggregate as ag
from dashboard import figures as fg
from dashboard.dataset import Dataset
from dashboard.events import events_between, load_events
from dashboard.export import to_csv_bytes
from dashboard.filters import FilterSpec
from dashboard.synthetic import make_dataset


class BenchView:
    """What ``dashboard.ui.page.View`` gives a page: the filtered frame and long tables."""

    def __init__(self, ds: Dataset, spec: FilterSpec) -> None:
        self.dataset = ds
        self.spec = spec
        self.mask = spec.mask(ds)
        self.df = ds.df.copy(deep=False) if self.mask.all() else ds.df[self.mask]
        self.n = len(self.df)
        self._long: dict[str, pd.DataFrame] = {}

    def long(self, col: str) -> pd.DataFrame:
        if col not in self._long:
            table = self.dataset.long[col]
            self._long[col] = table[self.mask[table["row"].to_numpy()]]
        return self._long[col]


def _ship(fig: Any, table: pd.DataFrame) -> None:
    """What ``show_chart`` costs besides drawing: the figure's JSON and the table's CSV."""
    fig.to_json()
    to_csv_bytes(table)


def overview(view: BenchView) -> None:
    ag.headline(view.df, view.long("parties"), view.long("party_countries"))
    granularity = ag.auto_granularity(view.df, finest="month")
    counts = ag.count_by_period(view.df, granularity)
    ag.placement_counts(view.df, granularity)
    parties = ag.top_values(view.df, view.long("parties"), "party", 10)
    topics = ag.top_values(view.df, view.long("topics"), "topic", 10)
    ag.latest(view.df, 10)
    _ship(fg.make_timeline(counts, granularity=granularity, compact=True), counts)
    _ship(fg.make_ranking(parties), parties)
    _ship(fg.make_ranking(topics), topics)


def timeline(view: BenchView) -> None:
    # The heavier of the common views: broken down by party, rolling mean and event markers.
    granularity = ag.auto_granularity(view.df)
    long = view.long("parties")
    counts = ag.count_by_period(view.df, granularity, breakdown="party", long=long)
    ag.placement_counts(view.df, granularity)
    rolling = ag.rolling_mean(view.df, granularity, 3)
    last = ag.period_end(counts["period"].max(), granularity)
    events = events_between(load_events(), counts["period"].min(), last)
    fig = fg.make_timeline(
        counts, granularity=granularity, rolling=rolling, rolling_window=3, events=events
    )
    _ship(fig, counts)


def world_map(view: BenchView) -> None:
    from dashboard import mapdata

    mapdata.available_years(view)
    counts = mapdata.map_counts(view, "party_countries", None)
    _ship(mapdata.make_world_map(counts, metric="statements"), counts)


def topics(view: BenchView) -> None:
    long = view.long("topics")
    shares = ag.topic_shares(view.df, long)
    granularity = ag.auto_granularity(view.df, finest="month")
    over_time = ag.count_by_period(view.df, granularity, breakdown="topic", long=long, top_n=10)
    by_country = ag.crosstab(
        view.df, long, view.long("party_countries"), row_kind="topic", col_kind="country"
    )
    by_party = ag.crosstab(view.df, long, view.long("parties"), row_kind="topic", col_kind="party")
    if len(shares):
        ag.latest(view.df[ag.rows_with_value(view.df, long, shares["value"].iloc[0])], 10)
    _ship(fg.make_ranking(shares, value="share"), shares)
    _ship(fg.make_timeline(over_time, granularity=granularity, mode="share"), over_time)
    _ship(fg.make_heatmap(by_country), by_country)
    _ship(fg.make_heatmap(by_party), by_party)


def parties(view: BenchView) -> None:
    long = view.long("parties")
    ranking = ag.top_values(view.df, long, "party", n=None)
    if ranking.empty:
        return
    party = ranking["value"].iloc[0]
    ag.party_summary(view.df, long, party)
    rows = view.df[ag.rows_with_value(view.df, long, party)]
    granularity = ag.auto_granularity(rows, finest="month")
    counts = ag.count_by_period(rows, granularity)
    topics_ = ag.top_values(rows, view.long("topics"), "topic", 10)
    countries = ag.top_values(rows, view.long("countries"), "country", 10)
    partners = ag.co_mentioned_with(view.df, long, party, 10)
    ag.latest(rows, 20)
    _ship(fg.make_timeline(counts, granularity=granularity), counts)
    _ship(fg.make_ranking(topics_), topics_)
    _ship(fg.make_ranking(countries), countries)
    _ship(fg.make_co_mention_network(partners, center_id=party, center_label=party), partners)


def explore(view: BenchView) -> None:
    from dashboard.ui.page import statements_table  # pure pandas, no Streamlit call

    order = view.df["date"].sort_values(ascending=False, na_position="last", kind="stable")
    statements_table(view.df.loc[order.index[:500]])


def filter_only(view: BenchView) -> None:
    """Nothing beyond building the view: the share of every page's time the filter takes."""


PAGES: dict[str, Callable[[BenchView], None]] = {
    "(filter)": filter_only,
    "overview": overview,
    "timeline": timeline,
    "world map": world_map,
    "topics": topics,
    "parties": parties,
    "explore": explore,
}


def filters(ds: Dataset) -> dict[str, FilterSpec]:
    top_party = str(ds.long["parties"]["value"].value_counts().index[0])
    top_topic = str(ds.long["topics"]["value"].value_counts().index[0])
    continent = str(ds.df["continent"].value_counts().index[0])
    empty = FilterSpec(
        date_from=None, date_to=None, continents=(), regions=(), countries=(), parties=(),
        topics=(), search="",
    )  # fmt: skip
    return {
        "no filter": empty,
        f"party {top_party}": FilterSpec(**{**empty.__dict__, "parties": (top_party,)}),
        "2015-2019": FilterSpec(
            **{**empty.__dict__, "date_from": dt.date(2015, 1, 1), "date_to": dt.date(2019, 12, 31)}
        ),
        f"{continent} + {top_topic}": FilterSpec(
            **{**empty.__dict__, "continents": (continent,), "topics": (top_topic,)}
        ),
        "search 'elections'": FilterSpec(**{**empty.__dict__, "search": "elections"}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="statements (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per page and filter")
    args = parser.parse_args()

    t0 = time.perf_counter()
    ds = make_dataset(args.n, seed=0)
    print(f"synthetic dataset: {args.n:,} statements in {time.perf_counter() - t0:.1f} s")
    specs = filters(ds)
    pages = dict(PAGES)
    try:
        import dashboard.mapdata  # noqa: F401
    except ImportError:
        del pages["world map"]

    # Warm-up: per-dataset caches (search text, labels, validators) are built once per server.
    for spec in specs.values():
        for page in pages.values():
            page(BenchView(ds, spec))

    # Wall time is what a user waits; CPU time of this process is also printed because on a
    # shared machine wall time mostly measures the other processes.
    wall: dict[str, dict[str, list[float]]] = {p: {f: [] for f in specs} for p in pages}
    cpu: dict[str, dict[str, list[float]]] = {p: {f: [] for f in specs} for p in pages}
    for _ in range(args.repeat):
        for fname, spec in specs.items():
            for pname, page in pages.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                page(BenchView(ds, spec))
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
    print(f"\nmedian {what} ms per page after a filter change ({repeat} runs; target < 300 ms)")
    print(f"{'filter':<{width}}{'rows':>9}" + "".join(f"{p:>11}" for p in pages))
    for fname in specs:
        cells = "".join(f"{statistics.median(times[p][fname]):>11.0f}" for p in pages)
        print(f"{fname:<{width}}{n_rows[fname]:>9,}{cells}")
    overall = "".join(
        f"{statistics.median([t for ts in times[p].values() for t in ts]):>11.0f}" for p in pages
    )
    print(f"{'median':<{width}}{'':>9}{overall}")
    worst = max(np.median(ts) for per in times.values() for ts in per.values())
    print(f"slowest page/filter median: {worst:.0f} ms")


if __name__ == "__main__":
    main()
