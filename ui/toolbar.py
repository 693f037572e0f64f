"""Analysis toolbar: dataset, year, taxonomy, NUTS level, star thresholds, category and region search."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QSpinBox, QToolBar

from clustermapper.analysis import AnalysisSpec
from clustermapper.metrics.params import StarParams
from clustermapper_ui.search import RegionSearch
from clustermapper_ui.state import AppState

FILE_ITEM = "__choose_file__"
YEAR_TIP = "Reference year (with the number of regions that have data at this NUTS level)"
PARTIAL_COMBO = "QComboBox { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; }"
# the built-in taxonomies (clustermapper.taxonomy.BUILTINS: the one list) with short picker labels
TAXONOMY_LABELS = {"nace-divisions": "NACE divisions", "industrial-ecosystems": "14 industrial ecosystems",
                   "emerging-industries": "10 emerging industries"}


class AnalysisToolBar(QToolBar):
    """Edits a copy of ``state.spec``; emits ``specRequested`` (debounced) when the user changes it."""

    specRequested = Signal(object)

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__("Analysis", parent)
        self.setObjectName("analysisToolBar")
        self.state = state
        self._updating = False
        self.dataset = QLabel("No data")
        self.dataset.setObjectName("datasetLabel")
        self.dataset.setMinimumWidth(120)
        self.year = QComboBox(objectName="yearCombo", toolTip=YEAR_TIP)
        # room for "2015 — 167 regions (partial)" even when the toolbar is crowded
        self.year.setMinimumContentsLength(24)
        self.year.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        # A partial year (few regions, whole countries missing) is warned about twice: the picker turns amber,
        # and this label (placed in the window's status bar, where there is room) says what is missing.
        self.year_warning = QLabel(objectName="yearWarning")
        self.year_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.year_warning.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a;"
                                        " border-radius: 3px; padding: 1px 6px; font-weight: bold; }")
        self.taxonomy = QComboBox(objectName="taxonomyCombo", toolTip="Categories the stars are computed for")
        from clustermapper.taxonomy import BUILTINS

        for key, description in BUILTINS.items():
            self.taxonomy.addItem(TAXONOMY_LABELS.get(key, key), key)
            self.taxonomy.setItemData(self.taxonomy.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        self.taxonomy.addItem("Taxonomy file (CSV/YAML)…", FILE_ITEM)
        self.level = QComboBox(objectName="levelCombo", toolTip="NUTS level of the regions")
        for lv in (0, 1, 2, 3):
            self.level.addItem(f"NUTS {lv}", lv)
        self.suppressed = QComboBox(objectName="suppressedCombo",
                                    toolTip="Confidential cells: how values Eurostat suppressed enter the stars "
                                            "(Help → Star method explains each policy)")
        from clustermapper.suppressed import POLICY_LABELS

        for key, label in POLICY_LABELS.items():
            self.suppressed.addItem(key, key)
            self.suppressed.setItemData(self.suppressed.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self.overrides = QLineEdit(objectName="overridesEdit", placeholderText="e.g. BE=1,EL=1,NL=1",
                                   toolTip="Per-country NUTS level (the ECO used NUTS 1 for BE, EL, NL); "
                                           "Enter to apply")
        self.overrides.setMaximumWidth(130)
        self.overrides.editingFinished.connect(self._emit)
        self.top_share = QDoubleSpinBox(objectName="topShareSpin", suffix=" %", decimals=1, minimum=0.5,
                                        maximum=100.0, singleStep=1.0,
                                        toolTip="Size and focus stars: top share of regions (ECO: 10 %)")
        self.lq_min = QDoubleSpinBox(objectName="lqSpin", decimals=2, minimum=0.1, maximum=20.0, singleStep=0.25,
                                     toolTip="Specialisation star: LQ at least (ECO: 2)")
        self.min_emp = QSpinBox(objectName="minEmploymentSpin", minimum=0, maximum=1_000_000, singleStep=250,
                                groupSeparatorShown=True, toolTip="No star below this many employees (ECO: 1,000)")
        self.category = QComboBox(objectName="categoryCombo", toolTip="Category shown on the map")
        self.category.setMinimumContentsLength(22)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search = RegionSearch(state)  # placed by the window (menu bar corner: always visible)
        # the category first after the data choices: when the window is narrow, Qt moves the last widgets
        # into the overflow menu, and the thresholds are changed far less often than the category
        for text, widget in (("", self.dataset), ("Year", self.year), ("", self.taxonomy), ("", self.level),
                             ("Category", self.category), ("Confidential", self.suppressed),
                             ("Overrides", self.overrides), ("Top", self.top_share), ("LQ ≥", self.lq_min),
                             ("Min. empl.", self.min_emp)):
            if text:
                self.addWidget(_label(text))
            self.addWidget(widget)
            if widget in (self.dataset, self.category, self.overrides):
                self.addSeparator()
        self.year_warning.hide()
        self._debounce = QTimer(self, singleShot=True, interval=400)
        self._debounce.timeout.connect(self._emit)
        for signal in (self.year.activated, self.level.activated, self.suppressed.activated):
            signal.connect(lambda *_: self._emit())
        self.taxonomy.activated.connect(self._taxonomy_chosen)
        for spin in (self.top_share, self.lq_min, self.min_emp):
            spin.valueChanged.connect(lambda *_: None if self._updating else self._debounce.start())
        self.category.activated.connect(self._category_chosen)
        state.observe("spec", self._show_spec)
        state.observe("analysis", self._show_analysis)
        state.observe("category", self._show_category)
        self._show_spec(state.spec or AnalysisSpec(demo=True))

    def current_spec(self) -> AnalysisSpec:
        base = self.state.spec or AnalysisSpec(demo=True)
        params = StarParams(top_share=round(self.top_share.value() / 100.0, 6), lq_min=self.lq_min.value(),
                            min_employment=float(self.min_emp.value()), strong_lq=base.params.strong_lq,
                            method=base.params.method)
        year = self.year.currentData()
        from clustermapper.regions.levels import parse_overrides

        overrides = tuple(parse_overrides(self.overrides.text()).items())
        return base.with_(year=int(year) if year is not None else base.year, level=int(self.level.currentData()),
                          level_override=overrides, taxonomy=str(self.taxonomy.currentData()), params=params,
                          suppressed=str(self.suppressed.currentData() or base.suppressed))

    def _taxonomy_chosen(self, index: int) -> None:
        if self.taxonomy.itemData(index) == FILE_ITEM:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getOpenFileName(self, "Taxonomy file", "", "Taxonomy (*.csv *.yaml *.yml)")
            current = (self.state.spec or AnalysisSpec()).taxonomy
            if not path:
                self.taxonomy.setCurrentIndex(max(self.taxonomy.findData(current), 0))
                return
            self.taxonomy.insertItem(index, path.rsplit("/", 1)[-1], path)
            self.taxonomy.setCurrentIndex(index)
        self._emit()

    def _emit(self) -> None:
        if not self._updating:
            from clustermapper.errors import UsageError

            try:
                spec = self.current_spec()
            except UsageError as exc:  # a mistyped override: say so where the user typed it
                self.overrides.setStyleSheet("QLineEdit { border: 1px solid #b00020; }")
                self.overrides.setToolTip(str(exc))
                return
            self.overrides.setStyleSheet("")
            if spec != self.state.spec:
                self.specRequested.emit(spec)

    def _show_spec(self, spec: AnalysisSpec | None) -> None:
        if spec is None:
            return
        self._updating = True
        try:
            if self.taxonomy.findData(spec.taxonomy) < 0:  # a taxonomy file
                self.taxonomy.insertItem(self.taxonomy.count() - 1, spec.taxonomy.rsplit("/", 1)[-1], spec.taxonomy)
            self.taxonomy.setCurrentIndex(self.taxonomy.findData(spec.taxonomy))
            self.level.setCurrentIndex(self.level.findData(spec.level))
            self.suppressed.setCurrentIndex(max(self.suppressed.findData(spec.suppressed), 0))
            self.overrides.setText(",".join(f"{c}={lv}" for c, lv in spec.level_override))
            self.top_share.setValue(spec.params.top_share * 100.0)
            self.lq_min.setValue(spec.params.lq_min)
            self.min_emp.setValue(int(spec.params.min_employment))
            if spec.demo or not spec.data:
                from clustermapper import demo

                self.dataset.setText("<b>Demo: Eurostat extract</b>")
                self.dataset.setToolTip(demo.SOURCE)
            else:
                from pathlib import Path

                self.dataset.setText(f"<b>{Path(spec.data).name}</b>")
                self.dataset.setToolTip(spec.data)
        finally:
            self._updating = False

    def _show_analysis(self, analysis) -> None:
        if analysis is None:
            return
        self._updating = True
        try:
            self._show_years(analysis)
            self.category.clear()
            from clustermapper_ui.state import categories_with_data

            for code in categories_with_data(analysis):
                self.category.addItem(f"{code} — {analysis.category_label(code)}", code)
            self._show_category(self.state.category)
        finally:
            self._updating = False
        self._show_spec(analysis.spec)

    def _show_years(self, analysis) -> None:
        """Each year with its region count ("2015 — 167 regions (partial)"); a partial year is warned about."""
        from PySide6.QtGui import QBrush, QColor

        from clustermapper.regions.year_coverage import year_details

        details = year_details(analysis.dataset, analysis.spec.level, analysis.spec.level_override)
        self.year.clear()
        for y in analysis.years:
            c = details.get(y)
            self.year.addItem(c.label if c is not None else str(y), y)
            if c is not None and c.partial:
                index = self.year.count() - 1
                self.year.setItemData(index, QBrush(QColor("#8a5a00")), Qt.ItemDataRole.ForegroundRole)
                self.year.setItemData(index, c.warning(), Qt.ItemDataRole.ToolTipRole)
        self.year.setCurrentIndex(self.year.findData(analysis.year))
        chosen = details.get(analysis.year)
        partial = chosen is not None and chosen.partial
        if partial and chosen is not None:
            missing = f"; no data for {', '.join(chosen.absent)}" if chosen.absent else ""
            self.year_warning.setText(f"⚠ {chosen.year} is partial: {chosen.regions} of {chosen.best} regions{missing}")
            self.year_warning.setToolTip(chosen.warning())
        self.year.setStyleSheet(PARTIAL_COMBO if partial else "")
        self.year.setToolTip(chosen.warning() if partial and chosen is not None else YEAR_TIP)
        self.year_warning.setVisible(partial)

    def _show_category(self, category: str | None) -> None:
        index = self.category.findData(category)
        if index >= 0 and index != self.category.currentIndex():
            self.category.setCurrentIndex(index)

    def _category_chosen(self, index: int) -> None:
        code = self.category.itemData(index)
        if code:
            self.state.category = code


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setContentsMargins(6, 0, 3, 0)
    return label
