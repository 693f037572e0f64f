"""The ECO 2008 star method: size, focus and specialisation stars per region × category.

Exactness: ranks and thresholds are decided on exact rational values, so that ``0.1 × 30`` gives
k = 3, an LQ of exactly 2 gets its star and scaling all data by a constant never changes a rank.
The work is done on float arrays and corrected exactly where floats could be wrong:

* IEEE division is correctly rounded and rounding is monotone, so a strict float order between two
  shares ``e/E`` is the exact order; only float *ties* may hide an exact difference. Tie groups are
  re-ranked with :class:`fractions.Fraction` (they are rare apart from zero shares, which are exact).
* An LQ float is within ~1e-13 of the exact value; only cells within 1e-9 of the threshold are
  decided again with Fractions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams

STAR_COLUMNS = (
    "region", "category", "employment", "region_total", "share", "lq", "n_regions", "k",
    "size_rank", "focus_rank", "size_threshold", "focus_threshold",
    "size_star", "focus_star", "specialisation_star", "stars", "below_minimum", "n_flagged",
)
_NEAR = 1e-9  # relative band around an LQ threshold that is re-decided exactly


def exact(value: float | int | str | Decimal | Fraction) -> Fraction:
    """A parameter as the exact decimal its user wrote: ``0.1`` → 1/10 (not the binary 0.1000…0555)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Decimal, str)):
        return Fraction(value)
    return Fraction(repr(float(value)))  # repr is the shortest decimal that round-trips


def top_k(top_share: float | str | Fraction, n: int) -> int:
    """k = ceil(top_share × n), computed exactly (``top_k(0.1, 30) == 3``)."""
    return math.ceil(exact(top_share) * n)


def compute_stars(
    employment: pd.DataFrame,
    region_total: pd.Series,
    params: StarParams = StarParams(),
    flagged: pd.DataFrame | None = None,
    excluded: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Stars table (``docs/architecture.md``): one row per region × category, by category then region.

    Parameters
    ----------
    employment
        e_ir, regions × categories (NaN counts as 0 and as one flagged cell).
    region_total
        E_r by region; regions with E_r = 0 or NaN (or absent) are left out, N counts the others.
    params
        Thresholds (:class:`StarParams`).
    flagged
        Optional counts of missing/confidential cells behind each e_ir (same shape as ``employment``).
    excluded
        Optional booleans (same shape): cells left out of their category's ranking (the ``exclude``
        policy for confidential cells). They get no star and rank after every other region; N and k of
        the category count only the others; E_i still holds their published parts.
    """
    _check(employment, region_total)
    totals = pd.to_numeric(region_total, errors="coerce").astype(float)
    totals.index = totals.index.astype(str)
    keep = pd.Index(sorted(totals.index[totals.gt(0)]), name="region")
    categories = [str(c) for c in employment.columns]
    emp = employment.copy()
    emp.index, emp.columns = emp.index.astype(str), categories
    raw = emp.reindex(keep).astype(float)
    e = raw.fillna(0.0).to_numpy()
    E = totals.reindex(keep).to_numpy()
    n, c = e.shape
    n_flag = employment.isna().set_axis(categories, axis=1).set_axis(emp.index, axis=0)
    n_flag = n_flag.reindex(keep, fill_value=False).to_numpy().astype("int64")
    if flagged is not None:
        f = flagged.copy()
        f.index, f.columns = f.index.astype(str), [str(x) for x in f.columns]
        n_flag = n_flag + f.reindex(index=keep, columns=categories).fillna(0).to_numpy().astype("int64")
    if n == 0 or c == 0:
        return pd.DataFrame({col: pd.Series(dtype=_DTYPES.get(col, "float64")) for col in STAR_COLUMNS})

    out_mask = np.zeros((n, c), bool)
    if excluded is not None:
        x = excluded.copy()
        x.index, x.columns = x.index.astype(str), [str(v) for v in x.columns]
        out_mask = x.reindex(index=keep, columns=categories).fillna(False).to_numpy(dtype=bool)
    n_cat = n - out_mask.sum(axis=0)
    k_cat = np.array([top_k(params.top_share, int(m)) for m in n_cat], dtype="int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = e / E[:, None]
        e_cat = e.sum(axis=0)
        lq = share / (e_cat / E.sum())
    # an excluded cell ranks below every other (values are ≥ 0), so it never moves another's rank
    e_rank, share_rank = np.where(out_mask, -1.0, e), np.where(out_mask, -1.0, share)
    size_rank = _rank_desc(e_rank)
    focus_rank = _exact_ties(_rank_desc(share_rank), share_rank, lambda i, j: Fraction(e[i, j]) / Fraction(E[i]))
    size_thr = np.array([_kth_largest(e_rank[:, [j]], int(k_cat[j]))[0] for j in range(c)])
    focus_thr = np.array([_kth_largest(share_rank[:, [j]], int(k_cat[j]))[0] for j in range(c)])
    k = np.broadcast_to(k_cat, (n, c))
    lq = np.where(out_mask, np.nan, lq)

    def exact_sums() -> tuple[np.ndarray, Fraction]:
        cat = np.array([sum(map(Fraction, e[:, j]), Fraction(0)) for j in range(c)], dtype=object)
        return np.broadcast_to(cat, (n, c)), sum(map(Fraction, E), Fraction(0))

    special = lq_meets(lq, e, np.broadcast_to(E[:, None], (n, c)), exact_sums, params.lq_min)
    below = e < float(params.min_employment)
    eligible = ~below & (e > 0) & ~out_mask  # an empty cell is never a cluster, even with min_employment = 0
    size_star = (size_rank <= k) & eligible
    focus_star = (focus_rank <= k) & eligible
    special_star = special & eligible

    def flat(a: np.ndarray) -> np.ndarray:  # column-major: category by category, regions in order
        return np.asarray(a).ravel(order="F")

    out = pd.DataFrame({
        "region": np.tile(keep.to_numpy(dtype=object), c),
        "category": np.repeat(np.array(categories, dtype=object), n),
        "employment": flat(e),
        "region_total": np.tile(E, c),
        "share": flat(share),
        "lq": flat(lq),
        "n_regions": np.repeat(n_cat, n).astype("int64"),
        "k": flat(k).astype("int64"),
        "size_rank": flat(size_rank).astype("int64"),
        "focus_rank": flat(focus_rank).astype("int64"),
        "size_threshold": np.repeat(size_thr, n),
        "focus_threshold": np.repeat(focus_thr, n),
        "size_star": flat(size_star),
        "focus_star": flat(focus_star),
        "specialisation_star": flat(special_star),
        "below_minimum": flat(below),
        "n_flagged": flat(n_flag).astype("int64"),
    })
    out["stars"] = out[["size_star", "focus_star", "specialisation_star"]].sum(axis=1).astype("int64")
    out["region"] = out["region"].astype(str)
    out["category"] = out["category"].astype(str)
    return out[list(STAR_COLUMNS)]


_DTYPES = {
    "region": str, "category": str, "n_regions": "int64", "k": "int64", "size_rank": "int64",
    "focus_rank": "int64", "size_star": bool, "focus_star": bool, "specialisation_star": bool,
    "stars": "int64", "below_minimum": bool, "n_flagged": "int64",
}


def _check(employment: pd.DataFrame, region_total: pd.Series) -> None:
    """Refuse inputs that would give meaningless stars, naming the offending cell."""
    for what, index in (("employment rows", employment.index), ("employment columns", employment.columns),
                        ("region totals", region_total.index)):
        if index.has_duplicates:
            raise UsageError(f"{what} repeat {sorted(set(map(str, index[index.duplicated()])))[:5]}")
    values = employment.to_numpy(dtype=float)
    negative = np.argwhere(values < 0)
    if len(negative):
        i, j = negative[0]
        raise UsageError(f"negative employment {values[i, j]:g} for region {employment.index[i]}, "
                         f"category {employment.columns[j]} ({len(negative)} negative cells)")
    if (pd.to_numeric(region_total, errors="coerce") < 0).any():
        raise UsageError("negative regional total employment: "
                         + ", ".join(map(str, region_total.index[region_total < 0][:5])))


def _rank_desc(values: np.ndarray) -> np.ndarray:
    """Per column: 1 + number of rows with a strictly larger value (ties share the better rank)."""
    asc = np.sort(values, axis=0)
    n = values.shape[0]
    ranks = np.empty(values.shape, dtype="int64")
    for j in range(values.shape[1]):
        ranks[:, j] = 1 + n - np.searchsorted(asc[:, j], values[:, j], side="right")
    return ranks


def _exact_ties(ranks: np.ndarray, values: np.ndarray, exact_value: Callable[[int, int], Fraction]) -> np.ndarray:
    """Re-rank float ties by their exact values (floats keep every strict order; see module docstring)."""
    ranks = ranks.copy()
    for j in range(values.shape[1]):
        col = values[:, j]
        uniq, inverse, counts = np.unique(col, return_inverse=True, return_counts=True)
        for g in np.nonzero(counts > 1)[0]:
            if uniq[g] == 0:
                continue  # a zero share is exactly 0: a true tie
            members = np.nonzero(inverse == g)[0]
            fr = [exact_value(int(i), j) for i in members]
            if len(set(fr)) == 1:
                continue
            base = ranks[members[0], j]
            for i, f in zip(members, fr):
                ranks[i, j] = base + sum(1 for other in fr if other > f)
    return ranks


def _kth_largest(values: np.ndarray, k: int) -> np.ndarray:
    """The k-th largest value per column (the threshold a star must reach); NaN when k is 0."""
    n = values.shape[0]
    if k < 1 or k > n:
        return np.full(values.shape[1], np.nan)
    return np.sort(values, axis=0)[n - k]


def lq_meets(
    lq: np.ndarray,
    e: np.ndarray,
    E: np.ndarray,
    exact_sums: Callable[[], tuple[np.ndarray, Fraction]],
    threshold: float | Fraction,
    strict: bool = False,
) -> np.ndarray:
    """``lq >= threshold`` (or ``>`` when ``strict``) decided exactly.

    ``e``, ``E`` are e_ir and E_r aligned with ``lq``; ``exact_sums()`` returns the exact E_i
    aligned with ``lq`` and the exact E, and is only called when a cell is within 1e-9 of the threshold.
    """
    thr = exact(threshold)
    with np.errstate(invalid="ignore"):
        result = (lq > float(thr)) if strict else (lq >= float(thr))
        near = np.isfinite(lq) & (np.abs(lq - float(thr)) <= _NEAR * max(float(thr), 1e-300))
    if near.any():
        e_cat, total = exact_sums()
        for idx in zip(*np.nonzero(near)):
            denominator = Fraction(E[idx]) * e_cat[idx]
            value = Fraction(e[idx]) * total / denominator
            result[idx] = value > thr if strict else value >= thr
    return result
