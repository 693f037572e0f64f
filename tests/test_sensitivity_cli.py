"""``clustermapper sensitivity`` and the gap columns of ``clustermapper stars`` on the tiny file (12 regions,
so k = ceil(0.1 × 12) = 2; C29: DE11 90,000, DE12 40,000, ITC1 25,000, FR10 20,000 …)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from tiny_data import write_tiny


def cli(*argv: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clustermapper", *argv], capture_output=True, text=True, cwd=cwd)


def test_stars_csv_has_the_gaps(tmp_path):
    data = write_tiny(tmp_path)
    proc = cli("stars", "--data", str(data), "--out", str(tmp_path / "stars.csv"))
    assert proc.returncode == 0, proc.stderr
    stars = pd.read_csv(tmp_path / "stars.csv", keep_default_na=False).set_index(["region", "category"])
    # FR10 must reach DE12's 40,000 (the second largest other) for the size star: +20,000, written as a whole number
    assert stars.loc[("FR10", "C29"), "size_gap"] == "20000"
    assert stars.loc[("DE11", "C29"), "size_gap"] == "" and stars.loc[("DE11", "C29"), "size_gap_reason"] == "held"


def test_sensitivity_writes_classes_and_the_region_layer(tmp_path):
    data = write_tiny(tmp_path)
    proc = cli("sensitivity", "--data", str(data), "--category", "C29", "--top-share-variants", "0.25",
               "--lq-variants", "3", "--min-employment-variants", "1000", "--out", "s.csv",
               "--regions-out", "r.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "top_share=0.25 (looser)" in proc.stderr and "lq_min=3 (stricter)" in proc.stderr
    rows = pd.read_csv(tmp_path / "s.csv").set_index(["region", "rule"])
    assert set(rows["category"]) == {"C29"} and "absent" not in set(rows["class"])
    # k = 3 at a top share of 0.25: ITC1's 25,000 ranks third
    assert rows.loc[("ITC1", "size"), "class"] == "gained-at-looser"
    assert rows.loc[("DE11", "size"), "class"] == "robust"
    assert "min_employment=1000" not in rows.columns  # the base value is not a variant
    regions = pd.read_csv(tmp_path / "r.csv").set_index("region")
    assert len(regions) == 12 and regions.loc["ITC1", "n_gained_at_looser"] >= 1


def test_sensitivity_usage_errors_exit_2(tmp_path):
    data = write_tiny(tmp_path)
    for argv, message in [
        (("--out", "tiny.csv"), "is the --data input file"),
        (("--regions-out", "tiny.csv"), "is the --data input file"),
        (("--out", "a.csv", "--regions-out", "a.csv"), "two different files"),
        (("--category", "C99"), "--category C99: not a category"),
        (("--lq-variants", "1.5,two"), "--lq-variants '1.5,two'"),
        (("--lq-variants", "0"), "--lq-variants: --lq-min 0.0 is not allowed"),
    ]:
        proc = cli("sensitivity", "--data", str(data), *argv, cwd=tmp_path)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, (argv, proc.stderr)
