"""Method presets on a 5-region table whose answers are worked out by hand (docs/analytics.md, "Method presets").

Regions R1..R5, categories A and B, persons employed e and E_r = e_A + e_B:

    e_A = 4000 2000 1000  500    0     E_r = 5000 4000 4000 2000 2500, E = 17500
    e_B = 1000 2000 3000 1500 2500     E_A = 7500, E_B = 10000

LQ_A = share × 7/3 = 28/15, 7/6, 7/12, 7/12, 0;  LQ_B = share × 7/4 = 0.35, 0.875, 1.3125, 1.3125, 1.75.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clustermapper.errors import UsageError
from clustermapper.metrics.methods import method_params
from clustermapper.metrics.methods.percentiles import (
    above_percentile,
    at_least_percentile,
    linear_percentile,
    percentile_rank,
)
from clustermapper.metrics.methods.scoring import CellInputs, score_cells
from clustermapper.metrics.stars import compute_stars

R = ["R1", "R2", "R3", "R4", "R5"]
NAN = float("nan")


def frame(a, b) -> pd.DataFrame:
    return pd.DataFrame({"A": a, "B": b}, index=pd.Index(R, name="region"), dtype=object).infer_objects()


EMP = frame([4000, 2000, 1000, 500, 0], [1000, 2000, 3000, 1500, 2500]).astype(float)
TOTAL = EMP.sum(axis=1)
STATUS = frame(["reported"] * 4 + ["zero"], ["reported", "reported", "estimated", "reported", "reported"])


def cell(table: pd.DataFrame, region: str, category: str) -> pd.Series:
    return table[(table["region"] == region) & (table["category"] == category)].iloc[0]


def starred(table: pd.DataFrame, column: str = "stars") -> set[tuple[str, str]]:
    rows = table[table[column].astype(int) > 0]
    return set(zip(rows["region"], rows["category"]))


# --- percentiles (numpy's default linear interpolation) ------------------------------------------------

def test_percentiles_by_hand_with_ties():
    lq_a = np.array([28 / 15, 7 / 6, 7 / 12, 7 / 12, NAN])  # R5 has no employment: outside the population
    # sorted 7/12, 7/12, 7/6, 28/15; P75 at position 0.75·3 = 2.25: 7/6 + 0.25·(28/15 − 7/6) = 161/120
    assert linear_percentile(lq_a, 75) == pytest.approx(161 / 120, rel=1e-15)
    assert at_least_percentile(lq_a, 75).tolist() == [True, False, False, False, False]
    # tied values take the highest position of their group: (2 − 1)/3 for both 7/12
    assert np.allclose(percentile_rank(lq_a)[:4], [100, 200 / 3, 100 / 3, 100 / 3])
    assert math.isnan(percentile_rank(lq_a)[4])
    # a threshold exactly on a tied value: P75 of 0.35, 0.875, 1.3125, 1.3125, 1.75 is x_3 = 1.3125
    lq_b = np.array([0.35, 0.875, 1.3125, 1.3125, 1.75])
    assert linear_percentile(lq_b, 75) == 1.3125
    assert at_least_percentile(lq_b, 75).tolist() == [False, False, True, True, True]
    # strictly above P25 = x_1 = 1500: the region at 1500 is not above
    assert above_percentile(np.array([1000, 2000, 3000, 1500, 2500.0]), 25).tolist() == [False, True, True, False, True]


def test_percentile_rules_agree_with_numpy_on_tied_integers():
    rng = np.random.default_rng(7)
    for _ in range(300):
        x = rng.integers(0, 6, size=int(rng.integers(1, 12))).astype(float)
        q = float(rng.choice([0, 10, 25, 50, 75, 90, 100, 33.3]))
        p = np.percentile(x, q)
        assert at_least_percentile(x, q).tolist() == (x >= p).tolist()
        assert above_percentile(x, q).tolist() == (x > p).tolist()
        assert ((percentile_rank(x) >= q) == (x >= p)).all()


# --- eco2008 is today's compute_stars ----------------------------------------------------------------------

def test_eco2008_audit_is_compute_stars():
    table = score_cells(method_params("eco2008"), CellInputs(EMP, TOTAL, status=STATUS))
    stars = compute_stars(EMP, TOTAL)
    assert table["stars"].tolist() == stars["stars"].tolist()
    for rule, column in (("size", "size_star"), ("specialisation", "specialisation_star"), ("focus", "focus_star")):
        assert table[f"{rule}_star"].tolist() == stars[column].tolist()
    a = table[table["category"] == "A"]
    assert a["size_value"].tolist() == [4000, 2000, 1000, 500, 0]
    assert a["size_percentile"].tolist() == [100, 75, 50, 25, 0]  # N = 5 regions, the empty cell included
    assert a["size_threshold"].tolist() == [4000] * 5  # k = ceil(0.1 × 5) = 1
    assert a["size_rank"].tolist() == [1, 2, 3, 4, 5]
    # no LQ reaches 2; size (k = 1): R1 A, R3 B; focus: R1 A (share 0.8), R5 B (share 1.0)
    assert starred(table) == {("R1", "A"), ("R3", "B"), ("R5", "B")}
    assert cell(table, "R1", "A")["stars"] == 2
    assert cell(table, "R3", "B")["size_status"] == "estimated"
    assert not cell(table, "R3", "B")["size_published"]


# --- uscmp ------------------------------------------------------------------------------------------------

UNITS = frame([40, NAN, 10, 5, NAN], [8, 20, 30, 12, 25])
UNITS_STATUS = frame(["reported", "confidential", "reported", "reported", "zero"], ["reported"] * 5)


def uscmp(**thresholds) -> pd.DataFrame:
    return score_cells(method_params("uscmp", thresholds),
                       CellInputs(EMP, TOTAL, status=STATUS, local_units=UNITS, local_units_status=UNITS_STATUS))


def test_uscmp_by_hand():
    table = uscmp()
    r1a = cell(table, "R1", "A")
    assert r1a["specialisation_threshold"] == pytest.approx(161 / 120)
    assert r1a["size_threshold"] == 875  # employment 500 1000 2000 4000: position 0.75 → 500 + 0.75·500
    assert r1a["establishments_threshold"] == 7.5  # units 5 10 40 (R2 confidential): position 0.5
    assert [bool(cell(table, r, "A")["lq_floor_star"]) for r in R] == [True, True, False, False, False]
    assert [bool(cell(table, r, "A")["size_star"]) for r in R] == [True, True, True, False, False]
    assert [bool(cell(table, r, "A")["establishments_star"]) for r in R] == [True, False, True, False, False]
    b = table[table["category"] == "B"]
    assert b["specialisation_star"].tolist() == [False, False, True, True, True]  # P75 = 1.3125, ties included
    assert b["size_star"].tolist() == [False, True, True, False, True]  # strictly above P25 = 1500
    assert b["establishments_star"].tolist() == [False, True, True, False, True]  # strictly above P25 = 12
    assert starred(table) == {("R1", "A"), ("R3", "B"), ("R5", "B")}
    assert table["stars"].max() == 1
    # R5 has no A employment: outside the population, no rank; R2's units are confidential: said, never 0
    r5a, r2a = cell(table, "R5", "A"), cell(table, "R2", "A")
    assert math.isnan(r5a["specialisation_rank"]) and math.isnan(r5a["specialisation_percentile"])
    assert math.isnan(r2a["local_units"]) and math.isnan(r2a["establishments_value"])
    assert r2a["establishments_status"] == "confidential" and not r2a["establishments_published"]
    assert [cell(table, r, "A")["specialisation_rank"] for r in R[:4]] == [1, 2, 3, 3]


def test_uscmp_strong10_variant():
    # P90 of LQ_B at position 3.6: 1.3125 + 0.6 × 0.4375 = 1.575
    table = uscmp(lq_percentile=90)
    assert cell(table, "R5", "B")["specialisation_threshold"] == pytest.approx(1.575)
    assert starred(table) == {("R1", "A"), ("R5", "B")}  # R1 A: LQ 28/15 is the top of four (position 3 ≥ 2.7)


# --- eocic ------------------------------------------------------------------------------------------------

WAGES = frame([200, 120, NAN, 30, 0], [30, 60, 90, 45, 75])  # B: 0.03 per person everywhere
WAGES_STATUS = frame(["reported", "reported", "confidential", "reported", "zero"], ["reported"] * 5)


def eocic(**thresholds) -> pd.DataFrame:
    return score_cells(method_params("eocic", thresholds),
                       CellInputs(EMP, TOTAL, status=STATUS, wages=WAGES, wages_status=WAGES_STATUS))


def test_eocic_productivity_by_hand():
    table = eocic()
    # A: European level over R1, R2, R4 (R3's wages are confidential): 350 / 6500 = 7/130 per person
    a = {r: cell(table, r, "A") for r in R}
    assert a["R1"]["european_wages_per_person"] == pytest.approx(7 / 130)
    assert a["R1"]["productivity_value"] == pytest.approx(13 / 14)
    assert a["R2"]["productivity_value"] == pytest.approx(39 / 35)
    assert a["R4"]["productivity_value"] == pytest.approx(39 / 35)
    assert [a[r]["productivity_rank"] for r in ("R1", "R2", "R4")] == [3, 1, 1]
    assert [a[r]["productivity_percentile"] for r in ("R1", "R2", "R4")] == [0, 100, 100]
    # R4 is above the European level but below 1,000 persons: no star
    assert [bool(a[r]["productivity_star"]) for r in R] == [False, True, False, False, False]
    assert math.isnan(a["R3"]["productivity_value"]) and a["R3"]["productivity_status"] == "confidential"
    # B: every region pays exactly the European level: relative productivity 1, star at ≥ 1 (decided exactly)
    b = table[table["category"] == "B"]
    assert b["productivity_value"].to_numpy() == pytest.approx([1.0] * 5)
    assert b["productivity_star"].all()
    assert b["size_star"].tolist() == [False, False, True, False, False]
    assert dict(zip(b["region"], b["stars"])) == {"R1": 1, "R2": 1, "R3": 2, "R4": 1, "R5": 1}
    assert dict(zip(table[table["category"] == "A"]["region"], table[table["category"] == "A"]["stars"])) == \
        {"R1": 1, "R2": 1, "R3": 0, "R4": 0, "R5": 0}  # R1: size only (LQ 1.87 < 2)


def test_eocic_thresholds_move_the_stars():
    table = eocic(lq_min=1.5, productivity_min=1.1)
    assert bool(cell(table, "R1", "A")["specialisation_star"])  # LQ 28/15 ≥ 1.5
    assert bool(cell(table, "R5", "B")["specialisation_star"])  # LQ 1.75
    assert starred(table, "productivity_star") == {("R2", "A")}  # 39/35 = 1.114 ≥ 1.1; B's 1.0 no longer


# --- growth -----------------------------------------------------------------------------------------------

BASE = frame([3200, 2000, 1250, 0, NAN], [1000, 1600, 2400, 1000, NAN]).iloc[:4]  # R5 absent in the base year
BASE_TOTAL = BASE.sum(axis=1)


def growth(**thresholds) -> pd.DataFrame:
    return score_cells(method_params("growth", thresholds),
                       CellInputs(EMP, TOTAL, status=STATUS, base_employment=BASE, base_region_total=BASE_TOTAL,
                                  base_status=BASE.map(lambda v: "zero" if v == 0 else "reported")))


def test_growth_by_hand():
    table = growth()
    a = {r: cell(table, r, "A") for r in R}
    # Europe A over R1..R4 (R5 not in the base year): 7500 / 6450 − 1 = 7/43
    assert a["R1"]["european_growth"] == pytest.approx(7 / 43)
    assert a["R1"]["growth_value"] == 0.25 and a["R2"]["growth_value"] == 0 and a["R3"]["growth_value"] == pytest.approx(-0.2)
    assert math.isnan(a["R4"]["growth_value"])  # no base employment: growth undefined, no star
    assert math.isnan(a["R5"]["growth_value"]) and a["R5"]["growth_status"] == "missing"
    assert starred(table, "growth_star") == {("R1", "A"), ("R4", "B")}
    b = table[table["category"] == "B"]
    # Europe B: 7500 / 6000 − 1 = 0.25 exactly; R2 and R3 grow by exactly 0.25: not above it
    assert b["growth_threshold"].iloc[0] == 0.25
    assert b["growth_value"].tolist()[:4] == [0, 0.25, 0.25, 0.5]
    assert b["growth_rank"].tolist()[:4] == [4, 2, 2, 1]
    assert b["growth_percentile"].tolist()[:4] == pytest.approx([0, 200 / 3, 200 / 3, 100])


def test_growth_margin():
    assert starred(growth(margin=-0.05), "growth_star") == {("R1", "A"), ("R2", "B"), ("R3", "B"), ("R4", "B")}
    assert starred(growth(margin=0.1), "growth_star") == {("R4", "B")}  # A: 0.25 < 7/43 + 0.1
    assert starred(growth(min_employment=1600), "growth_star") == {("R1", "A")}  # R4 B has 1,500


# --- every method writes the same audit columns per rule ------------------------------------------------

@pytest.mark.parametrize("name, run", [("eco2008", lambda: score_cells(method_params("eco2008"), CellInputs(EMP, TOTAL))),
                                       ("eocic", eocic), ("uscmp", uscmp), ("growth", growth)])
def test_audit_columns(name, run):
    table = run()
    assert set(method_params(name).method.audit_columns()) <= set(table.columns)
    assert table.columns.is_unique and "stars" in table


@pytest.mark.parametrize("name, value", [("productivity_min", "nan"), ("productivity_min", "0"), ("lq_min", "inf"),
                                         ("size_top_share", "1.5"), ("productivity_min", "x")])
def test_thresholds_refused(name, value):
    with pytest.raises(UsageError, match=name):
        method_params("eocic", {name: value})


def test_unknown_threshold_lists_the_known_ones():
    with pytest.raises(UsageError, match="size_top_share, lq_min, productivity_min, min_employment"):
        method_params("eocic", {"productivity": 1.1})
    with pytest.raises(UsageError, match="eco2008, eocic, uscmp, growth"):
        method_params("eocic2")


def test_growth_equal_to_the_threshold_is_decided_exactly():
    # Europe: 5000 / 4000 − 1 = 0.25; R1 grows by 2700 / 2000 − 1 = 0.35 = 0.25 + margin 0.1 exactly: not above
    # (in floats 2700/2000 − 1 = 0.35000000000000009 > 0.25 + 0.1: a float comparison would give the star)
    now, then = pd.DataFrame({"A": [2700.0, 2300.0]}, index=["R1", "R2"]), pd.DataFrame({"A": [2000.0, 2000.0]},
                                                                                        index=["R1", "R2"])
    def run(margin):
        inputs = CellInputs(now, now["A"], base_employment=then, base_region_total=then["A"])
        return score_cells(method_params("growth", {"margin": margin}), inputs)["growth_star"].tolist()
    assert run(0.1) == [False, False]
    assert run(0.09) == [True, False]
