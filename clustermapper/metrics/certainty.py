"""How certain each star is, given the bounds the published totals put on confidential cells.

For every region × category the three rules are decided at the two extremes the bounds allow: the cell at
its lowest with every competitor at its highest (the star still holds → ``certain``), and the cell at its
highest with every competitor at its lowest (the star fails even so → ``excluded``); in between it is
``possible``. Competitors vary independently within their own bounds, which is conservative: a star called
certain holds for every publication-consistent value. The location quotient is the exception: there only the
region's own cells vary (with the Europe totals they enter); other regions' cells barely move E_i / E. Rows whose value and competitors are all published
take the star's own exact decision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES

CERTAIN, POSSIBLE, EXCLUDED = "certain", "possible", "excluded"
CERTAINTY_COLUMNS = tuple(f"{r.id}_certainty" for r in RULES)


def _count_greater(values: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Per column: how many entries of ``values`` are strictly greater than each threshold."""
    out = np.empty(thresholds.shape, dtype="int64")
    for j in range(values.shape[1]):
        srt = np.sort(values[:, j])
        out[:, j] = len(srt) - np.searchsorted(srt, thresholds[:, j], side="right")
    return out


def _word(at_worst: np.ndarray, at_best: np.ndarray) -> np.ndarray:
    return np.where(at_worst, CERTAIN, np.where(at_best, POSSIBLE, EXCLUDED))


def star_certainty(stars: pd.DataFrame, low: pd.DataFrame, high: pd.DataFrame, region_low: pd.Series,
                   region_high: pd.Series, params: StarParams, excluded: pd.DataFrame | None = None) -> pd.DataFrame:
    """``<rule>_certainty`` columns aligned with ``stars`` (one row per region × category)."""
    # each row's place in the region × category matrices, found once: pivoting and stacking the text keys
    # for every column was most of the time (``stars`` holds each region × category once)
    r_idx, regions = pd.factorize(stars["region"])
    c_idx, categories = pd.factorize(stars["category"])
    shape = (len(regions), len(categories))

    def grid(column: str, fill: float = np.nan) -> np.ndarray:
        out = np.full(shape, fill)
        out[r_idx, c_idx] = stars[column].to_numpy(float)
        return out

    lo = low.reindex(index=regions, columns=categories).fillna(0.0).to_numpy(float)
    hi = high.reindex(index=regions, columns=categories).fillna(0.0).to_numpy(float)
    r_lo = region_low.reindex(regions).fillna(0.0).to_numpy(float)[:, None]
    r_hi = region_high.reindex(regions).fillna(0.0).to_numpy(float)[:, None]
    out_mask = np.zeros(lo.shape, bool) if excluded is None else \
        excluded.reindex(index=regions, columns=categories).fillna(False).to_numpy(bool)
    k = grid("k")
    hidden_lo, hidden_hi = np.where(out_mask, -1.0, lo), np.where(out_mask, -1.0, hi)

    # size: rank = 1 + number of others strictly larger
    worst = 1 + _count_greater(hidden_hi, lo) - (hi > lo)
    best = 1 + _count_greater(hidden_lo, hi)
    size = (worst <= k), (best <= k)
    # focus: the share with the rest of the region at the other extreme
    with np.errstate(divide="ignore", invalid="ignore"):
        s_min = np.nan_to_num(lo / (lo + np.maximum(r_hi - hi, 0.0)))
        s_max = np.where(np.isinf(hi), 1.0, np.nan_to_num(hi / (hi + np.maximum(r_lo - lo, 0.0))))
    sh_lo, sh_hi = np.where(out_mask, -1.0, s_min), np.where(out_mask, -1.0, s_max)
    worst = 1 + _count_greater(sh_hi, s_min) - (s_max > s_min)
    best = 1 + _count_greater(sh_lo, s_max)
    focus = (worst <= k), (best <= k)
    # specialisation: the region's own cell and the rest of the region at opposite extremes; the Europe-wide
    # totals move with the cell itself, other regions' cells stay at the values used (they move E_i/E little)
    used = grid("employment", 0.0)
    used[np.isnan(used)] = 0.0
    others_cat = used.sum(axis=0)[None, :] - used
    others_all = float(stars.drop_duplicates("region")["region_total"].sum()) - used
    with np.errstate(divide="ignore", invalid="ignore"):
        lq_min = s_min * (others_all + lo) / (others_cat + lo)
        lq_max = s_max * (others_all + hi) / (others_cat + hi)
    thr = float(params.lq_min)
    special = (np.nan_to_num(lq_min, posinf=0.0) >= thr), (np.nan_to_num(lq_max, nan=0.0) >= thr) | np.isinf(hi)
    floor = float(params.min_employment)
    ok_lo = (lo >= floor) & (lo > 0) & ~out_mask
    ok_hi = (hi >= floor) & (hi > 0) & ~out_mask

    exact_cat = (hi - lo <= 0).all(axis=0)[None, :] & (r_hi - r_lo <= 0)
    columns = {}
    for r, (at_worst, at_best) in zip(RULES, (size, special, focus)):
        word = _word(at_worst & ok_lo, at_best & ok_hi)[r_idx, c_idx]
        awarded = stars[r.column].to_numpy(bool)
        columns[f"{r.id}_certainty"] = np.where(exact_cat[r_idx, c_idx], np.where(awarded, CERTAIN, EXCLUDED),
                                                word).astype(object)
    return pd.DataFrame(columns, index=stars.index)
