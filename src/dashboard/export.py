"""Downloads: statements and chart data as CSV, JSON Lines and Parquet bytes, and their file names.

Owns what a downloaded file looks like. CSV is for spreadsheets, so it is made safe for them:
UTF-8 with a byte-order mark (so Excel reads Greek or Cyrillic text correctly), list columns
joined with ``"; "``, dates written at their precision ("2015-10" for a month, never an invented
day) and every *text* cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
prefixed with a single quote, per the OWASP "CSV injection" guidance. Numeric columns are left
as numbers: a count of -5 is not a formula and quoting it would turn it into text the spreadsheet
cannot sum, while text that merely looks numeric ("-5 degrees") is neutralised like any other
text. JSON Lines and Parquet keep the data as typed as they can (lists stay lists, dates stay
dates with their ``date_precision``), so those files load back into the dashboard unchanged. All
conversions are vectorised with pyarrow, so a million rows export in seconds.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from dashboard import schema
from dashboard.filters import FilterSpec

LIST_SEPARATOR = "; "
# OWASP: cells beginning with these are interpreted as formulas by spreadsheet software.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_PATTERN = "^([" + "".join(f"\\x{{{ord(c):02x}}}" for c in FORMULA_TRIGGERS) + "])"
_UTF8_BOM = b"\xef\xbb\xbf"
_DATE_FORMATS = {"day": "%Y-%m-%d"}


def is_list_column(series: pd.Series) -> bool:
    """True when the column holds lists: an Arrow list column, or Python lists (or tuples/arrays)
    judged by the first non-null value."""
    if isinstance(series.dtype, pd.ArrowDtype):
        return pa.types.is_list(series.dtype.pyarrow_dtype) or pa.types.is_large_list(
            series.dtype.pyarrow_dtype
        )
    if series.dtype != object:
        return False
    for value in series.head(100):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        return isinstance(value, list | tuple | np.ndarray)
    return False


def _list_array(series: pd.Series) -> pa.Array:
    list_type = pa.list_(pa.large_string())
    if isinstance(series.dtype, pd.ArrowDtype):
        return schema.list_array(series).cast(list_type)
    values = series.tolist()
    try:
        # Enriched lists already hold strings: let pyarrow convert them in C.
        return pa.array(values, type=list_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        cleaned = [None if v is None else [str(x) for x in v] for v in values]
        return pa.array(cleaned, type=list_type)


def neutralise_formulas(values: pa.Array) -> pa.Array:
    """Prefix a single quote to every string starting with a formula trigger (OWASP)."""
    return pc.replace_substring_regex(values, _TRIGGER_PATTERN, r"'\1", max_replacements=1)


def _dates_at_precision(dates: pd.Series, precision: pd.Series | None) -> pa.Array:
    """``2015-10-20`` / ``2015-10`` / ``2015`` / empty, as the statement's precision allows."""
    stamps = pa.Array.from_pandas(dates.astype("datetime64[ns]"))
    day = pc.strftime(stamps, format=_DATE_FORMATS["day"]).cast(pa.large_string())
    if precision is None:
        return day
    prec = pa.Array.from_pandas(precision.astype("str").fillna("day")).cast(pa.large_string())
    # "YYYY-MM-DD" cut short rather than formatted again: strftime is the slow step.
    month = pc.utf8_slice_codeunits(day, 0, 7)
    year = pc.utf8_slice_codeunits(day, 0, 4)
    out = pc.if_else(pc.equal(prec, "month"), month, day)
    out = pc.if_else(pc.equal(prec, "year"), year, out)
    return pc.if_else(pc.equal(prec, "none"), pa.scalar(None, pa.large_string()), out)


def _csv_column(df: pd.DataFrame, column: str) -> pa.Array:
    series = df[column]
    if is_list_column(series):
        joined = pc.binary_join(_list_array(series), pa.scalar(LIST_SEPARATOR, pa.large_string()))
        return neutralise_formulas(joined)
    if pd.api.types.is_datetime64_any_dtype(series):
        precision = df["date_precision"] if column == "date" and "date_precision" in df else None
        return _dates_at_precision(series, precision)
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return pa.Array.from_pandas(series)
    text = series.astype("str")
    return neutralise_formulas(pa.Array.from_pandas(text).cast(pa.large_string()))


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM, header row) safe to open in a spreadsheet; see the module docstring."""
    columns = [str(c) for c in df.columns]
    arrays = [_csv_column(df, c) for c in df.columns]
    table = pa.Table.from_arrays(arrays, names=columns)
    sink = io.BytesIO()
    sink.write(_UTF8_BOM)
    pa_csv.write_csv(table, sink, write_options=pa_csv.WriteOptions(quoting_style="needed"))
    return sink.getvalue()


def _plain_frame(df: pd.DataFrame, python_lists: bool = False) -> pd.DataFrame:
    """Categoricals as strings, the rest as it is; Arrow list columns as Python lists when
    ``python_lists`` (pandas' JSON writer needs them; Parquet takes Arrow lists as they are)."""
    out = {}
    for column in df.columns:
        series = df[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("str")
        elif python_lists and is_list_column(series) and isinstance(series.dtype, pd.ArrowDtype):
            values = schema.list_array(series).to_pylist()
            series = pd.Series(values, index=series.index, dtype=object)
        out[column] = series
    return pd.DataFrame(out, index=df.index)


def to_jsonl_bytes(df: pd.DataFrame) -> bytes:
    """JSON Lines (UTF-8): one object per row, lists as arrays, dates as ``YYYY-MM-DD``.

    Month- and year-precision dates are written as their first day next to ``date_precision``,
    exactly as the enriched frame stores them, so the file loads back without losing precision.
    """
    if df.empty:
        return b""
    plain = _plain_frame(df, python_lists=True)
    for column in plain.columns:
        if pd.api.types.is_datetime64_any_dtype(plain[column]):
            plain[column] = plain[column].dt.strftime("%Y-%m-%d")
    text = plain.to_json(orient="records", lines=True, force_ascii=False)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """Parquet with list columns as ``list<string>`` and dates as timestamps (no index)."""
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(_plain_frame(df), preserve_index=False)
    # Without pandas' metadata: it would name the in-memory Arrow dtypes, which readers other
    # than this version of pandas (and pandas itself, for list columns) cannot rebuild.
    table = table.replace_schema_metadata(None)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _name_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")


def download_name(ds_source: str, spec: FilterSpec, what: str, ext: str) -> str:
    """``"statements_KKE_2015-10_icp-2015.csv"``: what it holds, the filters, then the dataset.

    ``ds_source`` is the dataset's file name (its stem is used); ``ext`` may start with a dot.
    """
    stem = _name_part(PurePath(ds_source).stem) if ds_source else ""
    parts = [_name_part(what) or "data", spec.slug(), stem]
    return "_".join(p for p in parts if p) + "." + ext.lstrip(".")
