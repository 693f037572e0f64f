"""Relatedness between categories from their co-location across regions, and a region's relatedness density.

Pure maths on region × category tables (formulas and the choice of measures: docs/analytics.md, "Linkages").

* presence ``M_ri = 1`` when ``LQ_ri >= threshold`` (default 1; an undefined LQ is no presence);
* ``min-conditional`` (default; Hidalgo et al. 2007, the product space):
  ``φ_ij = C_ij / max(u_i, u_j)`` with ``C_ij = Σ_r M_ri M_rj`` and ubiquity ``u_i = Σ_r M_ri`` — the smaller
  of the two conditional probabilities P(M_ri = 1 | M_rj = 1) and P(M_rj = 1 | M_ri = 1);
* ``lq-correlation``: ``φ_ij = (1 + ρ_ij) / 2`` with ρ the Pearson correlation of the two categories' LQs
  across regions (pairwise complete), rescaled to [0, 1] so it can weight a density;
* density (Hidalgo 2007; Balland et al. 2019): ``d_ri = Σ_{j≠i} M_rj φ_ij / Σ_{j≠i} φ_ij``
  (``include_self=True`` keeps j = i in both sums, as the ``ecomplexity`` package does).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_CONDITIONAL = "min-conditional"
LQ_CORRELATION = "lq-correlation"
MEASURES = (MIN_CONDITIONAL, LQ_CORRELATION)
DEFAULT_MEASURE = MIN_CONDITIONAL
PRESENCE_LQ = 1.0  # M_ri = 1 when LQ_ri >= this (the usual RCA >= 1 of the complexity literature)


def check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValueError(f"unknown relatedness measure {measure!r}; choose one of {', '.join(MEASURES)}")
    return measure


def presence(lq: pd.DataFrame, threshold: float = PRESENCE_LQ) -> pd.DataFrame:
    """``M``: 1 where ``lq >= threshold``, else 0 (NaN, an undefined LQ, counts as absent)."""
    return (lq >= threshold).astype("int64")


def co_location(m: pd.DataFrame) -> pd.DataFrame:
    """``C_ij``: the number of regions present in both categories (diagonal: the ubiquity ``u_i``)."""
    values = m.to_numpy(dtype=np.int64)
    return pd.DataFrame(values.T @ values, index=m.columns, columns=m.columns)


def min_conditional_proximity(m: pd.DataFrame) -> pd.DataFrame:
    """``φ_ij = C_ij / max(u_i, u_j)``; 0 when neither category is present anywhere (diagonal 1 otherwise)."""
    c = co_location(m).to_numpy(dtype=float)
    u = np.diag(c)
    denominator = np.maximum.outer(u, u)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(denominator > 0, c / denominator, 0.0)
    return pd.DataFrame(phi, index=m.columns, columns=m.columns)


def lq_correlation(lq: pd.DataFrame) -> pd.DataFrame:
    """``ρ_ij``: Pearson correlation of the LQs of i and j across the regions where both are defined."""
    return lq.astype(float).corr(method="pearson")


def lq_correlation_proximity(lq: pd.DataFrame) -> pd.DataFrame:
    """``φ_ij = (1 + ρ_ij) / 2`` in [0, 1]; an undefined correlation (a constant LQ) counts as 0.5 off the
    diagonal — no information either way — and the diagonal is 1."""
    phi = (1.0 + lq_correlation(lq)) / 2.0
    values = phi.to_numpy(dtype=float, copy=True)
    values[np.isnan(values)] = 0.5
    np.fill_diagonal(values, 1.0)
    return pd.DataFrame(values, index=phi.index, columns=phi.columns)


def proximity(lq: pd.DataFrame, measure: str = DEFAULT_MEASURE, threshold: float = PRESENCE_LQ) -> pd.DataFrame:
    """The category × category proximity of ``measure`` from the region × category LQs."""
    if check_measure(measure) == MIN_CONDITIONAL:
        return min_conditional_proximity(presence(lq, threshold))
    return lq_correlation_proximity(lq)


def density(m: pd.DataFrame, phi: pd.DataFrame, include_self: bool = False) -> pd.DataFrame:
    """Region × category relatedness density ``Σ_j M_rj φ_ij / Σ_j φ_ij`` (j ≠ i unless ``include_self``).

    0 where category i is related to nothing (every ``φ_ij`` of j ≠ i is 0)."""
    weights = phi.reindex(index=m.columns, columns=m.columns).to_numpy(dtype=float, copy=True)
    if not include_self:
        np.fill_diagonal(weights, 0.0)
    totals = weights.sum(axis=1)
    numerator = m.to_numpy(dtype=float) @ weights.T  # [r, i] = Σ_j M_rj φ_ij
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(totals > 0, numerator / totals, 0.0)
    return pd.DataFrame(values, index=m.index, columns=m.columns)


def published_min_conditional(m: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """``min-conditional`` on published cells only: for each pair, the regions where both cells are published.

    ``φ*_ij = Σ_r M_ri M_rj P_ri P_rj / max(Σ_r M_ri P_ri P_rj, Σ_r M_rj P_ri P_rj)`` — how the proximity reads
    when no estimated or confidential cell takes part (a robustness check beside the proximity itself)."""
    p = published.reindex(index=m.index, columns=m.columns).fillna(False).to_numpy(dtype=float)
    mp = m.to_numpy(dtype=float) * p
    both = mp.T @ mp
    seen = mp.T @ p  # [i, j] = Σ_r M_ri P_ri P_rj
    denominator = np.maximum(seen, seen.T)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(denominator > 0, both / denominator, 0.0)
    return pd.DataFrame(phi, index=m.columns, columns=m.columns)
