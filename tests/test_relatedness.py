"""Relatedness maths on small tables whose answers were worked out by hand (numbers in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics import relatedness as rel
from clustermapper.metrics.typology import TypologyParams, specialised

# LQs of 4 regions × 3 categories. Presence (LQ >= 1): A = 1,1,0,1 (LQ exactly 1 counts), B = 1,0,1,1 (r4 exactly
# 1), C = 0,0,1,0. Ubiquities 3, 3, 1. Co-locations: AB = 2 (r1, r4), AC = 0, BC = 1 (r3).
LQ = pd.DataFrame({"A": [2.0, 1.0, 0.5, 1.5], "B": [1.2, 0.9, 3.0, 1.0], "C": [0.2, 0.3, 4.0, 0.8]},
                  index=pd.Index(["r1", "r2", "r3", "r4"], name="region"))


def test_presence_counts_lq_exactly_one_and_not_nan():
    m = rel.presence(LQ.assign(C=[np.nan, 0.3, 4.0, 0.8]))
    assert m["A"].tolist() == [1, 1, 0, 1] and m["B"].tolist() == [1, 0, 1, 1] and m["C"].tolist() == [0, 0, 1, 0]


def test_min_conditional_proximity_by_hand():
    phi = rel.min_conditional_proximity(rel.presence(LQ))
    # φ_AB = 2 / max(3, 3); φ_AC = 0 / 3; φ_BC = 1 / max(3, 1); diagonal 1
    assert phi.loc["A", "B"] == pytest.approx(2 / 3) and phi.loc["B", "A"] == pytest.approx(2 / 3)
    assert phi.loc["A", "C"] == 0 and phi.loc["B", "C"] == pytest.approx(1 / 3)
    assert phi.loc["C", "B"] == pytest.approx(1 / 3)  # the minimum of P(B|C) = 1 and P(C|B) = 1/3
    assert np.diag(phi.to_numpy()).tolist() == [1.0, 1.0, 1.0]


def test_a_category_present_nowhere_is_related_to_nothing():
    m = rel.presence(LQ.assign(C=0.5))
    phi = rel.min_conditional_proximity(m)
    assert phi["C"].tolist() == [0.0, 0.0, 0.0] and phi.loc["C"].tolist() == [0.0, 0.0, 0.0]


def test_lq_correlation_by_hand():
    # deviations of A from 1.25: .75 -.25 -.75 .25; of B from 1.525: -.325 -.625 1.475 -.525
    # Σ products = -1.325; Σ squares 1.25 and 2.9475
    rho = -1.325 / math.sqrt(1.25 * 2.9475)
    assert rel.lq_correlation(LQ).loc["A", "B"] == pytest.approx(rho)
    phi = rel.lq_correlation_proximity(LQ)
    assert phi.loc["A", "B"] == pytest.approx((1 + rho) / 2) and phi.loc["A", "A"] == 1.0


def test_constant_lq_has_no_correlation_information():
    phi = rel.lq_correlation_proximity(LQ.assign(C=1.0))
    assert phi.loc["A", "C"] == 0.5 and phi.loc["C", "C"] == 1.0


def test_density_by_hand():
    m = rel.presence(LQ)
    d = rel.density(m, rel.min_conditional_proximity(m))
    # around A: (M_B·2/3 + M_C·0) / (2/3) = M_B
    assert d["A"].tolist() == pytest.approx([1, 0, 1, 1])
    # around B: (M_A·2/3 + M_C·1/3) / 1
    assert d["B"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3, 2 / 3])
    # around C: (M_A·0 + M_B·1/3) / (1/3) = M_B
    assert d["C"].tolist() == pytest.approx([1, 0, 1, 1])


def test_density_including_the_category_itself():
    m = rel.presence(LQ)
    d = rel.density(m, rel.min_conditional_proximity(m), include_self=True)
    # around B: (M_A·2/3 + M_B·1 + M_C·1/3) / 2
    assert d["B"].tolist() == pytest.approx([5 / 6, 1 / 3, 2 / 3, 5 / 6])


def test_density_of_an_unrelated_category_is_zero():
    m = rel.presence(LQ.assign(C=0.5))
    assert rel.density(m, rel.min_conditional_proximity(m))["C"].tolist() == [0.0] * 4


def test_published_min_conditional_by_hand():
    m = rel.presence(LQ)
    published = pd.DataFrame(True, index=LQ.index, columns=LQ.columns)
    published.loc["r4", "B"] = False
    phi = rel.published_min_conditional(m, published)
    # A, B over r1..r3: both present in r1 only; A present in r1, r2; B in r1, r3 → 1 / max(2, 2)
    assert phi.loc["A", "B"] == pytest.approx(1 / 2) and phi.loc["B", "A"] == pytest.approx(1 / 2)
    # A, C over all four regions: unchanged 0; B, C over r1..r3: 1 / max(2, 1)
    assert phi.loc["A", "C"] == 0 and phi.loc["B", "C"] == pytest.approx(1 / 2)
    published.loc["r4", "B"] = True
    published.loc["r2", "B"] = False
    phi = rel.published_min_conditional(m, published)
    # A, B over r1, r3, r4: both in r1, r4; A in r1, r4; B in r1, r3, r4 → 2 / max(2, 3), in both directions
    assert phi.loc["A", "B"] == pytest.approx(2 / 3) and phi.loc["B", "A"] == pytest.approx(2 / 3)


def test_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="min-conditional, lq-correlation"):
        rel.proximity(LQ, "cosine")


def test_typology_rules_at_their_thresholds():
    lq = pd.Series([1.0, 0.999, 2.0, 3.0, np.nan])
    share = pd.Series([0.01, 0.5, 0.0099, 0.2, 0.2])
    out = specialised(lq, share, TypologyParams())
    assert out["lq_ok"].tolist() == [True, False, True, True, False]
    assert out["share_ok"].tolist() == [True, True, False, True, True]
    assert out["specialised"].tolist() == [True, False, False, True, False]


@pytest.mark.parametrize(("field", "value"), [("lq_min", 0), ("lq_min", float("nan")), ("min_share", 1.0),
                                              ("min_share", -0.1)])
def test_typology_params_refuse_values_that_switch_a_rule_off(field, value):
    from clustermapper.errors import UsageError

    with pytest.raises(UsageError, match="is not allowed"):
        TypologyParams(**{field: value})
