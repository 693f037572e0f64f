"""Concentration and specialisation indices of an employment matrix (regions × categories).

Notation (``docs/analytics.md`` "Indices"): e_ir employment of region r in category i; E_r the region total
given (the pipeline's ``region_total``: the sum of the NACE divisions, not the sum of the categories);
E_i = Σ_r e_ir and E = Σ_r E_r over the N regions with E_r > 0 (as for the LQ of the stars); shares
s_ir = e_ir / E_r, s_i = E_i / E, LQ_ir = s_ir / s_i. Every index is named by ``(index, variant)`` in
:data:`INDEX_VARIANTS`, the one list the CLI, the docs and the app read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class IndexVariant:
    scope: str  # "category" (across regions) | "region" (across categories)
    index: str
    variant: str
    text: str

    @property
    def column(self) -> str:
        return f"{self.index}__{self.variant}"


INDEX_VARIANTS: tuple[IndexVariant, ...] = (
    IndexVariant("category", "locational_gini", "lq_weighted",
                 "Krugman's locational Gini: Gini of the LQs with each region weighted by E_r/E (= 1 − 2 × area "
                 "under the Lorenz curve of the category's employment against total employment, regions in LQ order)"),
    IndexVariant("category", "locational_gini", "lq_unweighted",
                 "raw Gini of the N regions' LQs, every region one observation (not × N/(N−1))"),
    IndexVariant("category", "locational_gini", "employment_unweighted",
                 "raw Gini of the N regions' e_ir, every region one observation (ignores region size)"),
    IndexVariant("category", "hoover_concentration", "vs_region_total",
                 "0.5 · Σ_r |e_ir/E_i − E_r/E| (0 = spread like total employment, → 1 concentrated)"),
    IndexVariant("region", "hoover_specialisation", "vs_all_regions",
                 "0.5 · Σ_i |e_ir/E_r − E_i/E| (0 = Europe's structure)"),
    IndexVariant("region", "krugman_specialisation", "vs_all_regions",
                 "Σ_i |e_ir/E_r − E_i/E| (= 2 × Hoover specialisation; 0 … 2)"),
    IndexVariant("region", "krugman_specialisation", "vs_other_regions",
                 "Σ_i |e_ir/E_r − (E_i − e_ir)/(E − E_r)| (against the other N − 1 regions; 0 … 2)"),
    IndexVariant("region", "entropy", "shannon",
                 "−Σ_i s_ir ln s_ir (natural log; 0 ln 0 = 0): diversity, high = spread over many categories"),
    IndexVariant("region", "theil", "t_vs_europe",
                 "Theil T relative to Europe: Σ_i s_ir ln(s_ir / s_i) = Σ_i s_ir ln LQ_ir (0 = Europe's structure)"),
    IndexVariant("region", "theil", "t_vs_even",
                 "Theil T relative to an even spread over the n categories: Σ_i s_ir ln(n · s_ir) (= ln n − entropy "
                 "when the categories cover E_r)"),
    IndexVariant("region", "coverage", "categories_over_region_total",
                 "Σ_i e_ir / E_r: the part of the region total the categories hold (1 under nace-divisions)"),
)


def variants(scope: str) -> tuple[IndexVariant, ...]:
    return tuple(v for v in INDEX_VARIANTS if v.scope == scope)


def gini(values, weights=None) -> float:
    """Gini coefficient of ``values`` (≥ 0) with optional ``weights`` (population shares; default equal).

    G = Σ_r Σ_s w_r w_s |x_r − x_s| / (2 μ), w normalised to sum 1, μ = Σ_r w_r x_r: the raw form (a single
    observation gives 0; no n/(n−1) correction). NaN when μ = 0 or there are no observations.
    """
    x = np.asarray(values, dtype=float)
    w = np.full(len(x), 1.0) if weights is None else np.asarray(weights, dtype=float)
    if len(x) == 0 or w.sum() <= 0:
        return float("nan")
    w = w / w.sum()
    mu = float((w * x).sum())
    if mu <= 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    # Σ_r Σ_s w_r w_s |x_r − x_s| = 2 Σ_k w_k x_k (W_<k − W_>k), x sorted ascending: O(n log n), no n² matrix
    below = np.cumsum(w) - w
    above = 1.0 - below - w
    return float((w * x * (below - above)).sum() / mu)


def _inputs(employment: pd.DataFrame, region_total: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """e_ir (NaN → 0) and E_r of the regions with E_r > 0, aligned; categories as given."""
    totals = pd.to_numeric(region_total, errors="coerce").astype(float)
    totals.index = totals.index.astype(str)
    keep = pd.Index(sorted(totals.index[totals.gt(0)]), name="region")
    emp = employment.copy()
    emp.index, emp.columns = emp.index.astype(str), [str(c) for c in emp.columns]
    return emp.reindex(keep).astype(float).fillna(0.0), totals.reindex(keep)


def category_indices(employment: pd.DataFrame, region_total: pd.Series) -> pd.DataFrame:
    """One row per category (index ``category``), one column per category variant (``IndexVariant.column``)."""
    emp, totals = _inputs(employment, region_total)
    big = float(totals.sum())
    weights = (totals / big).to_numpy() if big > 0 else np.zeros(len(totals))
    rows = {}
    for category in emp.columns:
        e = emp[category].to_numpy()
        e_i = float(e.sum())
        row = dict.fromkeys((v.column for v in variants("category")), float("nan"))
        if e_i > 0:
            lq = (e / totals.to_numpy()) / (e_i / big)
            row["locational_gini__lq_weighted"] = gini(lq, weights)
            row["locational_gini__lq_unweighted"] = gini(lq)
            row["locational_gini__employment_unweighted"] = gini(e)
            row["hoover_concentration__vs_region_total"] = 0.5 * float(np.abs(e / e_i - weights).sum())
        rows[category] = row
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[v.column for v in variants("category")])
    out.index.name = "category"
    return out


def _xlogy_ratio(s: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """s · ln(s / ref) with 0 · ln(0 / ·) = 0 (ref > 0 wherever s > 0 in these uses)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, s * np.log(np.where(s > 0, s, 1.0) / np.where(s > 0, ref, 1.0)), 0.0)


def region_indices(employment: pd.DataFrame, region_total: pd.Series) -> pd.DataFrame:
    """One row per region with E_r > 0 (index ``region``), one column per region variant."""
    emp, totals = _inputs(employment, region_total)
    e = emp.to_numpy()
    big = float(totals.sum())
    t = totals.to_numpy()[:, None]
    s = e / t
    national = e.sum(axis=0) / big if big > 0 else np.zeros(e.shape[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        rest = (e.sum(axis=0)[None, :] - e) / (big - t)  # NaN for a lone region (no other regions)
    n = e.shape[1]
    out = pd.DataFrame({
        "hoover_specialisation__vs_all_regions": 0.5 * np.abs(s - national).sum(axis=1),
        "krugman_specialisation__vs_all_regions": np.abs(s - national).sum(axis=1),
        "krugman_specialisation__vs_other_regions": np.abs(s - rest).sum(axis=1),
        "entropy__shannon": -_xlogy_ratio(s, np.ones_like(s)).sum(axis=1),
        "theil__t_vs_europe": _xlogy_ratio(s, np.broadcast_to(national, s.shape)).sum(axis=1),
        "theil__t_vs_even": _xlogy_ratio(s, np.full_like(s, 1.0 / n if n else np.nan)).sum(axis=1),
        "coverage__categories_over_region_total": e.sum(axis=1) / t[:, 0],
    }, index=emp.index)
    out.loc[np.isnan(rest).any(axis=1), "krugman_specialisation__vs_other_regions"] = np.nan
    return out[[v.column for v in variants("region")]]
