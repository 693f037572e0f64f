"""Distance to the next star: the fewest whole employees to add to a cell for each star it lacks.

Adding x employees to region r, category i raises e_ir, E_r, E_i and E by x; every other cell, N and k stay
as they are. The gap of a rule is the smallest whole x ≥ 0 for which the rule holds, the minimum-employment
rule included (e_ir + x ≥ min_employment, and e_ir + x > 0):

* size: e_ir + x ≥ the k-th largest employment among the *other* regions (ties share the star);
* focus: (e_ir + x)/(E_r + x) ≥ the k-th largest share among the other regions (exact Fractions);
* specialisation: (e+x)(E+x) ≥ L (E_r+x)(E_i+x), a quadratic in x. For L > 1 its solutions form an interval:
  the LQ of a growing cell rises, peaks and falls back towards 1, so the star can be out of reach.

The work is vectorised on floats where floats decide exactly (a float comparison of two table values, a
correctly rounded share against a correctly rounded threshold, an LQ more than 1e-9 from L); every other
cell goes to the exact integer solvers of :mod:`clustermapper.metrics.gap_exact`. Gaps are empty (NA) where
the star is held, out of reach, or the cell is excluded (policy ``exclude``); ``<rule>_gap_reason`` says which.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pandas as pd

from clustermapper.metrics import gap_exact
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES, StarRule
from clustermapper.metrics.stars import exact
from clustermapper.statuses import no_value

GAP_COLUMNS = tuple(f"{r.id}_gap" for r in RULES)  # size_gap, specialisation_gap, focus_gap
REASON_COLUMNS = tuple(f"{r.id}_gap_reason" for r in RULES)
HELD, OUT_OF_REACH, EXCLUDED = "held", "out of reach", "excluded"
_NEAR = 1e-9  # an LQ this close (relative) to L is decided exactly
_WIDE = 1e-10  # relative margin on float discriminants and vertices (their errors are ~1e-15)
_STEPS = 3


def _settle(x: np.ndarray, lo: np.ndarray, ok: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Move each candidate to the smallest x ≥ lo with ok(x) near it; also whether that was reached."""
    for _ in range(_STEPS):
        x = np.where((x - 1 >= lo) & ok(x - 1), x - 1, x)
    for _ in range(_STEPS):
        x = np.where(ok(x), x, x + 1)
    done = ok(x) & ~((x - 1 >= lo) & ok(x - 1))
    return x, done


class _Grid:
    """The stars table as region × category arrays (``compute_stars`` order: category by category)."""

    def __init__(self, stars: pd.DataFrame, excluded: pd.DataFrame | None):
        self.regions = pd.Index(pd.unique(stars["region"]))
        self.categories = pd.Index(pd.unique(stars["category"]))
        n, c = len(self.regions), len(self.categories)
        if len(stars) != n * c or not (stars["region"].to_numpy() == np.tile(self.regions.to_numpy(), c)).all():
            raise ValueError("star gaps need the full stars table of compute_stars (every region × category)")
        self.shape = (n, c)
        self.e = self.col(stars, "employment").copy()
        self.e[~np.isfinite(self.e)] = 0.0
        self.total = stars["region_total"].to_numpy(float)[:n]
        self.k = self.col(stars, "k").astype("int64")
        self.size_rank = self.col(stars, "size_rank").astype("int64")
        self.focus_rank = self.col(stars, "focus_rank").astype("int64")
        self.held = {r.id: self.col(stars, r.column).astype(bool) for r in RULES}
        self.out = np.zeros(self.shape, bool)
        if excluded is not None:
            x = excluded.copy()
            x.index, x.columns = x.index.astype(str), [str(v) for v in x.columns]
            self.out = x.reindex(index=self.regions, columns=self.categories).fillna(False).to_numpy(dtype=bool)

    def col(self, stars: pd.DataFrame, name: str) -> np.ndarray:
        return stars[name].to_numpy().reshape(self.shape[::-1]).T


def _lower_bound(g: _Grid, params: StarParams) -> np.ndarray:
    """The fewest employees for the minimum-employment rule (and a non-empty cell)."""
    m = float(params.min_employment)
    x = np.maximum(0.0, np.ceil(m - g.e))
    x, _ = _settle(x, np.zeros(g.shape), lambda v: (g.e + v >= m) & (g.e + v > 0))
    return x


def _kth_others(values: np.ndarray, rank: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the k-th largest value among the other regions (−inf when fewer than k others), and the
    position (0-based, in descending order of all regions) that value holds."""
    n = values.shape[0]
    desc = -np.sort(-values, axis=0)
    pos = np.where(rank <= k, k, k - 1)  # the cell itself is among the first k: the next value takes its place
    padded = np.vstack([desc, np.full((1, values.shape[1]), -np.inf)])
    return np.take_along_axis(padded, np.minimum(pos, n), axis=0), pos


def _size(g: _Grid, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Size gaps: float comparisons of table values are exact, so floats decide."""
    values = np.where(g.out, -np.inf, g.e)
    thr, _ = _kth_others(values, g.size_rank, g.k)
    with np.errstate(invalid="ignore"):
        x = np.maximum(lo, np.ceil(thr - g.e))
    x, done = _settle(x, lo, lambda v: g.e + v >= thr)
    return x, done, thr


def _walk(e: float, x: float, lo: float, thr: float) -> int:
    """The smallest whole x ≥ lo with e + x ≥ thr, stepping from a candidate."""
    v = int(max(x, lo))
    while e + v < thr:
        v += 1
    while v - 1 >= lo and e + (v - 1) >= thr:
        v -= 1
    return v


class _Focus:
    """Thresholds of the focus rule: float k-th largest other share, and its exact value when needed."""

    def __init__(self, g: _Grid):
        self.g = g
        with np.errstate(divide="ignore", invalid="ignore"):
            self.share = np.where(g.out, -np.inf, g.e / g.total[:, None])
        self.thr, self.pos = _kth_others(self.share, g.focus_rank, g.k)
        self._exact: dict[tuple[int, int], Fraction] = {}

    def exact_threshold(self, i: int, j: int) -> Fraction:
        """The exact k-th largest share of the others (float ties re-ordered by their exact values)."""
        key = (int(self.pos[i, j]), j)
        if key not in self._exact:
            col, value = self.share[:, j], self.thr[i, j]
            members = np.nonzero(col == value)[0]
            fr = sorted((Fraction(self.g.e[m, j]) / Fraction(self.g.total[m]) for m in members), reverse=True)
            self._exact[key] = fr[key[0] - int((col > value).sum())]
        return self._exact[key]

    def ok(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The rule at x where ``mask`` (True elsewhere)."""
        g = self.g
        with np.errstate(invalid="ignore"):
            f = (g.e + x) / (g.total[:, None] + x)
        result = (f > self.thr) | ~mask
        for i, j in zip(*np.nonzero(mask & (f == self.thr))):
            result[i, j] = gap_exact.focus_ok(g.e[i, j], g.total[i], int(x[i, j]), self.exact_threshold(i, j))
        return result


def _focus(g: _Grid, lo: np.ndarray, todo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    f = _Focus(g)
    s = f.thr
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(s < 1, np.ceil((s * g.total[:, None] - g.e) / (1 - s)), lo)
    x = np.where(todo & np.isfinite(x), np.maximum(lo, x), lo)
    x, done = _settle(x, lo, lambda v: f.ok(v, todo))
    x = x.astype(object)
    for i, j in zip(*np.nonzero(todo & (~done | (s >= 1)))):
        threshold = None if np.isneginf(s[i, j]) else f.exact_threshold(i, j)
        x[i, j] = gap_exact.focus_gap_exact(g.e[i, j], g.total[i], threshold, int(lo[i, j]))
    return x, done


class _Special:
    """The specialisation rule on floats with an exact fallback."""

    def __init__(self, g: _Grid, lq_min: Fraction):
        self.g, self.L, self.Lf = g, lq_min, float(lq_min)
        self.cat, self.grand = g.e.sum(axis=0), float(g.total.sum())
        self.cat_o, self.grand_o = self.cat[None, :] - g.e, self.grand - g.total[:, None]
        self._cat_exact: dict[int, Fraction] = {}
        self._grand_exact: Fraction | None = None

    def others(self, i: int, j: int) -> tuple[Fraction, Fraction]:
        """E_i − e_ir and E − E_r exactly."""
        if j not in self._cat_exact:
            self._cat_exact[j] = sum(map(Fraction, self.g.e[:, j]), Fraction(0))
        if self._grand_exact is None:
            self._grand_exact = sum(map(Fraction, self.g.total), Fraction(0))
        return self._cat_exact[j] - Fraction(self.g.e[i, j]), self._grand_exact - Fraction(self.g.total[i])

    def lq(self, x: np.ndarray) -> np.ndarray:
        a, b = self.g.e + x, self.g.total[:, None] + x
        with np.errstate(divide="ignore", invalid="ignore"):
            return a * (self.grand_o + b) / (b * (self.cat_o + a))

    def ok(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The rule at x where ``mask`` (True elsewhere)."""
        lq = self.lq(x)
        result = (lq >= self.Lf) | ~mask
        for i, j in zip(*np.nonzero(mask & ~(np.abs(lq - self.Lf) > _NEAR * self.Lf))):
            cat_o, grand_o = self.others(i, j)
            result[i, j] = gap_exact.specialisation_ok(self.g.e[i, j], self.g.total[i], int(x[i, j]), cat_o,
                                                       grand_o, self.L)
        return result


def _specialisation(g: _Grid, lo: np.ndarray, todo: np.ndarray, lq_min: Fraction) -> np.ndarray:
    sp = _Special(g, lq_min)
    e, L = g.e, sp.Lf
    x = np.full(g.shape, np.nan)
    none = done = np.zeros(g.shape, bool)
    if L > 1:
        # an absurd LQ cut (1e300) overflows the float path: those cells go to the exact solver below
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            x, none, done = _specialisation_floats(g, sp, lo, todo)
    out = x.astype(object)
    out[none] = None
    for i, j in zip(*np.nonzero(todo & ~none & ~done)):
        cat_o, grand_o = sp.others(i, j)
        out[i, j] = gap_exact.specialisation_gap_exact(e[i, j], g.total[i], cat_o, grand_o, lq_min, int(lo[i, j]))
    return out


def _specialisation_floats(g: _Grid, sp: _Special, lo: np.ndarray,
                           todo: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Float candidates for L > 1: (x, out of reach, x is the exact answer); the rest is left undecided."""
    t, cat, grand, e, L = g.total[:, None], sp.cat[None, :], sp.grand, g.e, sp.Lf
    a, b, c = 1 - L, e + grand - L * (t + cat), e * grand - L * t * cat  # g(x) = a x² + b x + c
    disc = b * b - 4 * a * c
    b_mag = e + grand + L * (t + cat)  # bounds |b|; float errors are ~1e-15 of these magnitudes
    scale = b_mag * b_mag + 4 * abs(a) * (e * grand + L * t * cat)
    floats_hold = np.isfinite(disc) & np.isfinite(scale)
    none = floats_hold & (disc < -_WIDE * scale)  # no real x at all
    sq = np.sqrt(np.maximum(disc, 0))
    hi = (b + sq) / (-2 * a)
    low = np.where(hi > 0, c / (a * hi), (b - sq) / (-2 * a))  # the smaller root, without cancellation
    vertex = b / (-2 * a)
    # beyond the peak of g (concave) and already below L at the lowest admissible x: never again
    past_peak = (lo > vertex + _WIDE * (b_mag / abs(a) + np.abs(vertex)) + 1e-9) & (sp.lq(lo) < L * (1 - _NEAR))
    none = todo & (none | (past_peak & floats_hold))
    x = np.where(np.isfinite(low), np.maximum(lo, np.ceil(low)), lo)
    candidates = todo & ~none
    x = np.where(candidates, x, lo)
    x, done = _settle(x, lo, lambda v: sp.ok(v, candidates))
    return x, none, done & candidates & floats_hold & (x <= np.floor(hi) + 1)


def star_gaps(stars: pd.DataFrame, params: StarParams, excluded: pd.DataFrame | None = None) -> pd.DataFrame:
    """:data:`GAP_COLUMNS` (nullable integers) and :data:`REASON_COLUMNS`, aligned with the rows of ``stars``
    (the table of :func:`~clustermapper.metrics.stars.compute_stars` for ``params`` and ``excluded``)."""
    if stars.empty:
        return pd.DataFrame({**{c: pd.Series(dtype="Int64") for c in GAP_COLUMNS},
                             **{c: pd.Series(dtype=object) for c in REASON_COLUMNS}}, index=stars.index)
    g = _Grid(stars, excluded)
    lo = _lower_bound(g, params)
    size_x, size_done, size_thr = _size(g, lo)
    results: dict[str, np.ndarray] = {"size": size_x.astype(object)}
    for i, j in zip(*np.nonzero(~size_done & ~g.out)):  # a float step of more than one unit: walk on
        results["size"][i, j] = _walk(g.e[i, j], size_x[i, j], lo[i, j], size_thr[i, j])
    todo = {r: ~g.held[r] & ~g.out for r in ("focus", "specialisation")}
    results["focus"], _ = _focus(g, lo, todo["focus"])
    results["specialisation"] = _specialisation(g, lo, todo["specialisation"], exact(params.lq_min))
    out = pd.DataFrame(index=stars.index)
    for r in RULES:
        held, value = g.held[r.id], results[r.id]
        gap = value.copy()
        gap[held | g.out] = None
        reason = np.where(g.out, EXCLUDED, np.where(held, HELD, np.where(pd.isna(gap), OUT_OF_REACH, "")))
        out[f"{r.id}_gap"] = _nullable_ints(gap.T.ravel())
        out[f"{r.id}_gap_reason"] = reason.T.ravel()
    return out


def _nullable_ints(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Gaps (Python ints, whole floats, None) as nullable Int64, cast as one array: a list of ``int(v)``
    took half of the gaps' time."""
    missing = pd.isna(values)
    ints = np.zeros(len(values), dtype="int64")
    ints[~missing] = values[~missing].astype("int64")  # truncates as int() does
    return pd.arrays.IntegerArray(ints, missing)


def with_gaps(stars: pd.DataFrame, params: StarParams, excluded: pd.DataFrame | None = None) -> pd.DataFrame:
    """``stars`` with the gap and reason columns appended."""
    gaps = star_gaps(stars, params, excluded)
    return pd.concat([stars, gaps], axis=1)


def gap_phrase(row: pd.Series, rule: StarRule | str) -> str | None:
    """"+1,240 employees → specialisation star" (None where no gap is given), for tooltips and profiles."""
    rid = rule if isinstance(rule, str) else rule.id
    value = row.get(f"{rid}_gap")
    if no_value(value):
        return None
    return _phrase(int(value), rid)


def _phrase(value: int, rid: str) -> str:
    return f"+{value:,} employees → {rid} star"


def _on(status: object, phrase: str) -> str:
    """Resting on an estimated or confidential cell, a gap is an estimate too: the phrase says so."""
    return f"≈ {phrase} (rests on an estimate)" if status in ("estimated", "confidential") else phrase


def nearest_gap(row) -> str | None:
    """The cheapest missing star of a row as :func:`gap_phrase` (ties: rule order); None when none is in reach.
    Resting on an estimated or confidential cell, the phrase says so (the gap is then an estimate too)."""
    best = None
    for r in RULES:
        value = row.get(f"{r.id}_gap")
        if not no_value(value) and (best is None or int(value) < best[0]):
            best = (int(value), r.id)
    if best is None:
        return None
    return _on(row.get("status"), _phrase(*best))


def nearest_gaps(rows: pd.DataFrame) -> list[str | None]:
    """:func:`nearest_gap` of every row of ``rows`` (a stars table) at once: a NUTS-3 map's 1,514 tooltips
    on each restyle. Gap columns of another dtype than integers take the row-by-row way."""
    present = [r.id for r in RULES if f"{r.id}_gap" in rows]
    columns = [rows[f"{rid}_gap"] for rid in present]
    if not all(pd.api.types.is_integer_dtype(c.dtype) for c in columns):
        return [nearest_gap(r) for r in rows.to_dict("records")]
    n = len(rows)
    best = np.zeros(n, dtype="int64")
    which = np.full(n, -1)
    for i, column in enumerate(columns):  # rule order: a later rule wins only when strictly cheaper
        known = column.notna().to_numpy()
        value = column.to_numpy(dtype="int64", na_value=0)
        take = known & ((which < 0) | (value < best))
        best[take], which[take] = value[take], i
    statuses = rows["status"].tolist() if "status" in rows else [None] * n
    return [None if w < 0 else _on(status, _phrase(b, present[w]))
            for w, b, status in zip(which.tolist(), best.tolist(), statuses)]
