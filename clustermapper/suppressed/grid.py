"""One year's cells on both hierarchies: NACE (section → division → group) and NUTS (country → 1 → 2 → 3).

A published parent is a constraint on its children unless the data show it is not one: a parent code in a
country (or a country's NUTS level) stays *closed* when, in at least 90 % of the cases where all its children are
published, it equals their sum within rounding (with no such case, the hierarchy's own definition holds). Sections equal the sum of their divisions in the regional SBS file; a country's value
can exceed the sum of its NUTS-2 regions (extra-regio activity, e.g. BE), and in 2008–2010 old and new
NUTS codes overlap — such parents constrain nothing, so they can never force a wrong estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper.regions.codes import is_region_code, nuts_level

CLOSED_SHARE = 0.9


def tolerance(parent: np.ndarray) -> np.ndarray:
    """Rounding slack of a published total: its parts are rounded separately (measured: ±3 persons)."""
    return 3.0 + 0.0005 * np.abs(parent)


def nace_parent(code: str, present: set[str]) -> str | None:
    """``C29`` → ``C``, ``G451`` → ``G45`` (when present in the data)."""
    if len(code) == 3 and code[0].isalpha() and code[1:].isdigit():
        return code[0] if code[0] in present else None
    if len(code) == 4 and code[0].isalpha() and code[1:].isdigit():
        return code[:3] if code[:3] in present else None
    return None


@dataclass
class Grid:
    """Cells of one year (regions of any NUTS level × sector codes), with each cell's parent on both axes."""

    cells: pd.DataFrame  # region, sector, value (published or NaN), flag, confidential (bool), level
    nace_parent: np.ndarray  # int index of the closed NACE parent cell, -1 if none
    geo_parent: np.ndarray  # int index of the closed geographic parent cell, -1 if none
    nace_link: np.ndarray | None = None  # the parent cell whether or not the family adds up (plausibility)
    geo_link: np.ndarray | None = None

    @property
    def value(self) -> np.ndarray:
        return self.cells["value"].to_numpy(dtype=float)

    @property
    def unknown(self) -> np.ndarray:
        return self.cells["confidential"].to_numpy(dtype=bool)

    def families(self) -> tuple[np.ndarray, ...]:
        return (self.nace_parent, self.geo_parent)


def build_grid(rows: pd.DataFrame) -> Grid:
    """``rows``: tidy rows of one year (region, sector, value, flag); non-region codes are ignored."""
    from clustermapper.statuses import is_confidential_flag

    regions = rows["region"].astype(str)
    uniq = regions.unique()
    ok = regions.map(dict(zip(uniq, map(is_region_code, uniq)))).astype(bool)
    cells = rows.loc[ok, ["region", "sector", "value", "flag"]].drop_duplicates(["region", "sector"])
    cells = cells.reset_index(drop=True)
    cells["value"] = cells["value"].astype(float)
    cells["flag"] = cells["flag"].fillna("").astype(str)
    cells["confidential"] = cells["value"].isna() & is_confidential_flag(cells["flag"])
    cells["level"] = cells["region"].map({c: nuts_level(c) for c in cells["region"].unique()}).astype(int)
    position = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[["region", "sector"]]))

    sectors = set(cells["sector"])
    nace_of = {s: nace_parent(s, sectors) for s in sectors}
    nace_key = pd.MultiIndex.from_arrays([cells["region"], cells["sector"].map(nace_of)])
    geo_codes = cells["region"].where(cells["level"] == 0, cells["region"].str[:-1])
    geo_key = pd.MultiIndex.from_arrays([geo_codes.where(cells["level"] > 0), cells["sector"]])
    nace = _lookup(position, nace_key)
    geo = _lookup(position, geo_key)

    value = cells["value"].to_numpy(dtype=float)
    nace_link, geo_link = nace.copy(), geo.copy()
    # a NACE parent is judged per country: PL's G45 is not the sum of its groups where most countries' is
    nace_family = (cells["region"].str[:2] + ":" + cells["sector"].map(nace_of).fillna("")).to_numpy(dtype=object)
    nace = _keep_closed(nace, value, nace_family)
    family_of_geo = (cells["region"].str[:2] + ":" + cells["level"].astype(str)).to_numpy(dtype=object)
    geo = _keep_closed(geo, value, family_of_geo)
    return Grid(cells=cells, nace_parent=nace, geo_parent=geo, nace_link=nace_link, geo_link=geo_link)


# More persons than any economy employs in one sector of one region (the EU employs ~200 million in all):
IMPLAUSIBLE = 1e8
MAX_EXAMPLES = 5


def implausible(grid: Grid) -> list[str]:
    """Warnings about published numbers that cannot be right: a part larger than its whole, or beyond any economy."""
    cells, value = grid.cells, grid.value
    notes = []
    huge = np.nonzero(value > IMPLAUSIBLE)[0]
    if len(huge):
        shown = ", ".join(f"{cells.at[i, 'region']} {cells.at[i, 'sector']} = {value[i]:.3g}" for i in huge[:MAX_EXAMPLES])
        notes.append(f"{len(huge)} values exceed {IMPLAUSIBLE:.0e} persons, more than any economy employs "
                     f"({shown}{' …' if len(huge) > MAX_EXAMPLES else ''}); check the indicator and the unit")
    for what, link in (("its NACE parent", grid.nace_link), ("its larger region", grid.geo_link)):
        if link is None:
            continue
        child = np.nonzero(link >= 0)[0]
        parent = link[child]
        with np.errstate(invalid="ignore"):
            over = value[child] > value[parent] + tolerance(np.nan_to_num(value[parent])) + 0.01 * value[parent]
        bad = child[np.nan_to_num(over, nan=0.0).astype(bool)]
        if len(bad):
            shown = "; ".join(f"{cells.at[i, 'region']} {cells.at[i, 'sector']} = {value[i]:,.0f} > "
                              f"{cells.at[link[i], 'region']} {cells.at[link[i], 'sector']} = {value[link[i]]:,.0f}"
                              for i in bad[:MAX_EXAMPLES])
            notes.append(f"{len(bad)} published values are larger than {what} ({shown}"
                         f"{' …' if len(bad) > MAX_EXAMPLES else ''}); a part cannot exceed its whole")
    return notes


def _lookup(position: pd.Series, keys: pd.MultiIndex) -> np.ndarray:
    found = position.reindex(keys)
    return found.fillna(-1).to_numpy(dtype="int64")


def _keep_closed(parent: np.ndarray, value: np.ndarray, family: np.ndarray) -> np.ndarray:
    """Cut the links of families (a parent code, or a country's level) whose totals are not sums."""
    n = len(value)
    has = parent >= 0
    idx = np.nonzero(has)[0]
    if not len(idx):
        return parent
    p = parent[idx]
    # per parent: sum of children, and whether every child is published
    child_sum = np.bincount(p, weights=np.nan_to_num(value[idx]), minlength=n)
    child_missing = np.bincount(p, weights=np.isnan(value[idx]).astype(float), minlength=n)
    parents = np.unique(p)
    complete = parents[(child_missing[parents] == 0) & ~np.isnan(value[parents])]
    ok = np.abs(value[complete] - child_sum[complete]) <= tolerance(value[complete])
    fam_of_parent = pd.Series(family[idx], index=p).groupby(level=0).first()
    stats = pd.DataFrame({"family": fam_of_parent.reindex(complete).to_numpy(), "ok": ok})
    share = stats.groupby("family")["ok"].mean()
    broken = set(share.index[share < CLOSED_SHARE])
    keep = np.array([f not in broken for f in family[idx]])
    out = parent.copy()
    out[idx[~keep]] = -1
    return out
