"""Dev tool: regenerate ``data/country_regions.csv`` (continent and UN M49 sub-region per ISO-3).

The product reads only the CSV; this script documents where it came from. The source is the
country table shipped inside the ``country_converter`` package (``pip install
country_converter``), read directly as a TSV because its ``CountryConverter`` class does not run
under pandas 3. Every ISO 3166-1 country that pycountry knows gets a row. The continent is
derived from the M49 sub-region (the Americas split into North and South America), so a region
always sits inside exactly one continent. The few deliberate departures from M49 are listed in
``OVERRIDES`` with the reason.

Usage: ``python scripts/build_country_regions.py [--check]`` (``--check`` exits 1 when the CSV
in ``data/`` differs from what the script would write).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import pycountry

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "data" / "country_regions.csv"

CONTINENT_OF_REGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "North America",
    "Central America": "North America",
    "Northern America": "North America",
    "South America": "South America",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}

# iso3 -> (continent, region, why). M49 puts Cyprus in Western Asia; it is an EU member whose
# parties (AKEL) are read alongside the Greek and other Southern European ones, so analysts
# filtering "Southern Europe" expect it there.
OVERRIDES: dict[str, tuple[str, str, str]] = {
    "CYP": ("Europe", "Southern Europe", "EU member; analysed with Southern Europe"),
}


def build_regions() -> pd.DataFrame:
    """The iso3/continent/region table for every pycountry country, sorted by iso3."""
    import country_converter

    tsv = Path(country_converter.__file__).with_name("country_data.tsv")
    src = pd.read_csv(tsv, sep="\t", keep_default_na=False, dtype=str)
    region_of = dict(zip(src["ISO3"], src["UNregion"], strict=True))
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        iso3 = country.alpha_3
        region = region_of.get(iso3, "")
        if iso3 in OVERRIDES:
            continent, region, _ = OVERRIDES[iso3]
        elif region in CONTINENT_OF_REGION:
            continent = CONTINENT_OF_REGION[region]
        else:
            raise SystemExit(f"{iso3}: no known UN region in country_converter ({region!r})")
        rows.append((iso3, continent, region))
    return pd.DataFrame(rows, columns=["iso3", "continent", "region"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with data/ instead")
    args = parser.parse_args()
    text = build_regions().to_csv(index=False, lineterminator="\n")
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from the generated table")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
