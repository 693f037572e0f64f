"""Gaps and sensitivity on the real Eurostat file: every C29/C30 gap of 2014 is checked by adding it to the
input and re-running compute_stars; the 2010 C29 sensitivity classes are re-derived from ranks and LQs."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, prepare, score
from clustermapper.analytics.sensitivity import sensitivity
from clustermapper.metrics.rules import RULES
from clustermapper.metrics.stars import compute_stars

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def prepared_2014(eurostat_file):
    return prepare(AnalysisSpec(data=str(eurostat_file), year=2014))


def held_after(prepared, region, category, column, x) -> bool:
    emp = prepared.employment[[category]].copy()
    tot = prepared.region_total.copy()
    emp.loc[region, category] = (0.0 if pd.isna(emp.loc[region, category]) else emp.loc[region, category]) + x
    tot.loc[region] += x
    stars = compute_stars(emp, tot, prepared.spec.params).set_index("region")
    return bool(stars.loc[region, column])


@pytest.mark.parametrize("category", ["C29", "C30"])
def test_every_gap_earns_its_star_and_one_fewer_does_not(prepared_2014, category):
    stars = score(prepared_2014).stars
    rows = stars[stars["category"] == category]
    checked = 0
    for row in rows.itertuples(index=False):
        for rule in RULES:
            gap = getattr(row, f"{rule.id}_gap")
            if getattr(row, rule.column):
                assert pd.isna(gap) and getattr(row, f"{rule.id}_gap_reason") == "held"
                continue
            assert not pd.isna(gap), (row.region, rule.id)  # every missing star is reachable in these rows
            assert held_after(prepared_2014, row.region, category, rule.column, int(gap))
            assert not held_after(prepared_2014, row.region, category, rule.column, int(gap) - 1)
            checked += 1
    assert checked > 700


def test_sensitivity_of_2010_c29_follows_ranks_and_lqs(eurostat_file):
    prepared = prepare(AnalysisSpec(data=str(eurostat_file), year=2010))
    result = sensitivity(prepared)
    rows = result.rows(["C29"], include_absent=True).set_index(["region", "rule"])
    base = score(prepared).stars
    base = base[base["category"] == "C29"].set_index("region")
    n = int(base["n_regions"].iloc[0])

    def k(share: str) -> int:
        return math.ceil(Fraction(share) * n)

    e, lq = base["employment"], base["lq"]
    expect = {
        "size": (base["size_rank"], k("0.05"), k("0.2")),
        "focus": (base["focus_rank"], k("0.05"), k("0.2")),
    }
    for rule, (rank, strict, loose) in expect.items():
        got = rows.xs(rule, level="rule")["class"]
        held = (rank <= k("0.1")) & (e >= 1000)
        lost = held & ((rank > strict) | (e < 2000))
        gained = ~held & (((rank <= loose) & (e >= 1000)) | ((rank <= k("0.1")) & (e >= 500)))
        assert (got[lost] == "lost-at-stricter").all() and (got[gained] == "gained-at-looser").all()
        assert (got[held & ~lost] == "robust").all() and (got[~held & ~gained] == "absent").all()
    got = rows.xs("specialisation", level="rule")["class"]
    held = (lq >= 2) & (e >= 1000)
    assert (got[held & ((lq < 2.5) | (e < 2000))] == "lost-at-stricter").all()
    assert (got[~held & (((lq >= 1.5) & (e >= 1000)) | ((lq >= 2) & (e >= 500)))] == "gained-at-looser").all()
    summary = result.region_counts(["C29"]).set_index("region")
    assert summary["n_dependent"].sum() == rows["class"].isin(["lost-at-stricter", "gained-at-looser"]).sum()
    assert rows.loc[rows["status"] == "estimated", "hidden_or_flagged"].all()
