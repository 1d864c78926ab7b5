"""Downloads: statements and chart data as CSV, JSON Lines and Parquet bytes, the world map's
counts as GeoJSON, and their file names.

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

from dashboard import geo, schema
from dashboard.dates import format_at
from dashboard.filters import FilterSpec
from dashboard.labels import COLUMN_KINDS, LabelKind, label_ids

LIST_SEPARATOR = "; "
# OWASP: cells beginning with these are interpreted as formulas by spreadsheet software.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_PATTERN = "^([" + "".join(f"\\x{{{ord(c):02x}}}" for c in FORMULA_TRIGGERS) + "])"
_UTF8_BOM = b"\xef\xbb\xbf"


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


def _csv_column(df: pd.DataFrame, column: str) -> pa.Array:
    series = df[column]
    if is_list_column(series):
        joined = pc.binary_join(_list_array(series), pa.scalar(LIST_SEPARATOR, pa.large_string()))
        return neutralise_formulas(joined)
    if pd.api.types.is_datetime64_any_dtype(series):
        precision = df["date_precision"] if column == "date" and "date_precision" in df else "day"
        return pa.array(format_at(series, precision, "iso"), type=pa.large_string())
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return pa.Array.from_pandas(series)
    text = series.astype("str")
    return neutralise_formulas(pa.Array.from_pandas(text).cast(pa.large_string()))


# list column of ids (which becomes its display labels) -> the column the ids move to
READABLE_LISTS: dict[str, str] = {
    "parties": "party_ids",
    "party_countries": "party_country_ids",
    "countries": "country_ids",
    "topics": "topic_ids",
}
READABLE_FIRST: tuple[str, ...] = ("id", "date", "date_precision", "title", "text", "url")


def _relabel_lists(series: pd.Series, kind: LabelKind) -> pd.Series:
    """A list column of ids as the same lists of display labels (each id looked up once)."""
    lists = schema.list_array(series)
    flat = pd.Series(pc.list_flatten(lists).to_numpy(zero_copy_only=False), dtype="str")
    labels = label_ids(flat, kind) if len(flat) else flat
    values = pa.array(labels.to_numpy(dtype=object), type=pa.string())
    offsets = pc.subtract(lists.offsets, lists.offsets[0])
    out = pa.ListArray.from_arrays(offsets, values, mask=lists.is_null())
    return pd.Series(out, index=series.index, dtype=pd.ArrowDtype(out.type))


def _lists_by_row(rows: np.ndarray, values: np.ndarray, n: int, index: pd.Index) -> pd.Series:
    """Per-row lists from (row, value) pairs sorted by row."""
    counts = np.bincount(rows, minlength=n)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
    out = pa.ListArray.from_arrays(offsets, pa.array(values, type=pa.string()))
    return pd.Series(out, index=index, dtype=pd.ArrowDtype(out.type))


def _home_areas(series: pd.Series) -> dict[str, pd.Series]:
    """``region`` and ``continent`` of every party named (not only the first), as lists."""
    from dashboard.countries import continent_of, region_of

    lists = schema.list_array(series)
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    rows = np.repeat(np.arange(len(series)), lengths)
    iso3 = pd.Series(pc.list_flatten(lists).to_numpy(zero_copy_only=False), dtype="str")
    out = {}
    for name, lookup in (("region", region_of), ("continent", continent_of)):
        names = pd.Series(lookup(iso3), dtype="str") if len(iso3) else iso3
        pairs = pd.DataFrame({"row": rows, "value": names.to_numpy()})
        pairs = pairs[pairs["value"] != ""].drop_duplicates().sort_values("row", kind="stable")
        out[name] = _lists_by_row(
            pairs["row"].to_numpy(),
            pairs["value"].to_numpy(dtype=object),
            len(series),
            series.index,
        )
    return out


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """Statements as a reader without a codebook wants them in a download.

    Names as the screen shows them, ids beside them: ``parties`` ("KKE (Greece)", ...) and
    ``party_ids`` ("kke", ...), likewise ``party_countries``/``party_country_ids``,
    ``countries``/``country_ids`` and ``topics`` (labels)/``topic_ids``; ``region`` and
    ``continent`` list the areas of *every* party named (the enriched frame keeps the first
    party's only). Dates stay dates with ``date_precision``: each writer formats them at their
    precision. Other columns follow unchanged.
    """
    out: dict[str, pd.Series] = {}
    for column in READABLE_FIRST:
        if column in df.columns:
            out[column] = df[column]
    for column, ids in READABLE_LISTS.items():
        if column in df.columns:
            out[column] = _relabel_lists(df[column], COLUMN_KINDS[column])
            out[ids] = df[column]
    if "party_countries" in df.columns:
        out.update(_home_areas(df["party_countries"]))
    for column in df.columns:
        if column not in out and column not in READABLE_LISTS.values():
            out[column] = df[column]
    return pd.DataFrame(out, index=df.index)


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
    """JSON Lines (UTF-8): one object per row, lists as arrays, dates at their precision.

    ``2019-10-20``, ``2015-10`` for a month-only date, ``2015`` for a year, null when undated -
    never an invented first day - next to ``date_precision``; the loader reads each back at the
    same precision.
    """
    if df.empty:
        return b""
    plain = _plain_frame(df, python_lists=True)
    for column in plain.columns:
        if pd.api.types.is_datetime64_any_dtype(plain[column]):
            has_precision = column == "date" and "date_precision" in df
            precision = df["date_precision"] if has_precision else "day"
            plain[column] = format_at(plain[column], precision, "iso").astype(object)
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


def readme_text(what: str, dataset: str, filters: str, link_query: str, generated: str) -> str:
    """The companion README of a chart download: what the numbers are and which view they show."""
    lines = [
        f"{what}",
        "",
        f"Dataset: {dataset or '(unnamed)'}",
        f"Filters: {filters}",
        f"Link parameters (append to the dashboard's address): ?{link_query}"
        if link_query
        else "Link parameters: none (the page's default view)",
        f"Downloaded: {generated}",
        "",
        "The CSV is UTF-8 with a byte-order mark; list cells are joined with '; '. Dates are",
        "written as far as they are known: 2015-10 is a statement dated only to October 2015.",
    ]
    return "\n".join(lines) + "\n"


def chart_zip(data: pd.DataFrame, csv_name: str, readme: str) -> bytes:
    """A ZIP of the numbers behind a chart (``csv_name``, see ``to_csv_bytes``) and README.txt."""
    import zipfile

    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(csv_name, to_csv_bytes(data))
        archive.writestr("README.txt", readme)
    return sink.getvalue()


def countries_geojson(counts: pd.DataFrame) -> bytes:
    """The world map's counts (``pagedata.map_counts``) as GeoJSON: every Natural Earth country
    with its counts (0 when none).

    Countries in ``counts`` that Natural Earth does not draw at 1:110m (Malta, Singapore) are
    kept as features with a null geometry, so the file holds every count the table shows.
    """
    import geopandas as gpd  # only the map download needs it

    gdf = geo.load_countries_gdf().rename(columns={"name": "ne_name"})
    data = counts.drop(columns=["on_map"], errors="ignore")
    merged = gdf.merge(data, on="iso3", how="outer", suffixes=("_ne", ""))
    for col in ("continent", "region"):
        if f"{col}_ne" in merged.columns:
            ours = merged[col].astype(object)
            merged[col] = ours.where(ours.notna(), merged[f"{col}_ne"].astype(object))
            merged = merged.drop(columns=f"{col}_ne")
        merged[col] = merged[col].astype(object).fillna("").astype("str")
    if "country" not in merged.columns:
        merged["country"] = np.nan
    merged["country"] = merged["country"].astype(object).fillna(merged["ne_name"].astype(object))
    merged = merged.drop(columns="ne_name")
    for col in ("statements", "parties"):
        if col in merged.columns:
            merged[col] = merged[col].fillna(0).astype("int64")
    for col in ("top_parties", "top_topic"):
        if col in merged.columns:
            merged[col] = merged[col].fillna("").astype("str")
    merged = gpd.GeoDataFrame(merged, geometry="geometry", crs=gdf.crs)
    return merged.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def _name_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")


def download_name(ds_source: str, spec: FilterSpec, what: str, ext: str) -> str:
    """``"statements_KKE_2015-10_icp-2015.csv"``: what it holds, the filters, then the dataset.

    ``ds_source`` is the dataset's file name (its stem is used); ``ext`` may start with a dot.
    """
    stem = _name_part(PurePath(ds_source).stem) if ds_source else ""
    parts = [_name_part(what) or "data", spec.slug(), stem]
    return "_".join(p for p in parts if p) + "." + ext.lstrip(".")
