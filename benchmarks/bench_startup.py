"""Cold start of the desktop app to the first rendered map (target < 4 s).

Runs ``clustermapper gui --demo --screenshot`` in a fresh Python process (cold: imports, Qt, QtWebEngine,
demo read, stars, page build, render) a few times and prints the wall times and the ratio to the target.

    python benchmarks/bench_startup.py [--runs 3] [--data FILE --year Y]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 4.0


def one_run(extra: list[str], out: Path) -> tuple[float, float, str]:
    """Wall time of the whole process, time from spawn to the map's ``rendered`` signal, and its report."""
    cmd = [sys.executable, "-m", "clustermapper", "gui", *extra, "--screenshot", str(out)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CLUSTERMAPPER_T0": repr(time.time())}
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {proc.stderr[-2000:]}")
    line = proc.stdout.strip()
    match = re.search(r"rendered ([0-9.]+) s", line)
    return took, float(match.group(1)) if match else float("nan"), line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data")
    parser.add_argument("--year")
    args = parser.parse_args()
    extra = ["--data", args.data] if args.data else ["--demo"]
    if args.year:
        extra += ["--year", args.year]
    totals, rendered = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            took, to_map, line = one_run(extra, Path(tmp) / f"shot{i}.png")
            totals.append(took)
            rendered.append(to_map)
            print(f"run {i + 1}: process {took:.2f} s, spawn -> map rendered {to_map:.2f} s  ({line})")
    median = statistics.median(rendered)
    print(f"cold start to rendered map ({' '.join(extra)}): best {min(rendered):.2f} s, median {median:.2f} s "
          f"(whole process incl. screenshot and exit: median {statistics.median(totals):.2f} s); "
          f"target {TARGET_S:.1f} s -> ratio {median / TARGET_S:.2f}")


if __name__ == "__main__":
    main()
