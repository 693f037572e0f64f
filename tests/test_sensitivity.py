"""Threshold sensitivity on the four-region table of test_gaps (stars under each variant worked out by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.sensitivity import classify, region_summary, variants_of
from clustermapper.metrics.stars import compute_stars

EMPLOYMENT = pd.DataFrame({"X": [100, 50, 200, 300], "Y": [0, 500, 100, 1000]}, index=list("ABCD"), dtype=float)
TOTALS = pd.Series([1000, 1000, 2000, 6000], index=list("ABCD"), dtype=float)
BASE = StarParams(top_share=0.25, lq_min=2, min_employment=100)  # k = 1
VALUES = {"lq_min": (1.5, 2.0, 2.5), "top_share": (0.5,), "min_employment": (50, 600)}


def table() -> pd.DataFrame:
    variants = variants_of(BASE, VALUES)
    stars = {v: compute_stars(EMPLOYMENT, TOTALS, v.params) for v in variants}
    return classify(compute_stars(EMPLOYMENT, TOTALS, BASE), stars).set_index(["region", "category", "rule"])


def test_variants_name_their_direction_and_skip_the_base():
    variants = variants_of(BASE, VALUES)
    assert [(v.label, v.relation) for v in variants] == [
        ("lq_min=1.5", "looser"), ("lq_min=2.5", "stricter"), ("top_share=0.5", "looser"),
        ("min_employment=50", "looser"), ("min_employment=600", "stricter")]
    assert variants[0].params.lq_min == 1.5 and variants[0].params.top_share == 0.25
    with pytest.raises(UsageError, match="unknown threshold"):
        variants_of(BASE, {"strong_lq": (1,)})


def test_hand_computed_classes():
    t = table()
    # Base stars: A,X focus (share 0.1, tie with C); C,X focus; D,X size; B,Y specialisation (LQ 3.125) and
    # focus (0.5); D,Y size. LQ 1.5 adds A,X and C,X (LQ 1.538); top 0.5 (k = 2) adds C,X and B,Y size and
    # D,Y focus (share 1/6, second); minimum 600 keeps only D,Y (1,000 employees); minimum 50 adds nothing.
    expected = {
        ("A", "X", "focus"): "lost-at-stricter", ("A", "X", "specialisation"): "gained-at-looser",
        ("C", "X", "focus"): "lost-at-stricter", ("C", "X", "specialisation"): "gained-at-looser",
        ("C", "X", "size"): "gained-at-looser", ("D", "X", "size"): "lost-at-stricter",
        ("B", "Y", "specialisation"): "lost-at-stricter", ("B", "Y", "focus"): "lost-at-stricter",
        ("B", "Y", "size"): "gained-at-looser", ("D", "Y", "size"): "robust",
        ("D", "Y", "focus"): "gained-at-looser",
    }
    assert t[t["class"] != "absent"]["class"].to_dict() == expected
    assert t.loc[("B", "Y", "specialisation"), "changed_under"] == "min_employment=600"
    assert t.loc[("C", "X", "specialisation"), "depends_on"] == "lq_min"
    assert not t["hidden_or_flagged"].any()


def test_region_summary_counts_the_dependent_stars():
    s = region_summary(table().reset_index()).set_index("region")
    assert s["n_stars_base"].to_dict() == {"A": 1, "B": 2, "C": 1, "D": 2}
    assert s["n_dependent"].to_dict() == {"A": 2, "B": 3, "C": 3, "D": 2}
    assert s.loc["D", "n_robust"] == 1 and s.loc["C", "n_gained_at_looser"] == 2
    assert s.loc["B", "n_dependent_min_employment"] == 2 and s.loc["B", "n_dependent_top_share"] == 1


def test_a_star_lost_at_a_looser_value_is_called_mixed():
    base = compute_stars(EMPLOYMENT, TOTALS, BASE)
    (looser,) = variants_of(BASE, {"lq_min": (1.5,)})
    odd = base.copy()
    odd["specialisation_star"] = False  # B,Y's star gone at a looser cut: not what the rules can do
    t = classify(base, {looser: odd}).set_index(["region", "category", "rule"])
    assert t.loc[("B", "Y", "specialisation"), "class"] == "mixed"
