"""What a region profile says, as plain data (no layout): portfolio with star explanations, comparison
with the country and Europe, changes since a base year and data-quality notes.

Both renderers (PDF and HTML in :mod:`clustermapper.render.profile`) format the same :class:`RegionProfile`,
so the two documents never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clustermapper.analysis import Analysis, run_analysis
from clustermapper.errors import UsageError
from clustermapper.render.tables import analysis_metadata, nuts_description, region_label


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


def choose_base_year(analysis: Analysis, base_year: int | None = None) -> int | None:
    """The explicit base year, else the earliest year with data before the analysed one (None if none)."""
    if base_year is not None:
        if base_year not in analysis.years:
            raise UsageError(f"base year {base_year} has no data; years with data: "
                             f"{', '.join(map(str, analysis.years))}")
        return None if base_year == analysis.year else base_year
    earlier = [y for y in analysis.years if y < analysis.year]
    return earlier[0] if earlier else None


def base_analysis(analysis: Analysis, base_year: int | None = None) -> Analysis | None:
    """The same spec run for the base year, reusing the file already read."""
    year = choose_base_year(analysis, base_year)
    if year is None:
        return None
    return run_analysis(analysis.spec.with_(year=year), dataset=analysis.dataset)


def _explain(row: pd.Series, analysis: Analysis) -> tuple[str, ...]:
    from clustermapper.metrics.explain import explain_row

    return tuple(explain_row(row, analysis.params))


def portfolio_rows(analysis: Analysis, region: str) -> pd.DataFrame:
    """Every category of ``region``: most stars first, then highest LQ; with the three star explanations."""
    rows = analysis.region_stars(region).reset_index(drop=True)
    out = rows.copy()
    out.insert(1, "label", [analysis.category_label(c) for c in rows["category"]])
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
    """Employment, LQ and stars of ``region`` in the base year and now, per category."""
    cols = ["category", "employment", "lq", "stars", "n_flagged"]
    now = analysis.region_stars(region)[cols].set_index("category")
    then = base.region_stars(region)[cols].set_index("category")
    table = now.merge(then, left_index=True, right_index=True, how="outer", suffixes=("_now", "_base"))
    # a change computed from a confidential/missing cell (counted as 0) is not a real change: mark it
    table["flagged"] = (table["n_flagged_now"].fillna(0) > 0) | (table["n_flagged_base"].fillna(0) > 0)
    table["employment_change"] = table["employment_now"] - table["employment_base"]
    # No percentage from a zero base: it would be infinite and meaningless.
    table["employment_change_pct"] = table["employment_change"] / table["employment_base"].where(table["employment_base"] > 0)
    table["stars_change"] = table["stars_now"] - table["stars_base"]
    table = table.reset_index(names="category")
    table.insert(1, "label", [analysis.category_label(c) for c in table["category"]])
    return table


def cell_counts(analysis: Analysis, region: str, year: int | None = None) -> dict[str, int]:
    """Data cells of ``region`` in the analysed year: total, with a number, confidential, otherwise missing."""
    t = analysis.dataset.table
    cells = t[(t["region"] == region) & (t["year"] == (year or analysis.year))]
    empty = cells["value"].isna()
    confidential = empty & cells["flag"].astype(str).str.contains("c", regex=False)
    return {"cells": int(len(cells)), "numbers": int((~empty).sum()), "confidential": int(confidential.sum()),
            "missing": int((empty & ~confidential).sum())}


def quality_notes(analysis: Analysis, region: str, portfolio: pd.DataFrame, base: Analysis | None) -> list[str]:
    """Plain-language notes on what is uncertain behind this region's numbers."""
    notes = []
    counts = cell_counts(analysis, region)
    if counts["cells"]:
        notes.append(f"{counts['cells']} data cells for {region} in {analysis.year}: {counts['numbers']} with a "
                     f"number, {counts['confidential']} confidential, {counts['missing']} not available. "
                     f"Empty cells count as 0 employees, so totals and shares may be understated.")
    if "n_flagged" in portfolio.columns:
        hit = portfolio[portfolio["n_flagged"] > 0]
        if len(hit):
            listed = ", ".join(f"{c} ({int(n)})" for c, n in zip(hit["category"].head(12), hit["n_flagged"].head(12)))
            more = f" and {len(hit) - 12} more" if len(hit) > 12 else ""
            notes.append(f"{len(hit)} categories include missing or confidential cells (number of cells): "
                         f"{listed}{more}.")
    if "below_minimum" in portfolio.columns:
        n_below = int(portfolio["below_minimum"].sum())
        if n_below:
            notes.append(f"{n_below} categories have fewer than {analysis.spec.params.min_employment:,.0f} "
                         f"employees and cannot receive stars.")
    notes.append(f"NUTS version: {nuts_description(analysis)}.")
    notes.extend(analysis.notes)
    if base is not None and base.region_stars(region).empty:
        notes.append(f"{region} has no data in {base.year} (possibly a NUTS code change), so no changes are shown.")
    return notes


def build_profile(analysis: Analysis, region: str, base: Analysis | None = None) -> RegionProfile:
    """Assemble the profile of ``region``; ``base`` is the base-year analysis (see :func:`base_analysis`)."""
    region = region.strip().upper()
    if analysis.region_stars(region).empty:
        known = sorted(analysis.stars["region"].unique())
        near = [r for r in known if r.startswith(region[:2])][:12]
        raise UsageError(f"region {region} has no data in {analysis.year}"
                         + (f"; regions of {region[:2]}: {', '.join(near)}" if near else ""))
    portfolio = portfolio_rows(analysis, region)
    summary_rows = analysis.portfolio[analysis.portfolio["region"] == region]
    summary = summary_rows.iloc[0].to_dict() if len(summary_rows) else {}
    changes = None
    if base is not None and not base.region_stars(region).empty:
        changes = changes_table(analysis, base, region)
    total = analysis.region_total.get(region, float("nan")) if hasattr(analysis.region_total, "get") else float("nan")
    return RegionProfile(
        region=region,
        name=region_label(analysis, region),
        country=region[:2],
        country_name=region_label(analysis, region[:2]),
        year=analysis.year,
        total_employment=float(total),
        summary=summary,
        portfolio=portfolio,
        comparison=comparison_table(analysis, region),
        changes=changes,
        base_year=base.year if base is not None else None,
        quality=quality_notes(analysis, region, portfolio, base),
        metadata=analysis_metadata(analysis),
        lq_min=analysis.spec.params.lq_min,
    )
