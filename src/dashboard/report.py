"""``LoadReport``: what loading a dataset did (rows read, kept, dropped and why)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadReport:
    """Counts and notes from one ``load_statements`` call, shown on the Data page and by the CLI."""

    source: str = ""
    format: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    duplicates: int = 0
    empty_text: int = 0
    undated: int = 0
    unparsed_dates: int = 0
    out_of_range_dates: int = 0  # read, but outside 1678-2261: left undated, never shifted
    date_order: str = ""  # how 05/10/2015 was read: "day/month/year", "month/day/year" or ""
    #: what made two rows duplicates: these columns (whitespace collapsed) all equal
    duplicate_key: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # our column -> column in the file
    encoding: str = ""  # text formats only: how the bytes were decoded ("utf-8", "cp1252", ...)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people: ``"24 read, 24 kept, 0 duplicates dropped, 0 undated"``."""
        return (
            f"{self.rows_read:,} read, {self.rows_kept:,} kept, "
            f"{self.duplicates:,} duplicates dropped, {self.empty_text:,} without text dropped, "
            f"{self.undated:,} undated ({self.unparsed_dates:,} with a date that could not be read"
            + (
                f", {self.out_of_range_dates:,} with a year outside 1678-2261"
                if self.out_of_range_dates
                else ""
            )
            + ")"
        )

    def duplicate_rule(self) -> str:
        """What counted as a duplicate, in words, for the Data page and the CLI."""
        columns = ", ".join(self.duplicate_key) or "title, text, date, url"
        return (
            f"a duplicate is a row whose {columns} all equal those of an earlier row (spacing "
            "ignored); rows with different ids, parties or countries are kept"
        )
