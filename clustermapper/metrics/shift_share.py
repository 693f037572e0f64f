"""Shift-share of employment change between two years: Dunn's components and Esteban-Marquillas' split.

Inputs are two aligned matrices e⁰_ir, e¹_ir (regions × categories) of the regions that form the nation.
With E⁰_i = Σ_r e⁰_ir, E⁰ = Σ_i E⁰_i (and the same for year 1), g = E¹/E⁰ − 1, g_i = E¹_i/E⁰_i − 1:

* national_share = e⁰_ir · g
* industry_mix = e⁰_ir · (g_i − g)
* regional_share = e¹_ir − e⁰_ir · (1 + g_i)  (= e⁰_ir · (r_ir − g_i), r_ir = e¹_ir/e⁰_ir − 1)

so growth = e¹_ir − e⁰_ir = national_share + industry_mix + regional_share. Esteban-Marquillas: homothetic
employment ê_ir = E⁰_r · E⁰_i / E⁰ (E⁰_r = Σ_i e⁰_ir), em_competitive = ê_ir · (r_ir − g_i) and
em_allocation = (e⁰_ir − ê_ir) · (r_ir − g_i), adding up to regional_share. Where e⁰_ir < :data:`EM_MIN_BASE`
(less than half a person: 0, or an estimate's residue such as 2e-13) the rate r_ir is undefined or meaningless
(it made both effects ±1e17 on the real file): the whole regional share (≈ e¹_ir) is put in em_competitive,
em_allocation is 0 and ``em_new_cells`` counts the cell (see ``docs/analytics.md`` "Shift-share").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COMPONENTS = ("national_share", "industry_mix", "regional_share")
EM_COMPONENTS = ("em_competitive", "em_allocation")
CELL_COLUMNS = ("region", "category", "employment_from", "employment_to", "growth", *COMPONENTS, *EM_COMPONENTS,
                "em_homothetic", "national_rate", "category_rate", "cell_rate", "em_new_cells")
EM_MIN_BASE = 0.5  # persons: a base below half a person is a new cell for the Esteban-Marquillas split
REGION_COLUMNS = ("region", "employment_from", "employment_to", "growth", *COMPONENTS, *EM_COMPONENTS,
                  "em_homothetic", "national_rate", "growth_rate", "em_new_cells")


def _rate(after: np.ndarray, before: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(before != 0, after / np.where(before != 0, before, 1.0) - 1.0, np.nan)


def shift_share_cells(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """:data:`CELL_COLUMNS`, one row per region × category (region-major, in the frames' order).

    ``before``/``after``: e⁰ and e¹ with the same index (the nation's regions) and columns (categories);
    NaN counts as 0. Raises ``ValueError`` when they are not aligned.
    """
    if not before.index.equals(after.index) or not before.columns.equals(after.columns):
        raise ValueError("shift-share needs the two years on the same regions and categories")
    e0 = before.to_numpy(dtype=float, na_value=np.nan)
    e1 = after.to_numpy(dtype=float, na_value=np.nan)
    e0, e1 = np.nan_to_num(e0, nan=0.0), np.nan_to_num(e1, nan=0.0)
    total0, total1 = e0.sum(), e1.sum()
    g = total1 / total0 - 1.0 if total0 else np.nan
    cat0, cat1 = e0.sum(axis=0), e1.sum(axis=0)
    g_i = _rate(cat1, cat0)  # NaN for a category empty in the base year (then every e⁰_ir is 0)
    reg0 = e0.sum(axis=1)
    national = np.where(e0 != 0, e0 * g, 0.0)
    mix = np.where(e0 != 0, e0 * (np.nan_to_num(g_i[None, :]) - g), 0.0)
    regional = e1 - e0 * (1.0 + np.nan_to_num(g_i[None, :]))
    homothetic = reg0[:, None] * cat0[None, :] / total0 if total0 else np.zeros_like(e0)
    r = _rate(e1, e0)
    new = e0 < EM_MIN_BASE
    with np.errstate(invalid="ignore"):
        competitive = np.where(new, regional, homothetic * (r - g_i[None, :]))
    allocation = regional - competitive  # = (e⁰ − ê)(r − g_i) where e⁰ > 0; 0 for new cells
    n_regions, n_categories = e0.shape
    return pd.DataFrame({
        "region": np.repeat(before.index.astype(str).to_numpy(), n_categories),
        "category": np.tile(before.columns.astype(str).to_numpy(), n_regions),
        "employment_from": e0.ravel(), "employment_to": e1.ravel(), "growth": (e1 - e0).ravel(),
        "national_share": national.ravel(), "industry_mix": mix.ravel(), "regional_share": regional.ravel(),
        "em_competitive": competitive.ravel(), "em_allocation": allocation.ravel(),
        "em_homothetic": homothetic.ravel(), "national_rate": np.full(e0.size, g),
        "category_rate": np.tile(g_i, n_regions), "cell_rate": r.ravel(),
        "em_new_cells": (new & (e1 != 0)).astype(int).ravel(),
    }, columns=list(CELL_COLUMNS))


def shift_share_regions(cells: pd.DataFrame) -> pd.DataFrame:
    """:data:`REGION_COLUMNS`: the cells' components summed per region (in first-seen order)."""
    sums = ["employment_from", "employment_to", "growth", *COMPONENTS, *EM_COMPONENTS, "em_homothetic", "em_new_cells"]
    out = cells.groupby("region", sort=False)[sums].sum().reset_index()
    out["national_rate"] = cells.groupby("region", sort=False)["national_rate"].first().to_numpy()
    out["growth_rate"] = _rate(out["employment_to"].to_numpy(), out["employment_from"].to_numpy())
    return out[list(REGION_COLUMNS)]
