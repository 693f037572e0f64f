"""Per-region portfolio, hand-computed."""

from __future__ import annotations

import pandas as pd
import pytest

from clustermapper.metrics.params import StarParams
from clustermapper.metrics.portfolio import PORTFOLIO_COLUMNS, compute_portfolio
from clustermapper.metrics.stars import compute_stars


@pytest.fixture()
def stars() -> pd.DataFrame:
    # E_r: R1 10000, R2 10000, R3 20000 -> E = 40000. N = 3, k = ceil(0.3) = 1.
    # A: 4000/1000/1000, E_A = 6000 (Europe 15 %): R1 share 0.4, LQ 2.67 -> size, focus, spec = 3 stars.
    # B: 1000/3000/2000, E_B = 6000 (15 %): R2 share 0.3, LQ exactly 2 -> 3 stars (LQ >= 2), but not "strong"
    #    (strong needs LQ > 2).
    # C: 500/1500/12000, E_C = 14000 (35 %): R3 share 0.6, LQ 1.71 -> size + focus = 2 stars; R1 500 < 1000.
    emp = pd.DataFrame({"A": [4000.0, 1000.0, 1000.0], "B": [1000.0, 3000.0, 2000.0], "C": [500.0, 1500.0, 12000.0]},
                       index=["R1", "R2", "R3"])
    return compute_stars(emp, pd.Series([10000.0, 10000.0, 20000.0], index=["R1", "R2", "R3"]))


def test_portfolio_hand_computed(stars):
    p = compute_portfolio(stars, StarParams()).set_index("region")
    assert tuple(compute_portfolio(stars).columns) == PORTFOLIO_COLUMNS
    assert p["total_stars"].to_dict() == {"R1": 3, "R2": 3, "R3": 2}
    assert p["n_3star"].to_dict() == {"R1": 1, "R2": 1, "R3": 0}
    assert p["n_2star"].to_dict() == {"R1": 0, "R2": 0, "R3": 1}
    assert p["n_starred"].to_dict() == {"R1": 1, "R2": 1, "R3": 1}
    assert p["employment"].to_dict() == {"R1": 10000.0, "R2": 10000.0, "R3": 20000.0}
    # strong = LQ > 2: only R1/A (LQ 8/3); R2/B has LQ exactly 2 -> not strong.
    assert p["strong_employment"].to_dict() == {"R1": 4000.0, "R2": 0.0, "R3": 0.0}
    assert p.loc["R1", "strong_share"] == pytest.approx(0.4)
    assert p["top_categories"].to_dict() == {"R1": "A", "R2": "B", "R3": "C"}


def test_strong_threshold_is_a_parameter(stars):
    p = compute_portfolio(stars, StarParams(strong_lq=1.5)).set_index("region")
    # LQ > 1.5: R1/A (2.67), R2/B (2), R3/C (0.6 / 0.35 = 1.71)
    assert p["strong_employment"].to_dict() == {"R1": 4000.0, "R2": 3000.0, "R3": 12000.0}


def test_top_categories_most_stars_then_lq():
    rows = [("V", 0, 9.0), ("W", 1, 5.0), ("X", 3, 2.5), ("Y", 2, 3.0), ("Z", 2, 4.0)]
    stars = pd.DataFrame({
        "region": "R1", "category": [r[0] for r in rows], "employment": 2000.0, "region_total": 50000.0,
        "lq": [r[2] for r in rows], "stars": [r[1] for r in rows],
    })
    p = compute_portfolio(stars).iloc[0]
    assert p["top_categories"] == "X;Z;Y"  # 3 stars; then the 2-star pair by LQ (4.0 before 3.0)
    assert p["total_stars"] == 8 and p["n_starred"] == 4 and p["n_1star"] == 1


def test_region_without_stars_has_empty_top(stars):
    emp = pd.DataFrame({"A": [1000.0, 1000.0]}, index=["R1", "R2"])
    p = compute_portfolio(compute_stars(emp, pd.Series([5000.0, 5000.0], index=["R1", "R2"]), StarParams(min_employment=2000)))
    assert p["top_categories"].tolist() == ["", ""] and p["total_stars"].tolist() == [0, 0]


def test_empty_stars_table():
    empty = compute_stars(pd.DataFrame({"A": [1.0]}, index=["R1"]), pd.Series([0.0], index=["R1"]))
    assert tuple(compute_portfolio(empty).columns) == PORTFOLIO_COLUMNS and compute_portfolio(empty).empty
