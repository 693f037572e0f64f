"""Bounds on confidential cells implied by the published totals of both hierarchies.

Every child is ≥ 0 and the children of a closed parent add up to it (within rounding), so
``lo(x) = max(0, lo(P) − published siblings − Σ hi(other hidden siblings))`` and
``hi(x) = hi(P) − published siblings − Σ lo(other hidden siblings)``; hidden parents are bounded by their
children in turn. Propagating to a fixed point over both axes gives intervals that every value consistent
with the publication lies in (a hidden cell alone under a published parent is pinned to the residual).
"""

from __future__ import annotations

import numpy as np

from clustermapper.suppressed.grid import Grid, tolerance

MAX_PASSES = 30


def _sum_by(parent_idx: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(parent_idx, weights=weights, minlength=n)


def propagate(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per cell: published cells ± rounding, hidden cells [0, ∞) narrowed by every constraint."""
    value = grid.value
    n = len(value)
    published = ~np.isnan(value)
    p_slack = tolerance(np.nan_to_num(value))
    slack = np.where(published, p_slack, 0.0)
    lo = np.where(published, np.maximum(value - slack, 0.0), 0.0)
    hi = np.where(published, value + slack, np.inf)
    # what does not change from pass to pass is computed once (the passes only narrow hidden cells' bounds).
    # Sums are needed only for hidden parents and parents of hidden cells (a few thousand of ~45,000 cells):
    # those parents are renumbered 0..m-1 and only their children summed, in the same order, so the same
    # sums as over the whole grid, ~4x faster
    families = []
    for parent in grid.families():
        child = np.nonzero(parent >= 0)[0]
        if not len(child):
            continue
        p = parent[child]
        has_child = np.zeros(n, bool)
        has_child[p] = True
        open_parent = np.nonzero(has_child & ~published)[0]  # hidden parents: bounded by their children
        hidden = child[~published[child]]
        ph = parent[hidden]
        needed = np.union1d(open_parent, ph)
        child = child[np.isin(p, needed)]
        families.append((child, np.searchsorted(needed, parent[child]), len(needed), published[child],
                         value[child], open_parent, np.searchsorted(needed, open_parent), p_slack[open_parent],
                         hidden, ph, np.searchsorted(needed, ph), published[ph], value[ph] + p_slack[ph],
                         value[ph] - p_slack[ph]))
    # a missing cell (":" without "c") is unknown too but not estimated: it only widens its siblings' bounds
    for _ in range(MAX_PASSES):
        before_lo, before_hi = lo.copy(), hi.copy()
        for child, slot, m, pub, v, open_parent, op_slot, op_slack, hidden, ph, ph_slot, ph_pub, ph_hi, ph_lo \
                in families:
            # children's sums, with published children at their exact values (their slack is the parent's)
            lo_child, hi_child = lo[child], hi[child]
            inf_child = np.isinf(hi_child)
            sum_lo = _sum_by(slot, np.where(pub, v, lo_child), m)
            sum_hi = _sum_by(slot, np.where(inf_child, 0.0, np.where(pub, v, hi_child)), m)
            n_inf = _sum_by(slot, inf_child.astype(float), m)
            # parents: between the sums of their children's bounds
            lo[open_parent] = np.maximum(lo[open_parent], sum_lo[op_slot])
            hi[open_parent] = np.minimum(hi[open_parent], np.where(n_inf[op_slot] > 0, np.inf,
                                                                   sum_hi[op_slot] + op_slack))
            # hidden children: what the parent leaves after the others
            if not len(hidden):
                continue
            lo_h, hi_h = lo[hidden], hi[hidden]
            others_lo = sum_lo[ph_slot] - lo_h
            own_inf = np.isinf(hi_h)
            others_inf = n_inf[ph_slot] - own_inf
            others_hi = np.where(others_inf > 0, np.inf, sum_hi[ph_slot] - np.where(own_inf, 0.0, hi_h))
            p_hi = np.where(ph_pub, ph_hi, hi[ph])
            p_lo = np.where(ph_pub, ph_lo, lo[ph])
            with np.errstate(invalid="ignore"):
                new_hi = p_hi - others_lo
                new_lo = np.where(np.isinf(others_hi), 0.0, p_lo - others_hi)
            hi[hidden] = np.minimum(hi_h, np.maximum(new_hi, 0.0))
            lo[hidden] = np.maximum(lo_h, np.nan_to_num(new_lo, nan=0.0))
        lo = np.minimum(lo, hi)
        if np.array_equal(lo, before_lo) and np.array_equal(hi, before_hi):
            break
    return lo, hi
