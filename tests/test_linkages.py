"""Linkages and typology through the pipeline, on a 4-region file whose answers were worked out by hand.

Employment (E_r = 100 everywhere; Europe: C29 100, C10 100, G47 200 of 400):
DE11 50/10/40, DE12 30/30/40, FR10 0 (confidential, counted 0)/20/80, ITC1 20/40/40.
LQ: DE11 2, .4, .8; DE12 1.2, 1.2, .8; FR10 0, .8, 1.6; ITC1 .8, 1.6, .8.
Presence: C29 in DE11, DE12; C10 in DE12, ITC1; G47 in FR10. φ(C29, C10) = 1/2, every other pair 0.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.analytics.linkages import density_table, related_categories, relatedness_density
from clustermapper.analytics.typology import type_counts, typology, typology_cells
from clustermapper.errors import UsageError
from clustermapper.metrics.typology import TypologyParams

ROWS = {"DE11": (50, 10, 40), "DE12": (30, 30, 40), "FR10": (None, 20, 80), "ITC1": (20, 40, 40)}


def write_four(folder) -> str:
    lines = ["region,sector,year,value,flag"]
    for region, values in ROWS.items():
        for sector, value in zip(("C29", "C10", "G47"), values):
            lines.append(f"{region},{sector},2015,{'' if value is None else value},{'c' if value is None else ''}")
    path = folder / "four.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    return write_four(tmp_path_factory.mktemp("four"))


@pytest.fixture(scope="module")
def analysis(four):
    return run_analysis(AnalysisSpec(data=four, year=2015))


def test_related_categories_by_hand(analysis):
    table = related_categories(analysis, "C29", n=None)
    assert table["related"].tolist() == ["C10", "G47"] and table["rank"].tolist() == [1, 2]
    first = table.iloc[0]
    assert first["proximity"] == pytest.approx(0.5) and first["min_conditional"] == pytest.approx(0.5)
    assert (first["co_located"], first["regions_category"], first["regions_related"]) == (1, 2, 2)
    # LQs of C29: 2, 1.2, 0, .8 (deviations from the mean 1: 1, .2, -1, -.2); of C10: .4, 1.2, .8, 1.6
    # (-.6, .2, -.2, .6) → Σ products -.6 + .04 + .2 - .12 = -.48, Σ squares 2.08 and .8
    assert first["lq_pearson"] == pytest.approx(-0.48 / (2.08 * 0.8) ** 0.5)
    assert table.iloc[1]["proximity"] == 0
    # FR10's C29 cell is confidential: one region of every pair rests on it, and it is said
    assert table["regions_on_estimates"].tolist() == [1, 1] and table["on_estimates"].all()
    # without FR10: C29 in DE11, DE12 and C10 in DE12, ITC1 → still 1 / 2
    assert first["min_conditional_published"] == pytest.approx(0.5)


def test_related_categories_top_n_and_measure(analysis):
    table = related_categories(analysis, "C29", n=1, measure="lq-correlation")
    assert len(table) == 1 and table["measure"].iloc[0] == "lq-correlation"
    rho = -0.48 / (2.08 * 0.8) ** 0.5  # C10, as above
    # G47 deviations from 1: -.2, -.2, .6, -.2; C29's: 1, .2, -1, -.2 → Σ = -.2 -.04 -.6 +.04 = -.8
    rho_g47 = -0.8 / (2.08 * 0.48) ** 0.5
    assert rho > rho_g47 and table["related"].iloc[0] == "C10"
    assert table["proximity"].iloc[0] == pytest.approx((1 + rho) / 2)


def test_density_by_hand(analysis):
    density = relatedness_density(analysis, "DE12")
    # around C29: M_C10 = 1 in DE12 (G47 unrelated); around C10: M_C29 = 1; around G47: related to nothing
    assert density.to_dict() == {"C29": 1.0, "C10": 1.0, "G47": 0.0}
    assert relatedness_density(analysis, "DE11").to_dict() == {"C29": 0.0, "C10": 1.0, "G47": 0.0}
    table = density_table(analysis, regions=["FR10", "DE11"], categories=["C10"])
    # FR10's density around C10 rests on its confidential C29 cell (counted absent); DE11's does not
    assert table["on_estimates"].tolist() == [True, False] and table["density"].tolist() == [0.0, 1.0]
    assert table["present"].tolist() == [False, False]


def test_unknown_category_or_region_is_a_usage_error(analysis):
    with pytest.raises(UsageError, match="C30"):
        related_categories(analysis, "C30")
    with pytest.raises(UsageError, match="DE99"):
        relatedness_density(analysis, "DE99")


def test_typology_by_hand(analysis):
    table = typology(analysis).set_index("region")
    # C29 → mobility, C10 → agri-food, G47 → retail; every share ≥ 1 %; DE12 ties at LQ 1.2 (by id)
    assert table["types"].to_dict() == {"DE11": "mobility-transport-automotive",
                                        "DE12": "agri-food;mobility-transport-automotive",
                                        "FR10": "retail", "ITC1": "agri-food"}
    assert table.loc["DE11", "dominant_lq"] == pytest.approx(2.0) and table.loc["DE12", "n_types"] == 2
    assert type_counts(typology(analysis)).to_dict() == {"agri-food": 2, "mobility-transport-automotive": 2,
                                                         "retail": 1}
    # FR10's mobility cell is confidential (counted 0, no type): marked on the cell, not on a type
    cells = typology_cells(analysis).set_index(["region", "ecosystem"])
    assert bool(cells.loc[("FR10", "mobility-transport-automotive"), "on_estimates"])
    assert table.loc["FR10", "types_on_estimates"] == "" and not table.loc["DE11", "on_estimates"]


def test_typology_thresholds(analysis):
    # relevance 35 %: DE12's 30 % shares fail, DE11's 50 %, FR10's 80 % and ITC1's 40 % pass
    share = typology(analysis, TypologyParams(min_share=0.35)).set_index("region")["types"]
    assert share.to_dict() == {"DE11": "mobility-transport-automotive", "DE12": "", "FR10": "retail",
                               "ITC1": "agri-food"}
    # specialisation 1.3: DE12's 1.2 fails
    lq = typology(analysis, TypologyParams(lq_min=1.3)).set_index("region")["n_types"]
    assert lq.to_dict() == {"DE11": 1, "DE12": 0, "FR10": 1, "ITC1": 1}


def _cli(*argv: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clustermapper", *argv], capture_output=True, text=True, cwd=cwd)


def test_cli_related_density_typology(four, tmp_path):
    out = tmp_path / "related.csv"
    proc = _cli("related", "--data", four, "--category", "C29", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out)
    assert table["related"].tolist() == ["C10", "G47"] and table["proximity"].tolist() == [0.5, 0.0]
    proc = _cli("related", "--data", four, "--out", "-")
    assert proc.returncode == 0 and len(pd.read_csv(io.StringIO(proc.stdout))) == 6  # 3 × 2 pairs
    proc = _cli("density", "--data", four, "--region", "DE12", "--out", "-")
    assert proc.returncode == 0 and "DE12,C29,min-conditional,1.0" in proc.stdout
    out = tmp_path / "typology.csv"
    proc = _cli("typology", "--data", four, "--min-share", "0.35", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "share of regional employment ≥ 35.0%" in proc.stderr
    assert pd.read_csv(out, keep_default_na=False).set_index("region").loc["DE12", "types"] == ""


@pytest.mark.parametrize(("argv", "expected"), [
    (("related", "--category", "C30"), "category 'C30' has no data"),
    (("related", "--top", "0"), "--top 0 is not allowed"),
    (("typology", "--min-share", "2"), "--min-share 2.0 is not allowed"),
    (("density", "--region", "XX99"), "region 'XX99'"),
])
def test_cli_errors_exit_2(four, argv, expected):
    proc = _cli(*argv, "--data", four, "--out", "-")
    assert proc.returncode == 2 and expected in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["related", "density", "typology"])
def test_cli_out_never_overwrites_the_input(four, command):
    before = Path(four).read_bytes()
    proc = _cli(command, "--data", four, "--out", four)
    assert proc.returncode == 2 and "is the --data input file" in proc.stderr
    assert Path(four).read_bytes() == before
