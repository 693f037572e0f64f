"""Charts of a comparison (matplotlib, no pyplot state), drawn into a given Figure: the app's chart canvas and
the PDF draw with the same functions.

- :func:`draw_small_multiples`: one small panel per category, one bar per compared region (in the given order),
  for employees, LQ or change; bars coloured by the region's stars in that category (the map's palette) or,
  for change, by sign; values that rest on estimated/confidential/flagged cells hatched.
- :func:`draw_star_counts`: per region, its 3-, 2- and 1-star clusters stacked.
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.patches
import numpy as np
from matplotlib.figure import Figure

from clustermapper.analytics.compare import MEASURES, Comparison
from clustermapper.layers import STAR_PALETTE

GROWTH_COLOURS = ("#0072b2", "#d55e00")  # growth, decline (Okabe-Ito: colour-blind safe)
HATCH = "////"


def _short(text: str, width: int) -> str:
    return textwrap.shorten(str(text), width=width, placeholder="…")


def _style(ax, fontsize: float) -> None:
    ax.tick_params(labelsize=fontsize)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def draw_small_multiples(fig: Figure, comparison: Comparison, measure: str, categories: list[str] | None = None,
                         n: int = 8, ncols: int = 4, fontsize: float = 7.0, title_width: int = 40,
                         names: bool = True, vertical: bool = False) -> None:
    """Panels of ``categories`` (default: the ``n`` strongest) for ``measure`` (employment, lq or change);
    panel titles shortened to ``title_width`` characters. Bars run horizontally (the regions top to bottom),
    or with ``vertical`` upwards (the regions left to right, codes turned): for a chart of little height."""
    fig.clear()
    if measure == "stars":
        draw_star_counts(fig, comparison, fontsize=fontsize, names=names)
        return
    values = comparison.wide(measure)
    stars = comparison.wide("stars")
    marked = comparison.marked(measure)
    cats = [c for c in (categories or list(comparison.categories)[:n]) if c in values.index]
    if not cats:
        _message(fig, "No categories to show")
        return
    ncols = max(1, min(ncols, len(cats)))
    nrows = math.ceil(len(cats) / ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, sharex=vertical, sharey=not vertical)).ravel()
    regions = list(comparison.regions)
    pos = np.arange(len(regions))
    scale = 100.0 if measure == "change" else 1.0
    lq_min = comparison.analysis.params.lq_min
    for ax, category in zip(axes, cats):
        v = values.loc[category].to_numpy(dtype=float) * scale
        if measure == "change":
            colours = [GROWTH_COLOURS[0] if x >= 0 else GROWTH_COLOURS[1] for x in np.nan_to_num(v)]
        else:
            colours = [STAR_PALETTE[int(s)] if s == s else STAR_PALETTE[0] for s in stars.loc[category]]
        draw = ax.bar if vertical else ax.barh
        bars = draw(pos, np.nan_to_num(v), 0.72, color=colours, edgecolor="#333333", linewidth=0.3)
        for bar, hatched in zip(bars, marked.loc[category]):
            if hatched:
                bar.set_hatch(HATCH)
        line = ax.axhline if vertical else ax.axvline
        value_axis = ax.yaxis if vertical else ax.xaxis
        if measure == "lq":
            line(1.0, color="#555555", lw=0.6, ls=":")
            line(lq_min, color="#555555", lw=0.6, ls="--")
        elif measure == "change":
            line(0.0, color="#555555", lw=0.6)
        else:
            value_axis.set_major_formatter(lambda x, _pos: f"{x / 1000:,.0f}k" if abs(x) >= 1000 else f"{x:,.0f}")
        ax.set_title(_short(f"{category} {comparison.analysis.category_label(category)}", title_width),
                     fontsize=fontsize, loc="left")
        if vertical:
            ax.set_xticks(pos, regions, rotation=90)
        else:
            ax.set_yticks(pos, regions)
        _style(ax, fontsize - 0.5)
    if not vertical:
        axes[0].invert_yaxis()  # shared: the first region on top in every panel
    for ax in axes[len(cats):]:
        ax.set_axis_off()
    unit = {"employment": "Employees", "lq": "LQ (dotted 1, dashed the specialisation threshold)",
            "change": f"Change of employees since {comparison.base_year}, %"}[measure]
    if vertical:  # little height: the short unit (the lines are those of the horizontal charts)
        unit = {"employment": "Employees", "lq": "LQ", "change": f"% since {comparison.base_year}"}[measure]
    (fig.supylabel if vertical else fig.supxlabel)(unit, fontsize=fontsize)
    _legend(fig, measure, fontsize)


def _legend(fig: Figure, measure: str, fontsize: float) -> None:
    if measure == "change":
        handles = [matplotlib.patches.Patch(color=GROWTH_COLOURS[0], label="growth"),
                   matplotlib.patches.Patch(color=GROWTH_COLOURS[1], label="decline")]
    else:
        handles = [matplotlib.patches.Patch(facecolor=STAR_PALETTE[s], edgecolor="#333333", linewidth=0.3,
                                            label=f"{s} star{'' if s == 1 else 's'}") for s in (3, 2, 1, 0)]
    handles.append(matplotlib.patches.Patch(facecolor="white", edgecolor="#333333", hatch=HATCH,
                                            label="estimated / confidential / flagged"))
    fig.legend(handles=handles, fontsize=fontsize - 0.5, frameon=False, loc="outside upper center",
               ncols=len(handles))


def draw_star_counts(fig: Figure, comparison: Comparison, fontsize: float = 7.0, names: bool = True) -> None:
    """Stacked horizontal bars: each region's 3-, 2- and 1-star clusters (labelled by code and name, or with
    ``names=False`` by code only, for a small chart); the legend above, or beside when it is small."""
    fig.clear()
    summary = comparison.region_summary()
    ax = fig.add_subplot()
    y = np.arange(len(summary))
    left = np.zeros(len(summary))
    for stars in (3, 2, 1):
        counts = summary[f"n_{stars}star"].to_numpy(dtype=float)
        ax.barh(y, counts, left=left, color=STAR_PALETTE[stars], edgecolor="#333333", linewidth=0.3, height=0.7,
                label=f"{stars} star{'' if stars == 1 else 's'}")
        left += counts
    labels = [f"{r}  {_short(n, 22)}" if names else r for r, n in zip(summary["region"], summary["region_name"])]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"Categories with stars, {comparison.year}", fontsize=fontsize)
    if names:
        fig.legend(fontsize=fontsize - 0.5, frameon=False, loc="outside upper center", ncols=3)
    else:
        fig.legend(fontsize=fontsize - 0.5, frameon=False, loc="outside right upper")
    _style(ax, fontsize - 0.5)


def _message(fig: Figure, text: str) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color="#666666", transform=ax.transAxes)


def chart_title(comparison: Comparison, measure: str) -> str:
    return f"{MEASURES[measure][0]} of the compared regions, {comparison.year}"
