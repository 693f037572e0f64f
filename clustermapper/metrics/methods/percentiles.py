"""Ranks and percentiles of one category's regions, with NaN meaning "not in the population".

Percentiles are numpy's default (linear interpolation between order statistics, Hyndman & Fan type 7):
for the n sorted values x_0 ≤ … ≤ x_{n-1} the q-th percentile sits at position p = q/100 · (n − 1).
The star decisions use positions, decided exactly (``Fraction``), which is the same as comparing with the
interpolated value but free of rounding:

* ``x ≥ P_q``  ⇔  (number of values ≤ x) − 1 ≥ p
* ``x > P_q``  ⇔  (number of values < x) > p

``percentile_rank`` is the inverse of that rule: 100 · ((number of values ≤ x) − 1) / (n − 1), so that
``x ≥ P_q`` ⇔ ``percentile_rank(x) ≥ q`` (ties take the highest position of their group).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from clustermapper.metrics.stars import exact


def _population(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(values, dtype=float)
    inside = ~np.isnan(values)
    return values, np.sort(values[inside])


def linear_percentile(values: np.ndarray, q: float) -> float:
    """numpy's default percentile of the non-NaN ``values`` (NaN when there are none)."""
    _, pop = _population(values)
    return float(np.percentile(pop, float(q))) if len(pop) else float("nan")


def rank_desc(values: np.ndarray) -> np.ndarray:
    """1 + number of population values strictly larger (ties share the better rank); NaN outside."""
    values, pop = _population(values)
    larger = len(pop) - np.searchsorted(pop, values, side="right")
    return np.where(np.isnan(values), np.nan, 1.0 + larger)


def percentile_rank(values: np.ndarray) -> np.ndarray:
    """100 · (count(≤ x) − 1) / (n − 1) within the population; 100 when n = 1; NaN outside."""
    values, pop = _population(values)
    n = len(pop)
    at_most = np.searchsorted(pop, values, side="right")
    rank = 100.0 * (at_most - 1) / (n - 1) if n > 1 else np.full(values.shape, 100.0)
    return np.where(np.isnan(values), np.nan, rank)


def _position(q: float | str | Fraction, n: int) -> Fraction:
    return exact(q) / 100 * (n - 1)


def at_least_percentile(values: np.ndarray, q: float | str | Fraction) -> np.ndarray:
    """``x ≥ P_q`` for each population value (False outside), decided on exact positions."""
    values, pop = _population(values)
    if not len(pop):
        return np.zeros(values.shape, bool)
    p = _position(q, len(pop))
    highest = np.searchsorted(pop, values, side="right") - 1
    return ~np.isnan(values) & np.array([h >= p for h in highest], dtype=bool).reshape(values.shape)


def above_percentile(values: np.ndarray, q: float | str | Fraction) -> np.ndarray:
    """``x > P_q`` for each population value (False outside), decided on exact positions."""
    values, pop = _population(values)
    if not len(pop):
        return np.zeros(values.shape, bool)
    p = _position(q, len(pop))
    below = np.searchsorted(pop, values, side="left")
    return ~np.isnan(values) & np.array([b > p for b in below], dtype=bool).reshape(values.shape)
