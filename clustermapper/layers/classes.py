"""Classes and colours of a layer: the no-data class, the palettes, qualitative top-N classes and
Fisher-Jenks natural breaks (what ``build_layer`` and the analytics layers colour regions with)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import to_hex

NO_DATA_CLASS = -1
NO_DATA_COLOUR = "#9e9e9e"  # mid grey: apart from the 1-star teal under protanopia (tests/test_palette.py)
NO_DATA_LABEL = "No data"
OTHER_COLOUR = "#f7f4ea"  # pale ivory: neutral, and clearly not the no-data grey
LQ_BREAKS = (0.5, 1.0, 2.0, 3.0)
# Okabe & Ito (2008) colour-universal-design palette without black (too heavy as a fill).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
TOP_N_STRONGEST = len(OKABE_ITO)


def sequential_palette(name: str, k: int) -> list[str]:
    """``k`` colours of a matplotlib (ColorBrewer) sequential map, skipping its near-white end."""
    cmap = colormaps[name]
    return [to_hex(cmap(x)) for x in np.linspace(0.2, 0.95, k)] if k > 1 else [to_hex(cmap(0.6))]


#: the one star palette (0, 1, 2, 3 stars) of maps, app charts and profiles: ColorBrewer YlGnBu, sequential and
#: colour-blind safe; the stars layer's legend is exactly this
STAR_PALETTE: tuple[str, ...] = tuple(sequential_palette("YlGnBu", 4))


def lq_palette() -> list[str]:
    """ColorBrewer RdBu around LQ = 1: blues below the average, reds above."""
    cmap = colormaps["RdBu_r"]
    return [to_hex(cmap(x)) for x in (0.15, 0.33, 0.62, 0.8, 0.97)]


def qualitative(values: pd.Series, label, other_label: str) -> tuple[pd.Series, list[str], list[tuple[str, str]]]:
    """Classes, palette and legend of a qualitative layer: the ``TOP_N_STRONGEST`` most frequent values in
    Okabe-Ito colours (ties by value, so colours never depend on row order), the rest ``other_label``."""
    counts = values.dropna().value_counts()
    top = sorted(counts.index, key=lambda c: (-counts[c], c))[:TOP_N_STRONGEST]
    index_of = {c: i for i, c in enumerate(top)}
    has_other = any(c not in index_of for c in counts.index)
    palette = list(OKABE_ITO[: len(top)]) + ([OTHER_COLOUR] if has_other else [])
    classes = pd.Series([NO_DATA_CLASS if pd.isna(c) else index_of.get(c, len(top)) for c in values],
                        index=values.index, dtype=int)
    legend = [(str(label(c)), OKABE_ITO[i]) for i, c in enumerate(top)]
    if has_other:
        legend.append((other_label, OTHER_COLOUR))
    return classes, palette, legend


def natural_breaks(values: pd.Series, k: int = 5) -> tuple[pd.Series, list[str]]:
    """Fisher-Jenks classes (deterministic natural breaks) and their legend labels.

    Classes include their upper bound (mapclassify bins); labels give contiguous ranges. ``k`` shrinks when there are fewer
    distinct values; regions with NaN get ``NO_DATA_CLASS``.
    """
    valid = values.dropna()
    classes = pd.Series(NO_DATA_CLASS, index=values.index, dtype=int)
    distinct = np.unique(valid.to_numpy())
    if len(distinct) == 0:
        return classes, []
    if len(distinct) <= k:
        bins = distinct
        idx = np.searchsorted(bins, valid.to_numpy(), side="left")
    else:
        bins = np.asarray(_fisher_jenks_bins(tuple(valid.to_numpy().tolist()), k))
        idx = np.searchsorted(bins, valid.to_numpy(), side="left")  # upper bounds included, as mapclassify
    classes.loc[valid.index] = idx.astype(int)
    integral = bool(np.all(np.mod(valid.to_numpy(), 1) == 0))
    # contiguous ranges: each class starts where the previous one ended (just above it for counts)
    labels, lower = [], float(valid.min())
    for upper in map(float, bins):
        labels.append(_num(upper, integral) if lower == upper else f"{_num(lower, integral)} – {_num(upper, integral)}")
        lower = upper + 1 if integral else upper
    return classes, labels


@lru_cache(maxsize=256)
def _fisher_jenks_bins(values: tuple[float, ...], k: int) -> tuple[float, ...]:
    # cached: switching back and forth between layers and categories restyles at once
    from clustermapper.layers.fisher_jenks import fisher_jenks_bins

    return tuple(float(b) for b in fisher_jenks_bins(np.asarray(values), k))


def _num(x: float, integral: bool) -> str:
    return f"{x:,.0f}" if integral or abs(x) >= 100 else f"{x:,.2f}"
