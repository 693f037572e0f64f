"""Estimates of confidential cells that meet every published total of both hierarchies at once.

Iterative proportional fitting over the grid's two families of constraints (each region's NACE parents,
each sector's geographic parents): hidden children of a parent are scaled so that they fill what the
published children leave; a hidden parent moves to the geometric mean of its own estimate and its
children's sum before its children are scaled to it. Every step is clipped into the cell's bounds, so the
result is never negative and never leaves the interval the publication allows. The starting values
(priors) carry the information the totals lack: how the residual divides between hidden cells.
"""

from __future__ import annotations

import numpy as np

from clustermapper.suppressed.grid import Grid

MAX_ITERATIONS = 300
CONVERGED = 1e-7


def fit(grid: Grid, prior: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, int]:
    """(values, iterations): published cells unchanged, hidden cells estimated from ``prior``.

    ``prior`` may be NaN for hidden cells without information: they start at the middle of their bounds
    (or 1 when unbounded), so that an uninformed cell neither grabs nor loses the residual.
    """
    value, unknown = grid.value, grid.unknown
    n = len(value)
    published = ~np.isnan(value)
    neutral = np.where(np.isfinite(hi), (lo + hi) / 2, np.maximum(lo, 1.0))
    start = np.where(np.isfinite(prior) & (prior > 0), prior, neutral)
    # the seed is not clipped: only its ratios matter, and clipping would change them
    x = np.where(published, value, np.where(unknown, start, 0.0))
    free = unknown  # missing cells (":" without "c") stay 0: nothing says they hold anything
    families = []
    for parent in grid.families():
        child = np.nonzero(parent >= 0)[0]
        pub_sum = np.bincount(parent[child], weights=np.where(published[child], value[child], 0.0), minlength=n)
        hidden = child[free[child]]
        if not len(hidden):
            continue
        # the loop works on the parents of hidden cells only (a few thousand of ~45,000 cells), renumbered
        # 0..m-1: the same sums in the same order as on the whole grid, so the same values, ~5x faster.
        # Everything that does not change between iterations is gathered here: the loop is ~300 rounds of
        # small array operations, whose count sets its time
        parents, slot = np.unique(parent[hidden], return_inverse=True)
        moving = np.nonzero(free[parents])[0]  # hidden parents: slots whose own value is re-estimated
        moving_cells = parents[moving]
        families.append((hidden, slot, parents, pub_sum[parents], np.maximum(np.bincount(slot), 1)[slot],
                         moving, moving_cells, pub_sum[parents][moving], lo[moving_cells], hi[moving_cells],
                         lo[hidden], hi[hidden]))
    free_cells = np.nonzero(free)[0]
    iterations = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007  (the count is returned)
            before = x[free_cells]  # only free cells ever change
            for hidden, slot, parents, pub_sum, n_hidden, moving, moving_cells, moving_pub, moving_lo, moving_hi, \
                    hidden_lo, hidden_hi in families:
                hid_sum = np.bincount(slot, weights=x[hidden], minlength=len(parents))
                if len(moving):
                    x[moving_cells] = np.clip(np.sqrt(np.maximum(x[moving_cells], 0) * (moving_pub + hid_sum[moving])),
                                              moving_lo, moving_hi)
                residual = np.maximum(x[parents] - pub_sum, 0.0)[slot]
                hid = hid_sum[slot]
                scaled = np.where(hid > 0, x[hidden] * (residual / hid), residual / n_hidden)
                # NaN and +inf (values near the float limit) become 0, as np.nan_to_num would, in one step
                x[hidden] = np.clip(np.where(scaled < np.inf, scaled, 0.0), hidden_lo, hidden_hi)
            change = np.abs(x[free_cells] - before)
            if not len(change) or np.max(change / np.maximum(np.abs(before), 1.0)) < CONVERGED:
                break
    return x, iterations
