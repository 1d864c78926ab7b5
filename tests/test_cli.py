"""The ``dashboard`` command on the bundled sample: enrich to every format, parties, errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.paths import sample_dataset

SAMPLE = str(sample_dataset())


def test_enrich_jsonl_keeps_ids_and_lists(tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["enrich", SAMPLE, "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 24
    by_id = {r["id"]: r for r in rows}
    assert by_id["seed-02"]["parties"] == ["kke", "tkp"]
    assert by_id["seed-02"]["party_countries"] == ["GRC", "TUR"]
    assert isinstance(by_id["seed-01"]["countries"], list)
    assert "wrote 24 statements" in capsys.readouterr().err


def test_enrich_csv_joins_lists(tmp_path):
    out = tmp_path / "out.csv"
    assert main(["enrich", SAMPLE, "-o", str(out)]) == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    row = df.set_index("id").loc["seed-02"]
    assert row["parties"] == "kke; tkp"
    assert row["party_countries"] == "GRC; TUR"


def test_enrich_parquet_keeps_lists(tmp_path):
    out = tmp_path / "out.parquet"
    assert main(["enrich", SAMPLE, "-o", str(out)]) == 0
    df = pd.read_parquet(out).set_index("id")
    assert list(df.loc["seed-24", "parties"]) == ["psl-usa"]
    assert list(df.loc["seed-24", "countries"]) == ["AFG", "USA"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["enrich", "no/such/file.csv", "-o", "x.jsonl"], "file.csv"),
        (["enrich", SAMPLE, "-o", "out.xlsx"], ".jsonl, .csv, .parquet"),
        (["serve", "--data", "no/such/data.csv"], "no such file"),
    ],
)
def test_bad_input_is_one_clear_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_parties_search(capsys):
    assert main(["parties", "KKE"]) == 0
    out = capsys.readouterr().out
    assert "kke" in out
    assert "Communist Party of Greece" in out


def test_parties_without_match(capsys):
    assert main(["parties", "zzzz-no-such-party"]) == 1
    assert "no party matches" in capsys.readouterr().err
