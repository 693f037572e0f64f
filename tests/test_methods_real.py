"""Method presets on the real Eurostat file (2014, NUTS 2, the default confidential-cell policy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, prepare, score
from clustermapper.analytics.methods import compare_methods, score_method
from clustermapper.io import read_dataset

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def prepared(eurostat_file):
    return prepare(AnalysisSpec(data=str(eurostat_file), year=2014))


@pytest.fixture(scope="module")
def results(prepared):
    return {m: score_method(prepared, m) for m in ("eco2008", "eocic", "uscmp", "growth")}


def row(table: pd.DataFrame, region: str, category: str) -> pd.Series:
    return table[(table["region"] == region) & (table["category"] == category)].iloc[0]


def test_eco2008_is_todays_stars(prepared, results):
    today = score(prepared).stars
    audit = results["eco2008"].stars
    assert audit[["region", "category"]].equals(today[["region", "category"]])
    for rule in ("size", "specialisation", "focus"):
        assert (audit[f"{rule}_star"].to_numpy() == today[f"{rule}_star"].to_numpy()).all()
    assert (audit["stars"].to_numpy() == today["stars"].to_numpy()).all()


def test_eocic_fr62_c30_wages_are_the_published_cell(eurostat_file, results):
    """Toulouse aerospace: the wages cell is Eurostat's own number; productivity is wages per person relative
    to the sum over the regions whose wages are known."""
    raw = read_dataset(eurostat_file, indicator="V13320").table
    published = raw[(raw["region"] == "FR62") & (raw["sector"] == "C30") & (raw["year"] == 2014)]["value"].iloc[0]
    table = results["eocic"].stars
    r = row(table, "FR62", "C30")
    assert r["wages"] == published and r["wages_status"] == "reported"
    c30 = table[(table["category"] == "C30") & table["wages"].notna() & (table["employment"] > 0)]
    level = c30["wages"].sum() / c30["employment"].sum()
    assert r["productivity_value"] == pytest.approx(published / r["employment"] / level, rel=1e-12)
    assert r["stars"] == sum(bool(r[f"{rule}_star"]) for rule in ("size", "specialisation", "productivity"))


def test_uscmp_thresholds_are_numpys_percentiles(results):
    table = results["uscmp"].stars
    c29 = table[(table["category"] == "C29") & (table["employment"] > 0)]
    p75, p25 = np.percentile(c29["lq"], 75), np.percentile(c29["employment"], 25)
    assert c29["specialisation_threshold"].iloc[0] == pytest.approx(p75, rel=1e-12)
    strong = (c29["lq"] >= p75) & (c29["lq"] >= 1) & (c29["employment"] > p25) & \
        (c29["local_units"] > np.nanpercentile(c29["local_units"], 25))
    assert (strong.to_numpy() == (c29["stars"] == 1).to_numpy()).all()


def test_growth_base_is_the_base_year_through_the_pipeline(prepared, results):
    base = prepare(prepared.spec.with_(year=2011), prepared.dataset)
    r = row(results["growth"].stars, "DE11", "C29")
    assert r["base_employment"] == base.employment.loc["DE11", "C29"]
    assert r["growth_value"] == pytest.approx(r["employment"] / r["base_employment"] - 1)


def test_confidential_companions_are_never_zero(eurostat_file):
    """Under the ``zero`` policy nothing is estimated: confidential wages and units stay unknown (NaN), their
    rule says confidential and gives no star."""
    prepared = prepare(AnalysisSpec(data=str(eurostat_file), year=2014, suppressed="zero"))
    for method, column, rule in (("eocic", "wages", "productivity"), ("uscmp", "local_units", "establishments")):
        table = score_method(prepared, method).stars
        hidden = table[table[f"{column}_status"] == "confidential"]
        assert len(hidden) > 10
        assert hidden[column].isna().all() and hidden[f"{rule}_value"].isna().all()
        assert not hidden[f"{rule}_star"].any() and (hidden[f"{rule}_status"] == "confidential").all()
        assert not hidden[f"{rule}_published"].any()


def test_compare_methods_side_by_side(prepared):
    table = compare_methods(prepared, "DE91", ("eco2008", "eocic"))
    c29 = table[table["category"] == "C29"].iloc[0]
    assert {"eco2008_stars", "eocic_stars", "eocic_productivity_star", "eco2008_unpublished"} <= set(table.columns)
    assert c29["eco2008_stars"] == row(score(prepared).stars, "DE91", "C29")["stars"]
    assert table["category"].is_unique
