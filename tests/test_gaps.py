"""Distance to the next star on a table small enough to solve by hand (numbers worked out in the comments)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics import gap_exact
from clustermapper.metrics.gaps import GAP_COLUMNS, REASON_COLUMNS, gap_phrase, star_gaps, with_gaps
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import compute_stars

# Four regions, E = 10,000; category X: E_X = 650, category Y: E_Y = 1,600. top_share 0.25 → k = 1.
EMPLOYMENT = pd.DataFrame({"X": [100, 50, 200, 300], "Y": [0, 500, 100, 1000]}, index=list("ABCD"), dtype=float)
TOTALS = pd.Series([1000, 1000, 2000, 6000], index=list("ABCD"), dtype=float)


def gaps(min_employment: float = 100, excluded: pd.DataFrame | None = None) -> pd.DataFrame:
    params = StarParams(top_share=0.25, lq_min=2, min_employment=min_employment)
    table = with_gaps(compute_stars(EMPLOYMENT, TOTALS, params, excluded=excluded), params, excluded)
    return table.set_index(["region", "category"])


def test_hand_computed_gaps():
    t = gaps()
    # B,X (e = 50, E_r = 1,000). Size: the largest other is D's 300 → +250.
    # Focus: others' top share is 0.1 (A and C): (50+x)/(1000+x) ≥ 0.1 ⇔ 0.9x ≥ 50 ⇔ x ≥ 55.6 → +56.
    # Specialisation: (50+x)(10000+x) ≥ 2(1000+x)(650+x) ⇔ x² − 6750x + 800000 ≤ 0 ⇔ 120.68 ≤ x ≤ 6629.3 → +121.
    assert t.loc[("B", "X"), list(GAP_COLUMNS)].tolist() == [250, 121, 56]
    # A,X holds the focus star (share 0.1 ties C's). Size +200 (to 300). LQ: x² − 6800x + 300000 ≤ 0 → x ≥ 44.4 → +45.
    assert t.loc[("A", "X"), ["size_gap", "specialisation_gap"]].tolist() == [200, 45]
    assert pd.isna(t.loc[("A", "X"), "focus_gap"]) and t.loc[("A", "X"), "focus_gap_reason"] == "held"
    # A,Y is empty. Size +1,000 (to D's 1,000), focus x/(1000+x) ≥ 0.5 → +1,000 (a tie shares the star).
    # LQ: x² − 4800x + 3,200,000 ≤ 0, √D = 3200 exactly: 800 ≤ x ≤ 4000; at 800 the LQ is exactly 2.
    assert t.loc[("A", "Y"), list(GAP_COLUMNS)].tolist() == [1000, 800, 1000]
    # D,X: size held; focus (300+x)/(6000+x) ≥ 0.1 → x ≥ 333.3 → +334; LQ: −x² − 3000x − 4.8e6 < 0 always.
    assert pd.isna(t.loc[("D", "X"), "size_gap"]) and t.loc[("D", "X"), "size_gap_reason"] == "held"
    assert t.loc[("D", "X"), "focus_gap"] == 334
    assert t.loc[("D", "X"), "specialisation_gap_reason"] == "out of reach"
    # C,Y (100 of 2,000): focus must reach B's 0.5: 100 + x ≥ 1000 + 0.5x → +1,800; C,X LQ → +126.
    assert t.loc[("C", "Y"), "focus_gap"] == 1800 and t.loc[("C", "X"), "specialisation_gap"] == 126
    assert t["size_gap"].dtype == "Int64" and set(REASON_COLUMNS) <= set(t.columns)


def test_minimum_employment_can_put_a_peaking_lq_out_of_reach():
    t = gaps(min_employment=5000)
    # A,Y: the LQ is ≥ 2 only for 800 ≤ x ≤ 4000, but the minimum needs x ≥ 5,000: out of reach.
    assert t.loc[("A", "Y"), "specialisation_gap_reason"] == "out of reach"
    assert t.loc[("A", "Y"), ["size_gap", "focus_gap"]].tolist() == [5000, 5000]
    # D,X holds the size rank but not the minimum: 300 + 4,700 = 5,000.
    assert t.loc[("D", "X"), "size_gap"] == 4700


def test_excluded_cells_get_no_gap_and_leave_the_thresholds():
    excluded = pd.DataFrame(False, index=EMPLOYMENT.index, columns=EMPLOYMENT.columns)
    excluded.loc["D", "X"] = True  # D's 300 leaves X's ranking: the size bar for B is C's 200
    t = gaps(excluded=excluded)
    assert t.loc[("D", "X"), list(REASON_COLUMNS)].tolist() == ["excluded"] * 3
    assert t.loc[("D", "X"), list(GAP_COLUMNS)].isna().all()
    assert t.loc[("B", "X"), "size_gap"] == 150


def test_exact_specialisation_solver_by_hand():
    L = Fraction(2)
    # A,Y above: the admissible interval is [800, 4000]
    assert gap_exact.specialisation_gap_exact(0.0, 1000.0, Fraction(1600), Fraction(9000), L, 1) == 800
    assert gap_exact.specialisation_gap_exact(0.0, 1000.0, Fraction(1600), Fraction(9000), L, 4000) == 4000
    assert gap_exact.specialisation_gap_exact(0.0, 1000.0, Fraction(1600), Fraction(9000), L, 4001) is None
    # L = 1 is linear: (e+x)(E+x) ≥ (E_r+x)(E_i+x); L < 1 convex. Both unbounded above.
    # (50+x)(10000+x) ≥ (1000+x)(650+x) ⇔ 8400x ≥ 150000 ⇔ x ≥ 17.9 → 18
    assert gap_exact.specialisation_gap_exact(50.0, 1000.0, Fraction(600), Fraction(9000), Fraction(1), 0) == 18
    # x(10000+x) ≥ 0.5 (1000+x)(1600+x) ⇔ 0.5x² + 8700x − 800000 ≥ 0 ⇔ x ≥ 91.5 → 92
    assert gap_exact.specialisation_gap_exact(0.0, 1000.0, Fraction(1600), Fraction(9000), Fraction(1, 2), 1) == 92


def test_exact_focus_solver_by_hand():
    assert gap_exact.focus_gap_exact(50.0, 1000.0, Fraction(1, 10), 0) == 56
    assert gap_exact.focus_gap_exact(50.0, 1000.0, None, 7) == 7  # fewer than k others: only the minimum
    assert gap_exact.focus_gap_exact(50.0, 1000.0, Fraction(1), 0) is None  # a share of 1 is never reached
    assert gap_exact.focus_gap_exact(1000.0, 1000.0, Fraction(1), 0) == 0


def test_non_integer_estimates_still_give_whole_employees():
    emp = EMPLOYMENT.copy()
    emp.loc["B", "X"] = 49.75
    params = StarParams(top_share=0.25, lq_min=2, min_employment=100)
    t = with_gaps(compute_stars(emp, TOTALS, params), params).set_index(["region", "category"])
    assert t.loc[("B", "X"), "size_gap"] == 251  # 49.75 + 250 < 300 ≤ 49.75 + 251


def test_gap_phrase_and_empty_table():
    t = gaps().reset_index()
    row = t[(t.region == "B") & (t.category == "X")].iloc[0]
    assert gap_phrase(row, "specialisation") == "+121 employees → specialisation star"
    assert gap_phrase(t[(t.region == "D") & (t.category == "X")].iloc[0], "size") is None
    empty = compute_stars(EMPLOYMENT.iloc[:0], TOTALS.iloc[:0])
    assert list(star_gaps(empty, StarParams()).columns) == [*GAP_COLUMNS, *REASON_COLUMNS]


def test_refuses_a_partial_table():
    params = StarParams()
    stars = compute_stars(EMPLOYMENT, TOTALS, params)
    with pytest.raises(ValueError, match="full stars table"):
        star_gaps(stars.iloc[1:], params)
    assert np.all(star_gaps(stars, params).index == stars.index)


def test_nearest_gaps_of_a_table_are_each_rows_nearest_gap():
    """The map tooltips' vectorised form gives what each row's nearest_gap gives: the cheapest rule (ties in
    rule order), the estimate wording on hidden cells, None where no star is in reach (the demo's 2014 stars:
    all three gap kinds, ties and estimated cells occur)."""
    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.metrics.gaps import nearest_gap, nearest_gaps

    stars = run_analysis(AnalysisSpec(demo=True, year=2014)).stars
    expected = [nearest_gap(r) for r in stars.to_dict("records")]
    assert nearest_gaps(stars) == expected
    assert any(e and e.startswith("≈") for e in expected) and None in expected
    gaps = stars[["size_gap", "specialisation_gap", "focus_gap"]]
    assert (gaps["size_gap"] == gaps["focus_gap"]).fillna(False).any()  # a tie: rule order decides
    as_float = stars.astype({"size_gap": float})  # another dtype: row by row, the same texts
    assert nearest_gaps(as_float) == expected


@pytest.mark.filterwarnings("error::RuntimeWarning")
def test_an_lq_cut_that_overflows_the_floats_goes_to_the_exact_solver():
    # --lq-min 1e300 squared overflows the float quadratic (a RuntimeWarning became an "internal error").
    # No LQ reaches it: E/E_i bounds the LQ of any cell, so every specialisation star is out of reach.
    params = StarParams(top_share=0.25, lq_min=1e300, min_employment=100)
    t = with_gaps(compute_stars(EMPLOYMENT, TOTALS, params), params).set_index(["region", "category"])
    assert (t["specialisation_gap_reason"] == "out of reach").all()
    assert t.loc[("B", "X"), ["size_gap", "focus_gap"]].tolist() == [250, 56]  # the other rules are unchanged

