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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper.io.table import derived
from clustermapper.suppressed.grid import Grid

MAX_YEARS = 3
NEIGHBOUR, WAGES, LOCAL_UNITS, NONE = "neighbouring year", "wages", "local units", "equal split"


class _Cells:
    """Integer codes of the grid cells' regions, sectors and (country, sector) groups, made once per year:
    the priors work on arrays of cells, not on (region, sector) MultiIndexes (~0.25 s a year)."""

    def __init__(self, cells: pd.DataFrame) -> None:
        self.region = cells["region"].to_numpy(dtype=object)
        self.sector = cells["sector"].to_numpy(dtype=object)
        # sorted codes: ordering cells by (region code, sector code) is ordering them by their texts
        self.region_code, regions = pd.factorize(self.region, sort=True)
        self.sector_code, sectors = pd.factorize(self.sector, sort=True)
        self.n_sectors = max(len(sectors), 1)
        names = [str(r) for r in regions]
        country_code, _ = pd.factorize(np.array([r[:2] for r in names], dtype=object))
        self.group = country_code[self.region_code].astype("int64") * self.n_sectors + self.sector_code
        self.n_groups = (int(country_code.max()) + 1 if len(names) else 0) * self.n_sectors
        self.national = np.array([len(r) == 2 for r in names], dtype=bool)[self.region_code]
        self.lexical = np.argsort(self.region_code.astype("int64") * self.n_sectors + self.sector_code,
                                  kind="stable")

    def published(self, other: pd.DataFrame, year: int) -> np.ndarray:
        """Per cell, the first number ``other`` (a companion indicator's tidy table) has for the cell's
        region and sector in ``year``; NaN where it has none."""
        rows = other[(other["year"] == year).to_numpy() & other["value"].notna().to_numpy()]
        n = len(self.region)
        region_code, _ = pd.factorize(np.concatenate([self.region, rows["region"].to_numpy(dtype=object)]))
        sector_code, uniques = pd.factorize(np.concatenate([self.sector, rows["sector"].to_numpy(dtype=object)]))
        key = region_code.astype("int64") * max(len(uniques), 1) + sector_code
        at = pd.Index(key[:n]).get_indexer(key[n:])  # the grid has one cell per (region, sector)
        out = np.full(n, np.nan)
        found = np.flatnonzero(at >= 0)
        cells, first = np.unique(at[found], return_index=True)  # several rows of one cell: the first
        out[cells] = rows["value"].to_numpy(dtype=float)[found[first]]
        return out

    def country_ratio(self, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
        """Per cell, numerator / denominator of its (country, sector): the country's own cell where both are
        known, else pooled over the country's regions."""
        both = ~np.isnan(numerator) & ~np.isnan(denominator) & (denominator > 0)
        if not self.n_groups:
            return np.full(len(self.group), np.nan)
        ratio = np.full(self.n_groups, np.nan)
        pooled = self.lexical[(both & ~self.national)[self.lexical]]  # summed in text order, as before
        if len(pooled):
            sums = pd.DataFrame({"num": numerator[pooled], "den": denominator[pooled]}).groupby(
                self.group[pooled]).sum()
            ratio[sums.index.to_numpy()] = (sums["num"] / sums["den"]).to_numpy()
        own = np.flatnonzero(both & self.national)
        ratio[self.group[own]] = numerator[own] / denominator[own]
        return ratio[self.group]


def priors(grid: Grid, year: int, history: pd.DataFrame | None, companions: Mapping[str, pd.DataFrame],
           order: tuple[str, ...] = (NEIGHBOUR, WAGES, LOCAL_UNITS)) -> tuple[np.ndarray, np.ndarray]:
    """(prior, basis) per grid cell; NaN / ``NONE`` where nothing is known. Only hidden cells matter: a
    source is consulted (a companion looked up) only while some hidden cell still lacks a prior."""
    cells = grid.cells
    n = len(cells)
    hidden = grid.unknown
    if not hidden.any():
        return np.full(n, np.nan), np.full(n, NONE, dtype=object)
    coded: _Cells | None = None  # made when a companion is first consulted (the neighbouring year often suffices)
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
            offer(_neighbour(cells, year, history, hidden & np.isnan(prior)), NEIGHBOUR)
        elif source in (WAGES, LOCAL_UNITS):
            other = companions.get("wages" if source == WAGES else "local_units")
            if other is None:
                continue
            coded = coded or _Cells(cells)
            published = coded.published(other, year)
            # wages per person, or local units per person, of the sector in the country
            rate = coded.country_ratio(published, grid.value)
            with np.errstate(divide="ignore", invalid="ignore"):
                offer(published / rate, source)
    return prior, basis


@dataclass(frozen=True)
class _History:
    """The history's codes, made once per table (every year of a file looks at the same one)."""

    regions: pd.Index
    sectors: pd.Index
    region: np.ndarray  # code per row
    sector: np.ndarray
    year: np.ndarray
    value: np.ndarray
    known: np.ndarray  # the row holds a number

    @classmethod
    def of(cls, history: pd.DataFrame) -> _History:
        region, regions = pd.factorize(history["region"].to_numpy(dtype=object))
        sector, sectors = pd.factorize(history["sector"].to_numpy(dtype=object))
        value = history["value"].to_numpy(dtype=float)
        return cls(pd.Index(regions), pd.Index(sectors), region.astype("int64"), sector.astype("int64"),
                   history["year"].to_numpy().astype("int64"), value, ~np.isnan(value))

    def rows_of(self, regions: np.ndarray, sectors: np.ndarray) -> np.ndarray:
        """Whether each row's region is one of ``regions`` and its sector one of ``sectors`` (codes, -1: none)."""
        return self._member(self.region, regions, len(self.regions)) & self._member(self.sector, sectors,
                                                                                    len(self.sectors))

    @staticmethod
    def _member(codes: np.ndarray, wanted: np.ndarray, size: int) -> np.ndarray:
        table = np.zeros(size + 1, dtype=bool)  # the last slot: code -1
        table[wanted[wanted >= 0]] = True
        return table[codes]


def _first_of(keys: np.ndarray, rows: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """The distinct ``keys`` (one per row of ``rows``; an index to look them up) and the first of ``rows``
    with each."""
    distinct, first = np.unique(keys, return_index=True)
    return pd.Index(distinct), rows[first]


def _neighbour(cells: pd.DataFrame, year: int, history: pd.DataFrame, wanted: np.ndarray) -> np.ndarray:
    """The neighbouring-year prior of the ``wanted`` cells (NaN elsewhere): only their regions', sectors' and
    countries' rows of the history are looked at (a year's hidden cells are ~3,400 of ~45,000)."""
    out = np.full(len(cells), np.nan)
    if not wanted.any():
        return out
    h = derived(history, "priors history codes", _History.of)
    regions = cells["region"].to_numpy(dtype=object)[wanted]
    region = h.regions.get_indexer(regions)
    sector = h.sectors.get_indexer(cells["sector"].to_numpy(dtype=object)[wanted])
    country = h.regions.get_indexer(np.array([str(r)[:2] for r in regions], dtype=object))
    n_s = len(h.sectors) + 1
    near = h.known & (h.year != year) & (np.abs(h.year - year) <= MAX_YEARS)
    rows = np.flatnonzero(near & h.rows_of(region, sector))
    if not len(rows):
        return out
    # nearest year first, the later one on ties, then file order: the first row of each cell is its prior
    distance = np.abs(h.year[rows] - year) * 2 + (h.year[rows] < year)
    rows = rows[np.argsort(distance, kind="stable")]
    index, best = _first_of(h.region[rows] * n_s + h.sector[rows], rows)
    at = index.get_indexer(np.where((region >= 0) & (sector >= 0), region * n_s + sector, -1))
    found = np.full(len(at), -1)
    found[at >= 0] = best[at[at >= 0]]
    value = np.where(found >= 0, h.value[found], np.nan)
    then_year = np.where(found >= 0, h.year[found], -1)
    # growth of the country's sector total between that year and this one (a country's code is its 2 letters)
    national = np.flatnonzero(h.known & h.rows_of(country, sector))
    span = int(h.year.max()) - int(h.year.min()) + 3 if len(h.year) else 3
    low = int(h.year.min()) - 1 if len(h.year) else 0

    def year_key(r: np.ndarray, s: np.ndarray, y: np.ndarray) -> np.ndarray:
        inside = (r >= 0) & (s >= 0) & (y >= low) & (y < low + span)
        return np.where(inside, (r * n_s + s) * span + (y - low), -1)

    nat_index, nat_rows = _first_of(year_key(h.region[national], h.sector[national], h.year[national]), national)

    def national_value(y: np.ndarray) -> np.ndarray:
        at = nat_index.get_indexer(year_key(country, sector, y))
        values = np.full(len(at), np.nan)
        values[at >= 0] = h.value[nat_rows[at[at >= 0]]]
        return values

    with np.errstate(divide="ignore", invalid="ignore"):
        growth = national_value(np.full(len(region), year)) / national_value(then_year)
    growth = np.where(np.isfinite(growth) & (growth > 0), growth, 1.0)
    out[wanted] = value * growth
    return out
