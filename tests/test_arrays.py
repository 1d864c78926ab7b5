"""``arrays``: integer set operations that give numpy's answers without its hashing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard import arrays
from dashboard.partycontext import url_hosts


@pytest.mark.parametrize("span", [100, 1 << 40], ids=["table", "sorted search"])
@pytest.mark.parametrize("seed", range(3))
def test_isin_and_unique_agree_with_numpy(span, seed):
    rng = np.random.default_rng(seed)
    values = rng.integers(-span, span, 5_000)
    test = np.concatenate([rng.choice(values, 300), rng.integers(-span, span, 300)])
    np.testing.assert_array_equal(arrays.isin(values, test), np.isin(values, test))
    np.testing.assert_array_equal(arrays.unique(values), np.unique(values))


def test_isin_with_empty_sides():
    assert arrays.isin(np.array([1, 2]), np.array([], dtype=np.int64)).tolist() == [False, False]
    assert arrays.isin(np.array([], dtype=np.int64), np.array([1])).tolist() == []
    assert arrays.unique(np.array([], dtype=np.int64)).tolist() == []


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.KKE.gr/en/articles/x", "www.kke.gr"),
        ("http://user:pw@pcp.pt:8080/a?b#c", "pcp.pt"),
        ("kke.gr/en", "kke.gr"),
        ("//tkp.org.tr/x", "tkp.org.tr"),
        ("https://[::1]:80/x", "::1"),
        ("", ""),
        (None, ""),
        ("not a url", "not a url"),
    ],
)
def test_url_hosts_as_urlsplit_reads_them(url, host):
    assert url_hosts(pd.Series([url], dtype=object)).tolist() == [host]
