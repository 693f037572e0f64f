"""Column-mapping dialog for generic CSV/TSV/XLSX files: which column is region, sector, value, year."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clustermapper.errors import ClusterMapperError
from clustermapper.io.preview import PREVIEW_ROWS, Preview, preview_file

SEPARATORS = (("Detect", None), ("Comma ,", ","), ("Semicolon ;", ";"), ("Tab", "tab"), ("Pipe |", "|"))
DECIMALS = (("Detect", None), ("Point .", "."), ("Comma ,", ","))
ROLES = {  # option name -> (label, header words that suggest it; a few common languages of the users)
    "region_col": ("Region code", ("region", "geo", "nuts", "nuts_id", "nuts2", "gebiet", "région", "regione",
                                   "región", "code")),
    "sector_col": ("Sector code", ("sector", "nace", "nace_r2", "industry", "activity", "wirtschaftszweig",
                                   "branche", "secteur", "settore", "ateco")),
    "value_col": ("Value (employees)", ("value", "obs_value", "employment", "employees", "persons",
                                        "beschäftigte", "beschaeftigte", "emplois", "effectifs", "occupati",
                                        "empleo", "wert", "valeur")),
    "year_col": ("Year", ("year", "time", "time_period", "period", "jahr", "année", "annee", "anno", "año")),
}
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")


def guess(columns: list[str], words: tuple[str, ...]) -> int:
    """Index of the first header matching one of ``words`` (case-insensitive), else -1."""
    lowered = [str(c).strip().lower() for c in columns]
    for word in words:
        if word in lowered:
            return lowered.index(word)
    for i, name in enumerate(lowered):
        if any(word in name for word in words):
            return i
    return -1


class ColumnMappingDialog(QDialog):
    """Shows a preview of the file and returns reader options (``options()``) for ``read_dataset``."""

    def __init__(self, path: str | Path, message: str = "", parent: QWidget | None = None,
                 initial: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.preview: Preview | None = None
        self.setWindowTitle(f"Map the columns of {Path(path).name}")
        self.resize(820, 520)
        self.path = Path(path)
        self.initial = dict(initial or {})
        self.is_excel = self.path.suffix.lower() in EXCEL_SUFFIXES
        info = QLabel(message or "Tell ClusterMapper which column holds what. The file is not modified.")
        info.setWordWrap(True)
        self.sep = _combo(SEPARATORS, self.initial.get("sep"), self)
        self.decimal = _combo(DECIMALS, self.initial.get("decimal"), self)
        # parented: only one of sheet/separator is laid out, and the other must die with the dialog
        self.sheet = QComboBox(self)
        self.combos: dict[str, QComboBox] = {name: QComboBox(objectName=f"map_{name}") for name in ROLES}
        # The reader option year_label: the year of a file that says nothing about years (no year column
        # and no columns named by year); files with years ignore it.
        self.year_label = QLineEdit(self, objectName="map_year_label")
        self.year_label.setPlaceholderText("only if the file has no year column, e.g. 2015")
        self.year_label.setValidator(QIntValidator(1900, 2100, self.year_label))
        self.year_label.setText(str(self.initial.get("year_label") or ""))
        form = QFormLayout()
        fmt = QHBoxLayout()
        if self.is_excel:
            fmt.addWidget(QLabel("Sheet"))
            fmt.addWidget(self.sheet)
        else:
            fmt.addWidget(QLabel("Separator"))
            fmt.addWidget(self.sep)
        fmt.addWidget(QLabel("Decimal mark"))
        fmt.addWidget(self.decimal)
        fmt.addStretch(1)
        form.addRow(fmt)
        for name, (label, _) in ROLES.items():
            form.addRow(label, self.combos[name])
        form.addRow("Year of the data", self.year_label)
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        self.caption = QLabel(f"First {PREVIEW_ROWS} rows:")
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.sep.currentIndexChanged.connect(lambda _i: self.reload())
        self.sheet.currentIndexChanged.connect(lambda _i: self.reload())
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._validate)
        self.year_label.textChanged.connect(lambda _t: self._validate())
        self.reload(self.initial.get("sheet"))

    def reload(self, sheet: str | None = None) -> None:
        """Preview with the core reader's own sniffing and header search (``io.preview``)."""
        sheet = sheet if isinstance(sheet, str) else (self.sheet.currentText() or None)
        try:
            self.preview = preview_file(self.path, None if self.is_excel else self.sep.currentData(), sheet)
        except ClusterMapperError as exc:  # show why, let the user pick another separator/sheet
            self.preview = None
            self.error.setText(f"Cannot preview the file: {exc}")
        else:
            self.error.clear()
        shown = self.preview
        columns = shown.header if shown is not None else []
        rows = shown.rows if shown is not None else []
        if shown is not None and shown.sheets and self.sheet.count() == 0:
            self.sheet.blockSignals(True)
            self.sheet.addItems(shown.sheets)
            self.sheet.setCurrentText(shown.sheet or "")
            self.sheet.blockSignals(False)
        if shown is not None:
            where = f"sheet {shown.sheet!r}, " if shown.sheet else ""
            found = "header" if shown.header_found else "header (guessed: no column is named like a region and a sector)"
            self.caption.setText(f"{where}{found} on line {shown.header_line}; the next {len(rows)} rows:")
        self.table.setColumnCount(len(columns))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(columns)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(value))
        for name, (_, words) in ROLES.items():
            combo = self.combos[name]
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("—", None)
            for col in columns:
                combo.addItem(col, col)
            wanted = self.initial.get(name)
            index = combo.findData(wanted) if wanted else guess(columns, words) + 1
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._validate()

    def _validate(self) -> None:
        chosen = {name: combo.currentData() for name, combo in self.combos.items()}
        missing = [ROLES[n][0] for n in ("region_col", "sector_col", "value_col") if not chosen[n]]
        picked = [v for v in chosen.values() if v]
        problem = ""
        if missing:
            problem = "Choose a column for: " + ", ".join(missing)
        elif len(set(picked)) < len(picked):
            problem = "Each role needs a different column."
        elif self.year_label.text() and not self.year_label.hasAcceptableInput():
            problem = "The year of the data must be a year such as 2015."
        elif not chosen["year_col"] and not self.year_label.text():
            problem = "Choose the year column, or give the year of the data (a file without years)."
        if problem or not self.error.text().startswith("Cannot preview"):
            self.error.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem and self.table.columnCount() > 0)

    def options(self) -> dict[str, str]:
        """Reader options for ``read_dataset`` / ``AnalysisSpec.reader_options``."""
        out = {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}
        if self.is_excel and self.sheet.currentText():
            out["sheet"] = self.sheet.currentText()
        if not self.is_excel and self.sep.currentData():
            out["sep"] = self.sep.currentData()
        if self.decimal.currentData():
            out["decimal"] = self.decimal.currentData()
        if self.year_label.hasAcceptableInput():
            out["year_label"] = self.year_label.text()
        return out


def _combo(items: tuple[tuple[str, str | None], ...], current: str | None, parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    for label, value in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)
    return combo
