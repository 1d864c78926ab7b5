"""The world map: country geometries, per-country counts, the choropleth and its offline config.

Owns everything the map needs that is not Streamlit: the shipped Natural Earth 1:110m country
geometries (``data/naturalearth/ne_110m_countries.geojson``, read with geopandas), the plotly
config that points plotly.js at the base map shipped in ``static/topojson/`` instead of its CDN
(so the map draws offline), ``map_counts`` (statements, parties and top topic per ISO-3 country,
from the filtered exploded tables, vectorised), ``make_world_map`` (a choropleth whose size
depends on the number of countries, never on the number of statements) and the downloads of the
map data as GeoJSON and CSV. Both files are rebuilt by ``scripts/build_map_data.py``.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from dashboard import schema
from dashboard.dataset import Dataset
from dashboard.errors import DatasetError
from dashboard.labels import DISPLAY_LABELS, country_name, party_country, party_short, topic_label
from dashboard.paths import REPO_ROOT, data_dir, static_dir

MapMode = Literal["party_countries", "countries"]
Metric = Literal["statements", "parties"]
MAP_MODES: tuple[MapMode, ...] = ("party_countries", "countries")
METRICS: tuple[Metric, ...] = ("statements", "parties")

COUNTRIES_FILE = Path("naturalearth") / "ne_110m_countries.geojson"
TOPOJSON_DIR = "topojson"
TOPOJSON_FILE = "world_110m.json"
# Relative on purpose: a page lives one level below the app's base path (``<base>/world_map``),
# so the browser resolves this to ``<base>/app/static/topojson/`` under any server.baseUrlPath.
TOPOJSON_URL = f"app/static/{TOPOJSON_DIR}/"
# Viridis is perceptually uniform and readable with every common colour-vision deficiency;
# reversed so that more statements read as darker, as on a printed atlas. Its pale yellow end is
# cut off: a country with one statement in yellow all but vanished on the grey land of the light
# theme, while the green it now starts at stands out from the land in both themes.
# Its darkest purple is cut off too: the top of the scale vanished on the dark theme's
# near-black page (contrast 1.3:1); Viridis at 0.3 keeps 3:1 on white and on #0e1117.
VIRIDIS_LOW_END = 0.7
VIRIDIS_HIGH_END = 0.3
COLOR_SCALE: list[list[float | str]] = [
    [i / 8, color]
    for i, color in enumerate(
        pc.sample_colorscale(
            "Viridis",
            [VIRIDIS_LOW_END - (VIRIDIS_LOW_END - VIRIDIS_HIGH_END) * i / 8 for i in range(9)],
        )
    )
]
# Light neutral greys and a translucent blue read on Streamlit's white and its dark (#0e1117)
# background alike; the geo background itself is transparent so the map sits on the page's own
# colour. The land is lighter than the lowest map colour, so every coloured country stands out.
LAND_COLOR = "#dcdcdc"
BORDER_COLOR = "#8c8c8c"
WATER_COLOR = "rgba(68, 119, 170, 0.18)"
TRANSPARENT = "rgba(0, 0, 0, 0)"
TOP_PARTIES = 3
MAP_HEIGHT = 560
# Colour by log10 once the largest country has this many times the statements of the smallest:
# otherwise one dominant country paints every other one the same pale colour.
LOG_RATIO = 50.0
COUNT_COLUMNS: tuple[str, ...] = (
    "iso3",
    "country",
    "continent",
    "region",
    "statements",
    "parties",
    "top_parties",
    "top_topic",
    "on_map",
)
MAP_LABELS: dict[str, str] = {
    **DISPLAY_LABELS,
    "iso3": "ISO-3",
    "parties": "Parties",
    "top_parties": "Most active parties",
    "top_topic": "Top topic",
    "on_map": "Drawn on the map",
}


@runtime_checkable
class FilteredRows(Protocol):
    """What ``map_counts`` reads from a filtered view (``dashboard.ui.page.View``).

    ``df`` holds the filtered rows with their positions in the dataset as index; ``long(col)``
    is the exploded table of list column ``col`` restricted to those rows.
    """

    df: pd.DataFrame

    def long(self, col: str) -> pd.DataFrame: ...


Source = Dataset | FilteredRows


# --- reference files --------------------------------------------------------------------------


def countries_path() -> Path:
    """The shipped Natural Earth file (``DASHBOARD_DATA_DIR`` first, then the repo's ``data/``)."""
    override = data_dir() / COUNTRIES_FILE
    return override if override.exists() else REPO_ROOT / "data" / COUNTRIES_FILE


@functools.lru_cache(maxsize=2)
def _read_countries(path: str) -> gpd.GeoDataFrame:
    hint = "Restore the file from the repository, or rebuild it with scripts/build_map_data.py"
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # noqa: BLE001 - pyogrio raises several unrelated types
        raise DatasetError(
            f"the country geometries could not be read ({err})", where=path, hint=hint
        ) from err
    missing = {"iso3", "name", "continent", "region"} - set(gdf.columns)
    if missing:
        raise DatasetError(
            f"the country geometries lack the column(s) {', '.join(sorted(missing))}",
            where=path,
            hint=hint,
        )
    gdf = gdf[["iso3", "name", "continent", "region", "geometry"]]
    for col in ("continent", "region"):
        gdf[col] = gdf[col].astype("category")
    return gdf


def load_countries_gdf() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m countries: ``iso3``, ``name``, ``continent``, ``region``, geometry.

    Read once per process; each call returns a copy (175 rows), so callers may modify it.
    """
    return _read_countries(str(countries_path())).copy()


def topojson_path() -> Path:
    """The world base map plotly.js fetches through ``plotly_config()["topojsonURL"]``."""
    return static_dir() / TOPOJSON_DIR / TOPOJSON_FILE


@functools.lru_cache(maxsize=1)
def topojson_country_ids() -> frozenset[str]:
    """ISO-3 codes the shipped base map can colour (countries drawn at 1:110m)."""
    path = topojson_path()
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        geometries = topology["objects"]["countries"]["geometries"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise DatasetError(
            f"the offline base map could not be read ({err})",
            where=str(path),
            hint="Restore static/topojson/ from the repository or run scripts/build_map_data.py",
        ) from err
    return frozenset(str(g["id"]) for g in geometries if g.get("id"))


def plotly_config() -> dict[str, Any]:
    """The plotly config for every chart: the offline base map URL, no plotly logo."""
    # dashboard.ui.page passes this to every chart, so nothing here is specific to the map.
    return {
        "topojsonURL": TOPOJSON_URL,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }


# --- counts -----------------------------------------------------------------------------------


def _frame_and_long(source: Source, col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if isinstance(source, Dataset):
        df, long = source.df, source.long.get(col)
    else:
        df, long = source.df, None
        try:
            long = source.long(col)
        except KeyError:
            long = None
    if long is None:
        raise DatasetError(
            f"the dataset has no '{col}' column",
            hint="Load it through the app (or `dashboard enrich`) so parties, countries and "
            "topics are found first",
        )
    return df, long


def _coded(long: pd.DataFrame, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """``row`` and integer ``name`` codes of an exploded table, plus the code -> value array.

    Everything below joins and groups on these integers: grouping a million strings costs
    seconds, grouping their category codes a fraction of that.
    """
    values = long["value"]
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    codes = values.cat.codes.to_numpy()
    keep = codes >= 0
    frame = pd.DataFrame({"row": long["row"].to_numpy()[keep], name: codes[keep]})
    return frame, values.cat.categories.astype("str").to_numpy(dtype=object)


def _years(df: pd.DataFrame) -> np.ndarray:
    """Year per row of ``df`` as float (NaN when undated); precomputed in a view's frame."""
    if schema.YEAR in df.columns:
        years = df[schema.YEAR].to_numpy()
        return np.where(years > 0, years, np.nan)
    return df["date"].dt.year.to_numpy(dtype=float, na_value=np.nan)


def _year_by_row(df: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Year of each statement position in ``rows`` (NaN when undated or not in ``df``)."""
    size = int(max(df.index.max() if len(df) else -1, rows.max() if len(rows) else -1)) + 1
    years = np.full(size, np.nan)
    years[df.index.to_numpy()] = _years(df)
    return years[rows]


def available_years(source: Source) -> list[int]:
    """The years that dated statements in ``source`` fall in, ascending."""
    source_df = source.analysis if isinstance(source, Dataset) else source.df
    years = _years(source_df if source_df is not None else source.df)
    present = np.unique(years[~np.isnan(years)].astype(np.int64))
    return [int(y) for y in present]


def _pairs(
    source: Source, by: MapMode, year: int | None, per_year: bool
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per (statement, country): ``row``, country code ``c`` (and ``year``)."""
    if by not in MAP_MODES:
        raise ValueError(f"by must be one of {MAP_MODES}, got {by!r}")
    df, long = _frame_and_long(source, by)
    pairs, countries = _coded(long, "c")
    if year is not None or per_year:
        years = _year_by_row(df, pairs["row"].to_numpy())
        keep = years == year if year is not None else ~np.isnan(years)
        pairs = pairs[keep]
        if per_year:
            pairs = pairs.assign(year=years[keep].astype("int64"))
    return pairs.drop_duplicates(ignore_index=True), countries


def _party_stats(
    source: Source, pairs: pd.DataFrame, countries: np.ndarray, by: MapMode, keys: list[str]
) -> pd.DataFrame:
    """Distinct parties and the most active ones per key, as ``parties`` and ``top_parties``."""
    _, long = _frame_and_long(source, "parties")
    party_codes, party_ids = _coded(long, "p")
    joined = pairs.merge(party_codes, on="row", how="inner")
    if by == "party_countries":
        # A statement by KKE and TKP has both GRC and TUR as party countries; only KKE counts
        # for Greece. Parties the gazetteer does not know (home -1) keep every pairing.
        country_index = pd.Index(countries)
        homes = [party_country(p) for p in party_ids]
        home_code = np.array(
            [
                country_index.get_loc(h) if h in country_index else (-1 if not h else -2)
                for h in homes
            ],
            dtype=np.int64,
        )
        home = home_code[joined["p"].to_numpy()]
        joined = joined[(home == joined["c"].to_numpy()) | (home == -1)]
    per_party = joined.groupby([*keys, "p"], sort=False).size().rename("n").reset_index()
    parties = per_party.groupby(keys, sort=False).size().rename("parties")
    per_party = per_party.sort_values(
        [*keys, "n", "p"], ascending=[True] * len(keys) + [False, True], kind="stable"
    )
    top = per_party.groupby(keys, sort=False).head(TOP_PARTIES)
    short = {code: party_short(party_ids[code]) for code in top["p"].unique()}
    top = top.assign(label=top["p"].map(short) + " (" + top["n"].map("{:,}".format) + ")")
    # One column per rank, joined column-wise: a per-group str.join is a Python call per
    # country and year, which dominates the animation's counts.
    wide = top.assign(rank=top.groupby(keys, sort=False).cumcount())
    wide = wide.set_index([*keys, "rank"])["label"].unstack("rank")
    top_parties = wide[0]
    for rank in wide.columns[1:]:
        top_parties = top_parties.where(wide[rank].isna(), top_parties + ", " + wide[rank])
    top_parties = top_parties.rename("top_parties")
    return pd.concat([parties, top_parties], axis=1)


def _top_topic(source: Source, pairs: pd.DataFrame, keys: list[str]) -> pd.Series:
    """The most frequent topic per key; ``other`` only when nothing else was found."""
    _, long = _frame_and_long(source, "topics")
    topic_codes, topic_ids = _coded(long, "t")
    joined = pairs.merge(topic_codes, on="row", how="inner")
    per_topic = joined.groupby([*keys, "t"], sort=False).size().rename("n").reset_index()
    per_topic["is_other"] = topic_ids[per_topic["t"].to_numpy()] == "other"
    per_topic = per_topic.sort_values(
        [*keys, "is_other", "n", "t"], ascending=[True] * len(keys) + [True, False, True]
    )
    first = per_topic.drop_duplicates(keys).set_index(keys)["t"]
    labels = {code: topic_label(topic_ids[code]) for code in first.unique()}
    return first.map(labels).rename("top_topic")


def _regions(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Continent and UN sub-region per ISO-3: the project's region table, then Natural Earth."""
    gdf = load_countries_gdf().set_index("iso3")
    continent = codes.map(gdf["continent"].astype("str"))
    region = codes.map(gdf["region"].astype("str"))
    try:
        from dashboard.countries import continent_of, region_of

        continent = continent_of(codes).astype("str").replace("", np.nan).fillna(continent)
        region = region_of(codes).astype("str").replace("", np.nan).fillna(region)
    except (ImportError, DatasetError):
        pass  # the Natural Earth attributes alone still give every drawable country a region
    return continent.fillna("").astype("str"), region.fillna("").astype("str")


def _names(codes: pd.Series) -> pd.Series:
    """Display names: the project's labels, Natural Earth's where pycountry has none (Kosovo)."""
    ne_names = load_countries_gdf().set_index("iso3")["name"]
    names = {}
    for code in codes.unique():
        label = country_name(code)
        names[code] = ne_names.get(code, code) if label == code else label
    return codes.map(names).astype("str")


def _empty_counts(per_year: bool) -> pd.DataFrame:
    dtypes = {"statements": "int64", "parties": "int64", "on_map": "bool", "year": "int64"}
    columns = [*COUNT_COLUMNS, "year"] if per_year else list(COUNT_COLUMNS)
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns})


def map_counts(
    source: Source,
    by: MapMode = "party_countries",
    year: int | None = None,
    *,
    per_year: bool = False,
) -> pd.DataFrame:
    """Statements, parties and the top topic per ISO-3 country, from the (filtered) rows.

    ``source`` is a ``Dataset`` (all statements) or a filtered view with ``df`` and ``long(col)``
    (``dashboard.ui.page.View``). ``by="party_countries"`` counts a statement for the home
    country of each party it names; ``by="countries"`` for each country its text mentions.
    ``year`` keeps statements dated in that year (undated ones drop out); ``per_year=True`` adds
    a ``year`` column with one row per country and year (for the animation).

    Columns: ``COUNT_COLUMNS`` (plus ``year``): ``statements`` (int), ``parties`` (distinct
    parties: from that country in "party_countries" mode, speaking about it in "countries"
    mode), ``top_parties`` ("KKE (12), PAME (3)"), ``top_topic`` (label), ``on_map`` (the
    1:110m base map can colour it; microstates such as Malta cannot). Sorted by statements
    (by year first when ``per_year``).
    """
    pairs, countries = _pairs(source, by, year, per_year)
    if pairs.empty:
        return _empty_counts(per_year)
    keys = ["c", "year"] if per_year else ["c"]
    statements = pairs.groupby(keys, sort=False).size().rename("statements")
    out = pd.concat(
        [
            statements,
            _party_stats(source, pairs, countries, by, keys),
            _top_topic(source, pairs, keys),
        ],
        axis=1,
    ).reset_index()
    out["iso3"] = pd.Series(countries[out["c"].to_numpy()], dtype="str")
    out["parties"] = out["parties"].fillna(0).astype("int64")
    out["top_parties"] = out["top_parties"].fillna("").astype("str")
    out["top_topic"] = out["top_topic"].fillna("").astype("str")
    out["country"] = _names(out["iso3"])
    out["continent"], out["region"] = _regions(out["iso3"])
    out["on_map"] = out["iso3"].isin(topojson_country_ids())
    order = ["year", "statements", "iso3"] if per_year else ["statements", "iso3"]
    out = out.sort_values(order, ascending=[o != "statements" for o in order], kind="stable")
    columns = [*COUNT_COLUMNS, "year"] if per_year else list(COUNT_COLUMNS)
    return out[columns].reset_index(drop=True)


def statement_rows(source: Source, by: MapMode, iso3: str, year: int | None = None) -> np.ndarray:
    """Positions (in the dataset) of the statements counted for ``iso3``, ascending."""
    pairs, countries = _pairs(source, by, year, per_year=False)
    hits = np.flatnonzero(countries == iso3)
    if not len(hits):
        return np.empty(0, dtype=np.int64)
    return np.unique(pairs.loc[pairs["c"] == hits[0], "row"].to_numpy()).astype(np.int64)


# --- figure -----------------------------------------------------------------------------------


def _color_values(values: pd.Series, log_color: bool | None) -> tuple[np.ndarray, bool]:
    positive = values[values > 0]
    if log_color is None:
        log_color = len(positive) > 1 and positive.max() / positive.min() >= LOG_RATIO
    if log_color:
        return np.log10(values.clip(lower=1).to_numpy(dtype=float)), True
    return values.to_numpy(dtype=float), False


def _nice_step(span: float) -> float:
    """A 1-2-5 step giving about five colour bar ticks, never below 1 (counts are whole)."""
    raw = max(span / 5.0, 1.0)
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _log_ticks(zmax: float) -> tuple[list[float], list[str]]:
    top = max(1, math.ceil(zmax))
    return [float(k) for k in range(top + 1)], [f"{10**k:,}" for k in range(top + 1)]


HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b><br>"
    "Statements: %{customdata[2]:,}<br>"
    "Parties: %{customdata[3]:,}<br>"
    "Most active: %{customdata[4]}<br>"
    "Top topic: %{customdata[5]}"
    "<extra></extra>"
)


def _choropleth(counts: pd.DataFrame, z: np.ndarray, zmin: float, zmax: float) -> go.Choropleth:
    custom = counts[["iso3", "country", "statements", "parties", "top_parties", "top_topic"]]
    return go.Choropleth(
        locations=counts["iso3"].to_numpy(dtype=object),
        locationmode="ISO-3",
        z=z,
        zmin=zmin,
        zmax=zmax,
        customdata=custom.to_numpy(dtype=object),
        hovertemplate=HOVER_TEMPLATE,
        colorscale=COLOR_SCALE,
        marker={"line": {"color": BORDER_COLOR, "width": 0.5}},
    )


def make_world_map(
    counts: pd.DataFrame,
    *,
    metric: Metric = "statements",
    title: str | None = None,
    animation_by_year: bool = False,
    log_color: bool | None = None,
) -> go.Figure:
    """A choropleth of ``map_counts`` output on ISO-3 codes, one location per country.

    ``metric`` colours by ``statements`` or distinct ``parties``. ``log_color`` (default: when
    the counts span ``LOG_RATIO`` or more) colours by log10 with the colour bar labelled in real
    counts; hover always shows the real numbers. ``animation_by_year`` needs ``counts`` from
    ``map_counts(..., per_year=True)`` and adds one frame per year with a play button and slider,
    all on one colour range so years compare.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if animation_by_year and "year" not in counts.columns:
        raise ValueError("animation_by_year needs counts from map_counts(..., per_year=True)")
    z_all, is_log = _color_values(counts[metric], log_color)
    zmin = 0.0 if is_log else float(min(z_all.min(), 1.0)) if len(z_all) else 0.0
    zmax = float(z_all.max()) if len(z_all) else 1.0
    if zmax <= zmin:  # one value everywhere: a bar from 0 to it, not from 1 to an unused 2
        zmin = 0.0
    zmax = max(zmax, zmin + 1.0)

    # A vertical bar right beside the map: the map is drawn full width, so the bar takes little
    # of it, and it stays next to the colours it explains at any page width.
    colorbar: dict[str, Any] = {
        "title": {"text": MAP_LABELS[metric], "side": "top"},
        "orientation": "v",
        "thickness": 16,
        "len": 0.75,
        "x": 1.0,
        "xanchor": "left",
        "y": 0.5,
        "yanchor": "middle",
    }
    if is_log:
        colorbar["tickvals"], colorbar["ticktext"] = _log_ticks(zmax)
    else:
        colorbar.update(tick0=0, dtick=_nice_step(zmax - zmin), tickformat=",d")

    fig = go.Figure()
    if animation_by_year and len(counts):
        years = sorted(int(y) for y in counts["year"].unique())
        frames = []
        for y in years:
            sel = (counts["year"] == y).to_numpy()
            trace = _choropleth(counts[sel], z_all[sel], zmin, zmax)
            trace.update(colorbar=colorbar)
            frames.append(go.Frame(data=[trace], name=str(y)))
        fig.add_trace(frames[0].data[0])
        fig.frames = frames
        step_args = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}
        fig.update_layout(
            sliders=[
                {
                    "active": 0,
                    "currentvalue": {"prefix": "Year: "},
                    # Right of the play buttons, which sit at the left edge under the map.
                    "x": 0.16,
                    "len": 0.84,
                    "y": 0.0,
                    "yanchor": "top",
                    "pad": {"t": 10},
                    "steps": [
                        {"label": str(y), "method": "animate", "args": [[str(y)], step_args]}
                        for y in years
                    ],
                }
            ],
            updatemenus=[
                {
                    "type": "buttons",
                    "showactive": False,
                    "direction": "left",
                    "x": 0.0,
                    "y": 0.0,
                    "xanchor": "left",
                    "yanchor": "top",
                    "pad": {"t": 20},
                    "buttons": [
                        {
                            "label": "Play",
                            "method": "animate",
                            "args": [
                                None,
                                {
                                    "frame": {"duration": 800, "redraw": True},
                                    "fromcurrent": True,
                                },
                            ],
                        },
                        {
                            "label": "Pause",
                            "method": "animate",
                            "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
                        },
                    ],
                }
            ],
        )
    else:
        fig.add_trace(_choropleth(counts, z_all, zmin, zmax))
        fig.data[0].update(colorbar=colorbar)

    fig.update_geos(
        projection_type="natural earth",
        resolution=110,
        showcountries=True,
        countrycolor=BORDER_COLOR,
        showcoastlines=False,
        showland=True,
        landcolor=LAND_COLOR,
        showocean=True,
        oceancolor=WATER_COLOR,
        showlakes=True,
        lakecolor=WATER_COLOR,
        showframe=False,
        bgcolor=TRANSPARENT,
        # Antarctica has no parties and takes a fifth of the height.
        lataxis_range=[-58, 85],
    )
    fig.update_layout(
        title={"text": title} if title else None,
        # The play button and year slider of an animation sit below the map.
        margin={"l": 0, "r": 0, "t": 40 if title else 0, "b": 90 if animation_by_year else 0},
        height=MAP_HEIGHT,
        dragmode=False,
        paper_bgcolor=TRANSPARENT,
    )
    return fig


# --- downloads --------------------------------------------------------------------------------


def countries_geojson(counts: pd.DataFrame) -> bytes:
    """The map data as GeoJSON: every Natural Earth country with its counts (0 when none).

    Countries in ``counts`` that Natural Earth does not draw at 1:110m (Malta, Singapore) are
    kept as features with a null geometry, so the file holds every count the table shows.
    """
    gdf = load_countries_gdf().rename(columns={"name": "ne_name"})
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


def counts_csv(counts: pd.DataFrame) -> bytes:
    """The map data as CSV (spreadsheet-safe, via ``dashboard.export``)."""
    from dashboard.export import to_csv_bytes

    return to_csv_bytes(counts)
