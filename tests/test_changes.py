"""Change over time: CAGR and class rules by hand, and the changes table on two hand-built years
(tests/change_data.py explains every expected number)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from change_data import write_changes_file

from clustermapper.analysis import AnalysisSpec
from clustermapper.analytics.changes import change_analyses, changes, region_summary
from clustermapper.analytics.common_basis import common_basis
from clustermapper.analytics.time_series import time_series
from clustermapper.errors import UsageError
from clustermapper.metrics.change_classes import ChangeRules, cagr, classify
from clustermapper.render.profile_data import build_profile


def test_cagr_by_hand():
    # 100 → 121 over 2 years: 10 % a year; from 0 no rate; to 0 it is −100 %; a missing value gives none
    got = cagr([100, 0, 50, 80, 64], [121, 10, 0, np.nan, 100], 2)
    assert got[0] == pytest.approx(0.1) and got[2] == -1.0 and got[4] == pytest.approx(0.25)
    assert math.isnan(got[1]) and math.isnan(got[3])
    with pytest.raises(UsageError):
        cagr([1], [2], 0)


def test_class_rules_and_boundaries():
    stars_base = [0, 2, 1, 1, 1, 3, 0, np.nan]
    stars_now = [1, 0, 1, 1, 1, 3, 0, 2]
    growth = [0.5, 0.5, 0.01, -0.01, 0.0099, -0.0099, 0.2, 0.0]
    classes, texts = classify(stars_base, stars_now, growth, ChangeRules(), (2010, 2014))
    # the band itself is growing / declining; inside it stable; no row in the base year is no cluster then
    assert list(classes) == ["emerging", "vanished", "growing", "declining", "stable", "stable", "", "emerging"]
    assert texts[2] == "growing: a cluster in both years, CAGR +1.00 % ≥ +1.00 %"
    assert texts[3] == "declining: a cluster in both years, CAGR −1.00 % ≤ −1.00 %"
    assert texts[1] == "vanished: 2 stars in 2010, 0 in 2014 (a cluster holds ≥ 1 star)"
    assert texts[6].startswith("no class: not a cluster in either year")
    # two stars needed: 1 → 2 emerges, 1 → 1 is no cluster in either year; a wider band makes +3 % stable
    classes, _ = classify([1, 1, 2], [2, 1, 2], [0.0, 0.0, 0.03], ChangeRules(min_stars=2, stable_band=0.05))
    assert list(classes) == ["emerging", "", "stable"]
    for bad in ({"min_stars": 0}, {"min_stars": 4}, {"stable_band": -0.01}, {"stable_band": float("nan")}):
        with pytest.raises(UsageError):
            ChangeRules(**bad)


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    spec = AnalysisSpec(data=str(write_changes_file(tmp_path_factory.mktemp("changes"))))
    return spec, *change_analyses(spec, 2010, 2014)


@pytest.fixture(scope="module")
def table(years):
    _, base, now = years
    return changes(base, now).set_index(["region", "category"])


def test_every_class_hand_computed(table):
    c29 = table.xs("C29", level="category")
    expected = {"DE11": ("stable", 3, 3, 1.01 ** 0.25 - 1), "DE12": ("growing", 1, 1, 1.6 ** 0.25 - 1),
                "DE13": ("declining", 1, 1, 0.8 ** 0.25 - 1), "DE14": ("emerging", 0, 1, 1.6 ** 0.25 - 1),
                "DE21": ("vanished", 1, 0, 0.72 ** 0.25 - 1), "DE22": ("emerging", 0, 1, (1200 / 760) ** 0.25 - 1)}
    for region, (cls, s1, s2, rate) in expected.items():
        row = c29.loc[region]
        assert (row["class"], row["stars_base"], row["stars_now"]) == (cls, s1, s2), region
        assert row["cagr"] == pytest.approx(rate), region
    assert c29.loc["DE11", "cagr"] == pytest.approx(0.0024907, abs=1e-7)
    assert c29.loc["DE13", "cagr"] == pytest.approx(-0.0542584, abs=1e-7)
    assert (c29.loc["DE23", "class"], c29.loc["DE23", "cagr"]) == ("", 0.0)
    # G47 of the four fillers: 2 stars in both years, CAGR (102,250 / 97,150)^(1/4) − 1 = +1.287 %
    g47 = table.xs("G47", level="category").loc["DE23"]
    assert g47["class"] == "growing" and g47["cagr"] == pytest.approx(0.0128733, abs=1e-7)
    counts = table["class"].value_counts().to_dict()
    assert {c: counts.get(c, 0) for c in ("emerging", "growing", "stable", "declining", "vanished")} == {
        "emerging": 2, "growing": 5, "stable": 1, "declining": 1, "vanished": 1}


def test_values_are_compared_over_the_common_regions(table):
    c29 = table.xs("C29", level="category")
    # over the 10 common regions C29 is 10 % of employment: LQ = 10 × share. Over 2010's 11 regions (with
    # DE41) DE11's LQ would be 0.4 / (58,260 / 542,600) = 3.73, and DE12 would rank 3rd in 2014 (DE40 6,000)
    assert c29.loc["DE11", "lq_base"] == pytest.approx(4.0) and c29.loc["DE11", "lq_now"] == pytest.approx(4.04)
    assert c29.loc["DE11", "lq_change"] == pytest.approx(0.04)
    assert c29.loc["DE21", ["lq_base", "lq_now"]].tolist() == pytest.approx([2.5, 1.8])
    assert c29.loc["DE12", ["size_rank_now", "k_now", "n_regions_now"]].tolist() == [2, 1, 10]
    assert c29.loc["DE12", ["employment_change", "employment_change_pct"]].tolist() == pytest.approx([1800, 0.6])


def test_star_changes_name_the_rule_and_values(table):
    c29 = table.xs("C29", level="category")
    assert (c29.loc["DE21", "stars_gained"], c29.loc["DE21", "stars_lost"]) == ("", "specialisation")
    assert c29.loc["DE21", "star_change_reason"] == (
        "specialisation lost: LQ 2.50 in 2010, 1.80 in 2014 (star at LQ ≥ 2)")
    assert c29.loc["DE14", "stars_gained"] == "specialisation"
    # DE22's LQ was 3.8 already in 2010: the minimum employment withheld the star
    assert c29.loc["DE22", "star_change_reason"] == ("specialisation gained: LQ 3.80 in 2010, 4.00 in 2014 (star "
                                                     "at LQ ≥ 2); 2010 fewer than 1,000 employees (760)")
    assert c29.loc["DE11", "star_change_reason"] == "" and c29.loc["DE11", "stars_change"] == 0


def test_hidden_and_flagged_cells_are_marked(table):
    de13 = table.loc[("DE13", "C29")]
    assert de13["break_flagged"] and (de13["flags_base"], de13["flags_now"]) == ("", "b")
    assert de13["caution"] == "2014 flag b: break in time series"
    c10 = table.loc[("DE23", "C10")]
    assert c10["hidden_cell"] and (c10["status_base"], c10["status_now"]) == ("confidential", "confidential")
    assert "2010 value confidential" in c10["caution"]
    clean = table.loc[("DE11", "C29")]
    assert not (clean["hidden_cell"] or clean["break_flagged"] or clean["estimated"]) and clean["caution"] == ""


def test_left_out_regions_and_why(years):
    _, base, now = years
    basis = common_basis(base, now)
    assert len(basis.regions) == 10
    assert basis.only_base == {"DE41": "NUTS code change: DE4 has DE40 in 2014 instead"}
    assert basis.only_now == {"DE40": "NUTS code change: DE4 has DE41 in 2010 instead",
                              "HR03": "no data for HR in 2010"}
    assert basis.describe().startswith("10 regions with data in both 2010 (11 regions) and 2014 (12 regions).")
    with pytest.raises(UsageError, match="earlier"):
        change_analyses(years[0], 2014, 2010)


def test_region_summary_by_hand(table):
    summary = region_summary(table.reset_index()).set_index("region")
    assert summary.loc["DE21", ["stars_base", "stars_now", "stars_gained", "stars_lost", "n_vanished"]].tolist() == [
        1, 0, 0, 1, 1]
    assert summary.loc["DE12", "cagr"] == pytest.approx(1.2 ** 0.25 - 1)  # E_r 10,000 → 12,000
    assert summary.loc["DE23", ["stars_base", "n_growing", "n_caution"]].tolist() == [2, 1, 2]
    assert summary[[f"n_{c}" for c in ("emerging", "growing", "stable", "declining", "vanished")]].sum().tolist() == [
        2, 5, 1, 1, 1]


def test_time_series_chain_links_europe(years):
    spec = years[0]
    ts = time_series(spec, "DE11", "C29")
    assert ts["year"].tolist() == [2010, 2014] and ts["n_regions"].tolist() == [11, 12]
    # each year is that year's own analysis: 2010 over 11 regions, Europe's C29 58,260 of 542,600
    assert ts.loc[0, "lq"] == pytest.approx(0.4 / (58260 / 542600))
    assert ts["europe_employment"].tolist() == [58260, 61500]
    assert ts["employment_index"].tolist() == pytest.approx([100, 101])
    # the index links over the regions of both years: 55,400 / 53,260 (plain E_i would give 61,500 / 58,260)
    assert ts["europe_index"].tolist() == pytest.approx([100, 100 * 55400 / 53260])
    gap = time_series(spec, "DE40", "C29", cache={2010: years[1], 2014: years[2]})
    assert gap["status"].tolist() == ["missing", "reported"] and math.isnan(gap.loc[0, "employment"])


def test_profile_reads_the_core_changes(years):
    _, base, now = years
    profile = build_profile(now, "DE21", base)
    row = profile.changes.set_index("category").loc["C29"]
    assert (row["class"], row["stars_lost"], row["lq_base"]) == ("vanished", "specialisation", pytest.approx(2.5))
    assert profile.changes_note.startswith("Compared over the 10 regions with data in both 2010 and 2014")
