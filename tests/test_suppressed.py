"""Confidential cells on hand-computed grids: bounds, the two fillings, the policies and star certainty.

The 2 × 2 grid: regions XX11, XX12 (NUTS 2) of XX1 = XX; divisions C10, C20 of section C. All four NUTS-2
division cells are confidential; published are the sections (rows) and the NUTS-1/country divisions (columns):

           C10      C20      C
    XX11   a        b        70,000
    XX12   c        d        80,000
    XX1   100,000   50,000   150,000

so b = 70,000 − a, c = 100,000 − a, d = a − 20,000 and every a in [20,000, 70,000] is consistent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics.certainty import star_certainty
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import compute_stars
from clustermapper.suppressed import fill
from clustermapper.suppressed.bounds import propagate
from clustermapper.suppressed.eco_split import eco_split
from clustermapper.suppressed.estimate import fit
from clustermapper.suppressed.grid import build_grid

TRUTH = {("XX11", "C10"): 60_000, ("XX11", "C20"): 10_000, ("XX12", "C10"): 40_000, ("XX12", "C20"): 40_000}
SLACK = 2 * (3 + 0.0005 * 150_000)  # rounding slack of two published totals on the way (grid.tolerance)


def grid_rows(hidden=tuple(TRUTH), year: int = 2014) -> pd.DataFrame:
    rows = []
    for (r, s), v in TRUTH.items():
        rows.append((r, s, v))
    rows += [("XX11", "C", 70_000), ("XX12", "C", 80_000)]
    for region in ("XX1", "XX"):
        rows += [(region, "C10", 100_000), (region, "C20", 50_000), (region, "C", 150_000)]
    frame = pd.DataFrame(rows, columns=["region", "sector", "value"]).assign(year=year, flag="")
    hide = pd.MultiIndex.from_frame(frame[["region", "sector"]]).isin(list(hidden))
    frame.loc[hide, "value"] = np.nan
    frame.loc[hide, "flag"] = "c"
    return frame[["region", "sector", "year", "value", "flag"]]


def cell(frame: pd.DataFrame, region: str, sector: str, column: str = "value") -> float:
    return float(frame.loc[(frame["region"] == region) & (frame["sector"] == sector), column].iloc[0])


def test_bounds_are_the_interval_every_consistent_table_lies_in():
    grid = build_grid(grid_rows())
    lo, hi = propagate(grid)
    got = grid.cells.assign(lo=lo, hi=hi).set_index(["region", "sector"])
    expected = {("XX11", "C10"): (20_000, 70_000), ("XX11", "C20"): (0, 50_000),
                ("XX12", "C10"): (30_000, 80_000), ("XX12", "C20"): (0, 50_000)}
    for key, (low, high) in expected.items():
        assert got.loc[key, "lo"] == pytest.approx(low, abs=SLACK), key
        assert got.loc[key, "hi"] == pytest.approx(high, abs=SLACK), key
        assert got.loc[key, "lo"] <= TRUTH[key] <= got.loc[key, "hi"]


def test_a_lone_hidden_cell_is_pinned_to_the_residual():
    grid = build_grid(grid_rows(hidden=[("XX11", "C10")]))
    lo, hi = propagate(grid)
    i = grid.cells.index[(grid.cells["region"] == "XX11") & (grid.cells["sector"] == "C10")][0]
    assert lo[i] == pytest.approx(60_000, abs=SLACK) and hi[i] == pytest.approx(60_000, abs=SLACK)
    filled, summary = fill(grid_rows(hidden=[("XX11", "C10")]), "estimate")
    assert cell(filled, "XX11", "C10") == pytest.approx(60_000, abs=1)
    assert summary.n_estimated == summary.n_pinned == 1
    assert filled.loc[(filled["region"] == "XX11") & (filled["sector"] == "C10"), "basis"].iloc[0] == "published totals"


def test_uninformed_fit_is_the_independence_table():
    """IPF from equal starting values on a 2 × 2 table converges to row × column / total."""
    grid = build_grid(grid_rows())
    lo, hi = propagate(grid)
    x, _ = fit(grid, np.full(len(grid.cells), 1.0), lo, hi)
    got = grid.cells.assign(x=x).set_index(["region", "sector"])["x"]
    for (r, s), row, col in ((("XX11", "C10"), 70, 100), (("XX11", "C20"), 70, 50),
                             (("XX12", "C10"), 80, 100), (("XX12", "C20"), 80, 50)):
        assert got[(r, s)] == pytest.approx(row * col / 150 * 1000, rel=1e-4)


def test_a_prior_proportional_to_the_truth_recovers_it_and_every_total_is_met():
    grid = build_grid(grid_rows())
    lo, hi = propagate(grid)
    prior = np.array([TRUTH.get((r, s), np.nan) * 0.37 for r, s in zip(grid.cells["region"], grid.cells["sector"])])
    x, _ = fit(grid, prior, lo, hi)
    got = grid.cells.assign(x=x).set_index(["region", "sector"])["x"]
    for key, value in TRUTH.items():
        assert got[key] == pytest.approx(value, rel=1e-4)
    assert got[("XX11", "C10")] + got[("XX11", "C20")] == pytest.approx(70_000, rel=1e-6)


def test_estimates_never_leave_their_bounds_even_with_a_wild_prior():
    grid = build_grid(grid_rows())
    lo, hi = propagate(grid)
    prior = np.where(grid.unknown, [1e9, 1, 1, 1e9][0], np.nan)
    prior[grid.unknown] = [1e9, 1.0, 1.0, 1e9]
    x, _ = fit(grid, prior, lo, hi)
    assert (x[grid.unknown] >= lo[grid.unknown] - 1e-6).all() and (x[grid.unknown] <= hi[grid.unknown] + 1e-6).all()
    assert (x >= 0).all()


def test_eco_split_climbs_to_the_section_and_splits_the_rest_equally():
    rows = pd.DataFrame([("XX11", "C", 150.0, ""), ("XX11", "C10", 60.0, ""), ("XX11", "C20", np.nan, "c"),
                         ("XX11", "C21", np.nan, "c"), ("XX12", "C", np.nan, "c"), ("XX12", "C10", np.nan, "c")],
                        columns=["region", "sector", "value", "flag"]).assign(year=2014)
    grid = build_grid(rows)
    values = pd.Series(eco_split(grid), index=pd.MultiIndex.from_frame(grid.cells[["region", "sector"]]))
    assert values[("XX11", "C20")] == values[("XX11", "C21")] == 45.0
    assert values[("XX11", "C10")] == 60.0
    assert np.isnan(values[("XX12", "C10")])  # no parent with a value: stays empty


def test_policies_label_every_cell_and_zero_leaves_values_untouched():
    rows = grid_rows()
    zero, _ = fill(rows, "zero")
    assert zero["value"].isna().sum() == 4 and set(zero.loc[zero["value"].isna(), "status"]) == {"confidential"}
    assert (zero["low"] <= zero["high"]).all()
    est, summary = fill(rows, "estimate")
    assert set(est.loc[rows["value"].isna(), "status"]) == {"estimated"} and summary.n_estimated == 4
    assert (est["value"].notna()).all()
    published = rows["value"].notna()
    assert (est.loc[published, "value"] == rows.loc[published, "value"]).all()
    with pytest.raises(Exception, match="--suppressed"):
        fill(rows, "guess")


def test_excluded_cells_leave_the_ranking_and_k_follows_n():
    regions = [f"R{i}" for i in range(11)]
    emp = pd.DataFrame({"A": [5000.0 + 100 * i for i in range(11)]}, index=regions)
    totals = pd.Series(100_000.0, index=regions)
    excluded = pd.DataFrame({"A": [i == 10 for i in range(11)]}, index=regions)
    stars = compute_stars(emp, totals, excluded=excluded).set_index("region")
    assert stars.loc["R0", "n_regions"] == 10 and stars.loc["R0", "k"] == 1  # ceil(0.1 × 10)
    assert not stars.loc["R10", "size_star"] and stars.loc["R10", "stars"] == 0
    assert stars.loc["R9", "size_star"]  # the largest of the others takes the one size star
    assert compute_stars(emp, totals).set_index("region").loc["R10", "size_star"]


def test_certainty_of_a_size_star_follows_the_bounds():
    """Ten regions, k = 1: a hidden cell bounded [lo, hi] against a published leader of 9,000."""
    regions = [f"R{i}" for i in range(10)]
    base = [1500.0] * 8 + [9000.0]

    def certainty(lo: float, hi: float, used: float) -> str:
        emp = pd.DataFrame({"A": base + [used]}, index=regions)
        totals = pd.Series(1_000_000.0, index=regions)
        stars = compute_stars(emp, totals)
        low = pd.DataFrame({"A": base + [lo]}, index=regions)
        high = pd.DataFrame({"A": base + [hi]}, index=regions)
        out = star_certainty(stars, low, high, totals - emp["A"] + low["A"], totals - emp["A"] + high["A"],
                             StarParams())
        return str(out.loc[stars["region"] == "R9", "size_certainty"].iloc[0])

    assert certainty(9500, 20_000, 12_000) == "certain"
    assert certainty(5000, 20_000, 12_000) == "possible"
    assert certainty(5000, 20_000, 6000) == "possible"
    assert certainty(100, 8000, 4000) == "excluded"
    assert certainty(800, 900, 850) == "excluded"  # below 1,000 employees whatever the value


def test_a_hidden_competitor_makes_a_star_only_possible():
    """k = 1: our published 12,000 against a confidential rival bounded [9,000, 15,000] (estimated 10,000)."""
    regions = [f"R{i}" for i in range(10)]
    used = [1500.0] * 8 + [10_000.0, 12_000.0]
    emp = pd.DataFrame({"A": used}, index=regions)
    totals = pd.Series(1_000_000.0, index=regions)
    stars = compute_stars(emp, totals)
    assert stars.set_index("region").loc["R9", "size_star"]
    low = emp.copy()
    high = emp.copy()
    low.loc["R8", "A"], high.loc["R8", "A"] = 9000.0, 15_000.0
    out = star_certainty(stars, low, high, totals - emp["A"] + low["A"], totals - emp["A"] + high["A"], StarParams())
    by_region = out.set_axis(stars["region"])
    assert by_region.loc["R9", "size_certainty"] == "possible"
    assert by_region.loc["R8", "size_certainty"] == "possible"
    high.loc["R8", "A"] = 11_000.0  # the rival can no longer overtake
    out = star_certainty(stars, low, high, totals - emp["A"] + low["A"], totals - emp["A"] + high["A"], StarParams())
    assert out.set_axis(stars["region"]).loc["R9", "size_certainty"] == "certain"


def test_uncertain_stars_are_marked_and_not_counted_as_certain():
    from clustermapper.metrics.explain import star_glyphs, uncertain_stars
    from clustermapper.metrics.portfolio import compute_portfolio

    row = {"stars": 2, "size_star": True, "specialisation_star": True, "focus_star": False,
           "size_certainty": "certain", "specialisation_certainty": "possible", "focus_certainty": "possible",
           "status": "estimated"}
    assert uncertain_stars(row) == 1 and star_glyphs(row) == "★★☆ ?"
    assert star_glyphs({**row, "specialisation_certainty": "certain"}) == "★★☆"
    stars = pd.DataFrame([{**row, "region": "R1", "category": "A", "employment": 5000.0, "region_total": 10_000.0,
                           "lq": 2.5}, {**row, "region": "R1", "category": "B", "employment": 5000.0,
                                        "region_total": 10_000.0, "lq": 2.5, "specialisation_certainty": "certain"}])
    port = compute_portfolio(stars).set_index("region")
    assert port.loc["R1", "total_stars"] == 4 and port.loc["R1", "certain_stars"] == 3


def test_implausible_published_numbers_are_named():
    from clustermapper.suppressed.grid import implausible

    rows = grid_rows(hidden=[])
    assert implausible(build_grid(rows)) == []
    rows.loc[(rows["region"] == "XX11") & (rows["sector"] == "C10"), "value"] = 1e300
    notes = implausible(build_grid(rows))
    assert any("exceed 1e+08 persons" in n and "XX11 C10" in n for n in notes)
    assert any("larger than their NACE parent" in n and "XX11 C10" in n for n in notes)
    assert any("larger than the region that contains them" in n and "XX1 C10" in n for n in notes)
    _, summary = fill(rows, "estimate")
    assert summary.warnings == tuple(notes)
