"""Our vectorised Fisher-Jenks gives mapclassify's FisherJenks bins exactly (mapclassify is the independent
published implementation; ours replaces it at run time because it is pure Python without numba)."""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest

from clustermapper.layers.fisher_jenks import fisher_jenks_bins


def _theirs(values: np.ndarray, k: int) -> np.ndarray:
    with warnings.catch_warnings():  # "Numba not installed"
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(mapclassify.FisherJenks(values, k=k).bins)


def _draw(rng: np.random.Generator, kind: int, n: int) -> np.ndarray:
    if kind == 0:
        return rng.normal(1000, 300, n)
    if kind == 1:
        return rng.integers(0, 20, n).astype(float)  # many ties: equal costs decide
    if kind == 2:
        return np.round(rng.lognormal(8, 2, n))  # employment-like, several orders of magnitude
    if kind == 3:
        return rng.random(n) * 1e7 + 1e9  # large values: float32 rounding decides
    return np.concatenate([np.zeros(n // 2), rng.random(n - n // 2)])  # half zeros


@pytest.mark.parametrize("kind", range(5))
def test_bins_equal_mapclassify(kind):
    rng = np.random.default_rng(kind)
    compared = 0
    for _ in range(30):
        n, k = int(rng.integers(6, 90)), int(rng.integers(2, 8))
        values = _draw(rng, kind, n)
        if len(np.unique(values)) <= k:
            continue  # natural_breaks takes the distinct values as classes then
        np.testing.assert_array_equal(fisher_jenks_bins(values, k), _theirs(values, k))
        compared += 1
    assert compared >= 20


def test_a_large_map_and_the_order_of_the_values():
    rng = np.random.default_rng(7)
    values = np.round(rng.lognormal(8, 2, 500))
    ours = fisher_jenks_bins(values, 5)
    np.testing.assert_array_equal(ours, _theirs(values, 5))
    np.testing.assert_array_equal(fisher_jenks_bins(values[::-1], 5), ours)  # sorted inside, as mapclassify
    assert ours[-1] == values.max() and np.all(np.diff(ours) > 0)
