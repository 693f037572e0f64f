"""Concentration and specialisation indices on a hand-computed 3 regions × 3 categories table.

        X    Y    Z    E_r   shares s_ir        LQ (s_i = .25 .25 .5)
   A   60   30   10    100   .60 .30 .10       2.4  1.2  0.2
   B   20   50   30    100   .20 .50 .30       0.8  2.0  0.6
   C   20   20  160    200   .10 .10 .80       0.4  0.4  1.6
  E_i 100  100  200    400   weights E_r/E: .25 .25 .50
"""

from __future__ import annotations

from math import log

import numpy as np
import pandas as pd
import pytest
from index_checks import lorenz_gini
from inequality.gini import Gini
from inequality.theil import Theil

from clustermapper.metrics.indices import INDEX_VARIANTS, category_indices, gini, region_indices

EMP = pd.DataFrame({"X": [60.0, 20.0, 20.0], "Y": [30.0, 50.0, 20.0], "Z": [10.0, 30.0, 160.0]}, index=["A", "B", "C"])
TOTAL = pd.Series([100.0, 100.0, 200.0], index=["A", "B", "C"])


def test_category_indices_hand_computed():
    c = category_indices(EMP, TOTAL)
    # Krugman's locational Gini (LQs weighted by E_r/E, weighted mean LQ = 1): Σ_{r<s} w_r w_s |LQ_r − LQ_s|
    # X: .0625·1.6 + .125·2.0 + .125·0.4 = 0.4;  Y: .0625·.8 + .125·.8 + .125·1.6 = 0.35;
    # Z: .0625·.4 + .125·1.4 + .125·1.0 = 0.325
    assert c["locational_gini__lq_weighted"].tolist() == pytest.approx([0.4, 0.35, 0.325], abs=1e-12)
    # the Lorenz curve of X: cumulative (total, category) shares (.5, .2), (.75, .4), (1, 1) → area .3 → G = .4
    assert lorenz_gini([0.6, 0.2, 0.2], [0.25, 0.25, 0.5]) == pytest.approx(0.4, abs=1e-12)
    # unweighted Gini of X's LQs 2.4, .8, .4: Σ_{r<s}|Δ| = 4.0; G = 2·4 / (2·3²·1.2) = 10/27
    assert c.loc["X", "locational_gini__lq_unweighted"] == pytest.approx(10 / 27, abs=1e-12)
    # unweighted Gini of X's employment 60, 20, 20: Σ|Δ| = 80; G = 2·80 / (2·9·100/3) = 4/15
    assert c.loc["X", "locational_gini__employment_unweighted"] == pytest.approx(4 / 15, abs=1e-12)
    # Hoover concentration 0.5 Σ_r |e_ir/E_i − E_r/E|: X .5(.35+.05+.3) = .35; Y .5(.05+.25+.3) = .3; Z .5(.2+.1+.3) = .3
    assert c["hoover_concentration__vs_region_total"].tolist() == pytest.approx([0.35, 0.3, 0.3], abs=1e-12)


def test_region_indices_hand_computed():
    r = region_indices(EMP, TOTAL)
    # Hoover: A .5(.35+.05+.4) = .4; B .5(.05+.25+.2) = .25; C .5(.15+.15+.3) = .3
    assert r["hoover_specialisation__vs_all_regions"].tolist() == pytest.approx([0.4, 0.25, 0.3], abs=1e-12)
    assert r["krugman_specialisation__vs_all_regions"].tolist() == pytest.approx([0.8, 0.5, 0.6], abs=1e-12)
    # against the others: A vs B+C (40, 70, 190)/300 → .4667+.0667+.5333 = 16/15; B vs A+C (80, 50, 170)/300
    # → .0667+.3333+.2667 = 2/3; C vs A+B (80, 80, 40)/200 → .3+.3+.6 = 1.2
    assert r["krugman_specialisation__vs_other_regions"].tolist() == pytest.approx([16 / 15, 2 / 3, 1.2], abs=1e-12)
    assert r.loc["A", "entropy__shannon"] == pytest.approx(-(0.6 * log(0.6) + 0.3 * log(0.3) + 0.1 * log(0.1)))
    assert r.loc["A", "entropy__shannon"] == pytest.approx(0.897946, abs=1e-6)
    # Theil T against Europe = Σ s ln LQ: A .6 ln 2.4 + .3 ln 1.2 + .1 ln .2 = .525281 + .054697 − .160944
    assert r.loc["A", "theil__t_vs_europe"] == pytest.approx(0.419034, abs=1e-6)
    assert r.loc["C", "theil__t_vs_europe"] == pytest.approx(0.1 * log(0.4) * 2 + 0.8 * log(1.6))
    assert r.loc["A", "theil__t_vs_even"] == pytest.approx(log(3) - 0.897946, abs=1e-6)
    assert r["coverage__categories_over_region_total"].tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_shares_are_of_the_region_total_not_the_categories_sum():
    # A's total is 200 (half its employment outside X, Y, Z): s_A = (.3, .15, .05), E = 500, s_i = (.2, .2, .4)
    r = region_indices(EMP, TOTAL.mask(TOTAL.index == "A", 200.0))
    assert r.loc["A", "coverage__categories_over_region_total"] == pytest.approx(0.5)
    assert r.loc["A", "hoover_specialisation__vs_all_regions"] == pytest.approx(0.5 * (0.1 + 0.05 + 0.35))


def test_zero_cells_and_zero_totals():
    emp = pd.DataFrame({"X": [10.0, 0.0, np.nan], "Y": [0.0, 10.0, 5.0], "W": [0.0, 0.0, 0.0]}, index=["A", "B", "Q"])
    totals = pd.Series([10.0, 10.0, 0.0], index=["A", "B", "Q"])  # Q has no employment: left out (N = 2)
    r = region_indices(emp, totals)
    assert list(r.index) == ["A", "B"]
    assert r.loc["A", "entropy__shannon"] == 0.0  # all in one category; 0 ln 0 = 0
    assert r.loc["A", "theil__t_vs_europe"] == pytest.approx(log(2))  # s = 1 in X, s_X = .5
    c = category_indices(emp, totals)
    assert np.isnan(c.loc["W"]).all()  # no employment anywhere: no index
    lone = region_indices(emp.loc[["A"]], totals.loc[["A"]])
    assert np.isnan(lone.loc["A", "krugman_specialisation__vs_other_regions"])  # no other region


def test_gini_weighted_equals_replicated_unweighted():
    # weights 1, 2, 3 equal replicating the observations: 5 once, 1 twice, 3 three times
    assert gini([5.0, 1.0, 3.0], [1, 2, 3]) == pytest.approx(gini([5, 1, 1, 3, 3, 3]), abs=1e-14)
    assert gini([4.0, 4.0]) == 0.0 and gini([0.0, 1.0]) == pytest.approx(0.5)  # raw form: n/(n−1) not applied
    assert np.isnan(gini([0.0, 0.0])) and np.isnan(gini([]))


def test_agrees_with_pysal_inequality_on_the_hand_table():
    c, r = category_indices(EMP, TOTAL), region_indices(EMP, TOTAL)
    lq = (EMP.div(TOTAL, axis=0)) / (EMP.sum() / TOTAL.sum())
    for cat in EMP.columns:
        assert c.loc[cat, "locational_gini__lq_unweighted"] == pytest.approx(Gini(lq[cat].to_numpy()).g, abs=1e-12)
        assert c.loc[cat, "locational_gini__employment_unweighted"] == pytest.approx(Gini(EMP[cat].to_numpy()).g, abs=1e-12)
    for region in EMP.index:
        assert r.loc[region, "theil__t_vs_even"] == pytest.approx(float(Theil(EMP.loc[region].to_numpy()).T), abs=1e-12)


def test_every_variant_is_a_column_once():
    columns = [v.column for v in INDEX_VARIANTS]
    assert len(columns) == len(set(columns))
    assert set(category_indices(EMP, TOTAL).columns) | set(region_indices(EMP, TOTAL).columns) == set(columns)
