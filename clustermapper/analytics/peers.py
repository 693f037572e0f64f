"""Peer regions: the regions whose sector mix is most like a region's, among regions of a similar size.

Similarity is the cosine of the two regions' employment-share vectors over the categories,
s_r = (e_r1/E_r, …, e_rn/E_r): cos(r, p) = s_r · s_p / (|s_r| |s_p|). Shares are employment vectors scaled by
1/E_r, so the cosine of shares equals the cosine of employment vectors; it is 1 for the same mix and 0 for
regions that share no category (shares are never negative). Candidates are the regions with E_r > 0 whose
total lies within ×/÷ ``size_ratio`` of the region's, optionally only those of one country or NUTS level.
Employment is the stars table's (after the confidential-cell policy), so a similarity resting on estimated
cells says so (``estimated_share``, ``on_estimates``). See ``docs/analytics.md``, "Peer regions".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.regions.codes import nuts_level
from clustermapper.statuses import CONFIDENTIAL, ESTIMATED

COLUMNS = ("rank", "region", "name", "similarity", "employment", "size_ratio", "estimated_share", "on_estimates")


def share_matrix(analysis: Analysis) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Employment shares (regions with E_r > 0 × categories), E_r, and the hidden-cell employment per cell."""
    stars = analysis.stars
    totals = stars.drop_duplicates("region").set_index("region")["region_total"].astype(float)
    totals = totals[totals > 0]
    emp = stars.pivot(index="region", columns="category", values="employment").astype(float).fillna(0.0)
    emp = emp.reindex(totals.index)
    if "status" in stars.columns:
        hidden = stars.assign(h=stars["employment"].where(stars["status"].isin([ESTIMATED, CONFIDENTIAL]), 0.0))
        hidden_emp = hidden.pivot(index="region", columns="category", values="h").astype(float).fillna(0.0)
        hidden_emp = hidden_emp.reindex(index=emp.index, columns=emp.columns).fillna(0.0)
    else:
        hidden_emp = emp * 0.0
    return emp.div(totals, axis=0), totals, hidden_emp


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of vector ``a`` with each row of ``b`` (0 where either has no length)."""
    na, nb = float(np.linalg.norm(a)), np.linalg.norm(b, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (b @ a) / (na * nb)
    return np.where((nb > 0) & (na > 0), out, 0.0)


def suggest_peers(analysis: Analysis, region: str, n: int = 5, country: str | None = None,
                  level: int | None = None, size_ratio: float = 3.0) -> pd.DataFrame:
    """The ``n`` regions most similar in sector mix to ``region`` (highest cosine first, ties by code) among
    the regions with E_r within ×/÷ ``size_ratio`` of its own, of ``country`` and NUTS ``level`` if given.

    Columns :data:`COLUMNS`: ``similarity`` the cosine (0…1), ``employment`` the peer's E_r, ``size_ratio``
    E_peer / E_region, ``estimated_share`` the part of both regions' employment in estimated or confidential
    cells (the larger of the two), ``on_estimates`` when it is above 0. Fewer rows when fewer regions qualify.
    """
    region = region.strip().upper()
    if n < 1:
        raise UsageError(f"--n must be at least 1, not {n}")
    if not (size_ratio >= 1.0 and np.isfinite(size_ratio)):
        raise UsageError(f"--size-ratio must be a finite number ≥ 1 (×/÷ the region's employment), not {size_ratio}")
    shares, totals, hidden = share_matrix(analysis)
    if region not in shares.index:
        raise UsageError(f"region {region} has no employment in {analysis.year}; choose a region with data "
                         f"(e.g. {', '.join(list(shares.index[:5]))})")
    own_total = float(totals[region])
    ratio = totals / own_total
    keep = (ratio >= 1.0 / size_ratio) & (ratio <= size_ratio) & (totals.index != region)
    if country:
        keep &= totals.index.str.startswith(country.strip().upper())
    if level is not None:
        keep &= np.array([nuts_level(c) == level for c in totals.index])
    candidates = shares.index[keep]
    sim = cosine(shares.loc[region].to_numpy(), shares.loc[candidates].to_numpy())
    hidden_share = hidden.sum(axis=1) / totals
    out = pd.DataFrame({"region": candidates, "similarity": sim})
    out = out.sort_values(["similarity", "region"], ascending=[False, True], kind="mergesort").head(n)
    out["name"] = [_name(analysis, c) for c in out["region"]]
    out["employment"] = totals.reindex(out["region"]).to_numpy()
    out["size_ratio"] = out["employment"] / own_total
    out["estimated_share"] = np.maximum(hidden_share.reindex(out["region"]).to_numpy(), float(hidden_share[region]))
    out["on_estimates"] = out["estimated_share"] > 0
    out.insert(0, "rank", range(1, len(out) + 1))
    return out.loc[:, list(COLUMNS)].reset_index(drop=True)


def _name(analysis: Analysis, code: str) -> str:
    try:
        return str(analysis.region_name(code) or "")
    except (KeyError, LookupError, ValueError):
        return ""
