"""The ``dashboard`` command: ``enrich`` a dataset, ``serve`` the app, list ``parties``.

Every sub-command turns a ``DatasetError`` into one clear line on stderr and exit status 2;
nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.errors import DatasetError
from dashboard.paths import REPO_ROOT

OUTPUT_FORMATS = (".jsonl", ".csv", ".parquet")


def _progress_bar(total: int, desc: str):  # -> Callable[[float], None] and a closer
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="stmt", file=sys.stderr, disable=total < 5_000)

    def update(fraction: float) -> None:
        bar.update(round(fraction * total) - bar.n)

    return update, bar.close


def cmd_enrich(args: argparse.Namespace) -> int:
    """Load INPUT, enrich it and write OUTPUT in the format its extension names."""
    from dashboard.enrich import enrich
    from dashboard.export import to_csv_bytes, to_jsonl_bytes, to_parquet_bytes
    from dashboard.load import get_load_report, load_statements
    from dashboard.topics import load_taxonomy

    out = Path(args.output)
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise DatasetError(
            f"cannot write '{out.suffix or out.name}' files",
            where=str(out),
            hint=f"Name the output with one of {', '.join(OUTPUT_FORMATS)}",
        )
    taxonomy = load_taxonomy(args.topics) if args.topics else None
    df = load_statements(args.input)
    report = get_load_report(df)
    update, close = _progress_bar(len(df), "enriching")
    try:
        enriched = enrich(df, taxonomy=taxonomy, progress=update)
    finally:
        close()
    writers = {".jsonl": to_jsonl_bytes, ".csv": to_csv_bytes, ".parquet": to_parquet_bytes}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(writers[out.suffix.lower()](enriched))
    linked = int(enriched["parties"].map(len).gt(0).sum())
    print(f"{args.input}: {report.summary()}", file=sys.stderr)
    print(
        f"wrote {len(enriched):,} statements to {out} "
        f"({linked:,} with at least one party, {len(enriched) - linked:,} without)",
        file=sys.stderr,
    )
    return 0


def cmd_serve(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Start the Streamlit app on ``--data`` (default: the bundled sample)."""
    env = dict(os.environ)
    if args.data:
        data = Path(args.data).resolve()
        if not data.is_file():
            raise DatasetError(
                "no such file", where=str(args.data), hint="Check the path given to --data"
            )
        env["DASHBOARD_DATA"] = str(data)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO_ROOT / "app.py"),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
        *extra,
    ]
    print(f"Party Statements Dashboard on http://{args.host}:{args.port}", file=sys.stderr)
    # Streamlit reads .streamlit/config.toml from the working directory: run from the repo root.
    return subprocess.call(command, env=env, cwd=REPO_ROOT)


def cmd_parties(args: argparse.Namespace) -> int:
    """Print the gazetteer, or the organisations matching QUERY."""
    from dashboard.gazetteer import load_gazetteer

    found = load_gazetteer().search(args.query or "")
    if found.empty:
        print(f"no party matches '{args.query}'", file=sys.stderr)
        return 1
    columns = ["id", "abbreviation", "name", "country", "parent"]
    table = found[columns].fillna("").astype(str)
    widths = {c: max(len(c), int(table[c].str.len().max())) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in table.itertuples(index=False):
        print("  ".join(str(v).ljust(widths[c]) for c, v in zip(columns, row, strict=True)))
    print(f"{len(table)} organisation(s)", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score the enrichment against a gold JSON Lines file and print the tables and errors."""
    from dashboard.evaluate import evaluate, format_report, load_gold

    items = load_gold(args.gold)
    result = evaluate(items)
    print(format_report(result, errors=not args.summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dashboard",
        description="Party Statements Dashboard: enrich statement datasets and explore them.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("enrich", help="find parties, countries and topics in a dataset")
    p.add_argument("input", help="CSV/TSV, JSON, JSON Lines, Parquet, XLSX or TXT file")
    p.add_argument("-o", "--output", required=True, help="output file: .jsonl, .csv or .parquet")
    p.add_argument("--topics", help="a topic taxonomy TOML file (default: data/topics.toml)")

    p = sub.add_parser("serve", help="start the dashboard (extra args go to streamlit)")
    p.add_argument("--data", help="dataset to open (default: the bundled sample)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="localhost", help="address to listen on")

    p = sub.add_parser("evaluate", help="precision/recall/F1 against a labelled JSON Lines file")
    p.add_argument("gold", help="gold file in the dev set's format (../shared/devset/README.md)")
    p.add_argument(
        "--summary", action="store_true", help="print only the tables, not every miss and false hit"
    )

    p = sub.add_parser("parties", help="list or search the party gazetteer")
    p.add_argument("query", nargs="?", help="name, abbreviation, id or country")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "serve":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "enrich":
            return cmd_enrich(args)
        if args.command == "serve":
            return cmd_serve(args, extra)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        return cmd_parties(args)
    except DatasetError as err:
        print(f"dashboard {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
