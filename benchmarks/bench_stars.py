"""Time `clustermapper stars` on the full real Eurostat file (target: well under 2 s).

Usage: python benchmarks/bench_stars.py [PATH]   (default ../shared/data/eurostat/sbs_r_nuts06_r2.tsv.gz)
Prints the time of each stage and of the whole command in-process, plus a cold subprocess run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clustermapper.analysis import AnalysisSpec, read_spec_data, run_analysis

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    spec = AnalysisSpec(data=str(path))
    t0 = time.perf_counter()
    dataset = read_spec_data(spec)
    t1 = time.perf_counter()
    analysis = run_analysis(spec, dataset=dataset)
    t2 = time.perf_counter()
    print(f"read {path.name}: {t1 - t0:.3f} s ({len(dataset.table):,} cells)")
    print(f"regions+taxonomy+stars+portfolio (year {analysis.year}): {t2 - t1:.3f} s ({len(analysis.stars):,} rows)")
    from clustermapper.defaults import SUPPRESSED_POLICIES

    zero = None
    for policy in SUPPRESSED_POLICIES:  # the policies' own cost (companion indicators read once, then cached)
        run_analysis(spec.with_(suppressed=policy), dataset=dataset)
        start = time.perf_counter()
        run_analysis(spec.with_(suppressed=policy), dataset=dataset)
        took = time.perf_counter() - start
        zero = took if zero is None else zero
        print(f"  --suppressed {policy:<9}: {took:.3f} s (ratio to zero {took / zero:.2f})")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stars.csv"
        cmd = [sys.executable, "-m", "clustermapper", "stars", "--data", str(path), "--out", str(out)]
        t3 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        t4 = time.perf_counter()
    print(f"`clustermapper stars` full command, cold process: {t4 - t3:.3f} s (target < 2 s, ratio {(t4 - t3) / 2:.2f})")


if __name__ == "__main__":
    main()
