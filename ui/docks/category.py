"""Category drill-down dock: European ranking of one category, and regions compared side by side
(:mod:`.compare`)."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clustermapper.metrics.explain import add_display_text, employees_phrase
from clustermapper_ui.docks.compare import CompareView
from clustermapper_ui.docks.portfolio import _compact, explain_row
from clustermapper_ui.models import (
    CODE_ROLE,
    Column,
    FrameModel,
    NumericSortProxy,
    fmt_int,
    show_code_row,
    star_colour,
)
from clustermapper_ui.state import AppState
from clustermapper_ui.table_export import install_table_export


class CategoryDock(QDockWidget):
    """Ranking of regions for the current category; selecting a row selects the region everywhere."""

    highlightRequested = Signal(list)

    def __init__(self, state: AppState, parent=None, controller=None) -> None:
        super().__init__("Category drill-down", parent)
        self.setObjectName("categoryDock")
        self.state = state
        self.tabs = QTabWidget()
        self.tabs.addTab(self._ranking_tab(), "European ranking")
        self.compare_view = CompareView(state, controller, self)
        self.tabs.addTab(self.compare_view, "Compare regions")
        self.setWidget(self.tabs)
        state.observe("analysis", lambda _: self.refresh())
        state.observe("category", lambda _: self.refresh())
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

    def _rank_row_changed(self, current, _previous) -> None:
        if current.isValid():
            code = current.data(CODE_ROLE)
            if code and code != self.state.selection:
                self.state.selection = code

    def _follow_selection(self, code: str | None) -> None:
        show_code_row(self.rank_table, self.rank_proxy, code)
        self.compare_view.selection_changed(code)

    # compare ---------------------------------------------------------------------------------------
    @property
    def compare_model(self):
        """The compare view's table model (one row per compared region)."""
        return self.compare_view.model

    @property
    def add_button(self):
        return self.compare_view.add_button

    def refresh_compare(self) -> None:
        self.compare_view.refresh()


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
