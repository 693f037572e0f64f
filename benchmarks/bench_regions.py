"""Time the NUTS boundary loaders, version detection and level selection.

Run: ``python benchmarks/bench_regions.py`` (prints seconds; the budget for one version/level is 0.3 s).
Cold = first load in a fresh cache (reads the zipped GeoPackage and dissolves); warm = cached copy.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clustermapper.regions import shapes

BUDGET = 0.3


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def main() -> int:
    t, _ = timed(shapes.code_table)
    print(f"code table (all versions, no geometry): {t:.3f} s")
    worst = 0.0
    for version in shapes.EMBEDDED_VERSIONS:
        shapes._embedded_level3.cache_clear()
        shapes._load.cache_clear()
        cells = []
        for level in (2, 0, 1, 3):  # level 2 first: the cold read of the file is charged to it
            cold, gdf = timed(shapes.load_regions, version, level)
            warm, _ = timed(shapes.load_regions, version, level)
            worst = max(worst, cold)
            cells.append(f"L{level} {len(gdf):4d} regions cold {cold:.3f} s warm {warm:.4f} s")
        print(f"NUTS {version}: " + " | ".join(cells))
    print(f"slowest cold load {worst:.3f} s = {worst / BUDGET:.0%} of the {BUDGET} s budget")

    from clustermapper.regions import cartography

    t, _ = timed(lambda: cartography.to_3035(shapes.load_regions(2021, 2)))
    print(f"2021 level 2 projected to EPSG:3035: {t:.3f} s")

    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"
    if data.exists():
        from clustermapper.io import read_dataset
        from clustermapper.regions.levels import select_level
        from clustermapper.regions.versions import detect_versions

        table = read_dataset(data, indicator="V16110").table
        t, matches = timed(detect_versions, table)
        print(f"detect_versions on the Eurostat file ({len(table)} rows, {len(matches)} years): {t:.3f} s")
        year = table[table["year"] == 2013]
        t, _ = timed(select_level, year, 2, {"BE": 1, "EL": 1, "NL": 1})
        print(f"select_level 2013 with BE/EL/NL at NUTS 1 ({len(year)} rows): {t:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
