"""Indices and shift-share on the real Eurostat file: agreement with PySAL's ``inequality`` where the
definitions match, the Lorenz-curve form of the locational Gini, the exact shift-share identities, and the
marks of values resting on confidential cells (DE91's C29 is ``: c`` in 2014)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from index_checks import lorenz_gini
from inequality.gini import Gini
from inequality.theil import Theil

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.analytics.indices import category_indices, indices_long, region_indices
from clustermapper.analytics.shift_share import nation, shift_share

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def years(eurostat_file):
    now = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    base = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2010), dataset=now.dataset)
    return base, now


def test_gini_agrees_with_inequality_on_every_category(years):
    _, now = years
    table = category_indices(now).set_index("category")
    stars = now.stars  # the stars' own LQ over the N regions with E_r > 0
    checked = 0
    for category, rows in stars.groupby("category"):
        if rows["employment"].sum() <= 0:
            continue
        ours = table.loc[category]
        assert ours["locational_gini__lq_unweighted"] == pytest.approx(Gini(rows["lq"].to_numpy()).g, abs=1e-10)
        assert ours["locational_gini__employment_unweighted"] == pytest.approx(
            Gini(rows["employment"].to_numpy()).g, abs=1e-10)
        weights = rows["region_total"] / rows["region_total"].sum()
        assert ours["locational_gini__lq_weighted"] == pytest.approx(
            lorenz_gini(rows["employment"] / rows["employment"].sum(), weights), abs=1e-10)
        checked += 1
    assert checked == 68 and len(table) == 68


def test_theil_agrees_with_inequality_on_every_region(years):
    _, now = years
    table = region_indices(now).set_index("region")
    assert len(table) == 282
    # under nace-divisions the categories hold all of E_r, so shares of E_r are shares of the categories' sum
    assert np.allclose(table["coverage__categories_over_region_total"], 1.0, rtol=0, atol=1e-12)
    emp = now.prepared.employment.fillna(0.0)
    for region in table.index:
        theirs = float(Theil(emp.loc[region].to_numpy()).T)
        assert table.loc[region, "theil__t_vs_even"] == pytest.approx(theirs, abs=1e-9), region
    assert np.allclose(table["theil__t_vs_even"], np.log(emp.shape[1]) - table["entropy__shannon"], atol=1e-12)


def test_confidential_cells_mark_the_values_resting_on_them(years):
    _, now = years
    stars = now.stars.set_index(["region", "category"])
    assert stars.loc[("DE91", "C29"), "status"] == "estimated"
    long = indices_long(now)
    de91 = long[(long["scope"] == "region") & (long["id"] == "DE91")]
    assert len(de91) == 7 and set(de91["data_status"]) == {"estimated"} and (de91["n_hidden"] >= 1).all()
    c29 = long[(long["scope"] == "category") & (long["id"] == "C29")]
    assert set(c29["data_status"]) == {"estimated"} and (c29["hidden_share"] > 0.05).all()
    # a region whose every cell is published is marked so
    published = now.stars.groupby("region")["status"].agg(lambda s: not s.isin(["estimated", "confidential"]).any())
    clean = published[published].index
    assert len(clean) > 0
    rows = long[(long["scope"] == "region") & long["id"].isin(clean)]
    assert set(rows["data_status"]) == {"published"} and (rows["hidden_share"] == 0).all()


@pytest.mark.parametrize("by", ["region", "region-category"])
def test_shift_share_identities_hold_exactly(years, by):
    base, now = years
    table = shift_share(base, now, by=by)
    regions = nation(base, now)
    assert len(regions) == table["n_regions"].iloc[0] == 243
    scale = table[["growth", "national_share", "industry_mix", "regional_share"]].abs().max(axis=1).clip(lower=1.0)
    dunn = table["national_share"] + table["industry_mix"] + table["regional_share"] - table["growth"]
    assert (dunn.abs() / scale).max() < 1e-9
    em = table["em_competitive"] + table["em_allocation"] - table["regional_share"]
    assert (em.abs() / scale).max() < 1e-9
    # growth is the change of the nation's employment in the region; components sum to the nation's own change
    e0 = base.prepared.employment.reindex(regions).fillna(0.0).to_numpy().sum()
    e1 = now.prepared.employment.reindex(regions).fillna(0.0).to_numpy().sum()
    assert table["growth"].sum() == pytest.approx(e1 - e0, rel=1e-12)
    assert table["national_share"].sum() == pytest.approx(e1 - e0, rel=1e-9)
    assert abs(table["industry_mix"].sum()) < 1e-9 * e0 and abs(table["regional_share"].sum()) < 1e-9 * e0


def test_shift_share_cells_add_up_to_the_regions(years):
    base, now = years
    cells = shift_share(base, now, by="region-category")
    regions = shift_share(base, now, by="region").set_index("region")
    sums = cells.groupby("region")[["growth", "industry_mix", "em_allocation"]].sum()
    pd.testing.assert_frame_equal(sums, regions[["growth", "industry_mix", "em_allocation"]].loc[sums.index],
                                  check_exact=False, rtol=1e-9)
    de11 = regions.loc["DE11"]
    assert de11["employment_from"] == pytest.approx(base.prepared.employment.loc["DE11"].sum())
    assert de11["employment_to"] == pytest.approx(now.prepared.employment.loc["DE11"].sum())
