"""Land outside the mapped regions (Ukraine, Belarus, Russia, the Balkans, North Africa…) and the sea, for print maps.

``background_land(drawn_countries)``
    EPSG:4326 polygons of every country with no region drawn on the map, one row per country
    (``iso_a2``, ``name``, ``source``): the embedded NUTS level 0 where a NUTS version has the country
    (Serbia or Albania on a NUTS 2013 map, from NUTS 2016/2021), else the shipped Natural Earth layer
    ``clustermapper/data/other_land.geojson.gz`` (1:10m Admin 0, public domain; see its README and
    ``resources/naturalearth/make_other_land.py``). Drawn in ``OTHER_LAND_COLOUR`` under the regions, on a
    ``SEA_COLOUR`` sea.

The colours are checked against the star palette under colour-vision simulations in the tests.
"""

from __future__ import annotations

import functools
import gzip
import json

import geopandas as gpd
import pandas as pd
from shapely.geometry import shape

from clustermapper.resources import resource_path

SEA_COLOUR = "#eaf2f8"
OTHER_LAND_COLOUR = "#d9d9d9"
OTHER_LAND_EDGE = "#ffffff"
OTHER_LAND_LABEL = "Other countries (not in the data)"
LAND_FILE = "data/other_land.geojson.gz"
_NUTS_TO_ISO = {"EL": "GR", "UK": "GB"}


@functools.lru_cache(maxsize=1)
def natural_earth_land() -> gpd.GeoDataFrame:
    """The shipped Natural Earth countries outside every NUTS version (EPSG:4326, ``iso_a2``, ``name``)."""
    with gzip.open(resource_path("clustermapper", LAND_FILE), "rt", encoding="utf-8") as f:
        features = json.load(f)["features"]
    return gpd.GeoDataFrame([f["properties"] for f in features], geometry=[shape(f["geometry"]) for f in features],
                            crs="EPSG:4326")


@functools.lru_cache(maxsize=1)
def _nuts_countries() -> gpd.GeoDataFrame:
    """Level 0 of every embedded version, each country from the latest version that has it."""
    from clustermapper.regions.shapes import EMBEDDED_VERSIONS, load_regions

    frames = [load_regions(v, 0).assign(version=v) for v in sorted(EMBEDDED_VERSIONS, reverse=True)]
    countries = pd.concat(frames, ignore_index=True)
    countries["iso_a2"] = countries["CNTR_CODE"].map(lambda c: _NUTS_TO_ISO.get(c, c))  # GR of 2003/2006 is EL
    countries = countries.drop_duplicates("iso_a2")
    return gpd.GeoDataFrame(countries[["iso_a2", "NAME_LATN", "version", "geometry"]], geometry="geometry",
                            crs="EPSG:4326")


def background_land(drawn_countries) -> gpd.GeoDataFrame:
    """See the module docstring; ``drawn_countries`` are NUTS country codes (``EL``, ``UK`` …) on the map."""
    drawn = {_NUTS_TO_ISO.get(str(c), str(c)) for c in drawn_countries}
    nuts = _nuts_countries()
    nuts = nuts[~nuts["iso_a2"].isin(drawn)]
    from_nuts = gpd.GeoDataFrame({"iso_a2": nuts["iso_a2"], "name": nuts["NAME_LATN"], "source": "NUTS " + nuts["version"].astype(str)},
                                 geometry=nuts.geometry.values, crs="EPSG:4326")
    ne = natural_earth_land().assign(source="Natural Earth")
    out = pd.concat([from_nuts, ne], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")
