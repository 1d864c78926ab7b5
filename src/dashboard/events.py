"""Dated events drawn as markers on timelines: ``data/events.csv`` and its validation.

The file is small and meant to be edited by analysts (one row per event: ``date``,
``end_date``, ``label``, ``kind``, ``location``), so every problem in it is reported as a
``DatasetError`` naming the file, the line and what to fix - a typo in a date must not turn into a
traceback on the Timeline page. A missing default file simply means "no events".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.errors import DatasetError
from dashboard.paths import data_dir
from dashboard.reference import reference_reader

EVENT_COLUMNS: tuple[str, ...] = ("date", "end_date", "label", "kind", "location")
REQUIRED_COLUMNS: tuple[str, ...] = ("date", "label")
EVENTS_FILE = "events.csv"


def default_events_path() -> Path:
    """``data/events.csv`` (``DASHBOARD_DATA_DIR`` moves it with the rest of the data)."""
    return data_dir() / EVENTS_FILE


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.Series([], dtype="datetime64[ns]"),
            "end_date": pd.Series([], dtype="datetime64[ns]"),
            "label": pd.Series([], dtype="str"),
            "kind": pd.Categorical([]),
            "location": pd.Series([], dtype="str"),
        }
    )


def _parse_day(values: pd.Series, column: str, where: str) -> pd.Series:
    """ISO dates (YYYY-MM-DD) only: events are precise by nature and the file is hand-edited,
    so an ambiguous ``10/11/2015`` is refused rather than guessed."""
    parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    bad = values.ne("") & parsed.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DatasetError(
            f"the {column} {values.iloc[i]!r} is not a date in the form YYYY-MM-DD",
            where=f"{where}, line {i + 2}",
            hint="Write dates as e.g. 2019-10-18",
        )
    return parsed.astype("datetime64[ns]")


def load_events(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check an events file; ``[]`` (an empty frame) when the default file is absent.

    Returns columns ``date``, ``end_date`` (the same as ``date`` for one-day events), ``label``,
    ``kind`` (category), ``location``, sorted by date. Cached until the file changes: never
    mutate the result.
    """
    if path is None and not default_events_path().exists():
        return _empty()
    return _read_events(path)


@reference_reader(EVENTS_FILE)
def _read_events(file: Path) -> pd.DataFrame:
    where = file.name
    if not file.exists():
        raise DatasetError(
            "the events file does not exist",
            where=str(file),
            hint="Check the path, or leave it out to use data/events.csv",
        )
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DatasetError(
            "the events file is not UTF-8 text", where=where, hint="Save it as UTF-8 CSV"
        ) from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise DatasetError(
            f"the events file could not be read as CSV ({err})",
            where=where,
            hint=f"Keep one header line with the columns {', '.join(EVENT_COLUMNS)}",
        ) from err
    table.columns = [c.strip().lower() for c in table.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise DatasetError(
            f"the events file has no {', '.join(missing)} column "
            f"(columns found: {', '.join(table.columns) or 'none'})",
            where=where,
            hint=f"Use the header {','.join(EVENT_COLUMNS)}",
        )
    for column in EVENT_COLUMNS:
        if column not in table.columns:
            table[column] = ""
        table[column] = table[column].astype("str").str.strip()
    empty_label = table["label"].eq("")
    if empty_label.any():
        i = int(empty_label.to_numpy().nonzero()[0][0])
        raise DatasetError(
            "an event has no label", where=f"{where}, line {i + 2}", hint="Give every event a label"
        )
    empty_date = table["date"].eq("")
    if empty_date.any():
        i = int(empty_date.to_numpy().nonzero()[0][0])
        raise DatasetError(
            f"the event {table['label'].iloc[i]!r} has no date",
            where=f"{where}, line {i + 2}",
            hint="Give every event a start date (YYYY-MM-DD)",
        )
    start = _parse_day(table["date"], "date", where)
    end = _parse_day(table["end_date"], "end_date", where)
    end = end.fillna(start)
    backwards = end < start
    if backwards.any():
        i = int(backwards.to_numpy().nonzero()[0][0])
        raise DatasetError(
            f"the event {table['label'].iloc[i]!r} ends ({table['end_date'].iloc[i]}) "
            f"before it starts ({table['date'].iloc[i]})",
            where=f"{where}, line {i + 2}",
            hint="Swap the dates or correct the end date",
        )
    kind = table["kind"].where(table["kind"] != "", "event")
    out = pd.DataFrame(
        {
            "date": start,
            "end_date": end,
            "label": table["label"].astype("str"),
            "kind": pd.Categorical(kind),
            "location": table["location"].astype("str"),
        }
    )
    return out.sort_values("date", kind="stable", ignore_index=True)


def events_between(
    events: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> pd.DataFrame:
    """Events overlapping ``[start, end]`` (either bound may be open)."""
    keep = pd.Series(True, index=events.index)
    if start is not None and not pd.isna(start):
        keep &= events["end_date"] >= pd.Timestamp(start)
    if end is not None and not pd.isna(end):
        keep &= events["date"] <= pd.Timestamp(end)
    return events[keep]
