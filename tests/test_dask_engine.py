"""``dashboard enrich --engine dask``: same rows as the single process, survives a killed worker,
writes a partitioned Parquet folder the dashboard, ``ingest``, DuckDB and Dask read directly.

The clusters here are small and on loopback: two threaded workers for the equality tests
(seconds), two single-threaded worker processes for the kill test (about half a minute).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow.dataset as pa_ds
import pytest

from dashboard import dask_engine, store
from dashboard.cli import main
from dashboard.dataset import load_dataset
from dashboard.export import to_csv_bytes
from dashboard.generate import generate_statements
from dashboard.load import load_statements

distributed = pytest.importorskip("distributed")

COMPARED = [
    "id",
    "title",
    "date",
    "date_precision",
    "parties",
    "party_countries",
    "countries",
    "topics",
    "unresolved",
    "region",
    "continent",
]


def _raw(n: int, seed: int, *, with_ids: bool = False) -> pd.DataFrame:
    df = generate_statements(n, seed=seed)
    # Without an id column load_statements derives ids from content: the case to check.
    return df if with_ids else df.drop(columns=["id"])


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_csv_bytes(df))
    return path


def _rows(path: Path) -> pd.DataFrame:
    """The compared columns as plain Python values, one row per statement, in file order."""
    df = load_dataset(path).df
    out = pd.DataFrame(index=df.index)
    for column in COMPARED:
        values = df[column]
        if column in ("parties", "party_countries", "countries", "topics", "unresolved"):
            out[column] = [list(v) for v in values.tolist()]
        else:
            out[column] = values.astype(str).tolist()
    return out


def _single_process(source: Path, out: Path) -> pd.DataFrame:
    assert main(["enrich", str(source), "-o", str(out)]) == 0
    return _rows(out)


@pytest.fixture(scope="module")
def threaded_cluster():
    """Two single-threaded workers in this process, on loopback, no web dashboard."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",  # a real address the CLI's --scheduler connects to
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # loopback only, any free port
    ) as cluster:
        yield cluster


def test_dask_enrich_equals_the_single_process_row_for_row(tmp_path, threaded_cluster, capsys):
    source = _write_csv(_raw(3000, seed=11), tmp_path / "raw.csv")
    expected = _single_process(source, tmp_path / "single.parquet")
    out = tmp_path / "enriched"
    argv = ["enrich", str(source), "-o", str(out), "--engine", "dask"]
    argv += ["--scheduler", threaded_cluster.scheduler_address, "--partition-rows", "400"]
    assert main(argv) == 0
    parts = sorted(p.name for p in out.iterdir())
    assert parts == [f"part.{i:06d}.parquet" for i in range(8)]  # 3000 / 400, input order
    got = _rows(out)
    assert len(got) == 3000
    assert got["id"].str.startswith("s-").all()  # derived from content, not given
    pd.testing.assert_frame_equal(got, expected)
    assert "wrote 3,000 statements from 1 file(s)" in capsys.readouterr().err
    # The references were built once in this process (both workers are threads of it), not
    # once per partition.
    assert dask_engine.reference_builds()["default"] == 1


def test_partitions_keep_what_load_statements_decides_over_the_whole_file(
    tmp_path, threaded_cluster
):
    """Row slices loaded alone would differ: the first 400 rows have no source country (their
    content ids would leave it out) and only dates that could be day-first (a slice would read
    05/10/2015 as 5 October; the last row, 10/15/2015, makes the whole file month-first)."""
    raw = _raw(1000, seed=5)
    raw["date"] = ["05/10/2015"] * 999 + ["10/15/2015"]
    raw["source_country"] = [""] * 400 + ["Greece"] * 600
    source = _write_csv(raw, tmp_path / "raw.csv")
    expected = _single_process(source, tmp_path / "single.parquet")
    assert set(expected["date"]) == {"2015-05-10", "2015-10-15"}  # month-first
    with distributed.Client(threaded_cluster) as client:
        dask_engine.enrich_on_dask(
            str(source), tmp_path / "out", client, partition_rows=200, show_progress=False
        )
    pd.testing.assert_frame_equal(_rows(tmp_path / "out"), expected)


def test_a_custom_taxonomy_reaches_the_workers(tmp_path, threaded_cluster):
    topics = tmp_path / "topics.toml"
    topics.write_text(
        '[[topic]]\nid = "strikes"\nlabel = "Strikes"\npatterns = ["strike", "huelga"]\n'
    )
    source = _write_csv(_raw(500, seed=6), tmp_path / "raw.csv")
    assert (
        main(["enrich", str(source), "-o", str(tmp_path / "one.parquet"), "--topics", str(topics)])
        == 0
    )
    argv = ["enrich", str(source), "-o", str(tmp_path / "out"), "--topics", str(topics)]
    argv += ["--engine", "dask", "--scheduler", threaded_cluster.scheduler_address]
    assert main(argv) == 0
    got, expected = _rows(tmp_path / "out"), _rows(tmp_path / "one.parquet")
    assert {t for ts in got["topics"] for t in ts} == {"strikes", "other"}
    pd.testing.assert_frame_equal(got, expected)


def test_a_folder_or_glob_gives_one_partition_per_file_with_the_files_own_ids(
    tmp_path, threaded_cluster
):
    folder = tmp_path / "in"
    frames = [_raw(700, seed=20 + i) for i in range(3)]
    # Repeat a statement inside one file: load_statements drops it there, as it does alone.
    frames[1] = pd.concat([frames[1], frames[1].iloc[:5]], ignore_index=True)
    files = [_write_csv(df, folder / f"batch-{i}.csv") for i, df in enumerate(frames)]
    (folder / "notes.md").write_text("not statements")  # skipped: not a statement file
    expected = pd.concat(
        [_single_process(f, tmp_path / f"single-{i}.parquet") for i, f in enumerate(files)],
        ignore_index=True,
    )
    with distributed.Client(threaded_cluster) as client:
        for name, spec in (("from-folder", folder), ("from-glob", folder / "batch-*.csv")):
            result = dask_engine.enrich_on_dask(
                str(spec), tmp_path / name, client, show_progress=False
            )
            assert (result.files, result.partitions, result.statements) == (3, 3, 2100)
            pd.testing.assert_frame_equal(_rows(tmp_path / name), expected)


def test_the_output_folder_is_read_by_serve_ingest_duckdb_and_dask(tmp_path, threaded_cluster):
    source = _write_csv(_raw(600, seed=3, with_ids=True), tmp_path / "raw.csv")
    out = tmp_path / "enriched"
    with distributed.Client(threaded_cluster) as client:
        dask_engine.enrich_on_dask(
            str(source), out, client, partition_rows=250, show_progress=False
        )
    ds = load_dataset(out)
    assert len(ds) == 600 and ds.report.format == "partitioned Parquet dataset"
    assert not store.is_store(out) and store.is_parquet_folder(out)
    # ingest reads the folder as enriched statements (no second enrichment) into a store.
    root = tmp_path / "store"
    assert main(["ingest", str(out), "--store", str(root)]) == 0
    assert store.read_store(root)["id"].tolist() == ds.df["id"].tolist()
    assert main(["ingest", str(out), "--store", str(root)]) == 0  # nothing new the 2nd time
    assert len(store.read_store(root)) == 600
    # Other engines read the folder as one table with list<string> lists.
    duckdb = pytest.importorskip("duckdb")
    n, linked = duckdb.sql(
        f"SELECT count(*), count(*) FILTER (len(parties) > 0) FROM read_parquet('{out}/*.parquet')"
    ).fetchall()[0]
    assert n == 600 and linked == int(ds.df["parties"].list.len().gt(0).sum())
    dd = pytest.importorskip("dask.dataframe")
    assert sorted(dd.read_parquet(str(out)).compute()["id"]) == sorted(ds.df["id"])
    assert (
        pa_ds.dataset(str(out)).schema.field("topics").type
        == store.STORE_SCHEMA.field("topics").type
    )


def test_serve_accepts_the_output_folder_as_data(tmp_path, threaded_cluster, monkeypatch):
    source = _write_csv(_raw(20, seed=4), tmp_path / "raw.csv")
    out = tmp_path / "enriched"
    with distributed.Client(threaded_cluster) as client:
        dask_engine.enrich_on_dask(str(source), out, client, show_progress=False)
    started: dict[str, str] = {}

    class Exec(Exception):
        """Stands for exec: serve would become Streamlit here."""

    def execve(exe: str, argv: list[str], env: dict[str, str]) -> None:
        started.update(env)
        raise Exec

    monkeypatch.setattr(os, "chdir", lambda path: None)
    monkeypatch.setattr(os, "execve", execve)
    with pytest.raises(Exec):
        main(["serve", "--data", str(out)])
    assert started["DASHBOARD_DATA"] == str(out.resolve())
    assert main(["serve", "--data", str(tmp_path / "missing")]) == 2


def test_bad_dask_inputs_and_outputs_are_one_line_each(tmp_path, capsys, threaded_cluster):
    source = _write_csv(_raw(10, seed=1), tmp_path / "raw.csv")
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "old.parquet").write_bytes(b"x")
    address = threaded_cluster.scheduler_address
    cases = {
        "already holds files": ["enrich", str(source), "-o", str(taken)],
        "no statement files found": ["enrich", str(tmp_path / "none-*.csv"), "-o", "x"],
        "only apply to the Dask engine": ["enrich", str(source), "-o", "x.csv", "--workers", "2"],
    }
    for expected, argv in cases.items():
        if "--workers" not in argv:
            argv = [*argv, "--engine", "dask", "--scheduler", address]
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err
    assert (taken / "old.parquet").read_bytes() == b"x"


def test_a_bad_file_in_a_folder_is_named_in_one_line_and_nothing_is_written(
    tmp_path, capsys, threaded_cluster
):
    folder = tmp_path / "in"
    _write_csv(_raw(50, seed=2), folder / "a.csv")
    (folder / "b.csv").write_text("title,text\n,\n,\n")  # every row empty: refused on a worker
    out = tmp_path / "out"
    argv = ["enrich", str(folder), "-o", str(out), "--engine", "dask"]
    assert main([*argv, "--scheduler", threaded_cluster.scheduler_address]) == 2
    err = capsys.readouterr().err
    # The worker's DatasetError arrives whole: file, problem and what to do, no traceback.
    assert "b.csv" in err and "every row has an empty text" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.tmp-*"))


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "2s")
    source = _write_csv(_raw(10, seed=1), tmp_path / "raw.csv")
    argv = ["enrich", str(source), "-o", str(tmp_path / "out"), "--engine", "dask"]
    assert main([*argv, "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert "could not connect to the Dask scheduler" in err and f"127.0.0.1:{port}" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_missing_dask_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    source = _write_csv(_raw(10, seed=1), tmp_path / "raw.csv")
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    assert main(["enrich", str(source), "-o", str(tmp_path / "out"), "--engine", "dask"]) == 2
    err = capsys.readouterr().err
    assert "needs the optional package 'distributed'" in err
    assert 'pip install -e ".[dask]"' in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # about 30 s: two worker processes start and one is killed
def test_a_worker_killed_mid_run_loses_and_duplicates_no_rows(tmp_path):
    folder = tmp_path / "in"
    frames = [_raw(1500, seed=40 + i) for i in range(10)]
    for i, df in enumerate(frames):
        _write_csv(df, folder / f"batch-{i:02d}.csv")
    out = tmp_path / "enriched"
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # loopback only, any free port
            memory_limit="1GiB",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["result"] = dask_engine.enrich_on_dask(
                    str(folder), out, client, show_progress=False
                )
            except BaseException as err:  # noqa: BLE001 - reported by the assertion below
                outcome["error"] = err

        worker = threading.Thread(target=run)
        worker.start()
        killed = None
        deadline = time.monotonic() + 60
        while worker.is_alive() and time.monotonic() < deadline and killed is None:
            busy = [w for w, tasks in client.processing().items() if tasks and w in pids]
            written = [p for p in tmp_path.glob(".enriched.tmp-*/part.*.parquet")]
            if busy and written:  # some partitions done, the victim is working on another
                killed = busy[0]
                os.kill(pids[killed], signal.SIGKILL)
            time.sleep(0.01)
        worker.join(120)
        assert killed is not None, "the run finished before a worker could be killed"
        assert "error" not in outcome, outcome.get("error")
        # The nanny restarts the killed worker: a new process takes its place.
        client.wait_for_workers(2, timeout=60)
        assert pids[killed] not in client.run(os.getpid).values()
        # Each worker process built the references once (the restarted one at its start).
        builds = client.run(dask_engine.reference_builds)
        assert list(builds.values()) == [{"default": 1}, {"default": 1}]
    result = outcome["result"]
    expected = [i for f in sorted(folder.iterdir()) for i in load_statements(f)["id"].tolist()]
    got = pa_ds.dataset(str(out)).to_table(columns=["id"]).column("id").to_pylist()
    assert result.statements == len(got) == 15_000
    assert len(set(got)) == len(got)  # nothing written twice
    assert got == expected  # nothing lost, every part in input order
