"""Shift-share (Dunn) and the Esteban-Marquillas split on a hand-computed 3 regions × 3 categories example.

  base (year 0)   X    Y    Z   E_r      end (year 1)   X    Y    Z   E_r
       A         60   30   10   100           A        69   27   12   108
       B         20   50   30   100           B        20   60   36   116
       C         20   20  160   200           C        21   15  176   212
       E_i      100  100  200   400           E_i     110  102  224   436

g = 436/400 − 1 = .09; g_X = .10, g_Y = .02, g_Z = .12. Homothetic ê_ir = E_r · (.25, .25, .5).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics.shift_share import REGION_COLUMNS, shift_share_cells, shift_share_regions

BASE = pd.DataFrame({"X": [60.0, 20.0, 20.0], "Y": [30.0, 50.0, 20.0], "Z": [10.0, 30.0, 160.0]}, index=["A", "B", "C"])
END = pd.DataFrame({"X": [69.0, 20.0, 21.0], "Y": [27.0, 60.0, 15.0], "Z": [12.0, 36.0, 176.0]}, index=["A", "B", "C"])

# region: growth, national_share, industry_mix, regional_share, em_competitive, em_allocation
EXPECTED = {
    # A: NS 100·.09 = 9; IM 60·.01 + 30·(−.07) + 10·.03 = −1.2; RS 8 − 9 + 1.2 = .2;
    #    r − g_i = (.05, −.12, .08): CE 25·.05 + 25·(−.12) + 50·.08 = 2.25; AE 35·.05 + 5·(−.12) − 40·.08 = −2.05
    "A": (8.0, 9.0, -1.2, 0.2, 2.25, -2.05),
    # B: IM 20·.01 + 50·(−.07) + 30·.03 = −2.4; RS 9.4; r − g_i = (−.1, .18, .08): CE −2.5 + 4.5 + 4 = 6;
    #    AE (−5)(−.1) + 25·.18 + (−20)·.08 = 3.4
    "B": (16.0, 9.0, -2.4, 9.4, 6.0, 3.4),
    # C: NS 18; IM .2 − 1.4 + 4.8 = 3.6; RS 12 − 18 − 3.6 = −9.6; r − g_i = (−.05, −.27, −.02), ê = (50, 50, 100):
    #    CE −2.5 − 13.5 − 2 = −18; AE (−30)(−.05) + (−30)(−.27) + 60·(−.02) = 8.4
    "C": (12.0, 18.0, 3.6, -9.6, -18.0, 8.4),
}
NAMES = ("growth", "national_share", "industry_mix", "regional_share", "em_competitive", "em_allocation")


def test_regions_hand_computed():
    regions = shift_share_regions(shift_share_cells(BASE, END)).set_index("region")
    assert tuple(shift_share_regions(shift_share_cells(BASE, END)).columns) == REGION_COLUMNS
    for region, expected in EXPECTED.items():
        got = tuple(regions.loc[region, list(NAMES)])
        assert got == pytest.approx(expected, abs=1e-12), region
    assert regions["national_rate"].tolist() == pytest.approx([0.09] * 3)
    assert regions.loc["A", "growth_rate"] == pytest.approx(0.08)
    assert regions["em_homothetic"].tolist() == pytest.approx([100.0, 100.0, 200.0])


def test_cells_hand_computed():
    cells = shift_share_cells(BASE, END).set_index(["region", "category"])
    # A/X: NS 60·.09 = 5.4, IM 60·.01 = .6, RS 69 − 66 = 3; ê 25, r − g_i = .05: CE 1.25, AE 1.75
    ax = cells.loc[("A", "X")]
    assert (ax["national_share"], ax["industry_mix"], ax["regional_share"]) == pytest.approx((5.4, 0.6, 3.0))
    assert (ax["em_competitive"], ax["em_allocation"], ax["em_homothetic"]) == pytest.approx((1.25, 1.75, 25.0))
    assert (ax["category_rate"], ax["cell_rate"]) == pytest.approx((0.10, 0.15))
    # C/Y: RS 15 − 20·1.02 = −5.4
    assert cells.loc[("C", "Y"), "regional_share"] == pytest.approx(-5.4)


def test_components_add_up_and_cancel_nationally():
    cells = shift_share_cells(BASE, END)
    parts = cells["national_share"] + cells["industry_mix"] + cells["regional_share"]
    assert np.allclose(parts, cells["growth"], rtol=0, atol=1e-12)
    assert np.allclose(cells["em_competitive"] + cells["em_allocation"], cells["regional_share"], rtol=0, atol=1e-12)
    # Σ_r regional share of each category is 0 (E¹_i − E⁰_i(1 + g_i)), Σ industry mix is 0, Σ NS = national growth
    by_category = cells.groupby("category")["regional_share"].sum()
    assert np.allclose(by_category, 0.0, atol=1e-12)
    assert cells["industry_mix"].sum() == pytest.approx(0.0, abs=1e-12)
    assert cells["national_share"].sum() == pytest.approx(36.0)


def test_a_new_cell_puts_its_regional_share_in_em_competitive():
    base = BASE.assign(W=[0.0, 0.0, 10.0])
    end = END.assign(W=[5.0, 0.0, 10.0])  # A gains 5 in W from nothing: r_AW undefined
    cells = shift_share_cells(base, end).set_index(["region", "category"])
    aw = cells.loc[("A", "W")]
    assert aw["national_share"] == 0.0 and aw["industry_mix"] == 0.0 and aw["regional_share"] == 5.0 - 0.0
    assert aw["em_competitive"] == 5.0 and aw["em_allocation"] == 0.0 and aw["em_new_cells"] == 1
    assert np.isnan(aw["cell_rate"])
    assert cells.loc[("B", "W"), "em_new_cells"] == 0  # 0 → 0 is no new cell


def test_a_base_below_half_a_person_is_a_new_cell():
    # an estimate's residue of 2e-13 persons growing to 60 would give r ≈ 3e14 and effects of ±1e16
    base, end = BASE.assign(W=[2e-13, 0.0, 10.0]), END.assign(W=[60.0, 0.0, 10.0])
    aw = shift_share_cells(base, end).set_index(["region", "category"]).loc[("A", "W")]
    assert aw["em_new_cells"] == 1 and aw["em_allocation"] == 0.0
    assert aw["em_competitive"] == aw["regional_share"] == pytest.approx(60.0)


def test_a_category_empty_in_the_base_year():
    base, end = BASE.assign(W=0.0), END.assign(W=[0.0, 4.0, 0.0])
    cells = shift_share_cells(base, end).set_index(["region", "category"])
    bw = cells.loc[("B", "W")]
    assert np.isnan(bw["category_rate"]) and bw["regional_share"] == 4.0 and bw["growth"] == 4.0
    assert bw["national_share"] + bw["industry_mix"] == 0.0


def test_misaligned_years_are_refused():
    with pytest.raises(ValueError, match="same regions"):
        shift_share_cells(BASE, END.iloc[:2])
