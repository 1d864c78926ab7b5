"""Memory guards: how big a dataset may be before it is read, and how to allow more.

Owns the two limits checked *before* a file is turned into a frame - the uncompressed size of
its content and its number of rows - so a 147 KB workbook holding a 150 MB cell, or a 94 KB
Parquet file of ten million rows, is refused with a clear message instead of taking gigabytes.
Defaults suit a laptop; raise them with environment variables (the CLI's ``--max-rows`` and
``--max-mb`` set the same variables):

- ``DASHBOARD_MAX_ROWS`` (default 5,000,000): rows of statements in one file;
- ``DASHBOARD_MAX_MB`` (default 2,048): uncompressed megabytes of a text file or of the Parquet
  columns used;
- ``DASHBOARD_MAX_XLSX_MB`` (default 100): uncompressed megabytes of an Excel workbook's XML
  (reading a workbook takes 10-20 times its XML size in memory).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard.errors import DatasetError

ROWS_ENV = "DASHBOARD_MAX_ROWS"
MB_ENV = "DASHBOARD_MAX_MB"
XLSX_MB_ENV = "DASHBOARD_MAX_XLSX_MB"
DEFAULT_ROWS = 5_000_000
DEFAULT_MB = 2048
DEFAULT_XLSX_MB = 100
_MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """The limits in force: rows, megabytes of content, megabytes of workbook XML."""

    max_rows: int = DEFAULT_ROWS
    max_mb: int = DEFAULT_MB
    max_xlsx_mb: int = DEFAULT_XLSX_MB

    @classmethod
    def from_env(cls) -> Limits:
        """The limits from the environment, defaults where a variable is unset."""
        return cls(
            max_rows=_env_int(ROWS_ENV, DEFAULT_ROWS),
            max_mb=_env_int(MB_ENV, DEFAULT_MB),
            max_xlsx_mb=_env_int(XLSX_MB_ENV, DEFAULT_XLSX_MB),
        )

    def check_rows(self, rows: int, where: str, *, about: bool = False) -> None:
        """Refuse ``rows`` above the row limit (``about``: an upper estimate, e.g. lines)."""
        if rows > self.max_rows:
            counted = f"about {rows:,} lines" if about else f"{rows:,} rows"
            raise DatasetError(
                f"the file has {counted}, more than the limit of {self.max_rows:,} statements",
                where=where,
                hint=(
                    f"load a part of it, or raise the limit with {ROWS_ENV}=N "
                    "(or --max-rows N on the command line) if this machine has the memory"
                ),
            )

    def check_bytes(self, size: int, where: str, what: str = "the content") -> None:
        """Refuse ``size`` uncompressed bytes above the size limit."""
        if size > self.max_mb * _MB:
            raise DatasetError(
                f"{what} is {size / _MB:,.0f} MB uncompressed, more than the limit of "
                f"{self.max_mb:,} MB",
                where=where,
                hint=(
                    f"load a part of it, or raise the limit with {MB_ENV}=N "
                    "(or --max-mb N on the command line) if this machine has the memory"
                ),
            )

    def check_xlsx(self, size: int, where: str) -> None:
        """Refuse a workbook whose XML unpacks to more than the workbook limit."""
        if size > self.max_xlsx_mb * _MB:
            raise DatasetError(
                f"the workbook unpacks to {size / _MB:,.0f} MB of XML, more than the limit of "
                f"{self.max_xlsx_mb:,} MB for Excel files (a cell holds at most 32,767 characters)",
                where=where,
                hint=(
                    "save it as CSV or Parquet, which load with far less memory, or raise the "
                    f"limit with {XLSX_MB_ENV}=N if this machine has the memory"
                ),
            )


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace(",", "").replace("_", "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise DatasetError(
            f"{name} must be a whole number, not '{raw}'", where=name, hint=f"e.g. {default}"
        ) from None
    if value <= 0:
        raise DatasetError(f"{name} must be above 0", where=name, hint=f"e.g. {default}")
    return value
