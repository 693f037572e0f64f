"""Category drill-down dock: European ranking of one category, and regions compared side by side."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clustermapper.metrics.explain import add_display_text, employees_phrase
from clustermapper_ui.charts import ChartCanvas
from clustermapper_ui.docks.portfolio import _compact, explain_row
from clustermapper_ui.models import (
    CODE_ROLE,
    Column,
    FrameModel,
    NumericSortProxy,
    fmt_float,
    fmt_int,
    show_code_row,
    star_colour,
    star_text,
)
from clustermapper_ui.state import AppState
from clustermapper_ui.table_export import install_table_export

MAX_COMPARE_BARS = 12


class CategoryDock(QDockWidget):
    """Ranking of regions for the current category; selecting a row selects the region everywhere."""

    highlightRequested = Signal(list)

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__("Category drill-down", parent)
        self.setObjectName("categoryDock")
        self.state = state
        self.tabs = QTabWidget()
        self.tabs.addTab(self._ranking_tab(), "European ranking")
        self.tabs.addTab(self._compare_tab(), "Compare regions")
        self.setWidget(self.tabs)
        state.observe("analysis", lambda _: self.refresh())
        state.observe("category", lambda _: self.refresh())
        state.observe("compare", lambda _: self.refresh_compare())
        state.observe("selection", self._follow_selection)

    # ranking ---------------------------------------------------------------------------------------
    def _ranking_tab(self) -> QWidget:
        def tip(row: pd.Series) -> str:
            a = self.state.analysis
            return explain_row(row, a.spec.params) if a is not None else ""

        self.rank_header = QLabel("No analysis yet.")
        self.rank_header.setWordWrap(True)
        self.rank_model = FrameModel([
            Column("Pos.", "rank", fmt_int,
                   tooltip=lambda r: "Position in this list (most stars first); the size rank is in the star explanation"),
            Column("Code", "region", align_right=False),
            Column("Region", "name", align_right=False),
            Column("Employees", "employees_text", str, sort_field="employment",
                   tooltip=lambda r: employees_phrase(r) if r.get("status") not in (None, "reported", "zero") else ""),
            Column("LQ", "lq_text", str, sort_field="lq"),
            Column("Focus share", "share_text", str, sort_field="share"),
            Column("Stars", "stars_text", str, sort_field="stars", tooltip=tip, align_right=False, colour=star_colour),
        ])
        self.rank_proxy = NumericSortProxy(self)
        self.rank_proxy.setSourceModel(self.rank_model)
        self.rank_table = _table(self.rank_proxy, stretch=2)
        self.rank_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.rank_table.selectionModel().currentRowChanged.connect(self._rank_row_changed)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.rank_header)
        layout.addWidget(self.rank_table, 1)
        return tab

    def refresh(self) -> None:
        analysis, category = self.state.analysis, self.state.category
        if analysis is None or category is None:
            self.rank_model.set_frame(pd.DataFrame())
            return
        rows = analysis.category_stars(category).copy()
        rows = rows[rows["employment"].notna()]
        # already in metrics.ordering order (stars, employees, LQ, code): the same as the exported rankings
        rows["rank"] = range(1, len(rows) + 1)
        rows["name"] = [analysis.region_name(c) for c in rows["region"]]
        add_display_text(rows)
        self.rank_model.set_frame(rows)
        counts = rows["stars"].value_counts()
        self.rank_header.setText(
            f"<b>{html.escape(category)}</b> {html.escape(analysis.category_label(category))} — "
            f"{len(rows)} regions, {int(counts.get(3, 0))} with ★★★, {int(counts.get(2, 0))} with ★★☆ "
            f"(outlined on the map in category layers), {analysis.year}"
        )
        strong = rows.loc[rows["stars"] >= 2, "region"].astype(str).tolist()
        self.highlightRequested.emit(strong)
        self.refresh_compare()

    def _rank_row_changed(self, current, _previous) -> None:
        if current.isValid():
            code = current.data(CODE_ROLE)
            if code and code != self.state.selection:
                self.state.selection = code

    def _follow_selection(self, code: str | None) -> None:
        show_code_row(self.rank_table, self.rank_proxy, code)
        self.add_button.setEnabled(bool(code) and code not in self.state.compare)

    # compare ---------------------------------------------------------------------------------------
    def _compare_tab(self) -> QWidget:
        self.compare_label = QLabel()
        self.compare_label.setWordWrap(True)
        self.add_button = QPushButton("Add selected region")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._add_selected)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(lambda: setattr(self.state, "compare", ()))
        self.compare_model = FrameModel([], code_field="category")
        self.compare_proxy = NumericSortProxy(self)
        self.compare_proxy.setSourceModel(self.compare_model)
        self.compare_table = _table(self.compare_proxy, stretch=None)
        self.compare_chart = ChartCanvas(height=2.6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.compare_table)
        split.addWidget(self.compare_chart)
        split.setSizes([260, 220])
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.compare_label)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.refresh_compare()
        return tab

    def _add_selected(self) -> None:
        if self.state.selection:
            self.state.toggle_compare(self.state.selection)

    def refresh_compare(self) -> None:
        analysis, regions = self.state.analysis, list(self.state.compare)
        self.add_button.setEnabled(bool(self.state.selection) and self.state.selection not in regions)
        if analysis is None or not regions:
            self.compare_label.setText("Select a region and press <b>Add selected region</b> "
                                       "(or Ctrl+K) to compare two or more regions side by side.")
            self.compare_model = _swap_model(self, [], pd.DataFrame())
            self.compare_chart.plot_compare(pd.DataFrame(), "")
            return
        table = compare_table(analysis, regions)
        names = ", ".join(f"{html.escape(analysis.region_name(r))} ({r})" for r in regions)
        self.compare_label.setText(f"Comparing {names} — stars and LQ per category, {analysis.year}")
        columns = [Column("Code", "category", align_right=False),
                   Column("Category", "label", align_right=False, tooltip=lambda row: str(row.get("label", "")))]
        for r in regions:  # one column per region: "★★☆  2.31", sorted by stars then LQ
            columns.append(Column(r, f"{r}:text", align_right=False, sort_field=f"{r}:rank",
                                  export=(("stars", f"{r}:stars"), ("LQ", f"{r}:lq"), ("status", f"{r}:status")),
                                  colour=lambda row, r=r: star_colour({"stars": row[f"{r}:stars"]}),
                                  tooltip=lambda row, r=r: f"{r}: {star_text(row[f'{r}:stars'])} LQ {fmt_float(row[f'{r}:lq'])}"))
        self.compare_model = _swap_model(self, columns, table)
        header = self.compare_table.horizontalHeader()
        header.setSectionResizeMode(1, header.ResizeMode.Interactive)  # long names: elided, full in tooltip
        header.resizeSection(1, 170)
        top = table.head(MAX_COMPARE_BARS).set_index("category")[[f"{r}:lq" for r in regions]]
        top.columns = regions
        self.compare_chart.plot_compare(top, "LQ in the categories where the compared regions are strongest")


def compare_table(analysis, regions: list[str]) -> pd.DataFrame:
    """Categories × regions (``<region>:stars``, ``<region>:lq``), strongest categories first."""
    stars = analysis.stars[analysis.stars["region"].isin(regions)]
    wide_stars = stars.pivot(index="category", columns="region", values="stars").reindex(columns=regions)
    wide_lq = stars.pivot(index="category", columns="region", values="lq").reindex(columns=regions)
    out = pd.DataFrame({"category": wide_stars.index.astype(str)})
    out["label"] = [analysis.category_label(c) for c in out["category"]]
    for r in regions:
        out[f"{r}:stars"] = wide_stars[r].to_numpy()
        out[f"{r}:lq"] = wide_lq[r].to_numpy()
        out[f"{r}:status"] = out["category"].map(stars[stars["region"] == r].set_index("category")["status"]).to_numpy()
        out[f"{r}:text"] = [f"{star_text(s)}  {fmt_float(q)}" for s, q in zip(out[f"{r}:stars"], out[f"{r}:lq"])]
        out[f"{r}:rank"] = out[f"{r}:stars"].fillna(-1) * 1e6 + out[f"{r}:lq"].fillna(0)
    out["_total"] = wide_stars.fillna(0).sum(axis=1).to_numpy()
    out["_lq"] = wide_lq.max(axis=1).to_numpy()
    out = out.sort_values(["_total", "_lq"], ascending=False, kind="stable").drop(columns=["_total", "_lq"])
    return out.reset_index(drop=True)


def _swap_model(dock: CategoryDock, columns: list[Column], frame: pd.DataFrame) -> FrameModel:
    model = FrameModel(columns, code_field="category", parent=dock)
    model.set_frame(frame)
    old = dock.compare_proxy.sourceModel()
    dock.compare_proxy.setSourceModel(model)
    dock.compare_proxy.sort(-1)  # keep the strongest-first order of compare_table()
    dock.compare_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    if old is not None and old is not model:
        old.deleteLater()
    return model


def _table(proxy: NumericSortProxy, stretch: int | None) -> QTableView:
    table = QTableView(sortingEnabled=True, alternatingRowColors=True)
    table.setModel(proxy)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    _compact(table)
    install_table_export(table)  # context menu, Ctrl+C with headers
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:  # the name column takes the spare width
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table
