"""Independent formulas the index tests compare against (not used by the code under test)."""

from __future__ import annotations

import numpy as np


def lorenz_gini(category_shares, total_shares) -> float:
    """Krugman's locational Gini as 1 − 2 × the trapezoid area under the Lorenz curve: regions in LQ order,
    x = cumulative share of total employment, y = cumulative share of the category's employment."""
    shares, weights = np.asarray(category_shares, dtype=float), np.asarray(total_shares, dtype=float)
    order = np.argsort(shares / weights)
    x = np.concatenate([[0.0], np.cumsum(weights[order])])
    y = np.concatenate([[0.0], np.cumsum(shares[order])])
    return 1.0 - 2.0 * float(((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2).sum())
