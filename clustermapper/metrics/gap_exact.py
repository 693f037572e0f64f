"""Exact one-cell solvers behind :mod:`clustermapper.metrics.gaps` (the reference and the fallback).

Each returns the smallest whole x ≥ ``lo`` for which the star rule holds after x employees are added to the
cell (e_ir, E_r, E_i and E all rise by x), or ``None`` when no such x exists. Arithmetic is on integers and
:class:`~fractions.Fraction`: the answer is first solved on the exact sums, then checked at x and x − 1 on
the values a table holds after the addition (``float(e) + x``, rounded as the stars computation sees it)
and moved by a step where that rounding decides; inputs are the float cells of the stars table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

_MAX_STEPS = 64  # moves allowed on the rounded values (a float addition rounds by at most one unit in x)


def _q(value: float | int) -> Fraction:
    return Fraction(value)


def _settle(x: int, lo: int, ok: Callable[[int], bool], upper: int | None = None) -> int | None:
    """The smallest x' ≥ lo near ``x`` with ``ok(x')`` (ok increasing there); None if none within the steps."""
    for _ in range(_MAX_STEPS):
        if x - 1 >= lo and ok(x - 1):
            x -= 1
        elif not ok(x):
            x += 1
            if upper is not None and x > upper + _MAX_STEPS:
                return None
        else:
            return x
    return None


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def focus_ok(e: float, total: float, x: int, threshold: Fraction) -> bool:
    """(e + x)/(E_r + x) ≥ threshold on the values a table holds after adding x."""
    return _q(e + x) >= threshold * _q(total + x)


def focus_gap_exact(e: float, total: float, threshold: Fraction | None, lo: int) -> int | None:
    """Focus: the share (e + x)/(E_r + x) must reach ``threshold`` (the k-th largest share of the others;
    None when fewer than k others compete, so any share ranks within k)."""
    if threshold is None:
        return lo
    s, ee, tt = threshold, _q(e), _q(total)
    # (e + x) ≥ s (E_r + x)  ⇔  x (1 − s) ≥ s E_r − e
    need, slope = s * tt - ee, 1 - s
    if slope > 0:
        x = max(lo, math.ceil(need / slope))
        return _settle(x, lo, lambda v: focus_ok(e, total, v, s))
    if slope == 0:  # the share must be ≥ 1: only a cell holding all of E_r has it, whatever x
        return lo if need <= 0 and focus_ok(e, total, lo, s) else None
    # threshold above 1 (a cell larger than its region total somewhere): admissible only up to a bound
    upper = math.floor(need / slope)
    if lo > upper:
        return None
    return lo if focus_ok(e, total, lo, s) else None


def specialisation_ok(e: float, total: float, x: int, others_cat: Fraction, others_all: Fraction,
                      lq_min: Fraction) -> bool:
    """LQ ≥ lq_min after adding x, exactly: (e+x)(E+x) ≥ L (E_r+x)(E_i+x) on the table's rounded values."""
    a, b = _q(e + x), _q(total + x)
    return a * (others_all + b) >= lq_min * b * (others_cat + a)


def _quadratic(e: Fraction, total: Fraction, cat: Fraction, grand: Fraction, lq_min: Fraction) -> tuple[int, int, int]:
    """Integer coefficients (same sign as) g(x) = (e+x)(E+x) − L (E_r+x)(E_i+x) = A x² + B x + C."""
    a = 1 - lq_min
    b = e + grand - lq_min * (total + cat)
    c = e * grand - lq_min * total * cat
    d = math.lcm(a.denominator, b.denominator, c.denominator)
    return int(a * d), int(b * d), int(c * d)


def _integer_interval(a: int, b: int, c: int) -> tuple[int, int] | None:
    """For A < 0: the whole x with g(x) ≥ 0, as (first, last), or None (no root, or no integer between)."""
    disc = b * b - 4 * a * c
    if disc < 0:
        return None
    g, r, den = _poly(a, b, c), math.isqrt(disc), -2 * a  # r ≤ √D < r + 1; roots (B ∓ √D) / (2|A|)
    first, stop = (b - r - 1) // den, (b + r + 1) // den + 1  # first ≤ ceil(smaller root); stop > larger root
    while first <= stop and g(first) < 0:
        first += 1
    if first > stop:
        return None
    last = stop
    while g(last) < 0:
        last -= 1
    return first, last


def _poly(a: int, b: int, c: int) -> Callable[[int], int]:
    return lambda x: (a * x + b) * x + c


def specialisation_gap_exact(e: float, total: float, others_cat: Fraction, others_all: Fraction,
                             lq_min: Fraction, lo: int) -> int | None:
    """Specialisation: (e+x)(E+x) ≥ L (E_r+x)(E_i+x), with ``others_cat`` = E_i − e_ir and
    ``others_all`` = E − E_r exact. For L > 1 the admissible x form an interval (the LQ of a growing cell
    rises, peaks and falls back towards 1); for L ≤ 1 the set is unbounded above."""
    ee, tt = _q(e), _q(total)
    a, b, c = _quadratic(ee, tt, others_cat + ee, others_all + tt, lq_min)
    g = _poly(a, b, c)

    def ok(v: int) -> bool:
        return specialisation_ok(e, total, v, others_cat, others_all, lq_min)

    if a < 0:
        interval = _integer_interval(a, b, c)
        if interval is None or max(lo, interval[0]) > interval[1]:
            return None
        return _settle(max(lo, interval[0]), lo, ok, upper=interval[1])
    if a == 0:  # L = 1: B x + C ≥ 0
        if b > 0:
            return _settle(max(lo, _ceil_div(-c, b)), lo, ok)
        if b == 0:
            return lo if c >= 0 and ok(lo) else None
        upper = (-c) // b
        return lo if lo <= upper and ok(lo) else None
    # L < 1: g convex, ≥ 0 outside the open interval between its roots
    if g(lo) >= 0:
        return _settle(lo, lo, ok)
    r = math.isqrt(b * b - 4 * a * c)
    x = max(lo, (-b + r) // (2 * a))
    while g(x) < 0:
        x += 1
    while x - 1 >= lo and g(x - 1) >= 0:
        x -= 1
    return _settle(x, lo, ok)
