"""Benchmark ``enrich``: statements per second on synthetic headline-length statements.

The statements mix what real headlines contain - party names, abbreviations (some ambiguous,
like "CPC" or "PCP"), country names, demonyms and cities, generic phrases ("Communist parties",
"IMCWP") and filler words - drawn from the bundled reference files with a seeded generator, so
the same ``--seed`` gives the same texts. Prints one line per size; the whole-``enrich`` figure is
the one to compare with the 20,000 statements/s target, the per-stage figures say where time goes.

    python scripts/bench_enrich.py                 # 10,000 and 100,000 statements
    python scripts/bench_enrich.py --n 1000000     # add a size
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.countries import load_country_matcher
from dashboard.enrich import _resolve_taxonomy, enrich, statement_texts
from dashboard.gazetteer import load_gazetteer
from dashboard.link import link_parties
from dashboard.paths import data_dir
from dashboard.topics import tag_topics

VERBS = (
    "condemns", "calls for", "salutes", "denounces", "holds rally against", "welcomes",
    "issues statement on", "marks anniversary of", "supports", "warns about",
)  # fmt: skip
OBJECTS = (
    "the new austerity package", "NATO expansion", "the general strike", "rising rents",
    "the imperialist war", "privatisation of ports", "the election results", "police violence",
    "the anti-communist resolution", "the trade agreement", "wage cuts", "the peace treaty",
)  # fmt: skip
FILLER = (
    "workers", "youth", "solidarity", "today", "in the capital", "after the vote",
    "Communist parties", "the 21st IMCWP", "Communists", "with the people", "us",
)  # fmt: skip


def make_statements(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic statements (title and a short text) from the bundled reference files."""
    rng = np.random.default_rng(seed)
    gazetteer = load_gazetteer()
    names = gazetteer.patterns["pattern"].to_numpy(dtype=object)
    aliases = pd.read_csv(data_dir() / "country_aliases.csv", dtype=str, keep_default_na=False)
    places = aliases["alias"].to_numpy(dtype=object)
    ambiguous = np.array(["CPC", "PCP", "CPA", "CPI", "KP"], dtype=object)

    def pick(pool: np.ndarray | tuple[str, ...], size: int) -> np.ndarray:
        arr = np.asarray(pool, dtype=object)
        return arr[rng.integers(0, len(arr), size)]

    subject = np.where(rng.random(n) < 0.1, pick(ambiguous, n), pick(names, n))
    subject = np.where(rng.random(n) < 0.12, "Communists", subject)
    title = subject + " " + pick(VERBS, n) + " " + pick(OBJECTS, n)
    with_place = rng.random(n) < 0.6
    title = np.where(with_place, title + " in " + pick(places, n), title)
    text = pick(FILLER, n) + " " + pick(FILLER, n) + " and " + pick(names, n)
    text = np.where(rng.random(n) < 0.5, text, "")
    return pd.DataFrame({"title": title.astype(str), "text": text.astype(str)})


def timed(label: str, n: int, func: Callable[[], object]) -> object:
    start, cpu = time.perf_counter(), time.process_time()
    out = func()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time is the fairer figure on a shared machine; wall time is what a user waits.
    print(
        f"  {label:<22} wall {seconds:6.2f} s {n / seconds:>9,.0f}/s"
        f"   cpu {cpu:6.2f} s {n / cpu:>9,.0f}/s"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="extra size(s) to measure")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stages", action="store_true", help="also time each stage alone")
    args = parser.parse_args()
    sizes = [10_000, 100_000] + (args.n or [])
    # Reference files are read and compiled once per process; warm them up outside the timing.
    enrich(make_statements(10, args.seed))
    for n in sizes:
        df = make_statements(n, args.seed)
        print(f"{n:,} statements (mean {statement_texts(df).str.len().mean():.0f} characters)")
        out = timed("enrich (all stages)", n, lambda df=df: enrich(df))
        linked = sum(map(bool, out["parties"]))
        unresolved = sum(map(bool, out["unresolved"]))
        print(f"  {linked / n:.0%} with a party, {unresolved / n:.1%} with an unresolved name")
        if args.stages:
            texts = statement_texts(df)
            matcher, gazetteer = load_country_matcher(), load_gazetteer()
            taxonomy = _resolve_taxonomy(None)
            timed("country scan", n, lambda t=texts, m=matcher: m.scan(t))
            timed("party linking", n, lambda t=texts, g=gazetteer: link_parties(t, g))
            timed("topics", n, lambda t=texts, x=taxonomy: tag_topics(t, x))


if __name__ == "__main__":
    main()
