"""One method preset applied to region × category tables: the per-cell audit table.

Every rule writes ``<rule>_value, _rank, _percentile, _threshold, _star, _status, _published``
(:data:`~.preset.AUDIT_FIELDS`); ``stars`` combines them as the method says. Size, specialisation and LQ come
from :func:`clustermapper.metrics.stars.compute_stars` itself (so ``eco2008`` is exactly today's stars).
Rank and percentile are taken within the rule's population (see :mod:`.percentiles`); outside it they are NaN.
``<rule>_status`` is what the rule's value rests on: the cell's own status, or for a rule that also reads
wages, local units or the base year the most cautious of both (an unknown input first: confidential,
missing, then estimated); ``<rule>_published`` is True when that is ``reported`` or ``zero``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from clustermapper import statuses as st
from clustermapper.metrics.methods.percentiles import (
    above_percentile,
    at_least_percentile,
    linear_percentile,
    percentile_rank,
    rank_desc,
)
from clustermapper.metrics.methods.preset import MethodParams
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.stars import compute_stars, exact

_NEAR = 1e-9
# a rule resting on an input that is not known says so first
_RULE_CAUTION = (st.CONFIDENTIAL, st.MISSING, st.ESTIMATED, st.REPORTED, st.ZERO)


@dataclass(frozen=True)
class CellInputs:
    """Region × category frames (companions may be absent: their rules then have no value and no star).

    Companion values are NaN where not known (confidential and not estimated, or missing), never 0.
    """

    employment: pd.DataFrame
    region_total: pd.Series
    flagged: pd.DataFrame | None = None
    excluded: pd.DataFrame | None = None  # the ``exclude`` policy: cells left out of every population
    status: pd.DataFrame | None = None
    flags: pd.DataFrame | None = None
    wages: pd.DataFrame | None = None
    wages_status: pd.DataFrame | None = None
    local_units: pd.DataFrame | None = None
    local_units_status: pd.DataFrame | None = None
    base_employment: pd.DataFrame | None = None  # e_ir in the base year (growth)
    base_region_total: pd.Series | None = None
    base_status: pd.DataFrame | None = None


def star_params(params: MethodParams) -> StarParams:
    """The :class:`StarParams` under which ``compute_stars`` gives this method's size / LQ columns."""
    v = params.values
    if params.name == "eco2008":
        return StarParams(top_share=v["top_share"], lq_min=v["lq_min"], min_employment=v["min_employment"])
    if params.name == "eocic":
        return StarParams(top_share=v["size_top_share"], lq_min=v["lq_min"], min_employment=v["min_employment"])
    if params.name == "uscmp":
        return StarParams(lq_min=v["lq_floor"], min_employment=0.0)
    return StarParams(min_employment=v["min_employment"])


def score_cells(params: MethodParams, inputs: CellInputs) -> pd.DataFrame:
    """The audit table of ``params.method``: one row per region × category, in ``compute_stars`` order."""
    base = compute_stars(inputs.employment, inputs.region_total, star_params(params),
                         flagged=inputs.flagged, excluded=inputs.excluded)
    key = pd.MultiIndex.from_frame(base[["region", "category"]])

    def pick(frame: pd.DataFrame | None, fill) -> np.ndarray:
        if frame is None or not len(base):
            return np.full(len(base), fill, dtype=object if isinstance(fill, str) else float)
        f = frame.copy()
        f.index, f.columns = f.index.astype(str), [str(c) for c in f.columns]
        f.index.name, f.columns.name = "region", "category"
        long = f.stack().reindex(key)
        return long.fillna(fill).to_numpy(dtype=object) if isinstance(fill, str) else long.to_numpy(dtype=float)

    e = base["employment"].to_numpy(dtype=float)
    out_mask = pick(inputs.excluded, np.nan) == 1.0
    status = pick(inputs.status, st.MISSING) if inputs.status is not None else np.where(e == 0, st.ZERO, st.REPORTED)
    table = base[["region", "category", "employment", "region_total", "share", "lq", "n_regions"]].copy()
    table["status"] = status
    table["flags"] = pick(inputs.flags, "")
    cat = base["category"].to_numpy()
    ctx = _Context(table, cat, status)
    eligible = ~base["below_minimum"].to_numpy(bool) & (e > 0) & ~out_mask
    v = params.values
    name = params.name
    if name in ("eco2008", "eocic"):
        ctx.rule("size", e, ~out_mask, base["size_threshold"], base["size_star"], rank=base["size_rank"])
        ctx.rule("specialisation", base["lq"], ~out_mask, v["lq_min"], base["specialisation_star"])
    if name == "eco2008":
        ctx.rule("focus", base["share"], ~out_mask, base["focus_threshold"], base["focus_star"], rank=base["focus_rank"])
    elif name == "eocic":
        wages = pick(inputs.wages, np.nan)
        table["wages"], table["wages_status"] = wages, pick(inputs.wages_status, st.MISSING)
        pop = (e > 0) & ~np.isnan(wages) & ~out_mask
        level = _per_category(cat, pop, lambda idx: wages[idx].sum() / e[idx].sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(pop, wages / e / level, np.nan)
        table["european_wages_per_person"] = level
        thr = v["productivity_min"]

        def exact_rel(i: int) -> Fraction:
            idx = np.nonzero(pop & (cat == cat[i]))[0]
            europe = sum(map(Fraction, wages[idx]), Fraction(0)) / sum(map(Fraction, e[idx]), Fraction(0))
            return Fraction(wages[i]) / Fraction(e[i]) / europe

        star = _decide(rel, thr, exact_rel, strict=False) & eligible
        ctx.rule("productivity", rel, pop, thr, star, inputs=table["wages_status"].to_numpy())
    elif name == "uscmp":
        lq = base["lq"].to_numpy(dtype=float)
        pop = (e > 0) & ~out_mask
        units = pick(inputs.local_units, np.nan)
        table["local_units"], table["local_units_status"] = units, pick(inputs.local_units_status, st.MISSING)
        q_lq, q_e, q_u = v["lq_percentile"], v["employment_percentile"], v["units_percentile"]
        lq_pop, e_pop, u_pop = np.where(pop, lq, np.nan), np.where(pop, e, np.nan), np.where(pop, units, np.nan)
        ctx.rule("specialisation", lq_pop, pop, _per_category(cat, pop, lambda i: linear_percentile(lq_pop[i], q_lq)),
                 _per_category_bool(cat, lq_pop, lambda x: at_least_percentile(x, q_lq)))
        ctx.rule("lq_floor", lq_pop, pop, v["lq_floor"], base["specialisation_star"].to_numpy(bool) & pop)
        ctx.rule("size", e_pop, pop, _per_category(cat, pop, lambda i: linear_percentile(e_pop[i], q_e)),
                 _per_category_bool(cat, e_pop, lambda x: above_percentile(x, q_e)))
        u_in = pop & ~np.isnan(units)
        ctx.rule("establishments", u_pop, u_in, _per_category(cat, u_in, lambda i: linear_percentile(u_pop[i], q_u)),
                 _per_category_bool(cat, u_pop, lambda x: above_percentile(x, q_u)),
                 inputs=table["local_units_status"].to_numpy())
    else:  # growth
        e0 = pick(inputs.base_employment, np.nan)
        totals0 = pd.to_numeric(inputs.base_region_total, errors="coerce") if inputs.base_region_total is not None \
            else pd.Series(dtype=float)
        present = pd.Series(totals0.to_numpy(dtype=float), index=totals0.index.astype(str)).reindex(
            base["region"]).to_numpy(dtype=float) > 0
        known = present & ~np.isnan(e0) & ~out_mask
        table["base_employment"] = np.where(present, e0, np.nan)
        table["base_status"] = np.where(present, pick(inputs.base_status, st.MISSING), st.MISSING)
        europe = _per_category(cat, known, lambda i: e[i].sum() / e0[i].sum() - 1.0)
        table["european_growth"] = europe
        pop = known & (e0 > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(pop, e / e0 - 1.0, np.nan)
        thr_growth = europe + v["margin"]

        def exact_growth(i: int) -> Fraction:  # growth − European growth − margin, exactly
            idx = np.nonzero(known & (cat == cat[i]))[0]
            eu = sum(map(Fraction, e[idx]), Fraction(0)) / sum(map(Fraction, e0[idx]), Fraction(0))
            return Fraction(e[i]) / Fraction(e0[i]) - eu - exact(v["margin"])

        star = _decide(growth - thr_growth, 0.0, exact_growth, strict=True) & eligible
        ctx.rule("growth", growth, pop, thr_growth, star, inputs=table["base_status"].to_numpy())
    table["below_minimum"] = base["below_minimum"].to_numpy(bool)
    stars = np.vstack([table[f"{r.id}_star"].to_numpy(bool) for r in params.method.rules])
    table["stars"] = (stars.all(axis=0) if params.method.combine == "all" else stars.sum(axis=0)).astype("int64")
    return table.reset_index(drop=True)


class _Context:
    """Writes one rule's audit columns into ``table``."""

    def __init__(self, table: pd.DataFrame, cat: np.ndarray, status: np.ndarray) -> None:
        self.table, self.cat, self.status = table, cat, status

    def rule(self, rule: str, values, population: np.ndarray, threshold, star, *, rank=None,
             inputs: np.ndarray | None = None) -> None:
        values = np.where(population, np.asarray(values, dtype=float), np.nan)
        t = self.table
        if f"{rule}_value" in t or f"{rule}_status" in t:
            raise ValueError(f"rule {rule!r}: its audit columns would overwrite columns of the table")
        t[f"{rule}_value"] = values
        ranks = _per_category_float(self.cat, values, rank_desc) if rank is None else \
            np.where(population, np.asarray(rank, dtype=float), np.nan)
        t[f"{rule}_rank"] = ranks
        t[f"{rule}_percentile"] = _per_category_float(self.cat, values, percentile_rank)
        t[f"{rule}_threshold"] = np.broadcast_to(np.asarray(threshold, dtype=float), values.shape).copy()
        t[f"{rule}_star"] = np.asarray(star, dtype=bool)
        status = self.status if inputs is None else _cautious(self.status, inputs)
        t[f"{rule}_status"] = status
        t[f"{rule}_published"] = np.isin(status, [st.REPORTED, st.ZERO])


def _cautious(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    order = {s: i for i, s in enumerate(_RULE_CAUTION)}
    ra = np.array([order.get(s, 1) for s in a])
    rb = np.array([order.get(s, 1) for s in b])
    return np.array(_RULE_CAUTION, dtype=object)[np.minimum(ra, rb)]


def _groups(cat: np.ndarray):
    for c in pd.unique(cat):
        yield np.nonzero(cat == c)[0]


def _per_category(cat: np.ndarray, mask: np.ndarray, fn: Callable[[np.ndarray], float]) -> np.ndarray:
    """``fn(indices of the category's rows in mask)`` broadcast to the category's rows (NaN when none)."""
    out = np.full(len(cat), np.nan)
    for idx in _groups(cat):
        inside = idx[mask[idx]]
        if len(inside):
            with np.errstate(divide="ignore", invalid="ignore"):
                out[idx] = fn(inside)
    return out


def _per_category_float(cat: np.ndarray, values: np.ndarray, fn) -> np.ndarray:
    out = np.full(len(cat), np.nan)
    for idx in _groups(cat):
        out[idx] = fn(values[idx])
    return out


def _per_category_bool(cat: np.ndarray, values: np.ndarray, fn) -> np.ndarray:
    out = np.zeros(len(cat), bool)
    for idx in _groups(cat):
        out[idx] = fn(values[idx])
    return out


def _decide(values: np.ndarray, threshold: float, exact_value: Callable[[int], Fraction], strict: bool) -> np.ndarray:
    """``values ≥ threshold`` (``>`` when strict), re-decided exactly within 1e-9 of it (NaN: False)."""
    thr = exact(threshold)
    with np.errstate(invalid="ignore"):
        result = values > float(thr) if strict else values >= float(thr)
        near = np.isfinite(values) & (np.abs(values - float(thr)) <= _NEAR * max(1.0, abs(float(thr))))
    for i in np.nonzero(near)[0]:
        value = exact_value(int(i))
        result[i] = value > thr if strict else value >= thr
    return result
