"""Per-region portfolio of starred clusters (``docs/architecture.md`` "Portfolio table")."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from clustermapper.metrics.ordering import order_categories
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import lq_meets

PORTFOLIO_COLUMNS = (
    "region", "total_stars", "n_3star", "n_2star", "n_1star", "n_starred",
    "employment", "strong_employment", "strong_share", "top_categories",
)


def strong_mask(stars: pd.DataFrame, params: StarParams = StarParams()) -> np.ndarray:
    """Rows of a stars table whose LQ is strictly above ``params.strong_lq`` (decided exactly)."""
    e = stars["employment"].to_numpy(dtype=float)
    E = stars["region_total"].to_numpy(dtype=float)

    def exact_sums() -> tuple[np.ndarray, Fraction]:
        per_cat = {cat: sum(map(Fraction, grp.to_numpy(dtype=float)), Fraction(0))
                   for cat, grp in stars.groupby("category", sort=False)["employment"]}
        regions = stars.drop_duplicates("region")["region_total"].to_numpy(dtype=float)
        cat_sums = np.array([per_cat[c] for c in stars["category"]], dtype=object)
        return cat_sums, sum(map(Fraction, regions), Fraction(0))

    return lq_meets(stars["lq"].to_numpy(dtype=float), e, E, exact_sums, params.strong_lq, strict=True)


def compute_portfolio(stars: pd.DataFrame, params: StarParams = StarParams()) -> pd.DataFrame:
    """One row per region of the stars table, sorted by region.

    ``employment`` is E_r; ``strong_employment`` sums e_ir over the region's categories with
    LQ > ``strong_lq`` (whatever their size) and ``strong_share`` divides it by E_r;
    ``top_categories`` lists up to three *starred* categories, most stars first, then highest LQ
    (then larger employment, then code), joined by ``;`` — empty when the region has no star.
    With the stars table's ``status`` column, also ``n_estimated`` / ``n_confidential`` (categories resting on
    confidential cells), ``starred_on_hidden`` (starred categories among them) and ``certain_stars`` (stars that
    hold for every value the published totals allow).
    """
    if stars.empty:
        return pd.DataFrame({c: pd.Series(dtype=str if c in ("region", "top_categories") else "float64")
                             for c in PORTFOLIO_COLUMNS})
    frame = stars[["region", "category", "employment", "region_total", "lq", "stars"]].copy()
    frame["strong_e"] = np.where(strong_mask(stars, params), frame["employment"], 0.0)
    for n in (1, 2, 3):
        frame[f"n_{n}star"] = (frame["stars"] == n).astype("int64")
    grouped = frame.groupby("region", sort=True)
    out = pd.DataFrame({
        "total_stars": grouped["stars"].sum().astype("int64"),
        "n_3star": grouped["n_3star"].sum(),
        "n_2star": grouped["n_2star"].sum(),
        "n_1star": grouped["n_1star"].sum(),
        "employment": grouped["region_total"].first().astype(float),
        "strong_employment": grouped["strong_e"].sum().astype(float),
    })
    out["n_starred"] = out["n_1star"] + out["n_2star"] + out["n_3star"]
    out["strong_share"] = out["strong_employment"] / out["employment"]
    starred = order_categories(frame[frame["stars"] > 0], by_region=True)
    top = starred.groupby("region", sort=True)["category"].agg(lambda s: ";".join(s.iloc[:3]))
    out["top_categories"] = top.reindex(out.index).fillna("").astype(str)
    columns = list(PORTFOLIO_COLUMNS)
    if "status" in stars:  # how much of the region rests on confidential cells (estimated or left out)
        for status in ("estimated", "confidential"):
            out[f"n_{status}"] = (stars["status"] == status).groupby(stars["region"]).sum().reindex(out.index)
            columns.append(f"n_{status}")
        hidden = stars["status"].isin(["estimated", "confidential"])
        from clustermapper.metrics.rules import RULES

        certain = sum((stars[r.column] & (stars.get(f"{r.id}_certainty", "certain") == "certain")).astype("int64")
                      for r in RULES)
        out["certain_stars"] = certain.groupby(stars["region"]).sum().reindex(out.index)
        columns.append("certain_stars")
        out["starred_on_hidden"] = (hidden & (stars["stars"] > 0)).groupby(stars["region"]).sum().reindex(out.index)
        columns.append("starred_on_hidden")
    out = out.reset_index(names="region")
    out["region"] = out["region"].astype(str)
    return out[columns]
