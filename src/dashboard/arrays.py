"""Set operations on integer arrays that stay fast at millions of values.

numpy 2.4's ``np.unique`` and ``np.isin`` hash their input, which at a few hundred thousand
int64 keys costs about ten times a sort or a lookup table. These helpers give the same answers:
``isin`` through a bool table over the keys' range when that range is small enough (a table of
at most ``TABLE_SLOTS`` bytes), else through ``searchsorted`` on the sorted test values;
``unique`` through one sort.
"""

from __future__ import annotations

import numpy as np

TABLE_SLOTS = 1 << 26  # 64 MB of bools at most


def isin(values: np.ndarray, test: np.ndarray) -> np.ndarray:
    """``np.isin(values, test)`` for integer arrays."""
    values = np.asarray(values)
    test = np.asarray(test)
    if len(values) == 0 or len(test) == 0:
        return np.zeros(len(values), dtype=bool)
    low = int(min(values.min(), test.min()))
    high = int(max(values.max(), test.max()))
    if high - low < TABLE_SLOTS:
        table = np.zeros(high - low + 1, dtype=bool)
        table[test - low] = True
        return table[values - low]
    ordered = np.sort(test)
    at = np.searchsorted(ordered, values)
    at[at == len(ordered)] = 0
    return ordered[at] == values


def unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` (sorted distinct values) through one sort."""
    values = np.sort(np.asarray(values))
    if len(values) == 0:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]
