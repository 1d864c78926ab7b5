"""Build the bundled sample dataset ``data/sample_statements.csv`` from the seed sample.

Reads ``statements.txt`` (one statement per non-empty line, numbered 1-24) and
``seed_dates.csv`` (a date per line, "2015-10" when only the month is known) from the seed folder
and writes ``id`` (seed-01 ...), ``date`` exactly as given, ``text`` (stripped, otherwise as
published) and an empty ``url``; the app's normal loader then derives each date's precision.

Usage: ``python scripts/build_sample.py [SEED_FOLDER]`` (default ``../shared/seed`` next to the
repository).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEED = REPO.parent / "shared" / "seed"
OUTPUT = REPO / "data" / "sample_statements.csv"


def build_sample(seed: Path, output: Path = OUTPUT) -> int:
    """Write the sample CSV; returns the number of statements written."""
    lines = [
        line.strip()
        for line in (seed / "statements.txt").read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    with (seed / "seed_dates.csv").open(encoding="utf-8", newline="") as handle:
        dates = {int(row["line"]): row["date"].strip() for row in csv.DictReader(handle)}
    missing = [n for n in range(1, len(lines) + 1) if n not in dates]
    if missing:
        raise SystemExit(f"{seed / 'seed_dates.csv'}: no date for lines {missing}")
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "date", "text", "url"])
        for number, text in enumerate(lines, start=1):
            writer.writerow([f"seed-{number:02d}", dates[number], text, ""])
    return len(lines)


def main(argv: list[str]) -> None:
    seed = Path(argv[1]) if len(argv) > 1 else DEFAULT_SEED
    count = build_sample(seed)
    print(f"wrote {count} statements to {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv)
