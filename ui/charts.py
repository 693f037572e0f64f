"""Small matplotlib charts embedded in docks (portfolio bars, time series); the compare view draws with
:mod:`clustermapper.render.compare_charts` into a :class:`ChartCanvas`."""

from __future__ import annotations

import pandas as pd
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from clustermapper.layers import STAR_PALETTE
from clustermapper.metrics.ordering import order_categories
from clustermapper_ui.chart_export import install_chart_export

# Stars 0..3 in the map's own colours (one palette for map, charts and profiles)
STAR_COLOURS = STAR_PALETTE
# Okabe-Ito, colour-blind safe (time series lines).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


class ChartCanvas(FigureCanvasQTAgg):
    """A compact figure that redraws from a DataFrame."""

    def __init__(self, parent=None, height: float = 2.6) -> None:
        self.figure = Figure(figsize=(4.0, height), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setMinimumHeight(int(height * 60))
        self.data: pd.DataFrame | None = None  # what the chart last plotted (Export data CSV…); None: a message
        install_chart_export(self)

    def _axes(self):
        self.figure.clear()
        ax = self.figure.add_subplot(111)
        ax.tick_params(labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return ax

    def message(self, text: str) -> None:
        ax = self._axes()
        self.data = None
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color="#666666", transform=ax.transAxes)
        self.draw_idle()

    def plot_portfolio(self, rows: pd.DataFrame, title: str, n: int = 8) -> None:
        """Horizontal bars of LQ for the region's top ``n`` categories (most stars, then LQ)."""
        rows = rows.dropna(subset=["lq"])
        if rows.empty:
            self.message("No data for this region")
            return
        top = order_categories(rows).head(n).iloc[::-1]
        self.data = top.iloc[::-1][[c for c in ("category", "label", "lq", "stars", "status") if c in top]].reset_index(drop=True)
        ax = self._axes()
        colours = [STAR_COLOURS[int(s)] if not pd.isna(s) else STAR_COLOURS[0] for s in top["stars"]]
        ax.barh(top["category"], top["lq"], color=colours, edgecolor="none")
        ax.axvline(1.0, color="#555555", lw=0.8, ls=":")
        ax.set_xlabel("Location quotient (stars: bar colour)", fontsize=8)
        ax.set_title(title, fontsize=9, loc="left")
        self.draw_idle()

    def plot_time_series(self, ts: pd.DataFrame, title: str) -> None:
        """Employees (top) and LQ (bottom) of one region × category by year. Estimated years get hollow
        markers, partial years grey tick labels; the dashed line moves the first year with Europe's trend."""
        rows = ts.dropna(subset=["employment"])
        if rows.empty:
            self.message("No data for this region and category")
            return
        self.figure.clear()
        self.data = rows.reset_index(drop=True)
        top, bottom = self.figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        for ax in (top, bottom):
            ax.tick_params(labelsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        years, estimated = rows["year"].to_numpy(), rows["estimated"].astype(bool).to_numpy()
        for ax, column, colour in ((top, "employment", SERIES_COLOURS[0]), (bottom, "lq", SERIES_COLOURS[1])):
            values = rows[column].to_numpy(dtype=float)
            ax.plot(years, values, color=colour, lw=1.6)
            ax.scatter(years[~estimated], values[~estimated], color=colour, s=22, zorder=3)
            ax.scatter(years[estimated], values[estimated], facecolor="white", edgecolor=colour, s=26, zorder=3,
                       label="estimated" if estimated.any() and ax is top else None)
        first = rows.iloc[0]
        if "europe_index" in rows and rows["europe_index"].notna().any():
            trend = first["employment"] * rows["europe_index"] / 100.0
            top.plot(years, trend, color="#555555", lw=1.0, ls="--", label="with Europe's trend")
        bottom.axhline(2.0, color="#888888", lw=0.8, ls=":")
        bottom.text(years[0], 2.0, " LQ 2", fontsize=7, color="#666666", va="bottom")
        top.set_ylabel("Employees", fontsize=8)
        bottom.set_ylabel("LQ", fontsize=8)
        top.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        bottom.set_xticks(years, [str(y) for y in years], fontsize=8)
        for label, partial in zip(bottom.get_xticklabels(), rows["partial_year"].astype(bool)):
            if partial:
                label.set_color("#999999")
        top.set_title(title, fontsize=9, loc="left")
        top.legend(fontsize=7, frameon=False, loc="best")
        self.draw_idle()
