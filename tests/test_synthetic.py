"""Synthetic datasets: the enriched frame contract, realistic values, determinism by seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.paths import data_dir
from dashboard.synthetic import make_dataset, make_enriched_frame

N = 20_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_enriched_frame(N, seed=7)


@pytest.fixture(scope="module")
def parties() -> pd.DataFrame:
    return pd.read_csv(data_dir() / "parties.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("id", "str"),
        ("title", "str"),
        ("text", "str"),
        ("url", "str"),
        ("date", "datetime64[ns]"),
        ("date_precision", "category"),
        ("region", "category"),
        ("continent", "category"),
        ("parties", "list"),
        ("party_countries", "list"),
        ("countries", "list"),
        ("topics", "list"),
        ("unresolved", "list"),
    ],
)
def test_columns_have_the_enriched_dtypes(frame: pd.DataFrame, column: str, kind: str) -> None:
    series = frame[column]
    if kind == "list":
        assert series.map(type).eq(list).all()
        assert all(isinstance(v, str) for values in series.head(500) for v in values)
    else:
        assert str(series.dtype) == kind


def test_shape_ids_and_precision_categories(frame: pd.DataFrame) -> None:
    assert len(frame) == N
    assert frame["id"].is_unique
    assert list(frame["date_precision"].cat.categories) == ["day", "month", "year", "none"]
    assert (frame["title"].str.len() > 0).all()


@pytest.mark.parametrize(
    ("precision", "low", "high"),
    [("month", 0.17, 0.23), ("none", 0.02, 0.04), ("day", 0.72, 0.80)],
)
def test_precision_mix_is_realistic(
    frame: pd.DataFrame, precision: str, low: float, high: float
) -> None:
    share = (frame["date_precision"] == precision).mean()
    assert low <= share <= high


def test_dates_respect_their_precision(frame: pd.DataFrame) -> None:
    prec = frame["date_precision"].astype(str)
    dates = frame["date"]
    assert dates[prec == "none"].isna().all()
    assert dates[prec != "none"].notna().all()
    assert (dates[prec == "month"].dt.day == 1).all()
    year = dates[prec == "year"]
    assert ((year.dt.day == 1) & (year.dt.month == 1)).all()
    assert dates.min() >= pd.Timestamp("2010-01-01")
    assert dates.max() <= pd.Timestamp("2024-12-31")


def test_parties_and_home_countries_are_real(frame: pd.DataFrame, parties: pd.DataFrame) -> None:
    home = dict(zip(parties["id"], parties["country"], strict=True))
    sample = frame.head(2_000)
    for named, countries in zip(sample["parties"], sample["party_countries"], strict=True):
        assert set(named) <= set(home)
        assert len(set(named)) == len(named)
        assert countries == sorted({home[p] for p in named})


def test_party_popularity_is_skewed(frame: pd.DataFrame) -> None:
    counts = frame["parties"].explode().value_counts()
    assert counts.iloc[0] > 5 * counts.median()


def test_topics_come_from_the_taxonomy_and_other_stands_alone(frame: pd.DataFrame) -> None:
    from dashboard.topics import load_taxonomy

    ids = {t.id for t in load_taxonomy().topics} | {"other"}
    assert frame["topics"].map(len).min() >= 1
    assert set(frame["topics"].explode()) <= ids
    with_other = frame["topics"][frame["topics"].map(lambda t: "other" in t)]
    assert len(with_other) > 0
    assert with_other.map(len).eq(1).all()


def test_region_is_the_first_partys(frame: pd.DataFrame, parties: pd.DataFrame) -> None:
    regions = pd.read_csv(data_dir() / "country_regions.csv", dtype=str, keep_default_na=False)
    region_of = dict(zip(regions["iso3"], regions["region"], strict=True))
    home = dict(zip(parties["id"], parties["country"], strict=True))
    sample = frame.head(1_000)
    expected = [region_of.get(home[p[0]], "") if p else "" for p in sample["parties"]]
    assert sample["region"].astype(str).tolist() == expected


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    a, b, c = make_enriched_frame(500, seed=3), make_enriched_frame(500, seed=3), None
    pd.testing.assert_frame_equal(a, b)
    c = make_enriched_frame(500, seed=4)
    assert not a["parties"].equals(c["parties"])


def test_empty_frame_keeps_the_columns() -> None:
    df = make_enriched_frame(0)
    assert len(df) == 0
    assert {"date", "parties", "topics", "region"} <= set(df.columns)


def test_dataset_long_tables_match_the_lists() -> None:
    ds = make_dataset(300, seed=1)
    assert ds.source == "synthetic-300"
    long = ds.long["parties"]
    rebuilt = long.groupby("row")["value"].agg(lambda v: sorted(map(str, v)))
    expected = ds.df["parties"].map(sorted)
    assert rebuilt.to_dict() == expected[expected.map(len) > 0].to_dict()
    assert np.array_equal(
        ds.rows_with_any("parties", ["kke"]), ds.df["parties"].map(lambda p: "kke" in p).to_numpy()
    )
