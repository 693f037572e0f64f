"""Charts of a region profile (matplotlib, no pyplot state): strongest categories and shares vs country/Europe.

Each function returns a :class:`matplotlib.figure.Figure`; :func:`figure_bytes` turns it into PNG or SVG.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from clustermapper.layers import STAR_PALETTE
from clustermapper.render.profile_data import RegionProfile

# stars 0..3 in the map's colours (one palette for map, charts and profiles)
STAR_COLOURS = STAR_PALETTE
SHARE_COLOURS = ("#0072b2", "#e69f00", "#999999")  # region, country, Europe


def _short(label: str, width: int = 34) -> str:
    return textwrap.shorten(str(label), width=width, placeholder="…")


def strongest_chart(profile: RegionProfile, n: int = 10, width_in: float = 3.6, height_in: float = 3.2) -> Figure:
    """Horizontal bars: LQ of the ``n`` strongest categories (most stars, then LQ), coloured by stars."""
    rows = profile.portfolio[profile.portfolio["employment"] > 0].head(n).iloc[::-1]
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    labels = [f"{c}  {_short(lbl, 26)}" for c, lbl in zip(rows["category"], rows["label"])]
    colours = [STAR_COLOURS[int(s)] for s in rows["stars"]]
    ax.barh(range(len(rows)), rows["lq"], color=colours, height=0.7)
    ax.set_yticks(range(len(rows)), labels, fontsize=6.5)
    ax.axvline(1.0, color="#555555", lw=0.6, ls=":")
    ax.axvline(profile.lq_min, color="#555555", lw=0.6, ls="--")  # the specialisation threshold
    ax.set_xlabel("Location quotient (LQ)", fontsize=7)
    ax.tick_params(axis="x", labelsize=6.5)
    ax.set_title("Strongest categories", fontsize=8.5, loc="left", fontweight="bold")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    handles = [matplotlib.patches.Patch(color=STAR_COLOURS[s], label=f"{s} star{'s' if s != 1 else ''}")
               for s in (3, 2, 1, 0)]
    ax.legend(handles=handles, fontsize=6, frameon=False, loc="lower right")
    return fig


def comparison_chart(profile: RegionProfile, n: int = 8, width_in: float = 7.0, height_in: float = 2.6) -> Figure:
    """Grouped bars: share of employment in the region, its country and Europe for the largest categories."""
    comp = profile.comparison.set_index("category")
    top = profile.portfolio.sort_values("employment", ascending=False)["category"].head(n)
    comp = comp.loc[[c for c in top if c in comp.index]]
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    x = range(len(comp))
    names = (profile.region, f"{profile.country} (country)", profile.europe_label)
    for i, (col, name) in enumerate(zip(("region_share", "country_share", "europe_share"), names)):
        ax.bar([v + (i - 1) * 0.27 for v in x], comp[col] * 100, width=0.26, color=SHARE_COLOURS[i], label=name)
    ax.set_xticks(list(x), [f"{c}\n{_short(lbl, 18)}" for c, lbl in zip(comp.index, comp["label"])], fontsize=6)
    ax.set_ylabel("% of employment", fontsize=7)
    ax.tick_params(axis="y", labelsize=6.5)
    ax.set_title("Share of employment: region vs country vs Europe (largest categories)", fontsize=8.5,
                 loc="left", fontweight="bold")
    ax.legend(fontsize=6.5, frameon=False, ncols=3, loc="upper right")
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return fig


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = 200) -> bytes:
    """Render ``fig`` to PNG or SVG bytes (SVG keeps text as text)."""
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, dpi=dpi)
    return buf.getvalue()


# categories (not stars) in the trend: Okabe-Ito's colour-blind safe qualitative colours
LINE_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9")


def trend_chart(series, width_in: float = 7.0, height_in: float = 3.1) -> Figure:
    """Employees per year in each of the region's strongest clusters (``profile_analytics.trend``): one line
    per cluster, hollow markers on estimates, gaps where the region has no figure, ``*`` on partial years.
    The legend sits below the plot with wrapped (never shortened) names, so labels neither collide nor cut."""
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    ax = fig.add_subplot()
    years = sorted(series["year"].unique()) if len(series) else []
    partial = set(series.loc[series["partial_year"].astype(bool), "year"]) if len(series) else set()
    for i, (_, rows) in enumerate(series.groupby("category", sort=False)):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        rows = rows.sort_values("year")
        values = rows["employment"].where(~rows["missing"])
        name = textwrap.fill(str(rows["label"].iloc[0]), 48)
        ax.plot(rows["year"], values, color=colour, lw=1.6, label=name)
        est = rows["estimated"].astype(bool)
        ax.plot(rows["year"][~est], values[~est], "o", color=colour, ms=3.5)
        ax.plot(rows["year"][est], values[est], "o", mfc="white", mec=colour, ms=4.5, mew=1.2)
    ax.set_xticks(years, [f"{y}*" if y in partial else str(y) for y in years], fontsize=7)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylabel("employees", fontsize=7.5)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#dddddd", lw=0.5)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    if len(series):
        fig.legend(loc="outside lower center", ncols=2, fontsize=6.8, frameon=False)
    return fig
