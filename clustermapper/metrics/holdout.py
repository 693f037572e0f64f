"""Hold-out evaluation: hide published cells, fill them with a policy, compare with the truth.

Hidden cells are published NUTS-2 × NACE-division cells of one year with at least ``min_value`` persons
employed. Their wages are hidden with them (Eurostat suppresses those together); local units stay
published, as they usually are for confidential cells. Like Eurostat, more cells are hidden so that no
hidden cell is alone under a published total (``secondary``: it would equal the residual). With ``every_year`` the cells are hidden in all
years, so the neighbouring-year prior cannot see them (the harder, more realistic case for cells such as
Braunschweig's, confidential year after year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper.suppressed.policy import fill


@dataclass(frozen=True)
class HoldoutResult:
    policy: str
    fraction: float
    n_hidden: int
    median_ape: float  # absolute percentage error, in %
    p75_ape: float
    p90_ape: float
    stars_right: float  # share of hidden cells whose three star decisions all match the truth


def hide(table: pd.DataFrame, year: int, fraction: float, seed: int, min_value: float = 1000.0) -> pd.Index:
    rows = table[(table["year"] == year) & table["value"].notna() & (table["value"] >= min_value)]
    rows = rows[(rows["region"].str.len() == 4) & ~rows["region"].str.endswith("Z")
                & rows["sector"].str.fullmatch(r"[A-Z]\d\d")]
    rng = np.random.default_rng(seed)
    n = int(round(fraction * len(rows)))
    return pd.MultiIndex.from_frame(rows[["region", "sector"]].iloc[np.sort(rng.choice(len(rows), n, replace=False))])


def secondary(rows: pd.DataFrame, cells: pd.Index, max_rounds: int = 20) -> pd.Index:
    """Cells to hide as well so that no hidden cell is the only hidden child of a published total.

    Eurostat's own secondary suppression does this (a lone hidden cell would equal the published residual);
    hiding the smallest published sibling each time mimics it. Returns the extra cells (not evaluated).
    """
    from clustermapper.suppressed.grid import build_grid

    extra: set[tuple[str, str]] = set()
    for _ in range(max_rounds):
        masked = _mask(rows, cells.union(pd.MultiIndex.from_tuples(sorted(extra), names=cells.names))
                       if extra else cells, None, "c")
        grid = build_grid(masked)
        value, unknown = grid.value, grid.unknown
        added = False
        for parent in grid.families():
            child = np.nonzero(parent >= 0)[0]
            p = parent[child]
            n_hidden = np.bincount(p[unknown[child]], minlength=len(value))
            lone = np.nonzero((n_hidden == 1) & ~np.isnan(value))[0]
            if not len(lone):
                continue
            frame = pd.DataFrame({"parent": p, "cell": child, "value": value[child]}).dropna()
            frame = frame[frame["parent"].isin(lone) & (frame["value"] > 0)]
            pick = frame.sort_values("value").drop_duplicates("parent")["cell"].to_numpy()
            for i in pick:
                extra.add((str(grid.cells.at[i, "region"]), str(grid.cells.at[i, "sector"])))
                added = True
        if not added:
            break
    return pd.MultiIndex.from_tuples(sorted(extra), names=cells.names) if extra else cells[:0]


def _mask(table: pd.DataFrame, cells: pd.Index, years: set[int] | None, flag: str | None) -> pd.DataFrame:
    t = table.copy()
    hit = pd.MultiIndex.from_frame(t[["region", "sector"]]).isin(cells)
    if years is not None:
        hit &= t["year"].isin(years)
    t.loc[hit, "value"] = np.nan
    if flag is not None:
        t.loc[hit, "flag"] = flag
    return t


def stars_of(rows: pd.DataFrame) -> pd.DataFrame:
    """ECO stars of NUTS-2 × division cells of one year's filled rows (value column)."""
    from clustermapper.metrics.stars import compute_stars
    from clustermapper.regions.levels import select_level
    from clustermapper.taxonomy import load_taxonomy, region_totals

    table, _ = select_level(rows[["region", "sector", "year", "value", "flag"]], 2)
    employment, _, _ = load_taxonomy("nace-divisions").aggregate(table)
    stars = compute_stars(employment, region_totals(table))
    return stars.set_index(["region", "category"])[["size_star", "focus_star", "specialisation_star"]]


def evaluate(table: pd.DataFrame, year: int, fraction: float, policies: tuple[str, ...], *, seed: int = 1,
             companions: dict[str, pd.DataFrame] | None = None, every_year: bool = False,
             with_secondary: bool = True) -> list[HoldoutResult]:
    cells = hide(table, year, fraction, seed)
    truth_rows = table[table["year"] == year]
    truth = truth_rows.set_index(["region", "sector"])["value"].groupby(level=[0, 1]).first().reindex(cells)
    masked = cells.union(secondary(truth_rows, cells)) if with_secondary else cells
    history = _mask(table, masked, None if every_year else {year}, "c")
    hidden_rows = history[history["year"] == year]
    comp = dict(companions or {})
    if "wages" in comp:
        comp["wages"] = _mask(comp["wages"], masked, None if every_year else {year}, "c")
    true_stars = stars_of(truth_rows).reindex(cells)
    out = []
    for policy in policies:
        filled, _ = fill(hidden_rows, policy, history=history, companions=comp)
        est = filled.set_index(["region", "sector"])["value"].groupby(level=[0, 1]).first().reindex(cells)
        if policy == "exclude":
            ape = pd.Series(np.nan, index=cells)
            got = true_stars.copy()
            got[:] = False  # an excluded cell is never a star
        else:
            ape = (est.fillna(0.0) - truth).abs() / truth * 100
            got = stars_of(filled).reindex(cells)
        right = (got.to_numpy() == true_stars.to_numpy()).all(axis=1).mean()
        q = ape.dropna()
        median, p75, p90 = (float(np.percentile(q, p)) if len(q) else float("nan") for p in (50, 75, 90))
        out.append(HoldoutResult(policy, fraction, len(cells), median, p75, p90, float(right)))
    return out
