"""The statement store: ingest, de-duplication by id, one schema, atomic commits, compaction,
stats, serving it, and SIGKILL at random moments during ``dashboard ingest``."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pa_ds
import pyarrow.parquet as pq
import pytest

from dashboard import store
from dashboard.cli import main
from dashboard.dataset import load_dataset, read_enriched
from dashboard.paths import REPO_ROOT

ROWS = [
    ("k1", "KKE", "The KKE calls a general strike.", "2015-10-20"),
    ("k2", "TKP", "The TKP on the elections in Turkey.", "2015-10"),
    ("k3", "Joint", "KKE and TKP on imperialist wars.", "1500-01-01"),
]


def _csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    lines = ["id,title,text,date"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ids(root: Path) -> list[str]:
    return store.read_store_table(root, ["id"]).column("id").to_pylist()


def test_ingest_twice_adds_nothing_and_says_so(tmp_path, capsys):
    source, root = _csv(tmp_path / "a.csv", ROWS), tmp_path / "store"
    assert main(["ingest", str(source), "--store", str(root)]) == 0
    assert "added 3 statements" in capsys.readouterr().err
    version = store.store_version(root)
    assert main(["ingest", str(source), "--store", str(root)]) == 0
    assert "nothing new: all 3 statements are already in the store" in capsys.readouterr().err
    assert store.store_version(root) == version
    assert sorted(_ids(root)) == ["k1", "k2", "k3"]


def test_overlapping_files_add_only_new_ids(tmp_path, capsys):
    root = tmp_path / "store"
    main(["ingest", str(_csv(tmp_path / "a.csv", ROWS[:2])), "--store", str(root)])
    more = _csv(tmp_path / "b.csv", ROWS[1:])
    assert main(["ingest", str(more), "--store", str(root)]) == 0
    assert "added 1 statements" in capsys.readouterr().err
    assert sorted(_ids(root)) == ["k1", "k2", "k3"]
    assert len(store.live_parts(root)) == 2


def test_stats_json(tmp_path, capsys):
    root = tmp_path / "store"
    main(["ingest", str(_csv(tmp_path / "a.csv", ROWS)), "--store", str(root)])
    capsys.readouterr()
    assert main(["stats", "--store", str(root), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["statements"] == 3
    assert stats["parties"] == 2  # kke, tkp
    assert (stats["first_date"], stats["last_date"]) == ("2015-10-01", "2015-10-20")
    assert stats["batches"] == 1 and stats["undated"] == 1


def test_the_store_reads_back_as_the_enriched_file_does(tmp_path):
    source, root, out = _csv(tmp_path / "a.csv", ROWS), tmp_path / "store", tmp_path / "e.parquet"
    assert main(["enrich", str(source), "-o", str(out)]) == 0
    assert main(["ingest", str(source), "--store", str(root)]) == 0
    from_store = store.read_store(root).set_index("id").sort_index()
    from_file = read_enriched(out).set_index("id").sort_index()
    assert list(from_store.columns) == list(from_file.columns)
    for column in from_file.columns:
        assert from_store[column].astype(str).tolist() == from_file[column].astype(str).tolist()
    assert dict(from_store.dtypes) == dict(from_file.dtypes)
    ds = load_dataset(root)  # the app's path: `dashboard serve --store`
    assert len(ds) == 3 and ds.report.format == "statement store"


def test_every_part_has_the_one_schema_and_pyarrow_reads_the_folder(tmp_path):
    root = tmp_path / "store"
    for i, row in enumerate(ROWS):
        main(["ingest", str(_csv(tmp_path / f"{i}.csv", [row])), "--store", str(root)])
    for part in store.live_parts(root):
        assert pq.read_schema(part.path).remove_metadata() == store.STORE_SCHEMA
    table = pa_ds.dataset(root, format="parquet").to_table()  # plain pyarrow, no dashboard code
    assert sorted(table.column("id").to_pylist()) == ["k1", "k2", "k3"]
    assert table.schema.field("parties").type.value_type == pa.string()
    assert str(table.schema.field("date").type) == "timestamp[us]"


def test_compaction_keeps_every_statement_and_changes_the_version(tmp_path, capsys):
    root = tmp_path / "store"
    for i, row in enumerate(ROWS):
        main(["ingest", str(_csv(tmp_path / f"{i}.csv", [row])), "--store", str(root)])
    before = store.store_version(root)
    assert len(before) == 3
    assert main(["compact", "--store", str(root)]) == 0
    assert [p.path.name for p in store.live_parts(root)] == ["part-000001-000003.parquet"]
    assert sorted(os.listdir(root)) == [".lock", store.MARKER, "part-000001-000003.parquet"]
    assert store.store_version(root) != before
    assert sorted(_ids(root)) == ["k1", "k2", "k3"]
    assert store.compact(root) is False  # one part: nothing to do


def test_automatic_compaction(tmp_path):
    root = tmp_path / "store"
    compacted = []
    for i in range(4):
        df = pd.DataFrame({"id": [f"x{i}"], "title": ["t"], "text": ["x"], "parties": [[]]})
        compacted.append(store.add_frame(df, root, compact_at=3).compacted)
    assert compacted == [False, False, True, False]
    assert [p.path.name for p in store.live_parts(root)] == [
        "part-000001-000003.parquet",
        "part-000004-000004.parquet",
    ]
    assert sorted(_ids(root)) == ["x0", "x1", "x2", "x3"]


def test_leftovers_of_a_crash_are_ignored_then_removed(tmp_path):
    root = tmp_path / "store"
    main(["ingest", str(_csv(tmp_path / "a.csv", ROWS[:1])), "--store", str(root)])
    main(["ingest", str(_csv(tmp_path / "b.csv", ROWS[1:2])), "--store", str(root)])
    # A compaction killed after its rename (old parts still there) and a batch killed mid-write.
    parts = store.live_parts(root)
    table = pa_ds.dataset([str(p.path) for p in parts], schema=store.STORE_SCHEMA).to_table()
    pq.write_table(table, root / "part-000001-000002.parquet")
    (root / ".tmp-123-abc").write_bytes(b"PAR1 half a file")
    assert sorted(_ids(root)) == ["k1", "k2"]  # no statement twice
    main(["ingest", str(_csv(tmp_path / "c.csv", ROWS[2:])), "--store", str(root)])
    names = sorted(n for n in os.listdir(root) if not n.startswith((".lock", "_")))
    assert names == ["part-000001-000002.parquet", "part-000003-000003.parquet"]


def test_one_writer_at_a_time(tmp_path):
    root = tmp_path / "store"
    df = pd.DataFrame({"id": ["a"], "title": ["t"], "text": ["x"], "parties": [[]]})
    with store.locked(root):
        child = subprocess.run(
            [sys.executable, "-c", _WRITE_ONE.format(root=str(root))],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert "another command has been writing" in child.stdout, child.stderr
    assert store.add_frame(df, root).added == 1


_WRITE_ONE = """
import pandas as pd
from dashboard import store
from dashboard.errors import DatasetError
from pathlib import Path
df = pd.DataFrame({{"id": ["b"], "title": ["t"], "text": ["x"], "parties": [[]]}})
try:
    with store.locked(Path({root!r}), timeout=0.5):
        pass
except DatasetError as err:
    print(err)
"""


@pytest.mark.parametrize(
    ("setup", "argv", "words"),
    [
        (None, ["stats", "--store", "{root}"], "no store here yet"),
        ("file", ["ingest", "{src}", "--store", "{root}"], "must be a folder"),
        ("other", ["ingest", "{src}", "--store", "{root}"], "holds other files"),
        ("other", ["stats", "--store", "{root}"], "not a statement store"),
        (None, ["serve", "--store", "{root}"], "no statement store here"),
    ],
)
def test_store_errors_are_one_line(tmp_path, capsys, setup, argv, words):
    root, src = tmp_path / "store", _csv(tmp_path / "a.csv", ROWS)
    if setup == "file":
        root.write_text("x")
    elif setup == "other":
        root.mkdir()
        (root / "notes.txt").write_text("mine")
    args = [a.format(root=root, src=src) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_default_store_location(monkeypatch, tmp_path):
    monkeypatch.delenv(store.STORE_ENV, raising=False)
    assert store.default_store() == Path("data") / "store"
    monkeypatch.setenv(store.STORE_ENV, str(tmp_path))
    assert store.default_store() == tmp_path


def test_the_app_serves_a_store(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from dashboard.ui import cache

    root = tmp_path / "store"
    main(["ingest", str(_csv(tmp_path / "a.csv", ROWS)), "--store", str(root)])
    monkeypatch.setenv(cache.DATA_ENV, str(root))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.caption[0].value == "3 statements · no filters"


# --- kill -9 at random moments ------------------------------------------------------------------

KILL_RUNS = 22
KILL_BUDGET_S = 90.0


def _ingest_command(source: Path, root: Path) -> list[str]:
    return [sys.executable, "-m", "dashboard.cli", "ingest", str(source), "--store", str(root)]


def _batch(tmp: Path, run: int, size: int = 400) -> Path:
    rows = [
        (f"r{run}-{i}", f"Statement {run}-{i}", f"The KKE and the TKP in run {run} item {i}.",
         f"2015-{1 + i % 12:02d}-{1 + i % 28:02d}")
        for i in range(size)
    ]  # fmt: skip
    return _csv(tmp / f"batch{run}.csv", rows)


def test_sigkill_during_ingest_leaves_the_store_before_or_after(tmp_path):
    """``kill -9`` at random moments: the store always opens with unique ids, old or new count."""
    root = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    started = time.monotonic()
    subprocess.run(_ingest_command(_batch(tmp_path, 0), root), env=env, check=True, timeout=120)
    warm = time.monotonic()
    subprocess.run(_ingest_command(_batch(tmp_path, -1), root), env=env, check=True, timeout=120)
    full = time.monotonic() - warm  # one uninterrupted ingest into an existing store
    rng = random.Random(20261130)
    outcomes = {"killed, store as before": 0, "killed, store as after": 0, "had finished": 0}
    runs = kills = 0
    while kills < KILL_RUNS and time.monotonic() - started < KILL_BUDGET_S:
        runs += 1
        old = len(_ids(root))
        source = _batch(tmp_path, runs)
        # Odd runs die anywhere; even runs near the end, where the batch is written and renamed.
        low = 0.2 if runs % 2 else 0.75
        delay = rng.uniform(low * full, 1.05 * full)
        proc = subprocess.Popen(
            _ingest_command(source, root),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        ids = _ids(root)  # the store opens ...
        assert len(ids) == len(set(ids)), f"run {runs}: duplicate ids"  # ... ids are unique ...
        assert len(ids) in (old, old + 400), f"run {runs}: {old} -> {len(ids)}"  # ... old or new
        if finished:
            outcomes["had finished"] += 1
            full = delay  # runs are quicker than measured: aim earlier
        else:
            kills += 1
            outcomes["killed, store as after" if len(ids) > old else "killed, store as before"] += 1
        assert len(store.read_store(root)) == len(ids)
    summary = ", ".join(f"{k}: {v}" for k, v in outcomes.items())
    print(f"kill test: {runs} runs ({summary}); one ingest takes {full:.1f} s")
    assert kills >= 20  # SIGKILLs that hit a running ingest


def _store_of_three(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    for i, row in enumerate(ROWS):
        main(["ingest", str(_csv(tmp_path / f"{i}.csv", [row])), "--store", str(root)])
    (root / ".tmp-1-crashed").write_bytes(b"half a batch")  # what a killed ingest leaves
    return root


def test_duckdb_reads_the_store_as_one_table(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    root = _store_of_three(tmp_path)
    rows = duckdb.sql(
        f"SELECT id, len(parties) AS n FROM read_parquet('{root}/part-*.parquet') ORDER BY id"
    ).fetchall()
    assert rows == [("k1", 1), ("k2", 1), ("k3", 2)]


def test_dask_reads_the_store_as_one_dataframe(tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    root = _store_of_three(tmp_path)
    df = dd.read_parquet(str(root)).compute()
    assert sorted(df["id"]) == ["k1", "k2", "k3"]


def test_ingest_with_a_column_map(tmp_path, capsys):
    source = tmp_path / "abc.csv"
    source.write_text("publish_date,words\n20150601,The KKE calls a general strike\n")
    root = tmp_path / "store"
    assert main(["ingest", str(source), "--store", str(root), "--map", "text=words"]) == 0
    df = store.read_store(root)
    assert df["text"].tolist() == ["The KKE calls a general strike"]
    assert df["date"].iloc[0] == pd.Timestamp("2015-06-01")  # publish_date is recognised
    assert df["parties"].iloc[0] == ["kke"]


def test_a_store_with_every_batch_compacted_away_reads_as_empty(tmp_path):
    root = tmp_path / "store"
    store.add_frame(pd.DataFrame({"id": ["a"], "text": ["x"], "parties": [[]]}), root)
    for part in store.live_parts(root):
        part.path.unlink()
    assert len(store.read_store(root)) == 0
    assert store.store_stats(root)["statements"] == 0


COMPACT_KILL_RUNS = 8


def test_sigkill_during_compaction_never_loses_or_doubles_a_statement(tmp_path):
    """``kill -9`` during ``dashboard compact``: the same statements, each once, every time."""
    root = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    command = [sys.executable, "-m", "dashboard.cli", "compact", "--store", str(root)]
    rng = random.Random(7)
    expected: set[str] = set()
    full = 0.0
    outcomes = {"killed, as before": 0, "killed, compacted": 0, "had finished": 0}
    run = 0
    while outcomes["killed, as before"] + outcomes["killed, compacted"] < COMPACT_KILL_RUNS:
        assert run < 4 * COMPACT_KILL_RUNS, outcomes
        for batch in range(3):
            ids = [f"c{run}-{batch}-{i}" for i in range(300)]
            frame = pd.DataFrame({"id": ids, "text": ids, "parties": [[]] * len(ids)})
            store.add_frame(frame, root)
            expected.update(ids)
        parts_before = store.store_version(root)
        if run == 0:  # measure one uninterrupted compaction
            started = time.monotonic()
            subprocess.run(command, env=env, check=True, timeout=120, capture_output=True)
            full = time.monotonic() - started
            run += 1
            continue
        run += 1
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        delay = rng.uniform(0.6 * full, 1.0 * full)  # the imports take most of it
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        ids = _ids(root)
        assert len(ids) == len(set(ids)), f"run {run}: a statement twice"
        assert set(ids) == expected, f"run {run}: statements lost or added"
        if finished:
            outcomes["had finished"] += 1
            full = delay  # quicker than measured: aim earlier
        elif store.store_version(root) == parts_before:
            outcomes["killed, as before"] += 1
        else:
            outcomes["killed, compacted"] += 1
    summary = ", ".join(f"{k}: {v}" for k, v in outcomes.items())
    print(f"compaction kill test: {summary}; one compaction takes {full:.1f} s")


def test_two_ingests_at_once_both_land_without_doubling(tmp_path):
    root = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    first = _batch(tmp_path, 1, size=300)
    second = _csv(tmp_path / "overlap.csv", [
        (f"r1-{i}", f"Statement 1-{i}", f"The KKE and the TKP in run 1 item {i}.", "2015-01-01")
        for i in range(150, 450)
    ])  # fmt: skip
    procs = [
        subprocess.Popen(_ingest_command(path, root), env=env, stderr=subprocess.PIPE, text=True)
        for path in (first, second)
    ]
    errors = [proc.communicate(timeout=120)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], errors
    ids = _ids(root)
    assert len(ids) == len(set(ids)) == 450  # 300 + the 150 new ones of the overlapping file


def test_pyarrow_skips_the_marker_the_lock_and_a_crashed_writers_file(tmp_path):
    import pyarrow.dataset as pa_ds

    root = _store_of_three(tmp_path)
    # The marker, the lock and a crashed writer's temporary file start with "_" or ".":
    # pyarrow skips them, as Dask and DuckDB's part-* glob do.
    dataset = pa_ds.dataset(str(root), format="parquet")
    assert dataset.schema == store.STORE_SCHEMA
    table = dataset.to_table(columns=["id", "parties"]).sort_by("id")
    assert table.column("id").to_pylist() == ["k1", "k2", "k3"]
    assert [len(p) for p in table.column("parties").to_pylist()] == [1, 1, 2]
