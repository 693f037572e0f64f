"""The defining property of the gaps: adding exactly the gap to the input and re-running ``compute_stars``
earns the star, one employee fewer does not; a star called out of reach is earned by none of many tries."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustermapper.metrics.gaps import star_gaps
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES
from clustermapper.metrics.stars import compute_stars

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRIES = [0, 1, 2, 5, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 10**6, 10**7, 10**9]


@st.composite
def cases(draw):
    """A small table (integer or arbitrary float cells), thresholds, an exclusion mask and cells to check."""
    n, c = draw(st.integers(1, 12)), draw(st.integers(1, 3))
    integral = draw(st.booleans())
    cell = st.integers(0, 20_000).map(float) if integral else st.floats(0, 20_000, allow_nan=False)
    values = np.array(draw(st.lists(st.lists(cell, min_size=c, max_size=c), min_size=n, max_size=n)), dtype=float)
    extra = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, 500.0, 5_000.0, 60_000.0, 0.3]),
                                   min_size=n, max_size=n)))
    regions, categories = [f"R{i:02d}" for i in range(n)], [f"K{j}" for j in range(c)]
    employment = pd.DataFrame(values, index=regions, columns=categories)
    totals = pd.Series(values.sum(axis=1) + extra, index=regions)
    params = StarParams(top_share=draw(st.sampled_from([0.1, 0.2, 0.25, 0.5, 1.0])),
                        lq_min=draw(st.sampled_from([2.0, 1.5, 1.0, 0.8, 3.0, 1.1])),
                        min_employment=draw(st.sampled_from([0.0, 100.0, 1000.0, 999.5])))
    excluded = None
    if draw(st.booleans()):
        mask = draw(st.lists(st.lists(st.booleans(), min_size=c, max_size=c), min_size=n, max_size=n))
        excluded = pd.DataFrame(mask, index=regions, columns=categories)
    picks = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, c - 1)), min_size=1, max_size=3))
    return employment, totals, params, excluded, picks


def star_after(employment, totals, params, excluded, region, category, column, x) -> bool:
    emp, tot = employment.copy(), totals.copy()
    emp.loc[region, category] += x
    tot.loc[region] += x
    stars = compute_stars(emp, tot, params, excluded=excluded).set_index(["region", "category"])
    return bool(stars.loc[(region, category), column])


@SETTINGS
@given(cases())
def test_adding_the_gap_earns_the_star_and_one_fewer_does_not(case):
    employment, totals, params, excluded, picks = case
    stars = compute_stars(employment, totals, params, excluded=excluded)
    table = pd.concat([stars, star_gaps(stars, params, excluded)], axis=1).set_index(["region", "category"])
    for i, j in picks:
        region, category = employment.index[i], employment.columns[j]
        if (region, category) not in table.index:  # E_r = 0: not a region of the table
            continue
        row = table.loc[(region, category)]
        out = excluded is not None and bool(excluded.loc[region, category])
        for rule in RULES:
            gap, reason = row[f"{rule.id}_gap"], row[f"{rule.id}_gap_reason"]
            if out:
                assert reason == "excluded" and pd.isna(gap)
            elif row[rule.column]:
                assert reason == "held" and pd.isna(gap)
            elif reason == "out of reach":
                assert pd.isna(gap)
                for x in TRIES:
                    assert not star_after(employment, totals, params, excluded, region, category, rule.column, x)
            else:
                assert reason == "" and int(gap) >= 1
                assert star_after(employment, totals, params, excluded, region, category, rule.column, int(gap))
                assert not star_after(employment, totals, params, excluded, region, category, rule.column,
                                      int(gap) - 1)
