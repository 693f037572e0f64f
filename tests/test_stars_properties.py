"""Properties of the star method, checked with hypothesis against a plain Fraction reference."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import compute_stars

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(draw, integral: bool = True, min_regions: int = 1):
    """Employment (regions × categories) and totals E_r >= sum of the region's categories."""
    n = draw(st.integers(min_regions, 25))
    c = draw(st.integers(1, 4))
    cell = st.integers(0, 60_000) if integral else st.floats(0, 60_000, allow_nan=False, width=32)
    values = np.array(draw(st.lists(st.lists(cell, min_size=c, max_size=c), min_size=n, max_size=n)), dtype=float)
    extra = np.array(draw(st.lists(st.integers(0, 200_000), min_size=n, max_size=n)), dtype=float)
    regions = [f"R{i:02d}" for i in range(n)]
    employment = pd.DataFrame(values, index=regions, columns=[f"K{j}" for j in range(c)])
    totals = pd.Series(values.sum(axis=1) + extra, index=regions)
    return employment, totals


def reference(employment: pd.DataFrame, totals: pd.Series, p: StarParams) -> pd.DataFrame:
    """The ECO rules written the obvious way, on Fractions (slow, for checking only)."""
    keep = sorted(r for r in totals.index if totals[r] > 0)
    e = {(r, c): Fraction(float(employment.loc[r, c])) for r in keep for c in employment.columns}
    E = {r: Fraction(float(totals[r])) for r in keep}
    k = math.ceil(Fraction(repr(p.top_share)) * len(keep))
    big_e = sum(E.values(), Fraction(0))
    rows = []
    for c in employment.columns:
        e_cat = sum((e[r, c] for r in keep), Fraction(0))
        for r in keep:
            ok = e[r, c] >= Fraction(repr(p.min_employment)) and e[r, c] > 0
            size_rank = 1 + sum(e[o, c] > e[r, c] for o in keep)
            focus_rank = 1 + sum(e[o, c] / E[o] > e[r, c] / E[r] for o in keep)
            spec = e_cat > 0 and (e[r, c] / E[r]) / (e_cat / big_e) >= Fraction(repr(p.lq_min))
            size, focus, specialisation = ok and size_rank <= k, ok and focus_rank <= k, ok and spec
            rows.append((c, r, size_rank, focus_rank, size, focus, specialisation, int(size) + int(focus) + int(specialisation)))
    return pd.DataFrame(rows, columns=["category", "region", "size_rank", "focus_rank", "size_star", "focus_star",
                                       "specialisation_star", "stars"])


COMPARED = ["category", "region", "size_rank", "focus_rank", "size_star", "focus_star", "specialisation_star", "stars"]
params_st = st.builds(StarParams, top_share=st.sampled_from([0.1, 0.07, 0.2, 0.25, 0.5, 1.0]),
                      lq_min=st.sampled_from([2.0, 1.0, 1.1, 3.0]), min_employment=st.sampled_from([0.0, 1000.0]))


@SETTINGS
@given(tables(), params_st)
def test_matches_fraction_reference_integral(data, p):
    employment, totals = data
    got = compute_stars(employment, totals, p)[COMPARED].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, reference(employment, totals, p), check_dtype=False)


@SETTINGS
@given(tables(integral=False), params_st)
def test_matches_fraction_reference_fractional(data, p):
    employment, totals = data
    got = compute_stars(employment, totals, p)[COMPARED].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, reference(employment, totals, p), check_dtype=False)


@SETTINGS
@given(tables(), st.integers(1, 40))
def test_region_with_the_european_mix_has_lq_one(data, factor):
    employment, totals = data
    # A new region whose employment is `factor` times the sum of all others (and whose total is `factor` times
    # the sum of all totals) keeps the European mix unchanged: its LQ is exactly 1 in every category.
    mix = employment.sum(axis=0) * factor
    if (mix == 0).any():
        return
    employment.loc["MIX"] = mix
    totals.loc["MIX"] = totals.sum() * factor
    stars = compute_stars(employment, totals, StarParams(lq_min=1.0, min_employment=0))
    mine = stars[stars["region"] == "MIX"]
    assert np.allclose(mine["lq"], 1.0, rtol=1e-12)
    assert mine["specialisation_star"].all()  # LQ = 1 >= 1, decided exactly


@SETTINGS
@given(tables(), params_st)
def test_below_minimum_never_has_a_star(data, p):
    stars = compute_stars(*data, p)
    low = stars[stars["employment"] < p.min_employment]
    assert low["below_minimum"].all() and (low["stars"] == 0).all()


@SETTINGS
@given(tables(), st.integers(2, 1000), params_st)
def test_scaling_changes_no_star_or_rank(data, factor, p):
    employment, totals = data
    p = StarParams(top_share=p.top_share, lq_min=p.lq_min, min_employment=0)  # a fixed minimum is not scale-free
    cols = ["region", "category", "size_rank", "focus_rank", "size_star", "focus_star", "specialisation_star"]
    before = compute_stars(employment, totals, p)[cols]
    after = compute_stars(employment * factor, totals * factor, p)[cols]
    pd.testing.assert_frame_equal(before, after)


@SETTINGS
@given(tables(min_regions=2), st.randoms(use_true_random=False), params_st)
def test_region_order_changes_nothing(data, rnd, p):
    employment, totals = data
    order = list(employment.index)
    rnd.shuffle(order)
    a = compute_stars(employment, totals, p)
    b = compute_stars(employment.loc[order], totals.loc[list(reversed(order))], p)
    pd.testing.assert_frame_equal(a, b)
