"""The compare view (a tab of the category dock): up to ten regions as rows, the chosen measure for the chosen
categories as columns (so ten regions fit the dock without horizontal scrolling), a chart of the same measure,
and exports of the table (CSV, XLSX, PDF, copy as TSV) and the chart (PNG, SVG)."""

from __future__ import annotations

import html

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clustermapper.analytics.compare import MARKS, MAX_REGIONS, MEASURES, Comparison, compare_table
from clustermapper.errors import ClusterMapperError
from clustermapper.render.compare_charts import draw_small_multiples
from clustermapper_ui.charts import ChartCanvas
from clustermapper_ui.docks.compare_exports import CompareExports
from clustermapper_ui.models import CODE_ROLE, Column, FrameModel, NumericSortProxy, star_colour
from clustermapper_ui.state import AppState
from clustermapper_ui.table_export import install_table_export

DEFAULT_CATEGORIES = 4
MARKED = QColor("#fff3cd")
SHORT_TITLES = {"lq": "LQ", "change": "Change"}  # the combo's items; the full titles in their tooltips
TEXT_FIELD = {"stars": "stars_text", "employment": "employment_text", "lq": "lq_text", "change": "change_text"}


SUGGESTED_PEERS = 5  # the region plus five peers: a compare view that still reads at a glance


class MarkedModel(FrameModel):
    """A FrameModel whose ``<category>:text`` cells are shaded where ``<category>:marked`` is True, with a
    tooltip per column header (the category's label)."""

    header_tips: list[str] = []

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.header_tips[section] if section < len(self.header_tips) else None
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            field = self._columns[index.column()].field
            if field.endswith(":text") and self._rows[index.row()].get(field[:-5] + ":marked"):
                return MARKED
            return None
        return super().data(index, role)


class CompareView(CompareExports, QWidget):
    """Regions × categories of one measure; ``comparison`` is what the table, chart and exports show."""

    def __init__(self, state: AppState, controller=None, parent=None) -> None:
        super().__init__(parent)
        self.state, self.controller = state, controller
        self.comparison: Comparison | None = None
        self.label = QLabel(wordWrap=True, objectName="compareLabel")
        # tool buttons: narrower than push buttons, so one row of controls fits the dock
        self.add_button = QToolButton(text="Add", objectName="compareAdd")
        self.add_button.clicked.connect(self._add_selected)
        self.remove_button = QToolButton(text="Remove", toolTip="Remove the regions selected in the table")
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QToolButton(text="Clear", toolTip="Compare no region")
        self.clear_button.clicked.connect(lambda: setattr(self.state, "compare", ()))
        self.peers_button = QToolButton(text="Peers", objectName="comparePeers",
                                        toolTip="Compare the selected region with its peers: the ones saved for it, "
                                                "else the most similar in sector mix and size")
        self.peers_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.peers_button.clicked.connect(self.show_peers)
        peers_menu = QMenu(self.peers_button)
        peers_menu.addAction("Suggest peers of the selected region", lambda: self.show_peers(suggest=True))
        self.save_peers_action = peers_menu.addAction("Save the compared regions as peers of the first",
                                                      self.save_peers)
        self.peers_button.setMenu(peers_menu)
        self.export_button = QToolButton(text="Export", objectName="compareExport")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMenu(self._export_menu())
        self.measure = QComboBox(objectName="compareMeasure", toolTip="Measure shown in the table and the chart")
        for key, (title, _column) in MEASURES.items():
            self.measure.addItem(SHORT_TITLES.get(key, title), key)
            self.measure.setItemData(self.measure.count() - 1, title, Qt.ItemDataRole.ToolTipRole)
        self.measure.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.measure.setMinimumContentsLength(10)
        self.measure.currentIndexChanged.connect(lambda _: self.refresh())
        self.n_categories = QSpinBox(minimum=1, maximum=8, value=DEFAULT_CATEGORIES, objectName="compareCategories",
                                     suffix=" categories")
        self.n_categories.setToolTip("Categories shown: the category of the map first, then the strongest of the "
                                     "compared regions")
        self.n_categories.valueChanged.connect(lambda _: self._show())
        self.model = MarkedModel([], code_field="region", parent=self)
        self.proxy = NumericSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(sortingEnabled=True, alternatingRowColors=True, objectName="compareTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 3)
        install_table_export(self.table)  # context menu, Ctrl+C with headers
        self.legend = QLabel(wordWrap=True)
        self.legend.setStyleSheet("QLabel { color: #555555; font-size: 8pt; }")
        self.legend.setText(" · ".join(f"{m} {text.split(':')[0]}" for m, text in MARKS)
                            + " · shaded: see the cell's tooltip")
        self.chart = ChartCanvas(height=2.8)
        self.chart.setMinimumHeight(140)
        self._layout()
        state.observe("analysis", lambda _: self.refresh())
        state.observe("compare", lambda _: self.refresh())
        state.observe("category", lambda _: self._show())
        state.observe("base_year", lambda _: self.refresh() if self.current_measure() == "change" else None)
        self.refresh()

    def _layout(self) -> None:
        controls = QHBoxLayout()  # one row: the dock keeps its height for ten regions and the chart
        for w in (self.add_button, self.remove_button, self.clear_button, self.peers_button, self.measure,
                  self.n_categories):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        top = QWidget()
        box = QVBoxLayout(top)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table, 1)
        box.addWidget(self.legend)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(top)
        self.split.addWidget(self.chart)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.label)
        layout.addLayout(controls)
        layout.addWidget(self.split, 1)

    def _fit_rows(self) -> None:
        """Give the table the height of all its rows (ten at most), the chart the rest."""
        rows = max(self.proxy.rowCount(), 2)
        need = (self.table.horizontalHeader().sizeHint().height() + rows * self.table.verticalHeader().defaultSectionSize()
                + 2 * self.table.frameWidth() + self.legend.sizeHint().height() + 6)
        total = sum(self.split.sizes()) or 560
        self.split.setSizes([min(need, total - self.chart.minimumHeight()), max(total - need, self.chart.minimumHeight())])

    # state ---------------------------------------------------------------------------------------
    def current_measure(self) -> str:
        return str(self.measure.currentData())

    def selection_changed(self, code: str | None) -> None:
        full = len(self.state.compare) >= MAX_REGIONS
        self.add_button.setEnabled(bool(code) and code not in self.state.compare and not full)
        self.add_button.setToolTip(f"At most {MAX_REGIONS} regions" if full else
                                   "Add the region selected on the map (Ctrl+K)")

    def _add_selected(self) -> None:
        code = self.state.selection
        if code and code not in self.state.compare and len(self.state.compare) < MAX_REGIONS:
            self.state.compare = (*self.state.compare, code)

    def show_peers(self, suggest: bool = False) -> None:
        """Compare the selected region with its saved peers (or, without them or with ``suggest``, the suggested
        ones: ``analytics.peers.suggest_peers``, cosine similarity of sector mix within ×/÷ 3 of its size)."""
        from clustermapper.analytics.peers import suggest_peers

        analysis, region = self.state.analysis, self.state.selection
        if analysis is None or not region:
            self.label.setText("Select a region first: its peers are compared with it.")
            return
        peers = [] if suggest else list(self.state.peers.get(region, []))
        if not peers:
            peers = [str(r) for r in suggest_peers(analysis, region, n=SUGGESTED_PEERS)["region"]]
        self.state.compare = (region, *[p for p in peers if p != region][: MAX_REGIONS - 1])

    def save_peers(self) -> None:
        """The compared regions after the first become its peers (saved with the workspace, used by profiles)."""
        regions = list(self.state.compare)
        if len(regions) < 2:
            self.label.setText("Compare a region with at least one other before saving them as its peers.")
            return
        self.state.peers = {**self.state.peers, regions[0]: regions[1:]}
        self.label.setText(f"Saved {len(regions) - 1} peers of {regions[0]}: {', '.join(regions[1:])} "
                           "(saved with the workspace; region profiles use them).")

    def _remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        codes = {self.proxy.index(r, 0).data(CODE_ROLE) for r in rows}
        if codes:
            self.state.compare = tuple(c for c in self.state.compare if c not in codes)

    def refresh(self) -> None:
        """Compute the comparison again (regions, analysis or measure changed); change runs in a worker."""
        analysis, regions = self.state.analysis, list(self.state.compare)[:MAX_REGIONS]
        self.selection_changed(self.state.selection)
        self.remove_button.setEnabled(bool(regions))
        self.export_button.setEnabled(bool(regions) and analysis is not None)
        if analysis is None or not regions:
            self.comparison = None
            self.label.setText("Select a region and press <b>Add</b> (or Ctrl+K) to compare up "
                               f"to {MAX_REGIONS} regions.")
            self._show()
            return
        if self.current_measure() != "change":
            base = self.comparison.base if self.comparison is not None else None
            keep = base if base is not None and base.spec.with_(year=None) == analysis.spec.with_(year=None) else None
            self._set(self._compute(analysis, regions, keep if keep is not None and keep.year < analysis.year else None))
            return
        if self.controller is None:
            return
        self.label.setText("Computing the change since the base year…")

        def task(progress, cancel, base):
            progress(0.6, "Comparing the regions' change")
            return compare_table(analysis, regions, base)

        self.controller.run_panel(task, lambda c: self._set(c) if c.analysis is self.state.analysis else None,
                                  "Cannot compare the regions")

    def _compute(self, analysis, regions, base) -> Comparison | None:
        try:
            return compare_table(analysis, regions, base)
        except ClusterMapperError as exc:
            self.label.setText(html.escape(str(exc)))
            return None

    def _set(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        self._show()

    # display -------------------------------------------------------------------------------------
    def categories(self) -> list[str]:
        """The category of the map first (when compared), then the strongest, up to the spin box's count."""
        if self.comparison is None:
            return []
        strongest = list(self.comparison.categories)
        first = [self.state.category] if self.state.category in strongest else []
        return (first + [c for c in strongest if c not in first])[: self.n_categories.value()]

    def _show(self) -> None:
        c = self.comparison
        if c is None:
            self._swap([], pd.DataFrame())
            self.chart.message("No regions to compare yet")
            return
        measure = self.current_measure() if self.current_measure() in c.measures() else "stars"
        cats = self.categories()
        since = f" since {c.base_year}" if measure == "change" else ""
        extra = "".join(f"<br><span style='color:#7a5b00'>{html.escape(n)}</span>" for n in c.notes
                        if "left out" in n or "No data" in n)
        if len(self.state.compare) > MAX_REGIONS:
            extra += f"<br>Only the first {MAX_REGIONS} of {len(self.state.compare)} regions are compared."
        self.label.setText(f"<b>{len(c.regions)} regions</b> compared: {html.escape(MEASURES[measure][0].lower())}"
                           f"{since}, {c.year}{extra}")
        self._swap(self._columns(c, measure, cats), self._frame(c, measure, cats))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the region's name takes what is left
        header.setMinimumSectionSize(24)
        draw_small_multiples(self.chart.figure, c, measure, cats, ncols=min(len(cats), 4), fontsize=6.5,
                             title_width=18, names=False, vertical=True)
        self.chart.draw_idle()
        self._fit_rows()

    def _frame(self, c: Comparison, measure: str, cats: list[str]) -> pd.DataFrame:
        t = c.table.set_index(["category", "region"])
        rows = []
        for region in c.regions:
            name = str(t.loc[(c.categories[0], region), "region_name"])
            row = {"region": region, "region_label": f"{region}  {name}".strip(), "order": c.regions.index(region)}
            for cat in cats:
                cell = t.loc[(cat, region)]
                row[f"{cat}:text"] = cell[TEXT_FIELD[measure]]
                row[f"{cat}:value"] = cell[MEASURES[measure][1]]
                row[f"{cat}:stars"] = cell["stars"]
                caution = cell["change_caution"] if measure == "change" else cell["caution"]
                row[f"{cat}:marked"] = bool(caution)
                row[f"{cat}:tip"] = _tooltip(c, cat, name, cell, caution)
            rows.append(row)
        return pd.DataFrame(rows)

    def _columns(self, c: Comparison, measure: str, cats: list[str]) -> list[Column]:
        columns = [Column("Region", "region_label", align_right=False, sort_field="order",
                          export=(("code", "region"),),  # exported as the region code, not its sort position
                          tooltip=lambda row: str(row.get("region_label", "")))]
        for cat in cats:
            colour = (lambda row, cat=cat: star_colour({"stars": row[f"{cat}:stars"]})) if measure == "stars" else None
            columns.append(Column(cat, f"{cat}:text", str, sort_field=f"{cat}:value", align_right=measure != "stars",
                                  tooltip=lambda row, cat=cat: row[f"{cat}:tip"], colour=colour))
        return columns

    def _swap(self, columns: list[Column], frame: pd.DataFrame) -> None:
        model = MarkedModel(columns, code_field="region", parent=self)
        model.set_frame(frame)
        old = self.proxy.sourceModel()
        self.proxy.setSourceModel(model)
        self.proxy.sort(-1)  # the regions in the order they were added
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        c = self.comparison
        model.header_tips = ["Region (in the order added)"] + (
            [f"{cat} {c.analysis.category_label(cat)}" for cat in self.categories()] if c is not None else [])
        self.model = model
        if old is not None and old is not model:
            old.deleteLater()


def _tooltip(c: Comparison, category: str, name: str, cell: pd.Series, caution: str) -> str:
    parts = [f"{category} {c.analysis.category_label(category)}", f"{name}: {cell['stars_text']} · "
             f"{cell['employment_text']} employees · LQ {cell['lq_text']}"]
    if c.base is not None:
        parts.append(f"Change of employees since {c.base_year}: {cell['change_text']}")
    if caution:
        parts.append(f"Caution: {caution}")
    return "\n".join(parts)
