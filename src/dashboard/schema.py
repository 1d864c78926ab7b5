"""The statements frame, defined once: column names, dtypes, list columns and display labels.

Everything that builds or reads the frame takes its facts from here - ``load`` (the loaded
columns), ``enrich`` (the enriched ones), ``Dataset`` (how they are held in memory), the UI's
empty dataset, the exports and the labels - so a column is added or renamed in one place.

How the frame is held (``conform``): text as Arrow-backed strings (pandas' ``str`` dtype), dates
as ``datetime64`` with a categorical ``date_precision``, the enriched list columns as Arrow
``list<string>`` (``pd.ArrowDtype``), never as Python lists, and the repeated short values
(region, continent, language, source hints) as categoricals. The analysis columns - the few a
filter or an aggregation reads for every row - are listed in ``ANALYSIS_COLUMNS``; a filtered
view carries only those (see ``dashboard.view``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# --- names ------------------------------------------------------------------------------------

ID, TITLE, TEXT, DATE, DATE_PRECISION, URL = "id", "title", "text", "date", "date_precision", "url"
PARTIES, PARTY_COUNTRIES, COUNTRIES, TOPICS, UNRESOLVED = (
    "parties",
    "party_countries",
    "countries",
    "topics",
    "unresolved",
)
REGION, CONTINENT, LANGUAGE, SOURCE = "region", "continent", "language", "source"

#: The special groups of an aggregate frame's ``group`` column: every statement, statements naming
#: none of the breakdown's values, and the values beyond the top ones.
ALL_GROUP, NONE_GROUP, OTHERS_GROUP = "all", "(none)", "(others)"

#: Precision of a statement's date, finest first; ``none`` for undated statements.
PRECISIONS: tuple[str, ...] = ("day", "month", "year", "none")
PRECISION_DTYPE = pd.CategoricalDtype(list(PRECISIONS))

#: Text columns every loaded frame has ("" where the dataset has none).
TEXT_COLUMNS: tuple[str, ...] = (ID, TITLE, TEXT, URL)
#: Columns ``load_statements`` always writes, in order.
LOADED_COLUMNS: tuple[str, ...] = (ID, TITLE, TEXT, DATE, DATE_PRECISION, URL)
#: The columns a dataset's own columns can be mapped to (``--map``, the Data page), in order.
MAPPABLE_COLUMNS: tuple[str, ...] = (
    ID,
    TITLE,
    TEXT,
    DATE,
    URL,
    "source_party",
    "source_country",
    "source_region",
    LANGUAGE,
)
#: Optional hint columns a dataset may carry (kept as categoricals when present).
HINT_COLUMNS: tuple[str, ...] = (
    "source_party",
    "source_country",
    "source_region",
    LANGUAGE,
    SOURCE,
)
#: List columns ``enrich`` adds: ids in order of first mention, or sorted ISO-3 codes.
LIST_COLUMNS: tuple[str, ...] = (PARTIES, PARTY_COUNTRIES, COUNTRIES, TOPICS, UNRESOLVED)
#: One value per statement: region and continent of the first party's home country, and the
#: statement's language (ISO 639-1, given or detected; "" when unknown).
ENRICHED_CATEGORIES: tuple[str, ...] = (REGION, CONTINENT, LANGUAGE)
ENRICHED_COLUMNS: tuple[str, ...] = (*LIST_COLUMNS, *ENRICHED_CATEGORIES)
CATEGORY_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys((*ENRICHED_CATEGORIES, *HINT_COLUMNS)))
#: The order of the columns in a conformed frame (columns this module does not know follow).
COLUMN_ORDER: tuple[str, ...] = tuple(
    dict.fromkeys((*LOADED_COLUMNS, *HINT_COLUMNS, *LIST_COLUMNS, *ENRICHED_CATEGORIES))
)
#: The columns a file must have to be read as already enriched (no second enrichment).
ENRICHED_MARKERS: frozenset[str] = frozenset({PARTIES, PARTY_COUNTRIES, COUNTRIES, TOPICS})
#: What filters and aggregations read for every row; a filtered view holds only these.
ANALYSIS_COLUMNS: tuple[str, ...] = (DATE, DATE_PRECISION, REGION, CONTINENT, LANGUAGE)
#: Per-row numbers ``Dataset`` derives once for the analysis frame: the first day a statement can
#: refer to (int64 days since 1970-01-01; ``UNDATED_DAY`` when undated), its precision rank
#: (0 day, 1 month, 2 year, 3 undated) and its year (0 when undated).
DAY, PRECISION_RANK, YEAR = "day", "precision_rank", "year"
UNDATED_DAY = np.iinfo(np.int64).min

LIST_TYPE = pa.list_(pa.string())
LIST_DTYPE = pd.ArrowDtype(LIST_TYPE)
STRING_DTYPE = "str"

# Column (and aggregate) names -> axis/legend titles and table headers, for every page, figure and
# export; read through ``labels.label_ids(column, "column")``.
DISPLAY_LABELS: dict[str, str] = {
    ID: "Id",
    TITLE: "Title",
    TEXT: "Text",
    DATE: "Date",
    DATE_PRECISION: "Date precision",
    URL: "Link",
    PARTIES: "Parties",
    PARTY_COUNTRIES: "Party home countries",
    COUNTRIES: "Countries mentioned",
    TOPICS: "Topics",
    UNRESOLVED: "Unresolved short names",
    REGION: "Region",
    CONTINENT: "Continent",
    LANGUAGE: "Language",
    SOURCE: "Source",
    "party": "Party",
    "party_id": "Party",
    "country": "Country",
    "iso3": "Country",
    "topic": "Topic",
    "n": "Statements",
    "count": "Statements",
    "statements": "Statements",
    "share": "Share of statements",
    "period": "Period",
    "month": "Month",
    "year": "Year",
    "week": "Week",
    "value": "Value",
    "top_parties": "Most active parties",
    "top_topic": "Top topic",
}


# --- conforming a frame -----------------------------------------------------------------------


def list_array(values: pd.Series | pa.Array | pa.ChunkedArray) -> pa.Array:
    """One Arrow ``list<string>`` array (a single chunk) from a list column in any form.

    Accepts Python lists / numpy arrays / None per row (what ``enrich`` or ``pd.read_json``
    give), Arrow list arrays (chunked or not, any list or string width) and ``pd.ArrowDtype``
    columns. None becomes an empty list, so "names nothing" has one representation.
    """
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.ArrowDtype):
            arr: pa.Array | pa.ChunkedArray = pa.array(values)
        else:
            arr = pa.array(values.to_numpy(dtype=object), type=LIST_TYPE, from_pandas=True)
    else:
        arr = values
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not arr.type.equals(LIST_TYPE):
        arr = arr.cast(LIST_TYPE)
    if arr.null_count:
        arr = pc.if_else(pc.is_null(arr), pa.scalar([], LIST_TYPE), arr)
    return arr


def list_series(values: pd.Series | pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """A list column as a ``pd.ArrowDtype(list<string>)`` series (no Python objects)."""
    return pd.Series(pd.arrays.ArrowExtensionArray(list_array(values)), index=index)


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """A new frame with the columns this module defines held in their dtypes.

    Missing loaded text columns become "", missing list columns empty lists, a missing
    ``date_precision`` is "day" for dated rows and "none" for the rest. Columns this module does
    not know are kept as they are. The input is left unchanged.
    """
    n = len(df)
    out = df.reset_index(drop=True).copy(deep=False)
    for col in TEXT_COLUMNS:
        if col in out.columns:
            out[col] = out[col].fillna("").astype(STRING_DTYPE)
        else:
            out[col] = pd.Series([""] * n, dtype=STRING_DTYPE)
    if DATE in out.columns:
        if not pd.api.types.is_datetime64_any_dtype(out[DATE]):
            out[DATE] = pd.to_datetime(out[DATE], errors="coerce")
    else:
        out[DATE] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if DATE_PRECISION in out.columns and out[DATE_PRECISION].dtype == PRECISION_DTYPE:
        undated = out[DATE].isna().to_numpy()
        if undated.any():
            codes = out[DATE_PRECISION].cat.codes.to_numpy().copy()
            codes[undated] = PRECISIONS.index("none")
            out[DATE_PRECISION] = pd.Categorical.from_codes(codes, dtype=PRECISION_DTYPE)
    elif DATE_PRECISION in out.columns:
        precision = out[DATE_PRECISION].astype("str").where(out[DATE_PRECISION].notna(), "none")
        precision = precision.where(precision.isin(PRECISIONS), "day")
        precision = precision.where(out[DATE].notna(), "none")
        out[DATE_PRECISION] = precision.astype(PRECISION_DTYPE)
    else:
        precision = pd.Series(np.where(out[DATE].isna(), "none", "day"), index=out.index)
        out[DATE_PRECISION] = precision.astype(PRECISION_DTYPE)
    for col in LIST_COLUMNS:
        if col in out.columns:
            out[col] = list_series(out[col], out.index)
        else:
            out[col] = list_series(pa.array([[]] * n, type=LIST_TYPE), out.index)
    for col in CATEGORY_COLUMNS:
        if col in out.columns and not isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("str").where(out[col].notna(), "").astype("category")
    for col in ENRICHED_CATEGORIES:
        if col not in out.columns:
            out[col] = pd.Categorical([""] * n)
    known = [c for c in COLUMN_ORDER if c in out.columns]
    return out[known + [c for c in out.columns if c not in COLUMN_ORDER]]


def empty_enriched_frame(extra: Mapping[str, str] | None = None) -> pd.DataFrame:
    """An enriched frame with no statements (what the UI shows when nothing can be loaded)."""
    df = pd.DataFrame({col: pd.Series([], dtype=STRING_DTYPE) for col in LOADED_COLUMNS})
    for col, dtype in (extra or {}).items():
        df[col] = pd.Series([], dtype=dtype)
    return conform(df)
