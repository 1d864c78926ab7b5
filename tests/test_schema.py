"""``schema``: one definition of the frame, and frames held without per-row Python objects."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard import schema
from dashboard.dataset import Dataset, load_dataset, read_enriched
from dashboard.export import to_parquet_bytes


def _enriched() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "title": ["KKE on strikes", None, "TKP"],
            "text": ["", "PCP statement", "x"],
            "date": pd.to_datetime(["2015-10-01", None, "2019-10-20"]),
            "date_precision": ["month", "none", "day"],
            "url": ["", "", "https://example.org"],
            "parties": [["kke"], None, ["tkp", "kke"]],
            "party_countries": [["GRC"], [], ["GRC", "TUR"]],
            "countries": [[], [], ["TUR"]],
            "topics": [["labour"], ["other"], ["elections"]],
            "unresolved": [[], ["PCP"], []],
            "region": ["Southern Europe", "", "Western Asia"],
            "continent": ["Europe", "", "Asia"],
        }
    )


def _assert_no_python_objects(df: pd.DataFrame) -> None:
    for column in df.columns:
        assert df[column].dtype != object, f"{column} holds Python objects"


def test_conform_gives_every_column_its_dtype():
    df = schema.conform(_enriched())
    _assert_no_python_objects(df)
    for column in schema.LIST_COLUMNS:
        assert df[column].dtype == schema.LIST_DTYPE
    assert df["date_precision"].dtype == schema.PRECISION_DTYPE
    assert df["title"].tolist() == ["KKE on strikes", "", "TKP"]
    # None in a list column is an empty list, never a missing value.
    assert df["parties"].tolist()[1] == []


def test_conform_marks_undated_rows_as_precision_none():
    df = _enriched()
    df.loc[0, "date"] = pd.NaT
    assert schema.conform(df)["date_precision"].tolist() == ["none", "none", "day"]


def test_conform_adds_missing_columns_empty():
    df = schema.conform(pd.DataFrame({"text": ["a", "b"]}))
    assert set(schema.LOADED_COLUMNS) <= set(df.columns)
    assert set(schema.ENRICHED_COLUMNS) <= set(df.columns)
    assert df["parties"].tolist() == [[], []]
    assert df["date_precision"].tolist() == ["none", "none"]


def test_empty_enriched_frame_has_the_whole_schema():
    df = schema.empty_enriched_frame()
    assert len(df) == 0
    assert set(schema.LOADED_COLUMNS) | set(schema.ENRICHED_COLUMNS) <= set(df.columns)
    ds = Dataset.from_enriched(df)
    assert len(ds) == 0 and set(ds.long) == set(schema.LIST_COLUMNS)


@pytest.mark.parametrize(
    "values",
    [
        [["a"], None, []],
        pa.array([["a"], None, []], type=pa.list_(pa.large_string())),
        pa.chunked_array([[["a"]], [None, []]], type=pa.list_(pa.string())),
    ],
    ids=["python lists", "large list array", "chunked array"],
)
def test_list_array_accepts_every_form_a_list_column_arrives_in(values):
    arr = schema.list_array(pd.Series(values, dtype=object) if isinstance(values, list) else values)
    assert isinstance(arr, pa.Array) and arr.type == schema.LIST_TYPE
    assert arr.to_pylist() == [["a"], [], []]


def test_enriched_parquet_is_read_as_arrow_lists_not_python_objects(tmp_path):
    path = tmp_path / "enriched.parquet"
    path.write_bytes(to_parquet_bytes(schema.conform(_enriched())))
    df = read_enriched(path)
    _assert_no_python_objects(df)
    assert df["parties"].tolist() == [["kke"], [], ["tkp", "kke"]]
    ds = load_dataset(path)
    assert ds.long["parties"]["value"].astype(str).tolist() == ["kke", "tkp", "kke"]


def test_a_parquet_read_in_many_chunks_is_held_in_one(tmp_path):
    path = tmp_path / "chunked.parquet"
    frame = schema.conform(pd.concat([_enriched()] * 40, ignore_index=True))
    frame["id"] = [f"s{i}" for i in range(len(frame))]
    table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, row_group_size=7)
    assert pq.ParquetFile(path).num_row_groups > 10
    ds = load_dataset(path)
    for column in ("id", "title", "text", *schema.LIST_COLUMNS):
        # pandas' Arrow-backed arrays keep their ChunkedArray in ``_pa_array``; converting with
        # pa.array() would concatenate and hide the chunks this test is about.
        assert ds.df[column].array._pa_array.num_chunks == 1, column
    assert ds.df["parties"].tolist()[:3] == [["kke"], [], ["tkp", "kke"]]
