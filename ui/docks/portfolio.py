"""Region portfolio dock: every category of the selected region, sortable, with stars explained."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QLineEdit, QSplitter, QTableView, QVBoxLayout, QWidget

from clustermapper.metrics.explain import add_display_text, employees_phrase
from clustermapper.metrics.gaps import nearest_gap
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
    """Tooltip of a star cell: one ✔/✘ sentence per rule of ``metrics.rules.RULES``; a missing star says what
    it would take (``metrics.gaps``: the exact number of employees to add, or that it is out of reach)."""
    from clustermapper.metrics.explain import explain_star
    from clustermapper.metrics.gaps import OUT_OF_REACH, gap_phrase
    from clustermapper.metrics.rules import RULES

    lines = []
    for r in RULES:
        held = bool(row.get(r.column, False))
        line = f"{'✔' if held else '✘'} {explain_star(row, r.id, params)}"
        if not held:
            phrase = gap_phrase(row, r.id)
            if phrase:
                line += f"\n     What it takes: {phrase}" + (" (an estimate: the cell is confidential)"
                                                        if row.get("status") in ("estimated", "confidential") else "")
            elif row.get(f"{r.id}_gap_reason") == OUT_OF_REACH:
                line += "\n     Out of reach: no number of added employees earns it"
        lines.append(line)
    return "\n".join(lines)


class PortfolioDock(QDockWidget):
    """Table of the selected region's categories plus an LQ bar chart; row click sets the category."""

    def __init__(self, state: AppState, parent=None, controller=None) -> None:
        super().__init__("Region portfolio", parent)
        self.setObjectName("portfolioDock")
        self.state = state
        self.controller = controller  # computes the change columns off the UI thread (None: no change columns)
        self._changes: tuple | None = None  # (analysis, base year, change table of the pair)
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
        # the category name keeps a readable width (full name in its tooltip); the last column takes what is left
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(1, 130)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)  # Stars
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
        state.observe("base_year", lambda _: self.refresh())
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
            Column("Focus", "share_text", str, sort_field="share",
                   tooltip=lambda r: "Focus: share of the region's employment"),
            Column("Stars", "stars_text", str, sort_field="stars", tooltip=tip, align_right=False, colour=star_colour),
            Column("Change", "change_text", str, align_right=False, sort_field="change_pct",
                   tooltip=lambda r: str(r.get("change_tip", ""))),
            Column("Next star", "next_star", str, align_right=False,
                   tooltip=lambda r: (nearest_gap(r) or "") + "\nThe fewest employees to add to this cell (all else "
                                     "fixed) that earn a missing star, computed exactly; empty when every star is "
                                     "held or none is in reach"),
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
        rows["next_star"] = [_short_gap(nearest_gap(r)) for r in rows.to_dict("records")]
        rows = self._with_changes(analysis, code, rows)
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

    def _with_changes(self, analysis, code: str, rows: pd.DataFrame) -> pd.DataFrame:
        """Change since the base year per category, when computed for this analysis; else start computing it."""
        rows["change_text"], rows["change_tip"], rows["change_pct"] = "", "", float("nan")
        if self.controller is None:
            return rows
        year = self.controller.base_year()
        held = self._changes
        if held is None or held[0] is not analysis or held[1] != year:
            if year is not None:
                self._start_changes(analysis, year)
                # an empty column would read as "no change"; it fills in once the base year is computed
                rows["change_text"], rows["change_tip"] = "…", f"Computing the change since {year}…"
            return rows
        table = held[2]
        mine = table[table["region"] == code].set_index("category")
        if mine.empty:
            rows["change_tip"] = f"{code} has no data in {year} under the same region codes: no change shown"
            return rows
        cls = rows["category"].map(mine["class"]).fillna("")
        pct = rows["category"].map(mine["cagr"])  # per year: the rate the classes are defined on
        caution = rows["category"].map(mine["caution"]).fillna("")
        stars = [f"{int(a)}→{int(b)}★" if a == a and b == b else ""
                 for a, b in zip(rows["category"].map(mine["stars_base"]), rows["category"].map(mine["stars_now"]))]
        rows["change_pct"] = pct
        rows["change_text"] = [
            " ".join(x for x in (CHANGE_MARKS.get(c, ""), "" if p != p else f"{100 * p:+.1f} %/yr") if x) + (" †" if w else "")
            for c, p, w in zip(cls, pct, caution)]
        rows["change_tip"] = [f"Since {year}: stars {s}; " + str(r) + (f"\n† (a caution) {w}" if w else "")
                              for s, r, w in zip(stars, rows["category"].map(mine["class_rule"]).fillna("no class"),
                                                 caution)]
        return rows

    def _start_changes(self, analysis, year: int) -> None:
        def task(progress, cancel, base):
            from clustermapper.layers.analytics import change_table

            progress(0.5, f"Changes since {year}")
            return change_table(base, analysis)

        def done(table) -> None:
            self._changes = (analysis, year, table)
            if self.state.analysis is analysis:
                self.refresh()

        self.controller.run_panel(task, done, "Cannot compute the changes", runner=self.controller.change_runner)

    def _row_changed(self, current, _previous) -> None:
        if current.isValid():
            category = current.data(CODE_ROLE)
            if category and category != self.state.category:
                self.state.category = category

    def _show_category(self, category: str | None) -> None:
        """Keep the table's current row on the category shown on the map."""
        show_code_row(self.table, self.proxy, category)


#: the change class as a short mark in the portfolio (the tooltip gives the rule and the stars in both years)
CHANGE_MARKS = {"emerging": "new ★", "growing": "▲", "stable": "=", "declining": "▼", "vanished": "lost ★"}
_RULE_SHORT = {"size": "size", "specialisation": "spec.", "focus": "focus"}


def _short_gap(phrase: str | None) -> str:
    """"+1,240 → spec." from "+1,240 employees → specialisation star" (the tooltip has the long form)."""
    if not phrase:
        return ""
    for rule, short in _RULE_SHORT.items():
        phrase = phrase.replace(f" employees → {rule} star", f" → {short}")
    return phrase.replace(" (rests on an estimate)", "")


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
