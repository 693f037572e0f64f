"""What a region profile says, as plain data (no layout): portfolio with star explanations, comparison
with the country and Europe, changes since a base year and data-quality notes.

Both renderers (PDF and HTML in :mod:`clustermapper.render.profile`) format the same :class:`RegionProfile`,
so the two documents never disagree.

Changes over time compare like with like: the base year defaults to the span of ``defaults.DEFAULT_CHANGE_SPAN``, among the region's own years with data
(not the file's), and both years are scored again over the regions present in both, so an LQ or a rank never
moves because a country entered or left the data. Cells flagged by Eurostat as a break in series, a
different definition or low reliability are carried to the rows they affect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis, run_analysis
from clustermapper.analytics.changes import changes as change_rows
from clustermapper.analytics.common_basis import common_basis, regions_with_data
from clustermapper.errors import UsageError
from clustermapper.metrics.explain import UNCERTAIN_MARK, UNCERTAIN_NOTE, add_display_text, employees_short
from clustermapper.regions.year_coverage import year_details, years_of_region
from clustermapper.render.tables import analysis_metadata, nuts_description, region_label
from clustermapper.statuses import BREAK_FLAGS, is_confidential_flag


@dataclass
class RegionProfile:
    """Everything one profile shows about ``region``."""

    region: str
    name: str
    country: str
    country_name: str
    year: int
    total_employment: float
    summary: dict  # portfolio row (total_stars, n_3star, ..., strong_share, top_categories)
    portfolio: pd.DataFrame  # one row per category, strongest first, with 'explanation'
    comparison: pd.DataFrame  # category, label, region_share, country_share, europe_share
    changes: pd.DataFrame | None  # category, label, employment/lq/stars at base and now; None without base
    base_year: int | None
    quality: list[str]
    metadata: dict = field(default_factory=dict)
    lq_min: float = 2.0
    n_regions: int = 0  # N: the regions compared (ranks "of N", LQ and "Europe") in ``year``
    year_warning: str = ""  # non-empty when ``year`` is partial (few regions; which countries are missing)
    changes_note: str = ""  # which regions the changes compare, or why there are none
    flag_legend: dict[str, str] = field(default_factory=dict)  # Eurostat flags marked in the changes
    total_text: str = ""  # E_r as shown: "≈ 499,006" when it includes estimated confidential cells
    stars_kpi: str = ""  # "8 (3 certain)" when some stars rest on confidential values
    uncertain_note: str = ""  # explains the "?" after stars, when a portfolio row carries it

    @property
    def europe_label(self) -> str:
        """What "Europe" means here: the N regions with data in the year."""
        return f"Europe ({self.n_regions} regions)" if self.n_regions else "Europe (all regions)"


def _level_args(analysis: Analysis) -> tuple[int, tuple[tuple[str, int], ...]]:
    return analysis.spec.level, analysis.spec.level_override


def choose_base_year(analysis: Analysis, base_year: int | None = None, region: str | None = None) -> int | None:
    """The explicit base year, else the default span (``analytics.changes.default_base_year``: the year
    ``DEFAULT_CHANGE_SPAN`` years back, or the nearest earlier one) among the years in which ``region`` has
    data (the file's years without ``region``); None if there is none. The app's change layer uses the same rule.

    Per region because coverage differs: the real file has no French NUTS-2 data before 2010, so a fixed
    2008 base left every French profile without changes.
    """
    from clustermapper.analytics.changes import default_base_year

    if base_year is not None:
        if base_year not in analysis.years:
            raise UsageError(f"base year {base_year} has no data; years with data: "
                             f"{', '.join(map(str, analysis.years))}")
        return None if base_year == analysis.year else base_year
    years = analysis.years if region is None else years_of_region(analysis.dataset, region, *_level_args(analysis))
    return default_base_year(list(years), analysis.year)


def base_analysis(analysis: Analysis, base_year: int | None = None, region: str | None = None,
                  cache: dict[int, Analysis] | None = None) -> Analysis | None:
    """The same spec run for the base year (see :func:`choose_base_year`), reusing the file already read;
    ``cache`` (year → analysis) lets a batch of profiles share them."""
    year = choose_base_year(analysis, base_year, region)
    if year is None:
        return None
    if cache is not None and year in cache:
        return cache[year]
    base = run_analysis(analysis.spec.with_(year=year), dataset=analysis.dataset)
    if cache is not None:
        cache[year] = base
    return base


def _explain(row: pd.Series, analysis: Analysis) -> tuple[str, ...]:
    from clustermapper.metrics.explain import explain_row

    return tuple(explain_row(row, analysis.params))


def portfolio_rows(analysis: Analysis, region: str) -> pd.DataFrame:
    """Every category of ``region``: most stars first, then highest LQ; with the three star explanations."""
    rows = analysis.region_stars(region).reset_index(drop=True)
    out = rows.copy()
    out.insert(1, "label", [analysis.category_label(c) for c in rows["category"]])
    # values derived from an estimate carry "≈"; stars that do not hold for every allowed value carry "?"
    add_display_text(out)
    out["explanations"] = [_explain(row, analysis) for _, row in rows.iterrows()]
    out["explanation"] = [" ".join(parts) for parts in out["explanations"]]
    return out


def comparison_table(analysis: Analysis, region: str) -> pd.DataFrame:
    """Share of employment in each category: region vs its country vs all regions (Europe)."""
    stars = analysis.stars
    totals = stars.drop_duplicates("region").set_index("region")["region_total"]
    country = region[:2]
    in_country = stars["region"].str[:2] == country
    europe = stars.groupby("category")["employment"].sum() / totals.sum()
    ctry_tot = totals[totals.index.str[:2] == country].sum()
    ctry = stars[in_country].groupby("category")["employment"].sum() / (ctry_tot if ctry_tot else float("nan"))
    own = stars[stars["region"] == region].set_index("category")["share"]
    table = pd.DataFrame({"region_share": own, "country_share": ctry, "europe_share": europe}).reindex(own.index)
    table = table.reset_index(names="category")
    table.insert(1, "label", [analysis.category_label(c) for c in table["category"]])
    return table


def changes_table(analysis: Analysis, base: Analysis, region: str) -> pd.DataFrame:
    """Employment, LQ and stars of ``region`` in the base year and now, per category: the rows of
    :func:`clustermapper.analytics.changes.changes` with the profile's display columns.

    Pass analyses on one set of regions (:func:`common_basis`) so that LQ and stars compare like with like.
    ``flagged``: a confidential, estimated or missing cell lies behind the change; ``quality_flagged``: a cell
    Eurostat flags (:data:`statuses.BREAK_FLAGS`, letters in ``flags_base`` / ``flags_now``) does.
    """
    table = change_rows(base, analysis, regions=[region]).drop(columns=["region"])
    table = table.rename(columns={"hidden_cell": "flagged", "break_flagged": "quality_flagged"})
    for suffix in ("now", "base"):
        table[f"employees_text_{suffix}"] = [
            employees_short({"employment": e, "status": st}) if isinstance(st, str) else ""
            for e, st in zip(table[f"employment_{suffix}"], table[f"status_{suffix}"])]
    # a change between two values of which one is an estimate is itself an estimate
    table["change_prefix"] = np.where(table["estimated"], "≈ ", "")
    table.insert(1, "label", [analysis.category_label(c) for c in table["category"]])
    return table


def total_text(analysis: Analysis, region: str) -> str:
    """The region's E_r as the profile shows it: ``≈`` when it includes estimates of confidential cells."""
    total = analysis.region_total.get(region, float("nan"))
    rows = analysis.region_stars(region)
    if "status" in rows and (rows["status"] == "estimated").any():
        return f"≈ {total:,.0f}"
    return f"{total:,.0f}" if total == total else "–"


def stars_kpi(summary: dict) -> str:
    total, certain = summary.get("total_stars"), summary.get("certain_stars")
    if total is None:
        return "–"
    if certain is None or certain == total:
        return f"{int(total)}"
    return f"{int(total)} ({int(certain)} certain)"


def _years_text(years: list[int]) -> str:
    if not years:
        return "none"
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def _changes_basis(analysis: Analysis, base: Analysis, common: list[str]) -> str:
    n_now, n_base = len(regions_with_data(analysis)), len(regions_with_data(base))
    text = f"Compared over the {len(common)} regions with data in both {base.year} and {analysis.year}"
    if len(common) == n_now == n_base:
        return text + "."
    why = (" — as many regions, but not the same ones: NUTS codes changed, or countries entered and left the data"
           if n_now == n_base else "")
    return (text + f" ({analysis.year} has {n_now}, {base.year} has {n_base}{why}): the LQs and stars in this table "
            "are computed again over those regions, so they can differ from the portfolio above.")


def cell_counts(analysis: Analysis, region: str, year: int | None = None) -> dict[str, int]:
    """Data cells of ``region`` in the analysed year: total, with a number, confidential, otherwise missing."""
    t = analysis.dataset.table
    cells = t[(t["region"] == region) & (t["year"] == (year or analysis.year))]
    empty = cells["value"].isna()
    confidential = empty & is_confidential_flag(cells["flag"])
    return {"cells": int(len(cells)), "numbers": int((~empty).sum()), "confidential": int(confidential.sum()),
            "missing": int((empty & ~confidential).sum())}


def quality_notes(analysis: Analysis, region: str, portfolio: pd.DataFrame, base: Analysis | None) -> list[str]:
    """Plain-language notes on what is uncertain behind this region's numbers."""
    notes = []
    warning = year_details(analysis.dataset, *_level_args(analysis)).get(analysis.year)
    if warning is not None and warning.partial:
        notes.append(warning.warning())
    counts = cell_counts(analysis, region)
    if counts["cells"]:
        filled = analysis.spec.suppressed in ("estimate", "eco-split")
        effect = (f"Confidential cells are estimated (policy {analysis.spec.suppressed}); values resting on them are "
                  "marked ≈ … est., and the star explanations say whether each star holds for every value the "
                  "published totals allow." if filled else
                  f"Confidential cells count as 0 employees (policy {analysis.spec.suppressed}), so totals and "
                  "shares may be understated.")
        notes.append(f"{counts['cells']} data cells for {region} in {analysis.year}: {counts['numbers']} with a "
                     f"number, {counts['confidential']} confidential, {counts['missing']} not available. {effect}")
    t = analysis.dataset.table
    cells = t[(t["region"] == region) & (t["year"] == analysis.year)]
    flagged = {f: int(cells["flag"].astype(str).str.contains(f, regex=False).sum()) for f in BREAK_FLAGS}
    flagged = {f: n for f, n in flagged.items() if n}
    if flagged:  # published numbers that are not comparable as they stand
        notes.append(f"Eurostat flags on {region}'s {analysis.year} cells: " + "; ".join(
            f"{f} ({BREAK_FLAGS[f]}) on {n} of {len(cells)}" for f, n in flagged.items())
            + ". Compare these numbers with other years or regions with care.")
    if "status" in portfolio.columns:
        est = portfolio[portfolio["status"] == "estimated"]
        if len(est):
            listed = ", ".join(f"{c} ≈ {e:,.0f} ({lo:,.0f}–{_hi(hi)})" for c, e, lo, hi in zip(
                est["category"].head(12), est["employment"].head(12), est["estimate_low"].head(12),
                est["estimate_high"].head(12)))
            more = f" and {len(est) - 12} more" if len(est) > 12 else ""
            notes.append(f"{len(est)} categories rest on estimated confidential cells (estimate, bounds): "
                         f"{listed}{more}.")
    if "n_flagged" in portfolio.columns:
        hit = portfolio[portfolio["n_flagged"] > 0]
        if len(hit):
            listed = ", ".join(f"{c} ({int(n)})" for c, n in zip(hit["category"].head(12), hit["n_flagged"].head(12)))
            more = f" and {len(hit) - 12} more" if len(hit) > 12 else ""
            notes.append(f"{len(hit)} categories include missing or confidential cells (number of cells): "
                         f"{listed}{more}.")
    if "below_minimum" in portfolio.columns:
        minimum = analysis.spec.params.min_employment
        below = portfolio[portfolio["below_minimum"]]
        # a confidential value below the minimum at the estimate may still exceed it within its bounds
        may = below[below["estimate_high"] >= minimum] if "estimate_high" in below else below.iloc[0:0]
        if len(below):
            notes.append(f"{len(below) - len(may)} categories have fewer than {minimum:,.0f} employees and cannot "
                         "receive stars" + (f"; {len(may)} more are below {minimum:,.0f} at their estimate but could "
                                            f"exceed it within their bounds ({', '.join(may['category'].head(12))})"
                                            if len(may) else "") + ".")
    notes.append(f"NUTS version: {nuts_description(analysis).rstrip('.')}.")
    notes.extend(analysis.notes)
    return notes


def _hi(x: float) -> str:
    return "no upper bound" if x != x or x == float("inf") else f"{x:,.0f}"


def build_profile(analysis: Analysis, region: str, base: Analysis | None = None) -> RegionProfile:
    """Assemble the profile of ``region``; ``base`` is the base-year analysis (see :func:`base_analysis`)."""
    region = region.strip().upper()
    if analysis.region_stars(region).empty:
        known = sorted(analysis.stars["region"].unique())
        near = [r for r in known if r.startswith(region[:2])][:12]
        years = years_of_region(analysis.dataset, region, *_level_args(analysis))
        raise UsageError(f"region {region} has no data in {analysis.year}"
                         + (f"; regions of {region[:2]}: {', '.join(near)}" if near else "")
                         + (f"; {region} has data in {_years_text(years)} (choose one with --year)" if years else ""))
    portfolio = portfolio_rows(analysis, region)
    summary_rows = analysis.portfolio[analysis.portfolio["region"] == region]
    summary = summary_rows.iloc[0].to_dict() if len(summary_rows) else {}
    changes = None
    legend: dict[str, str] = {}
    region_years = years_of_region(analysis.dataset, region, *_level_args(analysis))
    if base is None:
        earlier = [y for y in region_years if y < analysis.year]
        note = (f"{region} has no data before {analysis.year} in this file (its years with data: "
                f"{_years_text(region_years)}), so no changes are shown." if not earlier else
                "No base year was chosen, so no changes are shown.")
    elif base.region_stars(region).empty:
        note = (f"{region} has no data in {base.year} (its years with data: {_years_text(region_years)}; "
                "possibly a NUTS code change), so no changes are shown.")
    else:
        basis = common_basis(base, analysis)
        changes = changes_table(basis.now, basis.base, region)
        changes.attrs["n_regions"] = len(basis.regions)  # said with the change counts (they are of this basis)
        note = _changes_basis(analysis, base, list(basis.regions))
        used = set("".join(changes.loc[changes["quality_flagged"], "flags_now"])
                   + "".join(changes.loc[changes["quality_flagged"], "flags_base"]))
        legend = {f: BREAK_FLAGS[f] for f in sorted(used)}
    coverage = year_details(analysis.dataset, *_level_args(analysis)).get(analysis.year)
    total = analysis.region_total.get(region, float("nan")) if hasattr(analysis.region_total, "get") else float("nan")
    return RegionProfile(
        region=region,
        name=region_label(analysis, region),
        country=region[:2],
        country_name=region_label(analysis, region[:2]),
        year=analysis.year,
        total_employment=float(total),
        total_text=total_text(analysis, region),
        stars_kpi=stars_kpi(summary),
        uncertain_note=UNCERTAIN_NOTE if portfolio["stars_text"].str.endswith(UNCERTAIN_MARK).any() else "",
        summary=summary,
        portfolio=portfolio,
        comparison=comparison_table(analysis, region),
        changes=changes,
        base_year=base.year if base is not None else None,
        quality=quality_notes(analysis, region, portfolio, base),
        metadata=analysis_metadata(analysis),
        lq_min=analysis.spec.params.lq_min,
        n_regions=len(regions_with_data(analysis)),
        year_warning=coverage.warning() if coverage is not None else "",
        changes_note=note,
        flag_legend=legend,
    )
