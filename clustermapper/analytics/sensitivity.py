"""Threshold sensitivity of a prepared analysis: re-score the same :class:`Prepared` with each threshold
moved one at a time (rules and classes: :mod:`clustermapper.metrics.sensitivity`, ``docs/analytics.md``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from clustermapper.analysis import Analysis, Prepared, bare_stars, score
from clustermapper.defaults import SENSITIVITY_VARIANTS
from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.sensitivity import ABSENT, Variant, classify, region_summary, variants_of


@dataclass(frozen=True)
class Sensitivity:
    """``table``: one row per region × category × rule (``metrics.sensitivity.classify``); ``regions``: one row
    per region (``region_summary``, the map layer "stars that depend on the thresholds")."""

    params: StarParams
    variants: tuple[Variant, ...]
    table: pd.DataFrame
    regions: pd.DataFrame

    def rows(self, categories: Sequence[str] | None = None, include_absent: bool = False) -> pd.DataFrame:
        """The long table, for ``categories`` only (all when None), without stars held nowhere unless asked."""
        table = self.table
        if categories:
            table = table[table["category"].isin(list(categories))]
        if not include_absent:
            table = table[table["class"] != ABSENT]
        return table.reset_index(drop=True)

    def region_counts(self, categories: Sequence[str] | None = None) -> pd.DataFrame:
        """``regions`` for ``categories`` only (all when None): the layer for one category's stars."""
        return self.regions if not categories else region_summary(self.rows(categories, include_absent=True))


def sensitivity(prepared: Prepared, params: StarParams | None = None,
                values: Mapping[str, Sequence[float]] | None = None) -> Sensitivity:
    """Stars of ``prepared`` at ``params`` (default: its spec's) and under each variant of ``values``
    (parameter → values; default :data:`clustermapper.defaults.SENSITIVITY_VARIANTS`)."""
    return of_analysis(score(prepared, params), values)


def of_analysis(analysis: Analysis, values: Mapping[str, Sequence[float]] | None = None) -> Sensitivity:
    """As :func:`sensitivity`, with ``analysis`` (its stars carry status and flags) as the base."""
    params = analysis.params
    variants = variants_of(params, SENSITIVITY_VARIANTS if values is None else values)
    if analysis.stars.empty:
        raise UsageError("no stars to test: the analysis has no region × category with employment")
    table = classify(analysis.stars, {v: bare_stars(analysis.prepared, v.params) for v in variants})
    return Sensitivity(params=params, variants=variants, table=table, regions=region_summary(table))
