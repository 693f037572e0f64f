"""Time the report exports (prints times and ratios to the targets, asserts nothing).

Usage: ``python benchmarks/bench_exports.py [path-to-sbs_r_nuts06_r2.tsv.gz]`` (default: ../shared beside the
repo; the embedded demo when absent). Files go to a temporary folder.

Targets: a 300-dpi A4 PNG of Europe < 3 s; a batch of 40 PDF profiles < 60 s; XLSX of all tables (info).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.render.profile import render_profiles
from clustermapper.render.static_map import render_map
from clustermapper.render.tables import export_tables

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def timed(label: str, target: float | None, fn) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    ratio = f"   {took / target:5.2f} × target ({target:g} s)" if target else ""
    print(f"{label:<48} {took:7.2f} s{ratio}")
    return took


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    spec = AnalysisSpec(data=str(path), year=2014) if path.exists() else AnalysisSpec(demo=True)
    start = time.perf_counter()
    analysis = run_analysis(spec)
    print(f"analysis ({'Eurostat ' + path.name if path.exists() else 'demo'}, {analysis.year}): "
          f"{time.perf_counter() - start:.2f} s, {analysis.stars['region'].nunique()} regions")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # first map pays for loading and projecting the boundaries; report it separately
        timed("first map (cold: boundaries load), A4 PNG 300 dpi", None,
              lambda: render_map(analysis, "stars", "C29", out=out / "cold.png", dpi=300))
        timed("Europe stars C29, A4 landscape PNG 300 dpi", 3.0,
              lambda: render_map(analysis, "stars", "C29", out=out / "europe.png", dpi=300))
        timed("Europe LQ C29, A4 landscape PDF (vector)", None,
              lambda: render_map(analysis, "lq", "C29", out=out / "europe.pdf"))
        timed("Europe strength, A4 landscape SVG (vector)", None,
              lambda: render_map(analysis, "strength", out=out / "europe.svg"))
        regions = sorted(analysis.portfolio["region"])[:40]
        took = timed(f"{len(regions)} PDF profiles (batch)", 60.0,
                     lambda: render_profiles(analysis, regions, out / "profiles", "pdf"))
        print(f"{'  per profile':<48} {took / len(regions):7.2f} s")
        timed("XLSX: stars + portfolio + rankings + metadata", None,
              lambda: export_tables(analysis, out / "tables.xlsx"))


if __name__ == "__main__":
    main()
