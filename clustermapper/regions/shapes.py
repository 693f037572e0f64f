"""NUTS boundaries: the embedded versions (2003–2021, levels 0–3), code names and the hierarchy.

Public API
----------
``load_regions(version, level)``
    GeoDataFrame ``NUTS_ID, LEVL_CODE, CNTR_CODE, NAME_LATN, NUTS_NAME, geometry`` in EPSG:4326, one row per
    region, sorted by code. Embedded versions come from ``nuts_shapes/`` (package ``clustermapper.nuts_shapes``, see its README); other versions
    (e.g. 2024) only after an explicit ``clustermapper regions download``. Cached; returns a copy.
``available_versions()``
    Embedded versions plus the ones downloaded into the user cache, ascending.
``region_name(code)`` / ``region_names()``
    Latin name of any code of any version (from the latest version that has it).
``codes_of(version, level=None)``, ``parent(code, level=None)``, ``children(code, version=None)``,
``country(code)``
    Hierarchy lookups, from the code table (no geometry is loaded).
``load_boundaries(path, id_col)``
    User-supplied GeoJSON / GeoPackage / Shapefile as the same kind of GeoDataFrame (any CRS → 4326).

Levels 2, 1 and 0 are dissolved at load time from the stored level 3 (see ``nuts_shapes/build.py``), so
borders coincide exactly across levels and the embedded files stay small.
"""

from __future__ import annotations

import functools
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from clustermapper.errors import InputError, UsageError
from clustermapper.io.source import check_regular_file
from clustermapper.resources import NUTS, resource_path

if TYPE_CHECKING:  # geopandas and shapely load only when polygons are (the code table and `stars` need neither)
    import geopandas as gpd
    from shapely.geometry import MultiPolygon

COLUMNS = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME"]
EMBEDDED_VERSIONS = (2003, 2006, 2010, 2013, 2016, 2021)
LEVELS = (0, 1, 2, 3)


def embedded_file(name: str) -> Path:
    """One embedded file (package ``clustermapper.nuts_shapes``; ``CLUSTERMAPPER_NUTS_DIR`` overrides it)."""
    env = os.environ.get("CLUSTERMAPPER_NUTS_DIR")
    return Path(env) / name if env else resource_path(NUTS, name)


def available_versions() -> list[int]:
    """NUTS versions that can be drawn offline: embedded ones plus downloaded ones."""
    from clustermapper.regions.download import cached_versions

    return sorted(set(EMBEDDED_VERSIONS) | set(cached_versions()))


# ------------------------------------------------------------------------------------------ code table


@functools.lru_cache(maxsize=1)
def code_table() -> pd.DataFrame:
    """Every code of every embedded version: names, level, country, parent and ``versions`` (a tuple)."""
    path = embedded_file("nuts_names.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table["LEVL_CODE"] = table["LEVL_CODE"].astype("int64")
    table["versions"] = table["versions"].map(lambda s: tuple(int(v) for v in s.split()))
    return table.set_index("NUTS_ID", drop=False)


@functools.cache
def codes_of(version: int, level: int | None = None) -> frozenset[str]:
    """Codes of one version (embedded or downloaded), optionally of one level only."""
    if int(version) in EMBEDDED_VERSIONS:
        return _embedded_codes(int(version), None if level is None else int(level))
    from clustermapper.regions.download import cached_file

    levels = [lv for lv in LEVELS if cached_file(version, lv).exists()] if level is None else [int(level)]
    return frozenset(c for lv in levels for c in load_regions(version, lv)["NUTS_ID"])


@functools.cache
def _embedded_codes(version: int, level: int | None) -> frozenset[str]:
    """Once per version and level (the embedded table never changes; every analysed year asks ~10 times)."""
    t = code_table()
    mask = t["versions"].map(lambda vs: version in vs)
    if level is not None:
        mask &= t["LEVL_CODE"] == level
    return frozenset(t.index[mask])


def region_names() -> pd.Series:
    """Latin names by code, every code of every embedded version (latest version's name)."""
    return code_table()["NAME_LATN"].copy()


def region_names_of(codes) -> list[str]:
    """:func:`region_name` of each code, the code table looked up once for all (a map's 1,514 NUTS-3 tooltips)."""
    return list(_names_of(tuple(codes)))


@functools.lru_cache(maxsize=16)
def _names_of(codes: tuple) -> tuple[str, ...]:
    # kept: every restyle of a map asks again for the same regions (the embedded table never changes)
    wanted = [str(c).strip().upper() for c in codes]
    found = code_table()["NAME_LATN"].reindex(wanted)
    # a plain list: iterating the str-dtype Series boxes every name through pandas (~1 ms a NUTS-3 restyle)
    return tuple(str(name) if isinstance(name, str) else region_name(code) for code, name in zip(wanted, found.tolist()))


def region_name(code: str) -> str:
    """Latin name of ``code`` (latest version that has it); the code itself when no version knows it."""
    code = str(code).strip().upper()
    t = code_table()
    if code in t.index:
        return str(t.at[code, "NAME_LATN"])
    from clustermapper.regions.download import cached_name

    return cached_name(code) or code


def country(code: str) -> str:
    """Country part of a NUTS code (``EL`` for ``EL30``; Eurostat's own codes, not ISO)."""
    return str(code).strip().upper()[:2]


def parent(code: str, level: int | None = None) -> str | None:
    """The region containing ``code`` at ``level`` (default: one level up); None for a country or unknown.

    Uses the published hierarchy, which is the code prefix except for a few GISCO exceptions
    (NUTS 2016 Northern Ireland: UKN10…UKN16 belong to UKN0).
    """
    from clustermapper.regions.codes import nuts_level

    code = str(code).strip().upper()
    own = nuts_level(code)
    if own is None or own == 0:
        return None
    target = own - 1 if level is None else int(level)
    if not 0 <= target < own:
        raise UsageError(f"parent of {code} (NUTS {own}) at level {target}: choose a level from 0 to {own - 1}")
    return _ancestor(code, target)


@functools.lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    t = code_table()
    return dict(zip(t.index, t["parent"]))


def _ancestor(code: str, target: int) -> str:
    """Walk up the published hierarchy (code prefix where the table does not know the code)."""
    ups = _parents()
    current = code
    while len(current) - 2 > target:
        current = ups.get(current) or current[:-1]
    return current


def children(code: str, version: int | None = None) -> list[str]:
    """Codes one level below ``code`` in ``version`` (default: the latest version that has ``code``)."""
    code = str(code).strip().upper()
    t = code_table()
    if version is None:
        if code not in t.index:
            return []
        version = t.at[code, "versions"][-1]
    rows = t[(t["parent"] == code) & t["versions"].map(lambda vs: int(version) in vs)]
    return sorted(rows.index)


# ---------------------------------------------------------------------------------------------- shapes


def _multi(geom) -> MultiPolygon:
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    if isinstance(geom, MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    return MultiPolygon([p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])])


@functools.lru_cache(maxsize=8)
def _embedded_level3(version: int) -> gpd.GeoDataFrame:
    import geopandas as gpd

    path = embedded_file(f"nuts_{version}.gpkg.zip")
    if not path.exists():
        raise UsageError(f"embedded NUTS {version} boundaries missing: {path} (rebuild with nuts_shapes/build.py)")
    gdf = gpd.read_file(f"/vsizip/{path}/nuts_{version}.gpkg", layer="level3", engine="pyogrio")
    return gdf.set_crs("EPSG:4326", allow_override=True)


@functools.lru_cache(maxsize=32)
def _load(version: int, level: int) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    if version not in EMBEDDED_VERSIONS:
        from clustermapper.regions.download import load_cached

        return load_cached(version, level)
    base = _embedded_level3(version)
    if level == 3:
        return base[COLUMNS + ["geometry"]].sort_values("NUTS_ID").reset_index(drop=True)
    t = code_table()
    keys = pd.Series([_ancestor(c, level) for c in base["NUTS_ID"]], index=base.index)
    groups = {key: shapely.coverage_union_all(base.geometry.values[idx.values])
              for key, idx in keys.groupby(keys).groups.items()}
    wanted = sorted(groups)
    rows = t.loc[wanted, COLUMNS].reset_index(drop=True)
    geoms = gpd.GeoSeries([_multi(groups[c]) for c in wanted], crs="EPSG:4326")
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def load_regions(version: int, level: int) -> gpd.GeoDataFrame:
    """Regions of NUTS ``version`` at ``level`` (0–3) in EPSG:4326; see the module docstring."""
    try:
        version, level = int(version), int(level)
    except (TypeError, ValueError):
        raise UsageError(f"NUTS version and level must be numbers, got {version!r}, {level!r}") from None
    if level not in LEVELS:
        raise UsageError(f"NUTS level {level}: choose 0, 1, 2 or 3")
    return _load(version, level).copy()


# ------------------------------------------------------------------------------------ user boundaries


_BOUNDARY_HINT = "choose a GeoJSON, GeoPackage or Shapefile (.shp) file"


def boundary_columns(path: str | Path) -> list[str]:
    """Attribute columns of a boundary file (to choose its ID column), without reading the geometry."""
    import pyogrio

    check_regular_file(Path(path), _BOUNDARY_HINT)  # GDAL would block on a FIFO and read /dev/zero forever
    try:
        return [str(c) for c in pyogrio.read_info(path)["fields"]]
    except Exception as exc:  # GDAL raises several types for unreadable files
        raise InputError(path, f"cannot read as a boundary file: {exc}",
                         hint="use GeoJSON, GeoPackage or a Shapefile (with its .shx/.dbf/.prj)") from None


def load_boundaries(path: str | Path, id_col: str, name_col: str | None = None) -> gpd.GeoDataFrame:
    """User boundaries (GeoJSON, GeoPackage, Shapefile…) as ``NUTS_ID, …, geometry`` in EPSG:4326.

    ``id_col`` holds the region codes used in the data (stripped, upper case). Rows sharing an ID are
    merged; rows without geometry are reported in ``gdf.attrs["notes"]``. A file without a CRS is taken
    as longitude/latitude only when its coordinates fit that range.
    """
    import geopandas as gpd
    import shapely

    path = Path(path)
    if not path.exists():
        raise InputError(path, "boundary file not found")
    check_regular_file(path, _BOUNDARY_HINT)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # GDAL raises several types for unreadable files
        raise InputError(path, f"cannot read as a boundary file: {exc}",
                         hint="use GeoJSON, GeoPackage or a Shapefile (with its .shx/.dbf/.prj)") from None
    if id_col not in gdf.columns:
        cols = ", ".join(c for c in gdf.columns if c != gdf.geometry.name)
        raise InputError(path, "no such ID column", column=id_col, hint=f"columns in the file: {cols}")
    x0, y0, x1, y1 = gdf.total_bounds
    lonlat = -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90
    if (gdf.crs is None or gdf.crs.is_geographic) and not lonlat:
        # GeoJSON is always read as EPSG:4326, so projected coordinates (metres) only show up here.
        raise InputError(path, f"coordinates ({x0:.0f}, {y0:.0f} … {x1:.0f}, {y1:.0f}) are not longitude/latitude "
                         "and the file names no projected coordinate system",
                         hint="save the file with its CRS (a .prj for Shapefiles), or as longitude/latitude")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    notes: list[str] = []
    ids = gdf[id_col].astype(str).str.strip().str.upper()
    blank = gdf[id_col].isna() | (ids == "")
    if blank.any():
        notes.append(f"{int(blank.sum())} features without an ID in {id_col!r} were left out")
    nogeom = gdf.geometry.isna() | gdf.geometry.is_empty
    if nogeom.any():
        notes.append(f"features without geometry left out: {', '.join(ids[nogeom & ~blank][:10])}")
    keep = ~blank & ~nogeom
    gdf = gdf.loc[keep].to_crs("EPSG:4326")
    ids = ids[keep]
    names = gdf[name_col].astype(str) if name_col and name_col in gdf.columns else ids
    geoms = shapely.make_valid(gdf.geometry.values)
    frame = gpd.GeoDataFrame({"NUTS_ID": ids.values, "NAME": names.values}, geometry=list(geoms), crs="EPSG:4326")
    if frame["NUTS_ID"].duplicated().any():
        notes.append(f"features sharing an ID were merged: {', '.join(sorted(set(ids[ids.duplicated()]))[:10])}")
    merged = frame.dissolve("NUTS_ID", aggfunc="first").reset_index()
    from clustermapper.regions.codes import nuts_level

    out = gpd.GeoDataFrame({
        "NUTS_ID": merged["NUTS_ID"],
        "LEVL_CODE": merged["NUTS_ID"].map(lambda c: nuts_level(c) if nuts_level(c) is not None else -1),
        "CNTR_CODE": merged["NUTS_ID"].str[:2],
        "NAME_LATN": merged["NAME"],
        "NUTS_NAME": merged["NAME"],
    }, geometry=[_multi(g) for g in merged.geometry], crs="EPSG:4326")
    out.attrs["notes"] = notes
    out.attrs["source"] = str(path)
    return out
