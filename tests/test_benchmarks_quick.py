"""``python benchmarks/run.py --quick`` runs and prints its table (no timing is asserted: benchmarks report
times, tests never judge them). On the real file when ../shared has it, else on the embedded demo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_quick_benchmarks_print_their_table():
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick"], capture_output=True,
                          text=True, timeout=600, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("case "))
    assert lines[header].split() == ["case", "time", "timed", "peak", "MB", "pandas", "ref", "ratio", "target", "met",
                                     "cpu", "s", "cpu", "ratio"]
    rows = lines[header + 2:header + 5]
    assert [r.split()[0] for r in rows] == ["read", "stars", "synthetic"]
    for row in rows:  # a time, a memory figure and a ratio against the pandas reference on every line
        assert (" ms " in row or " s " in row) and "x " in row, row
