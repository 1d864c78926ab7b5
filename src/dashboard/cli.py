"""The ``dashboard`` command: ``enrich`` (in this process or ``--engine dask``), ``ingest`` into
the store, ``stats``, ``compact``, ``serve`` the app, list ``parties``.

Every sub-command turns a ``DatasetError`` into one clear line on stderr and exit status 2;
nothing here prints a traceback for bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.columns import parse_mapping
from dashboard.errors import DatasetError
from dashboard.paths import REPO_ROOT

if TYPE_CHECKING:  # pandas loads slowly: imported where a command needs it
    import pandas as pd

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
    from dashboard.load import get_load_report, load_statements
    from dashboard.topics import load_taxonomy

    if args.engine == "dask":
        return cmd_enrich_dask(args)
    if args.scheduler or args.workers is not None or args.partition_rows is not None:
        raise DatasetError(
            "--scheduler, --workers and --partition-rows only apply to the Dask engine",
            where="dashboard enrich",
            hint="add --engine dask, or leave those options out",
        )
    out = Path(args.output)
    check_output(out, Path(args.input), OUTPUT_FORMATS)
    apply_limits(args)
    taxonomy = load_taxonomy(args.topics) if args.topics else None
    df = load_statements(args.input, parse_mapping(args.map) if args.map else None)
    report = get_load_report(df)
    update, close = _progress_bar(len(df), "enriching")
    try:
        enriched = enrich(df, taxonomy=taxonomy, progress=update)
    finally:
        close()
    write_frame(out, enriched)
    linked = int(enriched["parties"].map(len).gt(0).sum())
    print(f"{args.input}: {report.summary()}", file=sys.stderr)
    print(
        f"wrote {len(enriched):,} statements to {out} "
        f"({linked:,} with at least one party, {len(enriched) - linked:,} without)",
        file=sys.stderr,
    )
    return 0


def cmd_enrich_dask(args: argparse.Namespace) -> int:
    """Enrich INPUT (file, glob or folder) on Dask into the partitioned Parquet folder OUTPUT."""
    from dashboard.dask_engine import PARTITION_ROWS, dask_client, enrich_on_dask, require_dask
    from dashboard.topics import load_taxonomy

    require_dask()
    if args.workers is not None and args.workers < 1:
        raise DatasetError(f"--workers must be 1 or more, not {args.workers}", where="--workers")
    if args.scheduler and args.workers is not None:
        raise DatasetError(
            "--workers sizes the local cluster; a scheduler's cluster has its own workers",
            where="--workers",
            hint="leave out --workers when you give --scheduler",
        )
    apply_limits(args)
    taxonomy = load_taxonomy(args.topics) if args.topics else None
    with dask_client(args.scheduler, args.workers) as client:
        workers = len(client.scheduler_info(n_workers=-1)["workers"])
        where = args.scheduler or "a local cluster"
        print(f"enriching on {where} with {workers} worker(s)", file=sys.stderr)
        result = enrich_on_dask(
            args.input,
            args.output,
            client,
            mapping=parse_mapping(args.map) if args.map else None,
            taxonomy=taxonomy,
            partition_rows=args.partition_rows or PARTITION_ROWS,
        )
    print(
        f"wrote {result.statements:,} statements from {result.files:,} file(s) to "
        f"{result.output} ({result.partitions:,} Parquet parts)",
        file=sys.stderr,
    )
    if result.repeated_ids:
        print(
            f"note: {result.repeated_ids:,} ids occur in more than one input file; "
            "`dashboard ingest` keeps the first of each",
            file=sys.stderr,
        )
    return 0


def check_output(out: Path, source: Path | None, formats: Sequence[str]) -> None:
    """Refuse an output path that is a folder, the input itself, or of an unknown format."""
    if out.is_dir():
        raise DatasetError(
            "the output is a folder, not a file name",
            where=str(out),
            hint=f"give a file name inside it, e.g. {out / ('enriched' + formats[0])}",
        )
    if out.suffix.lower() not in formats:
        raise DatasetError(
            f"cannot write '{out.suffix or out.name}' files",
            where=str(out),
            hint=f"Name the output with one of {', '.join(formats)}",
        )
    try:
        same = source is not None and out.exists() and out.resolve() == source.resolve()
    except OSError:
        same = False
    if same:
        raise DatasetError(
            "the output is the input file; writing it would destroy the statements",
            where=str(out),
            hint="give the output another name",
        )


def write_frame(out: Path, df: pd.DataFrame) -> None:
    """Write ``df`` in the format ``out``'s extension names (one of ``OUTPUT_FORMATS``)."""
    from dashboard.export import to_csv_bytes, to_jsonl_bytes, to_parquet_bytes

    writers = {".jsonl": to_jsonl_bytes, ".csv": to_csv_bytes, ".parquet": to_parquet_bytes}
    write_output(out, writers[out.suffix.lower()](df))


def write_output(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` through a temporary file, turning OS errors into one line."""
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise DatasetError(
            f"the output could not be written ({err.strerror or err})",
            where=str(out),
            hint="check that the folder exists and that you may write to it",
        ) from err


def apply_limits(args: argparse.Namespace) -> None:
    """``--max-rows`` / ``--max-mb`` set the variables ``dashboard.limits`` reads."""
    from dashboard.limits import MB_ENV, ROWS_ENV

    if getattr(args, "max_rows", None):
        os.environ[ROWS_ENV] = str(args.max_rows)
    if getattr(args, "max_mb", None):
        os.environ[MB_ENV] = str(args.max_mb)


def add_load_options(p: argparse.ArgumentParser) -> None:
    """The options every command that loads a dataset shares."""
    p.add_argument(
        "--map",
        metavar="OURS=THEIRS,...",
        help="which column holds what, e.g. text=headline_text,date=publish_date "
        "(OURS: id, title, text, date, url, party, country, region, language)",
    )
    p.add_argument("--topics", help="a topic taxonomy TOML file (default: data/topics.toml)")
    p.add_argument("--max-rows", type=int, help="row limit per file (default 5,000,000)")
    p.add_argument("--max-mb", type=int, help="uncompressed size limit in MB (default 2,048)")


def cmd_ingest(args: argparse.Namespace) -> int:
    """Load, enrich and add FILEs to the store as one batch; ids already stored are skipped."""
    from dashboard.store import default_store, ingest
    from dashboard.topics import load_taxonomy

    root = Path(args.store) if args.store else default_store()
    apply_limits(args)
    taxonomy = load_taxonomy(args.topics) if args.topics else None
    mapping = parse_mapping(args.map) if args.map else None
    result, reports = ingest(args.files, root, mapping=mapping, taxonomy=taxonomy)
    for line in reports:
        print(line, file=sys.stderr)
    if not result.added:
        print(
            f"nothing new: all {result.read:,} statements are already in the store {root} "
            f"({result.total:,} statements)",
            file=sys.stderr,
        )
        return 0
    already = f", {result.already_stored:,} already there" if result.already_stored else ""
    print(
        f"added {result.added:,} statements to {root} as {result.batch}{already}; "
        f"the store holds {result.total:,}" + (" (compacted)" if result.compacted else ""),
        file=sys.stderr,
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the store's counts (``--json``: one JSON object)."""
    import json

    from dashboard.store import default_store, store_stats

    stats = store_stats(Path(args.store) if args.store else default_store())
    if args.json:
        print(json.dumps(stats))
    else:
        for key, value in stats.items():
            print(f"{key:<11} {value if value is not None else '-'}")
    return 0


def cmd_compact(args: argparse.Namespace) -> int:
    """Merge the store's parts into one file."""
    from dashboard.store import compact, default_store

    root = Path(args.store) if args.store else default_store()
    merged = compact(root)
    outcome = "compacted into one part" if merged else "nothing to compact"
    print(f"{root}: {outcome}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Start the Streamlit app on ``--data`` or ``--store`` (default: the bundled sample)."""
    from dashboard.store import is_store

    env = dict(os.environ)
    if args.store:
        store = Path(args.store).resolve()
        if not is_store(store):
            raise DatasetError(
                "no statement store here",
                where=str(args.store),
                hint="create one with `dashboard ingest FILE --store DIR`",
            )
        env["DASHBOARD_DATA"] = str(store)
    elif args.data:
        from dashboard.store import is_parquet_folder

        data = Path(args.data).resolve()
        if not (data.is_file() or is_store(data) or is_parquet_folder(data)):
            raise DatasetError(
                "no such file, statement store or folder of enriched Parquet parts",
                where=str(args.data),
                hint="Check the path given to --data",
            )
        env["DASHBOARD_DATA"] = str(data)
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        # ``app.py`` behind the in-memory front-end middleware (dashboard.ui.assets)
        str(REPO_ROOT / "asgi.py"),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
        *extra,
    ]
    print(f"Party Statements Dashboard on http://{args.host}:{args.port}", file=sys.stderr)
    sys.stderr.flush()
    # Streamlit reads .streamlit/config.toml from the working directory: run from the repo root.
    if os.name == "posix":
        # Become Streamlit: SIGTERM from a service manager or SIGINT reach the server itself,
        # so nothing is left serving the port.
        os.chdir(REPO_ROOT)
        os.execve(sys.executable, command, env)
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


def cmd_generate(args: argparse.Namespace) -> int:
    """Write N synthetic raw statements (marked ``source=synthetic``) for benchmarks."""
    from dashboard.generate import generate_statements

    out = Path(args.output)
    check_output(out, None, OUTPUT_FORMATS)
    if args.n < 0:
        raise DatasetError(f"--n must be 0 or more, not {args.n}", where="--n")
    df = generate_statements(args.n, seed=args.seed)
    write_frame(out, df)
    print(f"wrote {len(df):,} synthetic statements to {out}", file=sys.stderr)
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
    p.add_argument(
        "input",
        help="CSV/TSV, JSON, JSON Lines, Parquet, XLSX or TXT file "
        "(with --engine dask also a folder or a glob pattern of such files)",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="output file: .jsonl, .csv or .parquet (with --engine dask: a new folder)",
    )
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this process (default); dask: partitions on a Dask cluster, written as a "
        "folder of Parquet parts (needs the [dask] extra)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )
    p.add_argument(
        "--workers", type=int, help="worker processes of the local cluster (default: one per core)"
    )
    p.add_argument(
        "--partition-rows",
        type=int,
        metavar="N",
        help="statements per partition when one file is split (default 100000)",
    )
    add_load_options(p)

    p = sub.add_parser("serve", help="start the dashboard (extra args go to streamlit)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--data", help="dataset to open (default: the bundled sample)")
    group.add_argument("--store", help="a statement store (a folder made by `dashboard ingest`)")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--host", default="localhost", help="address to listen on")

    store_help = "the store folder (default: $DASHBOARD_STORE, else ./data/store)"
    p = sub.add_parser("ingest", help="enrich files and add their statements to the store")
    p.add_argument("files", nargs="+", metavar="FILE", help="statement files, as for enrich")
    p.add_argument("--store", help=store_help)
    add_load_options(p)

    p = sub.add_parser("stats", help="count the statements in the store")
    p.add_argument("--store", help=store_help)
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("compact", help="merge the store's batch files into one")
    p.add_argument("--store", help=store_help)

    p = sub.add_parser("generate", help="write synthetic statements for benchmarks")
    p.add_argument("--n", type=int, default=100_000, help="how many statements")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same rows)")
    p.add_argument("-o", "--output", required=True, help="output file: .jsonl, .csv or .parquet")

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
        commands = {
            "ingest": cmd_ingest,
            "stats": cmd_stats,
            "compact": cmd_compact,
            "generate": cmd_generate,
            "evaluate": cmd_evaluate,
        }
        return commands.get(args.command, cmd_parties)(args)
    except DatasetError as err:
        print(f"dashboard {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
