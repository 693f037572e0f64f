"""Starting values for hidden cells from other published evidence about the same cell.

In order of preference (the first available wins; measured by the hold-out in ``benchmarks/``):

1. ``neighbouring year``: the same cell published in the nearest other year (within ``MAX_YEARS``), scaled by
   how the country's total of that sector changed between the two years;
2. ``wages``: the cell's wages and salaries divided by the country's wages per person in the sector;
3. ``local units``: the cell's number of local units times the country's persons per local unit in the sector.

The priors only divide what the published totals leave; the totals, not the priors, set the level.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from clustermapper.suppressed.grid import Grid

MAX_YEARS = 3
NEIGHBOUR, WAGES, LOCAL_UNITS, NONE = "neighbouring year", "wages", "local units", "equal split"


def _keyed(table: pd.DataFrame) -> pd.Series:
    t = table[table["value"].notna()]
    return pd.Series(t["value"].to_numpy(float), index=pd.MultiIndex.from_frame(t[["region", "sector"]])).groupby(
        level=[0, 1]).first()


def _country_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Per (country, sector): numerator / denominator of the country's own cell, else pooled over its regions."""
    both = pd.DataFrame({"num": numerator, "den": denominator}).dropna()
    both = both[both["den"] > 0].reset_index()
    both.columns = ["region", "sector", "num", "den"]
    both["country"] = both["region"].astype(str).str[:2]
    national = both[both["region"].str.len() == 2].set_index(["country", "sector"])
    pooled = both[both["region"].str.len() > 2].groupby(["country", "sector"])[["num", "den"]].sum()
    return (national["num"] / national["den"]).combine_first(pooled["num"] / pooled["den"])


def priors(grid: Grid, year: int, history: pd.DataFrame | None, companions: Mapping[str, pd.DataFrame],
           order: tuple[str, ...] = (NEIGHBOUR, WAGES, LOCAL_UNITS)) -> tuple[np.ndarray, np.ndarray]:
    """(prior, basis) per grid cell; NaN / ``NONE`` where nothing is known. Only hidden cells matter: a
    source is consulted (a companion looked up) only while some hidden cell still lacks a prior."""
    cells = grid.cells
    n = len(cells)
    hidden = grid.unknown
    if not hidden.any():
        return np.full(n, np.nan), np.full(n, NONE, dtype=object)
    key = pd.MultiIndex.from_frame(cells[["region", "sector"]])
    country_key = pd.MultiIndex.from_arrays([cells["region"].str[:2], cells["sector"]])
    emp = pd.Series(grid.value, index=key)
    prior = np.full(n, np.nan)
    basis = np.full(n, NONE, dtype=object)

    def offer(values: np.ndarray, label: str) -> None:
        take = hidden & np.isnan(prior) & np.isfinite(values) & (values > 0)
        prior[take] = values[take]
        basis[take] = label

    for source in order:
        if not (hidden & np.isnan(prior)).any():
            break
        if source == NEIGHBOUR and history is not None:
            offer(_neighbour(cells, key, year, history, hidden & np.isnan(prior)), NEIGHBOUR)
        elif source in (WAGES, LOCAL_UNITS):
            other = companions.get("wages" if source == WAGES else "local_units")
            if other is None:
                continue
            published = _keyed(other[other["year"] == year])
            # wages per person, or local units per person, of the sector in the country
            rate = _country_ratio(published, emp.dropna()).reindex(country_key).to_numpy(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                offer(published.reindex(key).to_numpy(float) / rate, source)
    return prior, basis


def _neighbour(cells: pd.DataFrame, key: pd.MultiIndex, year: int, history: pd.DataFrame,
               wanted: np.ndarray) -> np.ndarray:
    """The neighbouring-year prior of the ``wanted`` cells (NaN elsewhere): only their regions', sectors' and
    countries' rows of the history are looked at (a year's hidden cells are ~3,400 of ~45,000)."""
    out = np.full(len(cells), np.nan)
    if not wanted.any():
        return out
    regions, sectors = cells["region"].to_numpy()[wanted], cells["sector"].to_numpy()[wanted]
    countries = pd.Series(regions).str[:2].to_numpy()
    near = history["value"].notna() & (history["year"] != year) & ((history["year"] - year).abs() <= MAX_YEARS)
    in_sectors = history["sector"].isin(pd.unique(sectors))
    h = history[near & in_sectors & history["region"].isin(pd.unique(regions))]
    if h.empty:
        return out
    h = h.assign(distance=(h["year"] - year).abs() * 2 + (h["year"] < year))  # nearest first, later on ties
    best = h.sort_values("distance", kind="stable").drop_duplicates(["region", "sector"])
    best = best.set_index(["region", "sector"])
    found = best.reindex(key[wanted])
    # growth of the country's sector total between that year and this one (a country's code is its 2 letters)
    nat = history[history["region"].isin(pd.unique(countries)) & in_sectors & history["value"].notna()]
    nat = nat.set_index(["region", "sector", "year"])["value"]
    nat = nat[~nat.index.duplicated()]
    then = nat.reindex(pd.MultiIndex.from_arrays([countries, sectors, found["year"].fillna(-1).astype(int)]))
    now = nat.reindex(pd.MultiIndex.from_arrays([countries, sectors, np.full(len(sectors), year)]))
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = now.to_numpy(float) / then.to_numpy(float)
    growth = np.where(np.isfinite(growth) & (growth > 0), growth, 1.0)
    out[wanted] = found["value"].to_numpy(float) * growth
    return out
