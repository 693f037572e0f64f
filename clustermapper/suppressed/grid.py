"""One year's cells on both hierarchies: NACE (section → division → group) and NUTS (country → 1 → 2 → 3).

A published parent is a constraint on its children unless the data show it is not one: a parent code in a
country (or a country's NUTS level) stays *closed* when, in at least 90 % of the cases where all its children are
published, it equals their sum within rounding (with no such case, the hierarchy's own definition holds). Sections equal the sum of their divisions in the regional SBS file; a country's value
can exceed the sum of its NUTS-2 regions (extra-regio activity, e.g. BE), and in 2008–2010 old and new
NUTS codes overlap — such parents constrain nothing, so they can never force a wrong estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.regions.codes import code_table

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
    # per input row, the index of its cell (-1: not a region code)
    row_cell: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="int64"))

    @property
    def value(self) -> np.ndarray:
        return self.cells["value"].to_numpy(dtype=float)

    @property
    def unknown(self) -> np.ndarray:
        return self.cells["confidential"].to_numpy(dtype=bool)

    def families(self) -> tuple[np.ndarray, ...]:
        return (self.nace_parent, self.geo_parent)


def build_grid(rows: pd.DataFrame) -> Grid:
    """``rows``: tidy rows of one year (region, sector, value, flag); non-region codes are ignored.

    Works on integer codes of the distinct regions and sectors: per-row string operations took 1.5 s for
    the 720,000 cells of a NUTS-3 × 4-digit year (a few hundred distinct codes each)."""
    from clustermapper.statuses import is_confidential_flag

    table = code_table(rows["region"])
    r_codes, regions, region_ok, level_of = table.codes, list(table.names), table.is_region, table.level
    s_codes, s_uniq = pd.factorize(rows["sector"], use_na_sentinel=False)
    n_s = len(s_uniq)
    key = r_codes.astype("int64") * n_s + s_codes
    sel = np.flatnonzero(region_ok[r_codes]) if len(regions) else np.zeros(0, dtype="int64")
    _, first = np.unique(key[sel], return_index=True)
    kept = sel[np.sort(first)]  # the first row of each (region, sector), in file order
    cells = rows.iloc[kept][["region", "sector", "value", "flag"]].reset_index(drop=True)
    cells["value"] = cells["value"].astype(float)
    cells["flag"] = cells["flag"].fillna("").astype(str)
    cells["confidential"] = cells["value"].isna() & is_confidential_flag(cells["flag"])
    cell_r, cell_s = r_codes[kept], s_codes[kept]
    cells["level"] = level_of[cell_r] if len(kept) else np.zeros(0, dtype="int64")
    find = _finder(cell_r.astype("int64") * n_s + cell_s)

    sectors = {str(s_uniq[j]) for j in np.unique(cell_s)}
    sector_code = {str(name): j for j, name in enumerate(s_uniq)}
    nace_of = np.array([sector_code.get(nace_parent(str(name), sectors) or "", -1) for name in s_uniq],
                       dtype="int64")
    region_code = {name: i for i, name in enumerate(regions)}
    geo_of = np.array([region_code.get(name[:-1], -1) if level_of[i] > 0 else -1 for i, name in enumerate(regions)],
                      dtype="int64")
    nace = find(cell_r, nace_of[cell_s], n_s)
    geo = find(geo_of[cell_r], cell_s, n_s)

    value = cells["value"].to_numpy(dtype=float)
    nace_link, geo_link = nace.copy(), geo.copy()
    country_codes, _ = pd.factorize(table.country)
    country = country_codes[cell_r].astype("int64")
    # a NACE parent is judged per country: PL's G45 is not the sum of its groups where most countries' is
    nace = _keep_closed(nace, value, country * (n_s + 1) + nace_of[cell_s] + 1)
    geo = _keep_closed(geo, value, country * 10 + level_of[cell_r])  # a country's NUTS level
    row_cell = np.full(len(rows), -1, dtype="int64")
    row_cell[sel] = find(r_codes[sel], s_codes[sel], n_s)
    return Grid(cells=cells, nace_parent=nace, geo_parent=geo, nace_link=nace_link, geo_link=geo_link,
                row_cell=row_cell)


def _finder(keys: np.ndarray):
    """``find(r, s, n_s)``: the cell of each (region code, sector code) pair, -1 where there is none (or a
    code is -1)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]

    def find(r: np.ndarray, s: np.ndarray, n_s: int) -> np.ndarray:
        wanted = r.astype("int64") * n_s + s
        pos = np.searchsorted(ordered, wanted)
        pos_ok = np.minimum(pos, max(len(ordered) - 1, 0))
        hit = (r >= 0) & (s >= 0) & (pos < len(ordered))
        if len(ordered):
            hit &= ordered[pos_ok] == wanted
        return np.where(hit, order[pos_ok] if len(ordered) else -1, -1).astype("int64")

    return find


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
    for what, link in (("their NACE parent", grid.nace_link), ("the region that contains them", grid.geo_link)):
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
    keep = ~np.isin(family[idx], share.index[share < CLOSED_SHARE].to_numpy())
    out = parent.copy()
    out[idx[~keep]] = -1
    return out
