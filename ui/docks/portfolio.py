"""Region portfolio dock: every category of the selected region, sortable, with stars explained."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QLineEdit, QSplitter, QTableView, QVBoxLayout, QWidget

from clustermapper.metrics.explain import add_display_text, employees_phrase
from clustermapper_ui.charts import ChartCanvas
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


def explain_row(row: pd.Series, params) -> str:
    """Tooltip of a star cell: one ✔/✘ sentence per rule of ``metrics.rules.RULES``."""
    from clustermapper.metrics.explain import explain_star
    from clustermapper.metrics.rules import RULES

    return "\n".join(f"{'✔' if bool(row.get(r.column, False)) else '✘'} {explain_star(row, r.id, params)}"
                     for r in RULES)


class PortfolioDock(QDockWidget):
    """Table of the selected region's categories plus an LQ bar chart; row click sets the category."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__("Region portfolio", parent)
        self.setObjectName("portfolioDock")
        self.state = state
        self.header = QLabel("Click a region on the map or search for it.")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.filter = QLineEdit(placeholderText="Filter categories…", clearButtonEnabled=True)
        self.model = FrameModel(self._columns(), code_field="category")
        self.proxy = NumericSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(sortingEnabled=True, alternatingRowColors=True)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        _compact(self.table)
        install_table_export(self.table)  # context menu, Ctrl+C with headers
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.chart = ChartCanvas(height=2.4)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.filter)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([320, 200])
        layout.addWidget(split, 1)
        self.setWidget(body)
        state.observe("selection", lambda _: self.refresh())
        state.observe("analysis", lambda _: self.refresh())
        state.observe("category", self._show_category)
        self.chart.message("No region selected")

    def _columns(self) -> list[Column]:
        def tip(row: pd.Series) -> str:
            analysis = self.state.analysis
            return explain_row(row, analysis.spec.params) if analysis is not None else ""

        return [
            Column("Code", "category", align_right=False),
            Column("Category", "label", align_right=False, tooltip=lambda row: str(row.get("label", ""))),
            Column("Employees", "employees_text", str, sort_field="employment",
                   tooltip=lambda r: employees_phrase(r) if r.get("status") not in (None, "reported", "zero") else ""),
            Column("LQ", "lq_text", str, sort_field="lq"),
            Column("Rank", "size_rank", fmt_int, tooltip=lambda r: "Size rank among all regions (1 = most employees)"),
            Column("Focus", "share_text", str, sort_field="share",
                   tooltip=lambda r: "Focus: share of the region's employment"),
            Column("Stars", "stars_text", str, sort_field="stars", tooltip=tip, align_right=False, colour=star_colour),
        ]

    def refresh(self) -> None:
        analysis, code = self.state.analysis, self.state.selection
        if analysis is None or not code:
            self.model.set_frame(pd.DataFrame())
            self.header.setText("Click a region on the map or search for it.")
            self.chart.message("No region selected")
            return
        # strongest first (metrics.ordering); the proxy's stable sort on Stars keeps that order within ties
        rows = analysis.region_stars(code).copy()
        rows["label"] = [analysis.category_label(c) for c in rows["category"]]
        add_display_text(rows)
        self.model.set_frame(rows)
        name = analysis.region_name(code)
        total = int(rows["stars"].sum()) if len(rows) else 0
        n3 = int((rows["stars"] == 3).sum())
        employment = analysis.region_total.get(code)
        self.header.setText(
            f"<b style='font-size:13pt'>{_esc(name)}</b> <span style='color:#666'>({_esc(code)})</span><br>"
            f"{employees_total(rows, employment)} · {total} stars in total{certain_part(analysis, code, total)} · "
            f"{n3} three-star categories · "
            f"year {analysis.year}"
        )
        self.chart.plot_portfolio(rows, f"{code}: strongest categories by LQ")
        self._show_category(self.state.category)

    def _row_changed(self, current, _previous) -> None:
        if current.isValid():
            category = current.data(CODE_ROLE)
            if category and category != self.state.category:
                self.state.category = category

    def _show_category(self, category: str | None) -> None:
        """Keep the table's current row on the category shown on the map."""
        show_code_row(self.table, self.proxy, category)


def _compact(table: QTableView) -> None:
    """One text line per row (long category names are elided, the full name is in the tooltip)."""
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def certain_part(analysis, code: str, total: int) -> str:
    """`` (3 certain)`` when some stars rest on confidential values (the portfolio table counts them)."""
    row = analysis.portfolio[analysis.portfolio["region"] == code]
    if "certain_stars" not in row or row.empty:
        return ""
    certain = int(row["certain_stars"].iloc[0])
    return f" ({certain} certain)" if certain < total else ""


def employees_total(rows: pd.DataFrame, employment) -> str:
    """The region's total, marked as an estimate when confidential cells were filled."""
    status = rows["status"] if "status" in rows else pd.Series(dtype=str)
    n_est = int((status == "estimated").sum())
    n_conf = int((status == "confidential").sum())
    if n_est:
        return f"≈ {fmt_int(employment)} employees (incl. {n_est} estimated categories)"
    if n_conf:
        return f"{fmt_int(employment)} employees published ({n_conf} confidential categories not included)"
    return f"{fmt_int(employment)} employees"


def _esc(text: object) -> str:
    import html

    return html.escape(str(text))
