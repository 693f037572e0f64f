"""End to end on the real Eurostat regional SBS file: the Commission's 2008 cluster findings come out."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.cli import main

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def analysis_2010(eurostat_file):
    return run_analysis(AnalysisSpec(data=str(eurostat_file), year=2010, level=2, taxonomy="nace-divisions"))


def _stars(analysis, category):
    rows = analysis.category_stars(category).set_index("region")
    return rows


def test_automotive_c29_matches_commission_2008_finding(analysis_2010):
    c29 = _stars(analysis_2010, "C29")["stars"]
    assert {r: int(c29[r]) for r in ("DE11", "DE21", "ITC1", "SE23")} == dict.fromkeys(("DE11", "DE21", "ITC1", "SE23"), 3)
    assert {r: int(c29[r]) for r in ("FR10", "ES51", "ITC4")} == dict.fromkeys(("FR10", "ES51", "ITC4"), 1)


def test_aerospace_midi_pyrenees_is_highly_specialised(analysis_2010):
    assert _stars(analysis_2010, "C30").loc["FR62", "lq"] > 10


def test_only_nuts2_regions_and_consistent_n(analysis_2010):
    stars = analysis_2010.stars
    assert stars["region"].str.len().eq(4).all()
    assert not stars["region"].str.endswith("Z").any()
    n = stars["n_regions"].unique()
    assert len(n) == 1 and n[0] == stars["region"].nunique()
    # k = ceil(0.1 N), exactly
    assert stars["k"].iloc[0] == -(-n[0] // 10)
    # every star row explains itself: a starred size means rank within k
    sized = stars[stars["size_star"]]
    assert (sized["size_rank"] <= sized["k"]).all() and (sized["employment"] >= 1000).all()


def test_stars_cli_writes_the_promised_columns(eurostat_file, tmp_path):
    out = tmp_path / "stars.csv"
    assert main(["stars", "--data", str(eurostat_file), "--year", "2010", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    for col in ("region", "category", "employment", "lq", "size_star", "specialisation_star", "focus_star", "stars"):
        assert col in table.columns
    de11 = table[(table["region"] == "DE11") & (table["category"] == "C29")].iloc[0]
    assert de11["stars"] == 3 and de11["employment"] == 145162


def test_portfolio_cli(eurostat_file, tmp_path, analysis_2010):
    out = tmp_path / "portfolio.csv"
    assert main(["portfolio", "--data", str(eurostat_file), "--year", "2010", "--out", str(out)]) == 0
    table = pd.read_csv(out).set_index("region")
    assert table.loc["DE11", "total_stars"] >= 3
    # the file's counts agree with the stars table they summarise, counted here row by row
    stars = analysis_2010.stars
    for region in ("DE11", "FR62", "ITC4", "SE23"):
        counts = stars.loc[stars["region"] == region, "stars"].value_counts()
        row = table.loc[region]
        assert row["total_stars"] == stars.loc[stars["region"] == region, "stars"].sum()
        assert [row["n_1star"], row["n_2star"], row["n_3star"]] == [counts.get(n, 0) for n in (1, 2, 3)]
        assert row["n_starred"] == int((stars.loc[stars["region"] == region, "stars"] > 0).sum())


def test_default_year_is_the_best_covered(eurostat_file):
    # 2015 is the latest year but covers 167 regions; 2014 (282, tied with 2010) is the later best-covered
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file)))
    assert analysis.year == 2014 and analysis.stars["n_regions"].iloc[0] == 282


@pytest.mark.parametrize(
    "extra, needle",
    [(["--year", "1999"], "1999"), (["--indicator", "V99999"], "V99999")],
)
def test_cli_bad_year_or_indicator_exit_2(eurostat_file, extra, needle):
    proc = subprocess.run(
        [sys.executable, "-m", "clustermapper", "stars", "--data", str(eurostat_file), *extra, "--out", "-"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert needle in proc.stderr and "Traceback" not in proc.stderr
