"""The polygons a map of an analysis draws, in EPSG:4326, for every renderer (web map and static map).

``drawn_regions(key)`` for a ``regions_key(codes, match, level, boundaries, boundaries_id)`` (the pipeline
keeps it as ``Prepared.geometry_key``): the data regions placed per the NUTS version match (fallback
versions for codes of mixed-version years), plus the other regions of the analysis level as filler (drawn
as no data) — or, when a boundary file is given (``AnalysisSpec.boundaries`` / ``boundaries_id``), that
file's polygons instead of the embedded ones.
Columns ``NUTS_ID, NAME_LATN, … , geometry``; ``attrs``: ``nuts_version`` (the main version, for country
outlines), ``unknown`` (data codes with no polygon) and ``source`` (what the polygons are, for map footers).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from clustermapper.regions.shapes import load_boundaries, load_regions
from clustermapper.regions.versions import YearMatch, geometries_for

if TYPE_CHECKING:  # geopandas loads with the polygons; regions_key (every analysis) needs none
    import geopandas as gpd

LAEA = "EPSG:3035"  # areas for the filler clipping below


def regions_key(codes: Iterable[str], match: YearMatch, level: int, boundaries: str | None = None,
                boundaries_id: str = "NUTS_ID") -> tuple:
    """Everything that decides the drawn polygons: equal keys, identical :func:`drawn_regions`."""
    codes = tuple(sorted(map(str, codes)))
    if boundaries:
        stamp = os.stat(boundaries).st_mtime_ns if os.path.exists(boundaries) else 0  # an edited file
        return ("user", str(boundaries), boundaries_id, stamp, codes, match.version)
    return ("embedded", codes, match.version, tuple(sorted(match.fallback.items())), int(level))


def drawn_regions(key: tuple) -> gpd.GeoDataFrame:
    """See the module docstring. Cached per :func:`regions_key`; callers must not modify it."""
    kind, *rest = key
    return _user_regions(*rest) if kind == "user" else _embedded_regions(*rest)


@functools.lru_cache(maxsize=8)
def _user_regions(path: str, id_col: str, _mtime: int, codes: tuple[str, ...], version: int) -> gpd.GeoDataFrame:
    gdf = load_boundaries(path, id_col)
    gdf.attrs.update(nuts_version=version, unknown=sorted(set(codes) - set(gdf["NUTS_ID"])),
                     source=f"user boundaries {Path(path).name} (ID column {id_col})")
    return gdf


@functools.lru_cache(maxsize=8)
def _embedded_regions(codes: tuple[str, ...], version: int, fallback: tuple, level: int) -> gpd.GeoDataFrame:
    import geopandas as gpd

    match = YearMatch(year=0, version=version, levels=(level,), n_codes=len(codes), exact=not fallback,
                      fallback=dict(fallback))
    found = geometries_for(match, codes)
    covered = tuple(found["NUTS_ID"])
    base = load_regions(version, level)
    # Filler: regions of the analysis level that no data region contains or is contained in, by code and
    # by place (GR11 of NUTS 2006 must not cover EL11 of NUTS 2010 drawn from a fallback version).
    filler = base[~base["NUTS_ID"].map(_related_to(covered))]
    if fallback and len(found) and len(filler):
        # A filler region partly under fallback regions (DE40 of 2010 under DE41 of 2006) keeps only the
        # part not drawn; one (nearly) all under them (GR11 under EL11) is left out. Without fallback every
        # region is of one version, whose regions only touch (the overlay took ~0.3 s for NUTS 3).
        taken = found.geometry.union_all()
        hit = filler.geometry.intersects(taken)
        rest = filler.loc[hit].geometry.difference(taken)
        keep = (rest.to_crs(LAEA).area / filler.loc[hit].to_crs(LAEA).area) > 0.05
        filler = filler.copy()
        filler.loc[rest.index, "geometry"] = rest
        filler = filler.drop(index=rest.index[~keep.values])
    gdf = gpd.GeoDataFrame(pd.concat([found, filler.assign(version=version)], ignore_index=True),
                           geometry="geometry", crs="EPSG:4326")
    gdf.attrs.update(nuts_version=version, unknown=found.attrs.get("unknown", []),
                     source=f"NUTS {version}" + (" and other versions for some codes" if fallback else ""))
    return gdf


def _related_to(codes: tuple[str, ...]):
    """Whether a code contains one of ``codes`` or lies inside one (one is a prefix of the other), by set
    look-ups: comparing every pair took 1.7 s for the 1,514 NUTS-3 regions."""
    given = set(codes)
    prefixes = {c[:i] for c in codes for i in range(len(c) + 1)}
    return lambda code: code in prefixes or any(code[:i] in given for i in range(len(code) + 1))

