"""Which years cover which regions: the one per-year region count behind the default year, the year picker,
the data check, the CLI warning and the profiles' "changes since".

A region *has data* in a year when, after the NUTS level selection the analysis itself does
(:func:`clustermapper.regions.levels.select_level`, overrides included), at least one of its cells carries a
number. The real Eurostat file has 282 NUTS-2 regions with data in 2014 but 167 in 2015 (FR, IT, BE, NL, …
had not published it yet), so "the latest year" is not a safe default: :func:`default_year` takes the year
with the most regions (ties: the latest), and :func:`year_details` says which years are partial and which
countries they lack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper.io.table import ReadResult, derived

# A year with fewer regions than this share of the best year's is partial: its ranks ("of 167"), LQs and
# "Europe" describe a different, smaller Europe. 90 % flags the real file's 2008/2009 (France absent) and
# 2015 (12 countries absent), not 2011–2013 (a few regions fewer after NUTS code changes).
PARTIAL_SHARE = 0.9

Overrides = Mapping[str, int] | Iterable[tuple[str, int]] | None


@dataclass(frozen=True)
class YearCoverage:
    """Regions with data in one year, against the best-covered year of the same file and level."""

    year: int
    regions: int  # regions with data at the analysis level
    best_year: int  # the year with the most regions (ties: the latest)
    best: int  # its region count
    absent: tuple[str, ...]  # countries with regions in the best year and none in this one
    fewer: tuple[str, ...]  # countries with some regions in this year, but fewer than in the best year

    @property
    def partial(self) -> bool:
        return self.regions < PARTIAL_SHARE * self.best

    @property
    def label(self) -> str:
        """What the year picker shows: ``2015 — 167 regions (partial)``."""
        return f"{self.year} — {self.regions} region{'s' if self.regions != 1 else ''}" + (
            " (partial)" if self.partial else "")

    def warning(self) -> str:
        """One sentence for a partial year (``""`` otherwise): how many regions, and whose are missing."""
        if not self.partial:
            return ""
        text = (f"{self.year} is a partial year: {self.regions} of {self.best} regions have data "
                f"({self.best_year} has {self.best})")
        if self.absent:
            text += f"; no data for {country_list(self.absent)}"
        text += (". Ranks, LQs and 'Europe' then refer to these regions only; "
                 f"{self.best_year} is the best-covered year.")
        return text


def country_list(codes: Iterable[str]) -> str:
    """``BE (Belgique/België), FR (France)``: codes with the names of the embedded NUTS tables."""
    from clustermapper.regions.shapes import region_name

    out = []
    for code in codes:
        try:
            name = region_name(code)
        except (KeyError, LookupError, ValueError, OSError):
            name = code
        out.append(code if not name or name == code else f"{code} ({name})")
    return ", ".join(out)


def _overrides_key(overrides: Overrides) -> tuple[tuple[str, int], ...]:
    items = overrides.items() if isinstance(overrides, Mapping) else (overrides or ())
    return tuple(sorted((str(c).strip().upper(), int(lv)) for c, lv in items))


def region_years(dataset: ReadResult, level: int = 2, overrides: Overrides = None) -> pd.DataFrame:
    """Distinct ``(region, year)`` pairs with a number at the analysis level (sorted; cached per table).

    Computed on one row per (code, year) with a number, through the pipeline's own ``select_level``: a
    parent built from children (a level override) has data exactly when one of its children has a number,
    as in :func:`clustermapper.analysis.prepare`. The real file (371k cells) takes ~50 ms, once.
    """
    key = (int(level), _overrides_key(overrides))
    return derived(dataset.table, ("region_years", *key), lambda table: _region_years(table, key[0], dict(key[1])))


def _region_years(table: pd.DataFrame, level: int, overrides: dict[str, int]) -> pd.DataFrame:
    from clustermapper.regions.levels import select_level
    from clustermapper.regions.overlaps import drop_double_counted

    valued = table["value"].notna().to_numpy()
    # distinct (code, year) pairs from integer keys: each code text hashed once, not once per (code, year)
    codes, names = pd.factorize(table["region"].to_numpy()[valued])
    years = table["year"].to_numpy()[valued].astype("int64")
    first = int(years.min()) if len(years) else 0
    span = int(years.max()) - first + 1 if len(years) else 1
    flat = codes.astype("int64") * span + (years - first)
    if len(names) * span <= 5_000_000:  # counted over the dense (code, year) range, not sorted (7M cells)
        counts = np.bincount(flat, minlength=len(names) * span)
        pair = np.flatnonzero(counts)
        count = counts[pair]
    else:
        pair, count = np.unique(flat, return_counts=True)
    names = np.asarray(names, dtype=object).astype(str)
    # one stand-in cell per (code, year): select_level keeps or sums it exactly like a real cell
    cells = pd.DataFrame({"region": names[pair // span], "sector": "", "year": pair % span + first, "value": 1.0,
                          "flag": ""})
    selected, _ = select_level(cells, level, overrides)
    # the same land under two NUTS versions counts once, as in the analysis (which weighs cells per region)
    counts = pd.Series(count, index=pd.MultiIndex.from_arrays([cells["year"], cells["region"]]))
    selected = pd.concat([drop_double_counted(part, int(y), counts.loc[y])[0]
                          for y, part in selected.groupby("year")]) if len(selected) else selected
    out = selected.loc[selected["value"].notna(), ["region", "year"]].drop_duplicates()
    out = out.astype({"region": str, "year": "int64"})
    return out.sort_values(["year", "region"]).reset_index(drop=True)


def year_coverage(dataset: ReadResult, level: int = 2, overrides: Overrides = None) -> dict[int, int]:
    """Regions with data per year at the analysis level, for every year that holds a number (ascending)."""
    counts = region_years(dataset, level, overrides).groupby("year")["region"].nunique()
    return {int(y): int(counts.get(y, 0)) for y in dataset.years}


def default_year(dataset: ReadResult, level: int = 2, overrides: Overrides = None) -> int | None:
    """The year with the most regions with data (ties: the latest); None when no year holds a number.

    When no year has a region at the level (e.g. a file of countries analysed at NUTS 2) the latest year
    with data, so the analysis can still say what it found.
    """
    coverage = year_coverage(dataset, level, overrides)
    if not coverage:
        return None
    return max(coverage, key=lambda y: (coverage[y], y))


def year_details(dataset: ReadResult, level: int = 2, overrides: Overrides = None) -> dict[int, YearCoverage]:
    """:class:`YearCoverage` of every year with data, ascending (cached per table: each year of a run asks)."""
    key = ("year_details", int(level), _overrides_key(overrides))
    return dict(derived(dataset.table, key, lambda _table: _year_details(dataset, level, overrides)))


def _year_details(dataset: ReadResult, level: int, overrides: Overrides) -> dict[int, YearCoverage]:
    pairs = region_years(dataset, level, overrides)
    best_year = default_year(dataset, level, overrides)
    if best_year is None:
        return {}
    coverage = year_coverage(dataset, level, overrides)
    per_country = pairs.assign(country=pairs["region"].str[:2]).groupby(["year", "country"]).size()
    counts = {int(y): rows.droplevel("year") for y, rows in per_country.groupby(level="year")}
    best_counts = counts[best_year] if best_year in counts else pd.Series(dtype="int64")
    out = {}
    for year, n in coverage.items():
        mine = counts.get(year, pd.Series(dtype="int64"))
        absent = tuple(sorted(c for c in best_counts.index if c not in mine.index))
        fewer = tuple(sorted(c for c in best_counts.index if c in mine.index and mine[c] < best_counts[c]))
        out[year] = YearCoverage(year=year, regions=n, best_year=best_year, best=coverage[best_year],
                                 absent=absent, fewer=fewer)
    return out


def partial_years(dataset: ReadResult, level: int = 2, overrides: Overrides = None) -> dict[int, YearCoverage]:
    """The partial years only (see :data:`PARTIAL_SHARE`)."""
    return {y: c for y, c in year_details(dataset, level, overrides).items() if c.partial}


def years_of_region(dataset: ReadResult, region: str, level: int = 2, overrides: Overrides = None) -> list[int]:
    """Years in which ``region`` has data at the analysis level, ascending."""
    pairs = region_years(dataset, level, overrides)
    return sorted(int(y) for y in pairs.loc[pairs["region"] == str(region).strip().upper(), "year"])
