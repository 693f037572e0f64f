"""Apply a suppressed-cell policy to one year's tidy rows: the values the stars are computed from.

Output columns (beside the tidy ``region, sector, year, flag``): ``value`` (what the metrics use),
``reported`` (the published number, NaN if none), ``status`` (:mod:`.status`), ``low`` / ``high`` (what the
published totals allow; equal to the value for a published cell) and ``basis`` (how an estimate was made).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper import statuses as st
from clustermapper.defaults import SUPPRESSED_POLICIES
from clustermapper.errors import UsageError
from clustermapper.suppressed.bounds import propagate
from clustermapper.suppressed.eco_split import eco_split
from clustermapper.suppressed.estimate import fit
from clustermapper.suppressed.grid import build_grid, implausible
from clustermapper.suppressed.priors import priors

POLICY_LABELS = {
    "zero": "confidential cells counted as 0 (published cells only)",
    "exclude": "categories resting on confidential cells left out of their ranking",
    "eco-split": "confidential cells filled down the NACE hierarchy (European Cluster Observatory)",
    "estimate": "confidential cells estimated from NACE and regional totals, with bounds",
}
FILLED_COLUMNS = ("reported", "status", "low", "high", "basis")


@dataclass(frozen=True)
class FillSummary:
    policy: str
    n_confidential: int  # confidential cells among the regions of the year (all levels)
    n_estimated: int
    n_pinned: int  # hidden cells the totals determine up to rounding (bounds within 0.5 % or 10 persons)
    iterations: int = 0
    warnings: tuple[str, ...] = ()  # implausible published numbers (grid.implausible)

    def note(self) -> str:
        text = f"Suppressed cells: {self.n_confidential} confidential; policy {self.policy}: {POLICY_LABELS[self.policy]}"
        if self.n_estimated:
            text += f"; {self.n_estimated} estimated"
            if self.policy == "estimate":  # eco-split ignores the geographic totals that pin a cell
                text += f" ({self.n_pinned} fixed by the published totals up to rounding)"
        left = self.n_confidential - self.n_estimated
        if self.n_estimated and left:
            why = "no NACE parent with a value" if self.policy == "eco-split" else "nothing bounds or describes them"
            text += f", {left} left confidential ({why})"
        return text + "."


def check_policy(policy: str) -> str:
    if policy not in SUPPRESSED_POLICIES:
        raise UsageError(f"--suppressed {policy!r}: choose one of {', '.join(SUPPRESSED_POLICIES)}")
    return policy


def fill(rows: pd.DataFrame, policy: str, *, history: pd.DataFrame | None = None,
         companions: Mapping[str, pd.DataFrame] | None = None) -> tuple[pd.DataFrame, FillSummary]:
    """``rows``: tidy rows of one year, all NUTS levels; ``history``: the indicator in every year (priors);
    ``companions``: other indicators by role (priors), looked up only when a hidden cell needs them."""
    check_policy(policy)
    out = rows.copy()
    out["reported"] = out["value"].astype(float)
    out["status"] = st.classify(out["value"], out["flag"])
    out["low"] = out["reported"]
    out["high"] = out["reported"]
    out["basis"] = ""
    if out.empty:
        return out, FillSummary(policy, 0, 0, 0)
    year = int(out["year"].iloc[0])
    grid = build_grid(out)
    warnings = tuple(implausible(grid))
    lo, hi = propagate(grid)
    # the totals leave one value up to their own rounding (within 0.5 %, or 10 persons): the cell is the residual
    pinned = np.isfinite(hi) & (hi - lo <= np.maximum(10.0, 0.005 * np.nan_to_num(hi, posinf=0.0)))
    unknown = grid.unknown
    iterations = 0
    if policy == "estimate":
        prior, basis = priors(grid, year, history, {} if companions is None else companions)
        values, iterations = fit(grid, prior, lo, hi)
        basis = np.where(pinned, "published totals", basis)
        # a cell no published total bounds and no other evidence describes stays confidential: any number
        # put there would be invented
        filled = unknown & (np.isfinite(hi) | (np.isfinite(prior) & (prior > 0)))
    elif policy == "eco-split":
        values = eco_split(grid)
        filled = unknown & np.isfinite(values)
        basis = np.full(len(values), "eco-split", dtype=object)
    else:
        values, filled, basis = grid.value, np.zeros(len(lo), bool), np.full(len(lo), "", dtype=object)

    where = grid.row_cell  # each row's cell (the grid was built from ``out``, row for row)
    has = where >= 0
    g = where[has]
    out.loc[has, "low"] = np.where(unknown[g], lo[g], out.loc[has, "low"])
    out.loc[has, "high"] = np.where(unknown[g], hi[g], out.loc[has, "high"])
    take = np.zeros(len(out), bool)
    take[np.nonzero(has)[0]] = filled[g]
    out.loc[take, "value"] = values[where[take]]
    out.loc[take, "status"] = st.ESTIMATED
    out.loc[take, "basis"] = basis[where[take]]
    n_conf = int(unknown.sum())
    return out, FillSummary(policy, n_conf, int(filled.sum()), int((filled & pinned).sum()), iterations, warnings)

