"""``View``: the statements one page shows - row positions into the shared ``Dataset``.

A view never copies the dataset. It holds the filter, a read-only boolean mask and the sorted
row positions it selects; ``df`` is a small frame of the analysis columns only
(``schema.ANALYSIS_COLUMNS``: date, precision, region, continent, language) at those positions,
which is what the aggregations read, and ``long(col)`` the exploded list column cut to the same
rows. Full statements (text, lists, links) are taken only for the handful of rows a page
displays, with ``statements(positions)``. Everything here is plain Python: pages, tests and
benchmarks make views the same way (``make_view``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard.dataset import Dataset
from dashboard.filters import FilterSpec


@dataclass(frozen=True, eq=False)
class View:
    """The statements ``spec`` selects in ``dataset``: ``rows`` (ascending positions)."""

    dataset: Dataset
    spec: FilterSpec
    mask: np.ndarray
    rows: np.ndarray
    _long: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def n(self) -> int:
        """How many statements the view selects."""
        return len(self.rows)

    @property
    def is_all(self) -> bool:
        """True when every statement of the dataset is selected."""
        return self.n == len(self.dataset)

    @cached_property
    def df(self) -> pd.DataFrame:
        """The analysis columns of the selected rows; index = positions in the dataset.

        A new frame object for each view (the whole dataset's columns shared, not copied, when
        nothing is filtered out), so a caller adding a column never touches the dataset.
        """
        analysis = self.dataset.analysis
        if analysis is None:
            analysis = self.dataset.df
        if self.is_all:
            return analysis.copy(deep=False)
        return analysis.take(self.rows)

    def long(self, col: str) -> pd.DataFrame:
        """``dataset.long[col]`` (``row``, ``value``) restricted to the selected rows."""
        with self._lock:
            table = self._long.get(col)
        if table is None:
            full = self.dataset.long[col]
            if self.is_all:
                table = full.copy(deep=False)
            else:
                # Straight on the arrays (the row numbers and the category codes): a boolean
                # take of the frame costs several times more.
                rows = full["row"].to_numpy()
                keep = self.mask[rows]
                values = full["value"].array
                table = pd.DataFrame(
                    {
                        "row": rows[keep],
                        "value": pd.Categorical.from_codes(values.codes[keep], dtype=values.dtype),
                    },
                    index=full.index[keep],
                )
            with self._lock:
                self._long[col] = table
        return table

    def statements(self, positions: np.ndarray | pd.Index | None = None) -> pd.DataFrame:
        """Full statements (every column) at ``positions`` (default: all selected rows)."""
        if positions is None:
            positions = self.rows
        return self.dataset.rows(positions)


def make_view(dataset: Dataset, spec: FilterSpec, mask: np.ndarray | None = None) -> View:
    """The view of ``spec`` over ``dataset`` (``mask`` when the caller already has it)."""
    if mask is None and spec.is_empty:
        everything, rows = dataset.everything
        return View(dataset=dataset, spec=spec, mask=everything, rows=rows)
    if mask is None:
        mask = spec.mask(dataset)
    mask = np.asarray(mask, dtype=bool)
    if mask.flags.writeable:
        mask = mask.copy()
        mask.flags.writeable = False
    rows = np.flatnonzero(mask)
    rows.flags.writeable = False
    return View(dataset=dataset, spec=spec, mask=mask, rows=rows)
