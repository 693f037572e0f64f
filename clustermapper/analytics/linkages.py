"""Cross-sectoral linkages of a scored analysis: related categories and relatedness density.

The LQs are the analysis's own (``stars.lq``, over the N regions with E_r > 0); the maths is in
:mod:`clustermapper.metrics.relatedness`. Every number says how much of it rests on estimated, confidential
or missing cells (docs/analytics.md, "Linkages").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.metrics import relatedness as rel
from clustermapper.statuses import REPORTED, ZERO

RELATED_COLUMNS = ("category", "related", "related_label", "rank", "measure", "proximity", "min_conditional",
                   "lq_pearson", "co_located", "regions_category", "regions_related", "min_conditional_published",
                   "regions_on_estimates", "on_estimates")
DENSITY_COLUMNS = ("region", "category", "measure", "density", "density_on_estimates", "present", "lq", "status",
                   "on_estimates")


def _pivot(analysis: Analysis, column: str) -> pd.DataFrame:
    stars = analysis.stars
    rows = stars[stars["region_total"] > 0]
    table = rows.pivot(index="region", columns="category", values=column)
    order = [c for c in analysis.categories if c in table.columns]
    return table.reindex(columns=order)


def lq_table(analysis: Analysis) -> pd.DataFrame:
    """Region × category LQ of the regions with E_r > 0 (the regions the stars rank), taxonomy order."""
    return _pivot(analysis, "lq").astype(float)


def hidden_cells(analysis: Analysis) -> pd.DataFrame:
    """Region × category, True where e_ir rests on a cell that is not published: status estimated,
    confidential or missing, or missing/confidential cells left empty behind it (``n_flagged`` > 0)."""
    flagged = _pivot(analysis, "n_flagged").fillna(0) > 0
    if "status" not in analysis.stars.columns:
        return flagged
    status = _pivot(analysis, "status")
    return flagged | ~status.isin([REPORTED, ZERO])


def proximity_matrix(analysis: Analysis, measure: str = rel.DEFAULT_MEASURE) -> pd.DataFrame:
    """Category × category proximity under ``measure`` (``min-conditional`` or ``lq-correlation``)."""
    return rel.proximity(lq_table(analysis), _measure(measure))


def _measure(measure: str) -> str:
    try:
        return rel.check_measure(measure)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _category(analysis: Analysis, category: str, lq: pd.DataFrame) -> str:
    if category not in lq.columns:
        known = ", ".join(list(lq.columns[:8])) + ("…" if len(lq.columns) > 8 else "")
        raise UsageError(f"category {category!r} has no data in this analysis (taxonomy {analysis.taxonomy.id}); "
                         f"choose one of its categories: {known}")
    return category


def related_categories(analysis: Analysis, category: str, n: int | None = 10,
                       measure: str = rel.DEFAULT_MEASURE) -> pd.DataFrame:
    """The ``n`` categories most related to ``category`` (all when ``n`` is None), most related first.

    Columns ``RELATED_COLUMNS``: ``proximity`` under ``measure``; both measures' values (``min_conditional``
    φ and the raw Pearson ``lq_pearson`` ρ); ``co_located`` = regions with LQ ≥ 1 in both, ``regions_category``
    / ``regions_related`` the ubiquities; ``min_conditional_published`` the same proximity over the regions
    where both cells are published; ``regions_on_estimates`` the regions where either cell is estimated,
    confidential or missing (``on_estimates`` when any). Ties: higher ``min_conditional``, then taxonomy order.
    """
    measure = _measure(measure)
    lq = lq_table(analysis)
    category = _category(analysis, category, lq)
    hidden = hidden_cells(analysis).reindex(index=lq.index, columns=lq.columns).fillna(True).astype(bool)
    m = rel.presence(lq)
    minimum = rel.min_conditional_proximity(m)[category]
    pearson = rel.lq_correlation(lq)[category]
    chosen = minimum if measure == rel.MIN_CONDITIONAL else rel.lq_correlation_proximity(lq)[category]
    both = rel.co_location(m)[category]
    ubiquity = m.sum(axis=0)
    published = rel.published_min_conditional(m, ~hidden)[category]
    on_hidden = (hidden | hidden[[category]].to_numpy()).sum(axis=0)
    out = pd.DataFrame({
        "category": category, "related": lq.columns, "measure": measure, "proximity": chosen.to_numpy(),
        "min_conditional": minimum.to_numpy(), "lq_pearson": pearson.to_numpy(), "co_located": both.to_numpy(),
        "regions_category": int(ubiquity[category]), "regions_related": ubiquity.to_numpy(),
        "min_conditional_published": published.to_numpy(), "regions_on_estimates": on_hidden.to_numpy(),
        "order": range(len(lq.columns)),
    })
    out = out[out["related"] != category]
    out = out.sort_values(["proximity", "min_conditional", "order"], ascending=[False, False, True], kind="stable")
    out["related_label"] = [analysis.category_label(c) for c in out["related"]]
    out["rank"] = range(1, len(out) + 1)
    out["on_estimates"] = out["regions_on_estimates"] > 0
    if n is not None:
        out = out.head(n)
    return out.loc[:, list(RELATED_COLUMNS)].reset_index(drop=True)


def density_table(analysis: Analysis, measure: str = rel.DEFAULT_MEASURE, regions: list[str] | None = None,
                  categories: list[str] | None = None) -> pd.DataFrame:
    """Relatedness density of every region around every category (long, ``DENSITY_COLUMNS``).

    ``density_on_estimates`` is the part of ``density`` contributed by related categories whose cell in the
    region is estimated, confidential or missing; ``on_estimates`` when the region's own cell, or its cell of
    any related category (φ_ij > 0, present or not), rests on such a cell. ``present`` is the region's own
    M_ri (LQ ≥ 1), which the density leaves out.
    """
    measure = _measure(measure)
    lq = lq_table(analysis)
    hidden = hidden_cells(analysis).reindex(index=lq.index, columns=lq.columns).fillna(True).astype(bool)
    m = rel.presence(lq)
    phi = rel.proximity(lq, measure)
    dens = rel.density(m, phi)
    on_hidden = rel.density(m * hidden.astype("int64"), phi)
    linked = phi.to_numpy(dtype=float) > 0
    np.fill_diagonal(linked, False)
    touches = pd.DataFrame(hidden.to_numpy(dtype=float) @ linked.T.astype(float) > 0, index=lq.index,
                           columns=lq.columns) | hidden
    regions = list(lq.index) if regions is None else [_region(analysis, r, lq) for r in regions]
    categories = list(lq.columns) if categories is None else [_category(analysis, c, lq) for c in categories]
    status = _pivot(analysis, "status") if "status" in analysis.stars.columns else None
    frame = pd.DataFrame({
        "region": [r for r in regions for _ in categories],
        "category": [c for _ in regions for c in categories],
    })

    def pick(table: pd.DataFrame) -> np.ndarray:
        return table.loc[regions, categories].to_numpy().ravel()

    frame["measure"] = measure
    frame["density"] = pick(dens)
    frame["density_on_estimates"] = pick(on_hidden)
    frame["present"] = pick(m).astype(bool)
    frame["lq"] = pick(lq)
    frame["status"] = pick(status) if status is not None else ""
    frame["on_estimates"] = pick(touches).astype(bool)
    return frame.loc[:, list(DENSITY_COLUMNS)]


def _region(analysis: Analysis, region: str, lq: pd.DataFrame) -> str:
    if region not in lq.index:
        raise UsageError(f"region {region!r} is not among the {len(lq.index)} regions of this analysis "
                         f"(NUTS {analysis.spec.level}, {analysis.year}); give a code such as {lq.index[0]}")
    return region


def relatedness_density(analysis: Analysis, region: str, measure: str = rel.DEFAULT_MEASURE) -> pd.Series:
    """The region's relatedness density around every category (index: category; name ``density``)."""
    table = density_table(analysis, measure, regions=[region])
    return pd.Series(table["density"].to_numpy(), index=pd.Index(table["category"], name="category"), name="density")
