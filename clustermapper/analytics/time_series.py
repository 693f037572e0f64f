"""A region × category over every year of the file, with Europe's trend of the category.

Each year is the spec's own analysis of that year (its N regions, its ranks and LQs), so a row says what the
star map of that year says. Europe's trend cannot simply be E_i year after year: countries enter and leave the
data (France has no NUTS-2 data before 2010, 2015 lacks 12 countries) and NUTS revisions rename regions. The
``europe_index`` is therefore chain-linked: from one year to the next it grows as E_i over the regions with
data in *both* years, starting at 100 in the first year with data; ``europe_employment`` is the plain E_i.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis, AnalysisSpec, read_spec_data, run_analysis
from clustermapper.analytics.common_basis import regions_with_data
from clustermapper.io.source import sharing_sources
from clustermapper.io.table import ReadResult
from clustermapper.metrics.rules import STAR_COLUMNS
from clustermapper.statuses import ESTIMATED, MISSING, break_flags
from clustermapper.suppressed.companions import read_for_every_year

COLUMNS = ("year", "region", "category", "employment", "status", "flags", "estimated", "lq", "share", "stars",
           *STAR_COLUMNS, "n_regions", "partial_year", "employment_index", "europe_employment",
           "europe_share", "europe_estimated_share", "europe_index")


def year_analyses(spec: AnalysisSpec, dataset: ReadResult | None = None,
                  cache: dict[int, Analysis] | None = None, cancel: Callable[[], bool] | None = None,
                  progress: Callable[[float, str], None] | None = None) -> dict[int, Analysis]:
    """The spec run for every year of the file (read once); ``cache`` (year → analysis) is filled and reused.
    ``cancel()`` is checked inside each year (``analysis.Cancelled``): the app stops it within a step."""
    cache = {} if cache is None else cache
    if dataset is None:
        dataset = next(iter(cache.values())).dataset if cache else read_spec_data(spec)
    todo = [y for y in dataset.years if y not in cache]
    if len(todo) > 1:
        with sharing_sources():  # the companion indicators come from the same file: opened once
            read_for_every_year(spec, dataset)
    for i, year in enumerate(todo):
        if progress is not None:
            progress(i / max(len(todo), 1), f"Scoring {year} ({i + 1} of {len(todo)} years)")
        cache[year] = run_analysis(spec.with_(year=year), dataset=dataset, cancel=cancel)
    return {y: cache[y] for y in dataset.years}


def time_series(spec: AnalysisSpec, region: str, category: str, *, dataset: ReadResult | None = None,
                cache: dict[int, Analysis] | None = None, cancel: Callable[[], bool] | None = None,
                progress: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    """One row per year of the file: the cell's employment, status, LQ and stars, and Europe's trend.

    Years in which ``region`` has no data keep their row with ``status`` ``missing`` and empty values.
    """
    from clustermapper.regions.year_coverage import year_details

    region, category = region.strip().upper(), category.strip()
    analyses = year_analyses(spec, dataset, cache, cancel, progress)
    details = year_details(next(iter(analyses.values())).dataset, spec.level, spec.level_override) if analyses else {}
    rows: list[dict] = []
    previous: pd.Series | None = None
    index = np.nan
    for year, analysis in analyses.items():
        stars = analysis.stars[analysis.stars["category"] == category]
        present = stars[stars["region"].isin(set(regions_with_data(analysis)))]
        by_region = present.set_index("region")["employment"]
        europe = float(by_region.sum())
        total = float(analysis.region_total[analysis.region_total > 0].sum())
        estimated = present.loc[present["status"] == ESTIMATED, "employment"].sum() if "status" in present else 0.0
        index = _chain(index, previous, by_region, started=any(np.isfinite(r["europe_index"]) for r in rows))
        previous = by_region
        own = stars[stars["region"] == region]
        cell = own.iloc[0].to_dict() if len(own) else {}
        coverage = details.get(year)
        rows.append({
            "year": year, "region": region, "category": category,
            "employment": cell.get("employment", np.nan), "status": cell.get("status", MISSING),
            "flags": break_flags(str(cell.get("flags", "") or "")), "estimated": cell.get("status") == ESTIMATED,
            "lq": cell.get("lq", np.nan), "share": cell.get("share", np.nan), "stars": cell.get("stars", np.nan),
            **{c: cell.get(c, np.nan) for c in STAR_COLUMNS},
            "n_regions": len(by_region), "partial_year": bool(coverage.partial) if coverage is not None else False,
            "europe_employment": europe, "europe_share": europe / total if total > 0 else np.nan,
            "europe_estimated_share": float(estimated) / europe if europe > 0 else np.nan,
            "europe_index": index,
        })
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "employment_index"])
    known = out["employment"].where(out["employment"] > 0).dropna()
    first = known.iloc[0] if len(known) else np.nan
    out.insert(COLUMNS.index("employment_index"), "employment_index", 100 * out["employment"] / first)
    return out


def _chain(index: float, previous: pd.Series | None, current: pd.Series, started: bool) -> float:
    """The chain-linked index after one more year: 100 in the first year with employment in the category;
    once a link cannot be computed (no employment in the regions of both years) it stays NaN."""
    if not started:
        return 100.0 if current.sum() > 0 else np.nan
    if previous is None or not np.isfinite(index):
        return np.nan
    common = previous.index.intersection(current.index)
    before, after = float(previous.reindex(common).sum()), float(current.reindex(common).sum())
    return index * after / before if before > 0 else np.nan
