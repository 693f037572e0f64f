"""Hand-computed fixtures for the ECO 2008 star method (arithmetic in the comments)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics.explain import explain_row, explain_star
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import STAR_COLUMNS, compute_stars, exact, top_k


def _regions(n: int) -> list[str]:
    return [f"R{i:02d}" for i in range(1, n + 1)]


def _row(stars: pd.DataFrame, region: str, category: str) -> pd.Series:
    return stars[(stars["region"] == region) & (stars["category"] == category)].iloc[0]


def test_columns_dtypes_and_order():
    emp = pd.DataFrame({"B": [2000.0, 1500.0], "A": [1000.0, 3000.0]}, index=["R2", "R1"])
    stars = compute_stars(emp, pd.Series({"R1": 10000.0, "R2": 10000.0}))
    assert tuple(stars.columns) == STAR_COLUMNS
    # category order is the employment column order (taxonomy order), regions sorted within it
    assert list(zip(stars["category"], stars["region"])) == [("B", "R1"), ("B", "R2"), ("A", "R1"), ("A", "R2")]
    assert stars["size_star"].dtype == bool and stars["stars"].dtype == np.int64
    assert stars["n_flagged"].dtype == np.int64 and stars["size_rank"].dtype == np.int64


@pytest.mark.parametrize("share, n, k", [(0.1, 30, 3), (0.1, 282, 29), (0.1, 20, 2), (0.07, 100, 7),
                                         (0.14, 50, 7), (0.1, 1, 1), (0.0, 50, 0), ("0.25", 10, 3)])
def test_k_is_exact(share, n, k):
    # float: 0.07 * 100 = 7.000000000000001 -> ceil 8; 0.14 * 50 = 7.000000000000001 -> 8
    assert top_k(share, n) == k


def test_exact_parameter_text():
    assert exact(0.1) == Fraction(1, 10) and exact(2.0) == 2 and exact("1.1") == Fraction(11, 10)


def test_k_float_trap_n30_in_table():
    # 30 regions with e = 1000, 2000, ..., 30000 in one category, equal totals -> k = ceil(3) = 3
    emp = pd.DataFrame({"A": [1000.0 * i for i in range(1, 31)]}, index=_regions(30))
    stars = compute_stars(emp, pd.Series(100_000.0, index=_regions(30)))
    assert stars["k"].iloc[0] == 3 and stars["n_regions"].iloc[0] == 30
    assert sorted(stars.loc[stars["size_star"], "region"]) == ["R28", "R29", "R30"]
    assert stars["size_threshold"].iloc[0] == 28000.0  # the 3rd largest


def test_k_float_trap_n100_top7():
    emp = pd.DataFrame({"A": [1000.0 * i for i in range(1, 101)]}, index=[f"R{i:03d}" for i in range(1, 101)])
    stars = compute_stars(emp, pd.Series(1e6, index=emp.index), StarParams(top_share=0.07))
    assert stars["k"].iloc[0] == 7 and stars["size_star"].sum() == 7


def test_ties_at_the_boundary_all_get_the_star():
    # N = 20 -> k = ceil(0.1 * 20) = 2. R01 = 5000; R02, R03, R04 tied at 3000 (rank 2: one larger value);
    # the others 1000 (rank 5). Ranks <= 2: R01..R04 -> four size stars although k = 2.
    values = [5000.0, 3000.0, 3000.0, 3000.0] + [1000.0] * 16
    emp = pd.DataFrame({"A": values}, index=_regions(20))
    stars = compute_stars(emp, pd.Series(100_000.0, index=_regions(20)))
    assert stars["k"].iloc[0] == 2
    assert stars.set_index("region")["size_rank"].loc[["R01", "R02", "R03", "R04", "R05"]].tolist() == [1, 2, 2, 2, 5]
    assert sorted(stars.loc[stars["size_star"], "region"]) == ["R01", "R02", "R03", "R04"]
    assert stars["size_threshold"].iloc[0] == 3000.0
    # equal totals: focus is the same ranking
    assert stars["focus_star"].tolist() == stars["size_star"].tolist()


def test_focus_ties_are_exact_rationals():
    # shares 5000/100000 = 2500/50000 = 10000/200000 = 1/20 exactly: one tie, rank 1 for all three;
    # R04 has 1000/50000 = 1/50 (rank 4). 20 regions -> k = 2; the three tied regions all get a focus star.
    e = [5000.0, 2500.0, 10000.0, 1000.0] + [1000.0] * 16
    E = [100_000.0, 50_000.0, 200_000.0, 50_000.0] + [1_000_000.0] * 16
    stars = compute_stars(pd.DataFrame({"A": e}, index=_regions(20)), pd.Series(E, index=_regions(20)))
    s = stars.set_index("region")
    assert s["focus_rank"].loc[["R01", "R02", "R03", "R04", "R05"]].tolist() == [1, 1, 1, 4, 5]
    assert s["focus_star"].loc[["R01", "R02", "R03"]].all() and not s.loc["R04", "focus_star"]


def test_focus_float_tie_is_broken_exactly():
    # The two shares round to the same float, but 2486716/3993383 > 12433580.000000002/19966915.000000004
    # exactly (checked with Fractions below), so R1 ranks 1 and R2 ranks 2; top_share 0.5 of N = 2 -> k = 1.
    e1, E1, e2, E2 = 2486716.0, 3993383.0, 12433580.000000002, 19966915.000000004
    assert e1 / E1 == e2 / E2 and Fraction(e1) / Fraction(E1) > Fraction(e2) / Fraction(E2)
    stars = compute_stars(pd.DataFrame({"A": [e1, e2]}, index=["R1", "R2"]), pd.Series([E1, E2], index=["R1", "R2"]),
                          StarParams(top_share=0.5))
    s = stars.set_index("region")
    assert s["focus_rank"].tolist() == [1, 2] and s["focus_star"].tolist() == [True, False]


def test_minimum_employment_999_vs_1000():
    # Two regions, both top-ranked by any rule; R1 has 999 employees (below 1,000: no star at all),
    # R2 has exactly 1,000 (not below: keeps its stars). Totals: 2000 each -> shares 0.4995 and 0.5.
    emp = pd.DataFrame({"A": [999.0, 1000.0], "B": [1001.0, 1000.0]}, index=["R1", "R2"])
    stars = compute_stars(emp, pd.Series([2000.0, 2000.0], index=["R1", "R2"]), StarParams(top_share=1.0, lq_min=0.5))
    r1, r2 = _row(stars, "R1", "A"), _row(stars, "R2", "A")
    assert r1["below_minimum"] and r1["stars"] == 0 and r1["size_rank"] == 2
    assert not r1["size_star"] and not r1["focus_star"] and not r1["specialisation_star"]
    assert not r2["below_minimum"] and r2["stars"] == 3
    assert "below the 1,000" in explain_star(r1, "size", StarParams(top_share=1.0, lq_min=0.5))


def test_lq_exactly_two_gets_the_star():
    # R1: 2000 / 10000 = 0.2; R2: 1000 / 20000 = 0.05; Europe: 3000 / 30000 = 0.1 -> LQ(R1) = 2 exactly.
    emp = pd.DataFrame({"A": [2000.0, 1000.0]}, index=["R1", "R2"])
    stars = compute_stars(emp, pd.Series([10000.0, 20000.0], index=["R1", "R2"]))
    r1 = _row(stars, "R1", "A")
    assert r1["lq"] == pytest.approx(2.0) and r1["specialisation_star"]
    assert _row(stars, "R2", "A")["lq"] == pytest.approx(0.5)


def test_lq_exact_where_float_falls_short():
    # R1: 1440 / 3624, R2: 2760 / 28086. E_A = 4200, E = 31710.
    # LQ(R1) = (1440 * 31710) / (3624 * 4200) = 45662400 / 15220800 = 3 exactly; float gives 2.9999999999999996.
    emp = pd.DataFrame({"A": [1440.0, 2760.0]}, index=["R1", "R2"])
    stars = compute_stars(emp, pd.Series([3624.0, 28086.0], index=["R1", "R2"]), StarParams(lq_min=3.0))
    r1 = _row(stars, "R1", "A")
    assert Fraction(1440 * 31710, 3624 * 4200) == 3 and r1["lq"] < 3.0
    assert r1["specialisation_star"]
    text = explain_star(r1, "specialisation", StarParams(lq_min=3.0))
    assert text.startswith("Specialisation ★") and "≥ 3" in text


def test_lq_decimal_threshold_is_the_decimal():
    # Same pair, threshold 1.1 means 11/10 (the float 1.1 is slightly larger than 11/10).
    # R1: 20121 / 20520, R2: 7060 / 9972 -> LQ(R1) = 11/10 exactly; float gives 1.0999999999999999.
    emp = pd.DataFrame({"A": [20121.0, 7060.0]}, index=["R1", "R2"])
    tot = pd.Series([20520.0, 9972.0], index=["R1", "R2"])
    assert Fraction(20121 * (20520 + 9972), 20520 * (20121 + 7060)) == Fraction(11, 10)
    assert _row(compute_stars(emp, tot, StarParams(lq_min=1.1)), "R1", "A")["specialisation_star"]


def test_region_with_zero_or_missing_total_is_left_out():
    # R3 has E_r = 0, R4 has NaN, R5 is absent from the totals: N = 2 (R1, R2); k = ceil(0.2) = 1.
    emp = pd.DataFrame({"A": [5000.0, 1000.0, 0.0, 7.0, 9.0]}, index=["R1", "R2", "R3", "R4", "R5"])
    tot = pd.Series([50000.0, 50000.0, 0.0, np.nan], index=["R1", "R2", "R3", "R4"])
    stars = compute_stars(emp, tot)
    assert sorted(stars["region"]) == ["R1", "R2"] and (stars["n_regions"] == 2).all() and (stars["k"] == 1).all()
    # E_A = 6000, E = 100000 -> LQ(R1) = 0.1 / 0.06 = 5/3
    assert _row(stars, "R1", "A")["lq"] == pytest.approx(5 / 3)


def test_region_in_totals_without_employment_row_counts_with_zero():
    emp = pd.DataFrame({"A": [5000.0]}, index=["R1"])
    stars = compute_stars(emp, pd.Series([10000.0, 10000.0], index=["R1", "R2"]))
    r2 = _row(stars, "R2", "A")
    assert r2["employment"] == 0 and r2["stars"] == 0 and stars["n_regions"].iloc[0] == 2


def test_missing_cells_count_as_zero_and_are_flagged():
    # R2's value is missing: counted as 0 (E_A = 4000 over R1, R3) and flagged once; the aggregate's own
    # counts (flagged=) are added: R1 had 2 confidential cells behind its value.
    emp = pd.DataFrame({"A": [3000.0, np.nan, 1000.0]}, index=["R1", "R2", "R3"])
    flagged = pd.DataFrame({"A": [2, 0, 0]}, index=["R1", "R2", "R3"])
    stars = compute_stars(emp, pd.Series(10000.0, index=["R1", "R2", "R3"]), flagged=flagged).set_index("region")
    assert stars["employment"].tolist() == [3000.0, 0.0, 1000.0]
    assert stars["n_flagged"].tolist() == [2, 1, 0]
    # LQ(R1) = 0.3 / (4000 / 30000) = 2.25
    assert stars.loc["R1", "lq"] == pytest.approx(2.25)


def test_zero_employment_never_starred_even_without_minimum():
    emp = pd.DataFrame({"A": [0.0, 0.0, 0.0]}, index=["R1", "R2", "R3"])
    stars = compute_stars(emp, pd.Series(10.0, index=["R1", "R2", "R3"]), StarParams(min_employment=0))
    assert stars["stars"].sum() == 0 and stars["lq"].isna().all() and (stars["size_rank"] == 1).all()


def test_empty_inputs_give_empty_table_with_columns():
    stars = compute_stars(pd.DataFrame({"A": [1.0]}, index=["R1"]), pd.Series([0.0], index=["R1"]))
    assert stars.empty and tuple(stars.columns) == STAR_COLUMNS


def test_three_rules_and_explanations():
    # 10 regions, k = 1. R01 largest (size), R02 highest share (focus), R03 LQ >= 2 only.
    e = [9000.0, 3000.0, 2500.0] + [1000.0] * 7  # E_A = 21500
    E = [900_000.0, 10_000.0, 50_000.0] + [100_000.0] * 7  # E = 1,660,000; Europe share = 21500/1660000
    stars = compute_stars(pd.DataFrame({"A": e}, index=_regions(10)), pd.Series(E, index=_regions(10)))
    s = stars.set_index("region")
    assert s.loc["R01", ["size_star", "focus_star", "specialisation_star"]].tolist() == [True, False, False]
    # R02 share 0.3, LQ = 0.3 / (21500/1660000) = 23.16 -> focus + specialisation
    assert s.loc["R02", ["size_star", "focus_star", "specialisation_star"]].tolist() == [False, True, True]
    # R03 share 0.05, LQ = 0.05 * 1660000 / 21500 = 3.86 -> specialisation only
    assert s.loc["R03", "stars"] == 1 and s.loc["R03", "specialisation_star"]
    lines = explain_row(s.loc["R01"].to_dict())
    assert lines[0] == "Size ★: 9,000 employees, rank 1 of 10; top 10% = rank ≤ 1 (threshold 9,000)."
    # R01 share 9000/900000 = 0.01 ties with R04..R10 (1000/100000); only R02 and R03 are larger -> rank 3
    assert lines[2].startswith("Focus — no star: 1.00% of the region's employment, rank 3 of 10")
    assert lines[1].startswith("Specialisation — no star: LQ 0.77 < 2")
    with pytest.raises(ValueError, match="unknown star rule 'beauty'"):
        explain_star(s.loc["R01"], "beauty")


@pytest.mark.shared
def test_real_file_reproduces_commission_2008_automotive(eurostat_file):
    """2010, NUTS 2, V16110, nace-divisions: the 2008 cluster report's automotive and aerospace findings."""
    from clustermapper.io import read_dataset
    from clustermapper.taxonomy import load_taxonomy, region_totals

    t = read_dataset(eurostat_file, indicator="V16110").table
    t = t[(t["year"] == 2010) & (t["region"].str.len() == 4) & ~t["region"].str.endswith("Z")]
    employment, flagged, _ = load_taxonomy("nace-divisions").aggregate(t)
    stars = compute_stars(employment, region_totals(t), StarParams(), flagged=flagged)
    assert stars["n_regions"].iloc[0] == 282 and stars["k"].iloc[0] == 29
    c29 = stars[stars["category"] == "C29"].set_index("region")
    assert c29.loc[["DE11", "DE21", "ITC1", "SE23"], "stars"].tolist() == [3, 3, 3, 3]
    assert c29.loc[["FR10", "ES51", "ITC4"], "stars"].tolist() == [1, 1, 1]
    assert c29.loc["DE11", "employment"] == 145162 and c29.loc["DE11", "size_rank"] == 1
    assert stars[(stars["category"] == "C30") & (stars["region"] == "FR62")]["lq"].iloc[0] > 10


def test_bad_inputs_are_refused_with_the_cell_named():
    from clustermapper.errors import UsageError

    tot = pd.Series([10.0, 10.0], index=["R1", "R2"])
    with pytest.raises(UsageError, match="R2, category A"):
        compute_stars(pd.DataFrame({"A": [1.0, -5.0]}, index=["R1", "R2"]), tot)
    with pytest.raises(UsageError, match="repeat"):
        compute_stars(pd.DataFrame({"A": [1.0, 5.0]}, index=["R1", "R1"]), tot)
