"""Linkages on the real Eurostat file (2014, NUTS 2 × divisions) checked against the published ``ecomplexity``
package, which computes RCA, proximity and density from a long table on its own."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, prepare, run_analysis, score
from clustermapper.analytics.linkages import lq_table, proximity_matrix, related_categories, relatedness_density
from clustermapper.analytics.typology import typology, typology_cells
from clustermapper.metrics import relatedness as rel

ecomplexity = pytest.importorskip("ecomplexity")
pytestmark = pytest.mark.shared
COLS = {"time": "year", "loc": "region", "prod": "category", "val": "employment"}


@pytest.fixture(scope="module")
def analysis(eurostat_file):
    return run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))


@pytest.fixture(scope="module")
def long(analysis):
    rows = analysis.stars[analysis.stars["region_total"] > 0]
    return rows[["region", "category", "employment"]].assign(year=2014)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _square(edges: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    return edges.pivot(index="category_1", columns="category_2", values="proximity").reindex(
        index=like.index, columns=like.columns)


def _wide(table: pd.DataFrame, column: str, like: pd.DataFrame) -> pd.DataFrame:
    return table.pivot(index="region", columns="category", values=column).reindex(index=like.index,
                                                                                 columns=like.columns)


def test_lq_is_ecomplexity_rca(analysis, long):
    # E_r = Σ_i e_ir on the divisions (the region's own division cells), so LQ and Balassa's RCA coincide
    lq = lq_table(analysis)
    out = _quiet(ecomplexity.ecomplexity, long, COLS, check_logsupermodularity=False, verbose=False)
    assert np.abs(_wide(out, "rca", lq).to_numpy() - lq.to_numpy()).max() < 1e-9
    assert (_wide(out, "mcp", lq).to_numpy() == rel.presence(lq).to_numpy()).all()


@pytest.mark.parametrize(("measure", "continuous"), [("min-conditional", False), ("lq-correlation", True)])
def test_proximity_matches_ecomplexity(analysis, long, measure, continuous):
    ours = proximity_matrix(analysis, measure)
    theirs = _square(_quiet(ecomplexity.proximity, long, COLS, continuous=continuous), ours)
    assert not theirs.isna().to_numpy().any()
    assert np.abs(theirs.to_numpy() - ours.to_numpy()).max() < 1e-12


def test_density_matches_ecomplexity(analysis, long):
    lq = lq_table(analysis)
    m = rel.presence(lq)
    phi = proximity_matrix(analysis)
    out = _quiet(ecomplexity.ecomplexity, long, COLS, check_logsupermodularity=False, verbose=False)
    # ecomplexity keeps φ_ii = 1 in both sums
    assert np.abs(_wide(out, "density", lq).to_numpy() - rel.density(m, phi, include_self=True).to_numpy()).max() < 1e-12
    # with its own proximity, diagonal set to 0, it gives our default (j ≠ i)
    edges = _quiet(ecomplexity.proximity, long, COLS)
    edges.loc[edges["category_1"] == edges["category_2"], "proximity"] = 0.0
    edges = edges.rename(columns={"category_1": "prod1", "category_2": "prod2"})
    out = _quiet(ecomplexity.ecomplexity, long, COLS, proximity_edgelist=edges, check_logsupermodularity=False,
                 verbose=False)
    ours = relatedness_density(analysis, "DE11")
    theirs = _wide(out, "density", lq).loc["DE11"]
    assert np.abs(theirs.to_numpy() - ours.reindex(theirs.index).to_numpy()).max() < 1e-12


def test_five_most_related_to_c29_are_ecomplexity_s(analysis, long):
    table = related_categories(analysis, "C29", n=5)
    edges = _quiet(ecomplexity.proximity, long, COLS)
    theirs = edges[(edges["category_1"] == "C29") & (edges["category_2"] != "C29")]
    theirs = theirs.sort_values("proximity", ascending=False, kind="stable").head(5)
    assert table["related"].tolist() == theirs["category_2"].tolist()
    assert np.allclose(table["min_conditional"], theirs["proximity"], rtol=0, atol=1e-12)
    assert table["on_estimates"].all()  # every pair involves some estimated cells on this file, and says so


def test_typology_uses_the_ecosystem_lqs_of_the_pipeline(analysis, eurostat_file):
    cells = typology_cells(analysis)
    direct = score(prepare(analysis.spec.with_(taxonomy="industrial-ecosystems"), dataset=analysis.dataset))
    stars = direct.stars.set_index(["region", "category"])
    joined = cells.set_index(["region", "ecosystem"])
    assert np.allclose(joined["lq"], stars.loc[joined.index, "lq"]) and len(cells) == 282 * 14
    table = typology(analysis)
    assert len(table) == 282
    # recount by hand from the cells: LQ ≥ 1 and share ≥ 1 %
    expected = ((cells["lq"] >= 1) & (cells["share"] >= 0.01)).groupby(cells["region"]).sum()
    assert table.set_index("region")["n_types"].to_dict() == expected.to_dict()


def test_emerging_groups_are_sums_of_their_divisions(analysis):
    groups = prepare(analysis.spec.with_(taxonomy="emerging-industries"), dataset=analysis.dataset)
    divisions = analysis.prepared.employment
    for group, members in (("mobility-technologies", ["C27", "C29", "C30"]), ("digital", ["C26", "J61", "J62", "J63"]),
                           ("medical-devices", ["C26", "C32"])):
        assert np.allclose(groups.employment[group], divisions[members].sum(axis=1))
