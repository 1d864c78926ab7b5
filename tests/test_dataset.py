"""``Dataset``: list columns exploded once, masks, and re-opening an enriched file as it is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.dataset import Dataset, explode_list_column, load_dataset
from dashboard.errors import DatasetError
from dashboard.paths import sample_dataset


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "parties": [["kke", "tkp"], [], ["kke"]],
            "topics": [["elections"], ["other"], ["youth", "elections"]],
        }
    )


def test_explode_list_column_rows_and_values():
    long = explode_list_column(_frame(), "parties")
    assert long["row"].tolist() == [0, 0, 2]
    assert long["value"].astype(str).tolist() == ["kke", "tkp", "kke"]
    assert isinstance(long["value"].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        ("parties", ["kke"], [True, False, True]),
        ("parties", ["tkp"], [True, False, False]),
        ("parties", ["nobody"], [False, False, False]),
        ("topics", ["other", "youth"], [False, True, True]),
    ],
)
def test_rows_with_any(column, values, expected):
    ds = Dataset.from_enriched(_frame())
    assert ds.rows_with_any(column, values).tolist() == expected


def test_from_enriched_leaves_input_unchanged():
    df = _frame().set_index(pd.Index([10, 20, 30]))
    ds = Dataset.from_enriched(df)
    assert df.index.tolist() == [10, 20, 30]
    assert ds.df.index.tolist() == [0, 1, 2]


def test_load_dataset_enriches_the_sample():
    ds = load_dataset(sample_dataset())
    assert len(ds) == 24
    assert ds.report is not None and ds.report.rows_kept == 24
    kke_rows = ds.rows_with_any("parties", ["kke"])
    assert set(ds.df.loc[kke_rows, "id"]) == {"seed-02", "seed-07"}


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_enriched_file_reopens_without_enriching(tmp_path, suffix, monkeypatch):
    out = tmp_path / f"enriched{suffix}"
    assert main(["enrich", str(sample_dataset()), "-o", str(out)]) == 0

    def fail(*args, **kwargs):
        raise AssertionError("enrich must not run on an enriched file")

    monkeypatch.setattr("dashboard.enrich.enrich", fail)
    ds = load_dataset(out)
    assert ds.report is not None and ds.report.format.startswith("enriched")
    assert len(ds) == 24
    row = ds.df.set_index("id").loc["seed-02"]
    assert row["parties"] == ["kke", "tkp"]
    assert str(ds.df["date_precision"].dtype) == "category"
    assert np.issubdtype(ds.df["date"].dtype, np.datetime64)


def test_enriched_file_missing_columns_is_a_clear_error(tmp_path):
    out = tmp_path / "broken.parquet"
    pd.DataFrame({"id": ["x"], "parties": [["kke"]], "party_countries": [["GRC"]]}).to_parquet(out)
    # Not all enriched columns: treated as a plain dataset, which has no text column.
    with pytest.raises(DatasetError, match="text"):
        load_dataset(out)


def test_memo_builds_each_value_once_per_dataset_even_when_asked_at_once() -> None:
    import threading
    import time

    first, second = Dataset.from_enriched(_frame()), Dataset.from_enriched(_frame())
    builds: list[int] = []
    barrier = threading.Barrier(4)

    def build() -> object:
        builds.append(1)
        time.sleep(0.05)  # long enough for the other threads to arrive while it builds
        return object()

    def ask() -> None:
        barrier.wait()
        first.memo("thing", build)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert first.memo("thing", build) is first.memo("thing", build)
    assert second.memo("thing", build) is not first.memo("thing", build)  # its own value
    assert len(builds) == 2
