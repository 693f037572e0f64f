"""Which NUTS-3 regions of one version hold each NUTS-3 region of another: its point on surface lies within.

``containing(source, target)`` computes it from the polygons; for the embedded versions the answer ships
precomputed (``nuts_shapes/nuts3_crosswalk.csv.gz``, written by ``python -m clustermapper.regions.crosswalk``
from the embedded polygons, and recomputed by ``tests/test_regions_crosswalk.py``), because reading two
versions' polygons cost 0.2 s of every analysis of a file whose 2008–2010 mix NUTS versions
(:mod:`clustermapper.regions.overlaps`). Other versions (downloaded) are computed from their polygons.
"""

from __future__ import annotations

import functools
import gzip
import sys

import pandas as pd

from clustermapper.regions.shapes import EMBEDDED_VERSIONS, embedded_file, load_regions

FILE = "nuts3_crosswalk.csv.gz"
SEP = "|"  # a point on a shared border lies within both neighbours


def containing(source: int, target: int) -> dict[str, tuple[str, ...]]:
    """Each NUTS-3 code of ``source`` → the NUTS-3 codes of ``target`` whose polygon holds its point on surface
    (empty when none does: a region of ``source`` outside ``target``'s land)."""
    shipped = _shipped_pair(source, target)
    return shipped if shipped is not None else _from_polygons(source, target)


def _from_polygons(source: int, target: int) -> dict[str, tuple[str, ...]]:
    import shapely

    theirs, ours = load_regions(source, 3), load_regions(target, 3)
    tree = shapely.STRtree(ours.geometry.values)
    point, polygon = tree.query(shapely.point_on_surface(theirs.geometry.values), predicate="within")
    hits = pd.DataFrame({"code": theirs["NUTS_ID"].to_numpy()[point], "in": ours["NUTS_ID"].to_numpy()[polygon]})
    found = hits.groupby("code")["in"].agg(lambda s: tuple(sorted(s)))
    return {str(c): found.get(c, ()) for c in theirs["NUTS_ID"]}


@functools.lru_cache(maxsize=32)
def _shipped_pair(source: int, target: int) -> dict[str, tuple[str, ...]] | None:
    """One pair of the shipped table (built when asked: all 30 pairs took 0.1 s), None when not shipped."""
    table = _shipped()
    if table is None or source == target or str(target) not in table:
        return None
    rows = table[table["version"] == str(source)]
    if rows.empty:
        return None
    return {code: tuple(held.split(SEP)) if held else () for code, held in zip(rows["code"], rows[str(target)])}


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame | None:
    """The shipped table, or None when it is absent (a ``CLUSTERMAPPER_NUTS_DIR`` without it)."""
    path = embedded_file(FILE)
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else None


def table() -> pd.DataFrame:
    """The crosswalk of the embedded versions, from their polygons: a row per (version, NUTS-3 code), a column
    per version with the codes that hold it (``|``-joined; empty in the row's own version)."""
    rows = []
    for source in EMBEDDED_VERSIONS:
        maps = {t: _from_polygons(source, t) for t in EMBEDDED_VERSIONS if t != source}
        for code in sorted(load_regions(source, 3)["NUTS_ID"]):
            rows.append({"version": str(source), "code": code,
                         **{str(t): SEP.join(maps[t][code]) if t in maps else "" for t in EMBEDDED_VERSIONS}})
    return pd.DataFrame(rows)


def main() -> int:
    """Write the shipped table (after ``nuts_shapes/build.py`` changed the polygons)."""
    from clustermapper.fileutil import atomic_write

    text = table().to_csv(index=False, lineterminator="\n")
    path = embedded_file(FILE)
    with atomic_write(path, "wb", encoding=None) as fh:
        fh.write(gzip.compress(text.encode(), mtime=0))  # mtime 0: the same polygons give the same bytes
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
