"""Change over time, pure rules: CAGR, the change class of a region × category, and why its stars changed.

A cell is a *cluster* in a year when it holds at least ``min_stars`` stars (the star rules already give no star
below the minimum employment). Between a base year and a later year, first matching rule wins:

- ``emerging``: not a cluster in the base year, a cluster in the later year;
- ``vanished``: a cluster in the base year, not in the later year;
- cluster in both years, by the compound annual growth rate of employment: ``growing`` if CAGR ≥ +band,
  ``declining`` if CAGR ≤ −band, ``stable`` in between (−band < CAGR < +band);
- not a cluster in either year: no class (empty), and the rule text says so.

:data:`CLASSES` lists the classes in that order; docs/analytics.md "Change over time" states the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.metrics.explain import _lq
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES

CLASSES = ("emerging", "growing", "stable", "declining", "vanished")
NO_CLASS = ""  # not a cluster in either year


@dataclass(frozen=True)
class ChangeRules:
    """Thresholds of the change classes (``--min-stars``, ``--stable-band`` on the command line)."""

    min_stars: int = 1  # a cluster holds at least this many stars (1–3)
    stable_band: float = 0.01  # |CAGR| below this (a share per year) is stable

    def __post_init__(self) -> None:
        if isinstance(self.min_stars, bool) or not isinstance(self.min_stars, int) or not 1 <= self.min_stars <= 3:
            raise UsageError(f"--min-stars {self.min_stars!r} is not allowed: give 1, 2 or 3")
        band = self.stable_band
        if isinstance(band, bool) or not isinstance(band, (int, float)) or not math.isfinite(band) or band < 0:
            raise UsageError(f"--stable-band {band!r} is not allowed: give a yearly growth rate ≥ 0, e.g. 0.01")

    def describe(self) -> str:
        """The rules in one line (CLI summary, table metadata)."""
        b = _pct(self.stable_band)
        return (f"cluster = at least {self.min_stars} star{'s' if self.min_stars > 1 else ''}; emerging: not a "
                f"cluster in the base year, a cluster in the later one; vanished: the reverse; a cluster in both "
                f"years is growing if CAGR ≥ +{b}, declining if CAGR ≤ −{b}, stable in between; not a cluster in "
                "either year: no class")


def _pct(x: float) -> str:
    return f"{100 * x:.2f} %"


def _signed_pct(x: float) -> str:
    return f"{100 * x:+.2f} %".replace("-", "−")


def cagr(base: Sequence[float] | np.ndarray | pd.Series, now: Sequence[float] | np.ndarray | pd.Series,
         years: float) -> np.ndarray:
    """(now / base) ** (1 / years) − 1; NaN where base ≤ 0 or either value is missing; −1 when now = 0."""
    if not years > 0:
        raise UsageError(f"a growth rate needs a later year after the base year (span {years!r})")
    b = np.asarray(base, dtype=float)
    n = np.asarray(now, dtype=float)
    ok = (b > 0) & (n >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ok, np.power(np.where(ok, n / np.where(ok, b, 1.0), 1.0), 1.0 / years) - 1.0, np.nan)
    return out


def classify(stars_base, stars_now, growth, rules: ChangeRules = ChangeRules(),
             years: tuple[int, int] = (0, 0)) -> tuple[np.ndarray, list[str]]:
    """The class of each cell and the rule that gave it, with its values (``years`` only label the text).

    ``stars_base`` / ``stars_now``: stars in each year (NaN: no row that year, i.e. no cluster);
    ``growth``: CAGR of employment (see :func:`cagr`).
    """
    sb = np.nan_to_num(np.asarray(stars_base, dtype=float), nan=0.0)
    sn = np.nan_to_num(np.asarray(stars_now, dtype=float), nan=0.0)
    g = np.asarray(growth, dtype=float)
    was, now = sb >= rules.min_stars, sn >= rules.min_stars
    band = rules.stable_band
    both = was & now
    conditions = [~was & now, was & ~now, both & (g >= band), both & (g <= -band), both & (np.abs(g) < band)]
    classes = np.select(conditions, ["emerging", "vanished", "growing", "declining", "stable"], default=NO_CLASS)
    y1, y2 = years
    need = f"a cluster holds ≥ {rules.min_stars} star{'s' if rules.min_stars > 1 else ''}"
    texts = []
    for cls, a, b, rate in zip(classes, sb, sn, g):
        stars = f"{a:.0f} star{'s' if a != 1 else ''} in {y1}, {b:.0f} in {y2}"
        if cls in ("emerging", "vanished"):
            texts.append(f"{cls}: {stars} ({need})")
        elif cls == "growing":
            texts.append(f"growing: a cluster in both years, CAGR {_signed_pct(rate)} ≥ +{_pct(band)}")
        elif cls == "declining":
            texts.append(f"declining: a cluster in both years, CAGR {_signed_pct(rate)} ≤ −{_pct(band)}")
        elif cls == "stable":
            texts.append(f"stable: a cluster in both years, CAGR {_signed_pct(rate)} within ±{_pct(band)}")
        elif a >= rules.min_stars and b >= rules.min_stars:
            texts.append("no class: a cluster in both years but no CAGR (no employment in the base year)")
        else:
            texts.append(f"no class: not a cluster in either year ({stars}; {need})")
    return classes, texts


def star_changes(frame: pd.DataFrame, params_base: StarParams, params_now: StarParams,
                 years: tuple[int, int]) -> tuple[list[str], list[str], list[str]]:
    """Per row: the star rules gained, those lost (``;``-joined ids) and why, with both years' values.

    ``frame`` holds the stars-table columns of both years with suffixes ``_base`` and ``_now``
    (``size_star_base``, ``lq_now``, ``size_rank_base``, ``k_now``, ``below_minimum_base`` …).
    """
    gained: list[list[str]] = [[] for _ in range(len(frame))]
    lost: list[list[str]] = [[] for _ in range(len(frame))]
    reasons: list[list[str]] = [[] for _ in range(len(frame))]
    records = frame.to_dict("records")
    for rule in RULES:
        before = frame[f"{rule.column}_base"].fillna(False).astype(bool).to_numpy()
        after = frame[f"{rule.column}_now"].fillna(False).astype(bool).to_numpy()
        for i in np.flatnonzero(before != after):
            row = records[i]
            (gained if after[i] else lost)[i].append(rule.id)
            verb = "gained" if after[i] else "lost"
            reasons[i].append(f"{rule.id} {verb}: {_why(row, rule.id, params_base, params_now, years, bool(after[i]))}")
    return [";".join(x) for x in gained], [";".join(x) for x in lost], ["; ".join(x) for x in reasons]


def _why(row: dict, rule: str, pb: StarParams, pn: StarParams, years: tuple[int, int], gained: bool) -> str:
    y1, y2 = years
    below = [f"{y} fewer than {p.min_employment:,.0f} employees ({row[f'employment_{s}']:,.0f})"
             for y, s, p in ((y1, "base", pb), (y2, "now", pn)) if _true(row.get(f"below_minimum_{s}"))]
    if rule == "specialisation":
        # digits enough that the printed LQ agrees with the comparison (1.9999 is not "2.00")
        lq1, lq2 = float(row["lq_base"]), float(row["lq_now"])
        values = (f"LQ {_lq(lq1, pb.lq_min, lq1 >= pb.lq_min)} in {y1}, {_lq(lq2, pn.lq_min, lq2 >= pn.lq_min)} in "
                  f"{y2} (star at LQ ≥ {pn.lq_min:g})")
    else:
        rank, value = ("size_rank", "employment") if rule == "size" else ("focus_rank", "share")

        def shown(s: str) -> str:
            v = row[f"{value}_{s}"]
            return f"{v:,.0f}" if rule == "size" else f"{100 * v:.2f} %"

        values = (f"rank {_int(row[f'{rank}_base'])} in {y1} ({shown('base')}; star for ranks ≤ {_int(row['k_base'])}), "
                  f"rank {_int(row[f'{rank}_now'])} in {y2} ({shown('now')}; star for ranks ≤ {_int(row['k_now'])})")
    return values + (f"; {', '.join(below)}" if below else "")


def _true(x: object) -> bool:
    return bool(x) and x == x


def _int(x: float) -> str:
    return "–" if x != x else f"{int(x)}"
