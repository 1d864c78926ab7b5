"""The UI's per-dataset caches: map tables are built once per filter and handed out as copies."""

from __future__ import annotations

import pytest

from dashboard import pagedata
from dashboard.filters import FilterSpec
from dashboard.synthetic import make_dataset
from dashboard.ui import cache
from dashboard.view import make_view


@pytest.fixture
def counted(monkeypatch):
    calls: list[tuple] = []
    real = pagedata.map_counts

    def counting(view, by, year=None, *, per_year=False):
        calls.append((by, year, per_year))
        return real(view, by, year, per_year=per_year)

    monkeypatch.setattr(pagedata, "map_counts", counting)
    return calls


def _view(ds, **filters):
    return make_view(ds, FilterSpec(**filters))


def test_map_table_is_built_once_per_filter_and_mode(counted):
    ds = make_dataset(2_000, seed=3)
    first = cache.map_counts(_view(ds), "party_countries")
    again = cache.map_counts(_view(ds), "party_countries")
    assert counted == [("party_countries", None, False)]
    assert first.equals(again) and first is not again  # a copy each time: pages may change it
    cache.map_counts(_view(ds), "countries")
    cache.map_counts(_view(ds, parties=("kke",)), "party_countries")
    assert len(counted) == 3


def test_a_changed_copy_does_not_leak_into_the_cache(counted):
    ds = make_dataset(500, seed=4)
    table = cache.map_counts(_view(ds), "party_countries")
    table["statements"] = 0
    assert cache.map_counts(_view(ds), "party_countries")["statements"].sum() > 0
