"""Country geometry: the shipped Natural Earth countries and the offline base map of the world map.

Owns the two map files and what is read from them: the Natural Earth 1:110m country geometries
(``data/naturalearth/ne_110m_countries.geojson``, read with geopandas: ``load_countries_gdf``),
the topojson base map plotly.js draws from ``static/topojson/`` instead of its CDN
(``topojson_country_ids``: which countries it can colour), and the name, continent and region of
an ISO-3 code where the project's own tables have none (Kosovo). Both files are rebuilt by
``scripts/build_map_data.py``. geopandas is imported on first read: only the map needs it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.errors import DatasetError
from dashboard.labels import label_ids
from dashboard.paths import REPO_ROOT, data_dir, static_dir

if TYPE_CHECKING:
    import geopandas as gpd

COUNTRIES_FILE = Path("naturalearth") / "ne_110m_countries.geojson"
TOPOJSON_DIR = "topojson"
TOPOJSON_FILE = "world_110m.json"


def countries_path() -> Path:
    """The shipped Natural Earth file (``DASHBOARD_DATA_DIR`` first, then the repo's ``data/``)."""
    override = data_dir() / COUNTRIES_FILE
    return override if override.exists() else REPO_ROOT / "data" / COUNTRIES_FILE


@functools.lru_cache(maxsize=2)
def _read_countries(path: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

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
    """The world base map plotly.js fetches through ``ui.page.plotly_config()["topojsonURL"]``."""
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


def country_areas(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Continent and UN sub-region per ISO-3: the project's region table, then Natural Earth."""
    # Imported here: its name tables load slowly, and only the map's counts need regions.
    from dashboard.countries import continent_of, region_of

    gdf = load_countries_gdf().set_index("iso3")
    continent = codes.map(gdf["continent"].astype("str"))
    region = codes.map(gdf["region"].astype("str"))
    try:
        continent = continent_of(codes).astype("str").replace("", np.nan).fillna(continent)
        region = region_of(codes).astype("str").replace("", np.nan).fillna(region)
    except DatasetError:
        pass  # the Natural Earth attributes alone still give every drawable country a region
    return continent.fillna("").astype("str"), region.fillna("").astype("str")


def country_names(codes: pd.Series) -> pd.Series:
    """Display names: the project's labels, Natural Earth's where pycountry has none (Kosovo)."""
    ne_names = load_countries_gdf().set_index("iso3")["name"]
    names = {}
    for code in codes.unique():
        label = label_ids(code, "country")
        names[code] = ne_names.get(code, code) if label == code else label
    return codes.map(names).astype("str")
