"""Region analytics dock: the selected region × category over time, related categories, the portfolio under
two star methods, and the region's specialisation indices and shift-share. Every computation runs in the
controller's panel worker (progress bar, Cancel); this dock only shows what the core returns."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clustermapper.statuses import BREAK_FLAGS
from clustermapper_ui.charts import ChartCanvas
from clustermapper_ui.docks.portfolio import _compact
from clustermapper_ui.models import Column, FrameModel, NumericSortProxy, fmt_float, star_text
from clustermapper_ui.state import AppState
from clustermapper_ui.table_export import install_table_export

TABS = ("Over time", "Related categories", "Methods", "Indices")


class AnalyticsDock(QDockWidget):
    """Tabs that follow ``state.selection`` and ``state.category``; only the visible tab is computed."""

    def __init__(self, state: AppState, controller, parent=None) -> None:
        super().__init__("Region analytics", parent)
        self.setObjectName("analyticsDock")
        self.state, self.controller = state, controller
        self.tabs = QTabWidget()
        self.tabs.addTab(self._time_tab(), TABS[0])
        self.tabs.addTab(self._related_tab(), TABS[1])
        self.tabs.addTab(self._methods_tab(), TABS[2])
        self.tabs.addTab(self._indices_tab(), TABS[3])
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.setWidget(self.tabs)
        for name in ("analysis", "selection", "category", "base_year"):
            state.observe(name, lambda _: self.refresh())
        self.visibilityChanged.connect(lambda visible: visible and self.refresh())
        self._shown: tuple | None = None

    # dispatch --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.isVisible():
            return
        analysis, region, category = self.state.analysis, self.state.selection, self.state.category
        tab = self.tabs.currentIndex()
        key = (id(analysis), region, category, tab, self.controller.base_year(), self._methods_key())
        if key == self._shown:
            return
        self._shown = key
        if analysis is None:
            return
        [self._show_time, self._show_related, self._show_methods, self._show_indices][tab](analysis, region, category)

    # over time -------------------------------------------------------------------------------------
    def _time_tab(self) -> QWidget:
        self.time_header = _label("Select a region to see a category over all years.")
        self.time_chart = ChartCanvas(height=3.4)
        self.time_note = _label("", small=True)
        return _page(self.time_header, self.time_chart, self.time_note)

    def _show_time(self, analysis, region, category) -> None:
        if not region or not category:
            self.time_chart.message("Select a region (and a category)")
            return
        spec, dataset, cache = analysis.spec.with_(year=None), analysis.dataset, self.controller.years_cache()
        label = analysis.category_label(category)
        self.time_header.setText(f"<b>{html.escape(analysis.region_name(region))}</b> ({html.escape(region)}) — "
                                 f"{html.escape(category)} {html.escape(label)}, every year of the data")
        self.time_chart.message("Computing every year…")

        def task(progress, cancel, base):
            from clustermapper.analytics.time_series import time_series

            return time_series(spec, region, category, dataset=dataset, cache=cache, cancel=cancel,
                               progress=lambda f, m: progress(0.1 + 0.8 * f, m))

        self.controller.run_panel(task, lambda ts: self._plot_time(ts, region, category), "Cannot compute the time series")

    def _plot_time(self, ts: pd.DataFrame, region: str, category: str) -> None:
        if (region, category) != (self.state.selection, self.state.category):
            return
        self.time_chart.plot_time_series(ts, f"{region} {category}: employees and LQ by year")
        notes = []
        if ts["estimated"].any():
            notes.append("hollow markers: estimated (confidential in the data) — "
                         + ", ".join(str(y) for y in ts.loc[ts["estimated"], "year"]))
        if ts["partial_year"].any():
            notes.append("grey year labels: partial years (few regions reported) — "
                         + ", ".join(str(y) for y in ts.loc[ts["partial_year"], "year"]))
        for letter, meaning in BREAK_FLAGS.items():  # every flag that questions a change over time, not only b
            years = ts.loc[ts["flags"].fillna("").str.contains(letter), "year"]
            if len(years):
                notes.append(f"flag {letter} ({meaning}): " + ", ".join(str(y) for y in years))
        notes.append("dashed: the region's first-year employment moved with Europe's trend of the category "
                     "(chain-linked over regions with data in consecutive years)")
        self.time_note.setText("; ".join(notes) + ".")

    # related ---------------------------------------------------------------------------------------
    def _related_tab(self) -> QWidget:
        self.related_header = _label("Choose a category.")
        self.related_model = FrameModel([
            Column("#", "rank", str),
            Column("Code", "related", align_right=False),
            Column("Related category", "related_label", align_right=False,
                   tooltip=lambda r: str(r.get("related_label", ""))),
            Column("Proximity", "proximity", lambda x: fmt_float(x, 3),  # 2 digits made neighbours look tied
                   tooltip=lambda r: (f"{int(r['co_located'])} regions specialised (LQ ≥ 1) in both, of "
                                      f"{int(r['regions_category'])} and {int(r['regions_related'])}")),
            Column("LQ corr.", "lq_pearson", fmt_float),
            Column("Region LQ", "region_lq", fmt_float),
            Column("Region stars", "region_stars_text", str, align_right=False),
            Column("On estimates", "on_estimates_text", str, align_right=False,
                   tooltip=lambda r: f"{int(r['regions_on_estimates'])} of the co-located regions rest on estimated cells"),
        ], code_field="related")
        self.related_table = _table(self.related_model, stretch=2)
        self.related_note = _label("", small=True)
        return _page(self.related_header, self.related_table, self.related_note)

    def _show_related(self, analysis, region, category) -> None:
        if not category:
            return

        def task(progress, cancel, base):
            from clustermapper.analytics.linkages import related_categories, relatedness_density

            table = related_categories(analysis, category, 10)
            density = relatedness_density(analysis, region).get(category) if region else None
            return table, density

        self.controller.run_panel(task, lambda r: self._fill_related(analysis, region, category, *r),
                                  "Cannot compute related categories")

    def _fill_related(self, analysis, region, category, table: pd.DataFrame, density) -> None:
        rows = table.copy()
        if region:
            own = analysis.stars[analysis.stars["region"] == region].set_index("category")
            rows["region_lq"] = rows["related"].map(own["lq"])
            rows["region_stars_text"] = rows["related"].map(own["stars"]).map(star_text)
        else:
            rows["region_lq"], rows["region_stars_text"] = float("nan"), ""
        rows["on_estimates_text"] = rows["on_estimates"].map(lambda v: "partly" if v else "")
        self.related_model.set_frame(rows)
        where = f" · {html.escape(region)}'s relatedness density around it: <b>{density:.3f}</b>" if density is not None else ""
        self.related_header.setText(f"Categories most often co-located with <b>{html.escape(category)}</b> "
                                    f"{html.escape(analysis.category_label(category))} across Europe{where}")
        self.related_note.setText("Proximity: the minimum of the two conditional probabilities that a region "
                                  "specialised (LQ ≥ 1) in one is also specialised in the other (Hidalgo et al. "
                                  "2007). Density: the proximity-weighted share of related categories the region "
                                  "is specialised in. docs/analytics.md gives the formulas.")

    # methods ---------------------------------------------------------------------------------------
    def _methods_tab(self) -> QWidget:
        from clustermapper.metrics.methods.registry import METHODS

        self.method_a, self.method_b = QComboBox(), QComboBox()
        for box, default in ((self.method_a, "eco2008"), (self.method_b, "eocic")):
            # long method titles must not widen the dock (and squeeze the map): elide, full text in the list
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
            for name, method in METHODS.items():
                box.addItem(f"{name} — {method.title}", name)
            box.setCurrentIndex(box.findData(default))
            box.currentIndexChanged.connect(lambda _: self.refresh())
        pickers = QHBoxLayout()
        pickers.addWidget(QLabel("Compare"))
        pickers.addWidget(self.method_a, 1)
        pickers.addWidget(QLabel("with"))
        pickers.addWidget(self.method_b, 1)
        self.methods_header = _label("Select a region.")
        self.methods_model = FrameModel([], code_field="category")
        self.methods_proxy = NumericSortProxy(self)
        self.methods_proxy.setSourceModel(self.methods_model)
        self.methods_table = _table(self.methods_proxy, stretch=1, proxy=True)
        page = _page(self.methods_header, self.methods_table)
        page.layout().insertLayout(0, pickers)
        return page

    def _methods_key(self) -> tuple:
        return (self.method_a.currentData(), self.method_b.currentData()) if hasattr(self, "method_b") else ()

    def _show_methods(self, analysis, region, category) -> None:
        if not region:
            return
        methods = tuple(dict.fromkeys(self._methods_key()))
        prepared = analysis.prepared

        def task(progress, cancel, base):
            from clustermapper.analytics.methods import compare_methods

            progress(0.3, f"Scoring {region} under {', '.join(methods)}")
            return compare_methods(prepared, region, methods)

        self.controller.run_panel(task, lambda t: self._fill_methods(analysis, region, methods, t),
                                  "Cannot score the methods")

    def _fill_methods(self, analysis, region, methods, table: pd.DataFrame) -> None:
        from clustermapper.metrics.methods.registry import METHODS

        rows = table.copy()
        rows["label"] = [analysis.category_label(c) for c in rows["category"]]
        columns = [Column("Code", "category", align_right=False),
                   Column("Category", "label", align_right=False, tooltip=lambda r: str(r.get("label", "")))]
        for m in methods:
            rules = [r.id for r in METHODS[m].rules]
            rows[f"{m}:text"] = [star_text(s) + (" ?" if u else "") for s, u in zip(rows[f"{m}_stars"], rows[f"{m}_unpublished"])]
            columns.append(Column(m, f"{m}:text", align_right=False, sort_field=f"{m}_stars",
                                  tooltip=lambda r, m=m, rules=rules: "\n".join(
                                      f"{'✔' if r.get(f'{m}_{rule}_star') else '✘'} {rule}" for rule in rules)))
        order = rows[[f"{m}_stars" for m in methods]].fillna(0).sum(axis=1)
        rows = rows.assign(_o=order).sort_values(["_o", "lq"], ascending=False, kind="stable").drop(columns="_o")
        model = FrameModel(columns, code_field="category", parent=self)
        model.set_frame(rows)
        old, self.methods_model = self.methods_model, model
        self.methods_proxy.setSourceModel(model)
        old.deleteLater()
        totals = ", ".join(f"{m}: {int(rows[f'{m}_stars'].fillna(0).sum())} stars" for m in methods)
        self.methods_header.setText(f"<b>{html.escape(analysis.region_name(region))}</b> under two star methods "
                                    f"({totals}); '?' marks stars resting on unpublished inputs. Hover a cell for its rules.")

    # indices ---------------------------------------------------------------------------------------
    def _indices_tab(self) -> QWidget:
        self.indices_header = _label("Select a region.")
        self.indices_model = FrameModel([
            Column("Measure", "measure", align_right=False),
            Column("Variant", "variant", align_right=False),
            Column("Value", "value_text", str, sort_field="value"),  # exports: the number, not the text
        ], code_field="measure")
        self.indices_table = _table(self.indices_model, stretch=1)
        self.indices_note = _label("", small=True)
        return _page(self.indices_header, self.indices_table, self.indices_note)

    def _show_indices(self, analysis, region, category) -> None:
        if not region:
            return

        def task(progress, cancel, base):
            from clustermapper.analytics.indices import region_indices
            from clustermapper.analytics.shift_share import shift_share

            indices = region_indices(analysis)
            shares = shift_share(base, analysis) if base is not None else None
            return indices, shares, base.year if base is not None else None

        self.controller.run_panel(task, lambda r: self._fill_indices(analysis, region, *r), "Cannot compute the indices")

    def _fill_indices(self, analysis, region, indices: pd.DataFrame, shares, base_year) -> None:
        row = indices.set_index("region").loc[region] if region in set(indices["region"]) else None
        records = []
        if row is not None:
            for column, value in row.items():
                if "__" in str(column):
                    measure, variant = str(column).split("__", 1)
                    records.append({"measure": measure.replace("_", " "), "variant": variant.replace("_", " "),
                                    "value": value, "value_text": fmt_float(value, 3), "status": row.get("data_status")})
        if shares is not None and region in set(shares["region"]):
            s = shares.set_index("region").loc[region]
            for name in ("growth", "national_share", "industry_mix", "regional_share", "em_competitive", "em_allocation"):
                records.append({"measure": f"shift-share {base_year}→{analysis.year}", "variant": name.replace("_", " "),
                                "value": s[name], "value_text": f"{s[name]:+,.0f}", "status": s.get("data_status")})
        self.indices_model.set_frame(pd.DataFrame(records))
        marked = row is not None and str(row.get("data_status", "")) not in ("", "published")
        self.indices_header.setText(f"<b>{html.escape(analysis.region_name(region))}</b> — specialisation indices "
                                    f"{analysis.year}" + (f" and shift-share {base_year} → {analysis.year} (persons)"
                                                          if shares is not None else ""))
        self.indices_note.setText(
            (f"Rests on estimates: {int(row['n_hidden'])} confidential cells ({100 * row['hidden_share']:.1f} % of "
             "the region's employment) are estimated. " if marked else "")
            + "Hoover = ½ Σ|s_ir − s_i|; Krugman = Σ|…| (against all regions or the other regions); Theil T "
            "(not the mean log deviation). Shift-share: Dunn's components add up to the growth; the regional "
            "share splits into Esteban-Marquillas competitive and allocation effects. docs/analytics.md.")


def _label(text: str, small: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    if small:
        label.setStyleSheet("color: #555; font-size: 9pt;")
    return label


def _page(*widgets) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(4, 4, 4, 4)
    for w in widgets:
        layout.addWidget(w, 1 if isinstance(w, (QTableView, ChartCanvas)) else 0)
    return page


def _table(model, stretch: int | None, proxy: bool = False) -> QTableView:
    table = QTableView(sortingEnabled=proxy, alternatingRowColors=True)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    _compact(table)
    install_table_export(table)  # context menu, Ctrl+C with headers
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
