"""Qt table models over pandas DataFrames, with numeric sorting and per-cell tooltips."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from clustermapper.metrics.explain import star_string

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2


def star_text(n: object) -> str:
    """``★★☆`` for 2 stars; empty for missing values."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return ""
    return star_string(int(n))


def fmt_int(x: object) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):,.0f}"


def fmt_float(x: object, digits: int = 2) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):.{digits}f}"


def fmt_pct(x: object) -> str:
    return "–" if x is None or pd.isna(x) else f"{100 * float(x):.1f} %"


@dataclass(frozen=True)
class Column:
    """One displayed column: header, source field, formatter and optional tooltip / colour functions."""

    header: str
    field: str
    fmt: Callable[[object], str] = str
    tooltip: Callable[[Mapping], str] | None = None  # called with one row as a dict
    align_right: bool = True
    colour: Callable[[Mapping], str | None] | None = None
    sort_field: str | None = None  # sort on another field than the one displayed
    # exports (ui/table_export.py): (header suffix, field) pairs of the numbers behind a cell whose sort key is
    # not its value (e.g. compare's "★★☆  2.31" is stars and LQ); empty: the sort field, else the field
    export: tuple[tuple[str, str], ...] = ()


class FrameModel(QAbstractTableModel):
    """Read-only model of a DataFrame; ``SORT_ROLE`` gives the raw value so sorting is numeric."""

    def __init__(self, columns: list[Column], code_field: str = "region", parent=None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._code_field = code_field
        self._frame = pd.DataFrame()
        self._rows: list[dict] = []

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        # Views ask data() tens of thousands of times: plain dicts, not a Series built per call (~100x faster).
        self._rows = self._frame.to_dict("records")
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def column_spec(self, section: int) -> Column:
        return self._columns[section]

    def row_of(self, code: str | None) -> int | None:
        """The first row whose code field is ``code`` (what ``CODE_ROLE`` returns), or None."""
        if code is None or self._code_field not in self._frame:
            return None
        hits = np.flatnonzero(self._frame[self._code_field].astype(str).to_numpy() == str(code))
        return int(hits[0]) if len(hits) else None

    def record(self, row: int) -> dict:
        """One row of the frame as a dict (what the cells of that row are formatted from)."""
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        col = self._columns[index.column()]
        row = self._rows[index.row()]
        value = row.get(col.field)
        if role == Qt.ItemDataRole.DisplayRole:
            return col.fmt(value)
        if role == SORT_ROLE:
            if col.sort_field is not None:
                value = row.get(col.sort_field)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return -math.inf  # missing values sort below every number
            return value.item() if hasattr(value, "item") else value
        if role == CODE_ROLE:
            return str(row.get(self._code_field, ""))
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if col.align_right else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            colour = col.colour(row)
            return QColor(colour) if colour else None
        return None


class NumericSortProxy(QSortFilterProxyModel):
    """Sort on ``SORT_ROLE`` (raw numbers), filter on any displayed text (case-insensitive)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


def show_code_row(table, proxy: QSortFilterProxyModel, code: str | None) -> bool:
    """Make the row whose ``CODE_ROLE`` is ``code`` current and visible; False when no row holds it.

    Looked up in the source model's rows, then mapped through the proxy: asking the proxy row by row
    called ``data()`` once per row through Python (0.85 s of the app's start on the demo's rankings)."""
    source = proxy.sourceModel()
    row = source.row_of(code) if isinstance(source, FrameModel) else None
    if row is None:
        return False
    index = proxy.mapFromSource(source.index(row, 0))
    if not index.isValid():  # filtered out
        return False
    if table.currentIndex().row() != index.row():
        table.selectRow(index.row())
    table.scrollTo(index)
    return True


def star_colour(row: Mapping) -> str | None:
    """Gold for starred cells, grey for none (the glyphs carry the meaning; colour only helps)."""
    n = row.get("stars")
    return "#b8860b" if n and not pd.isna(n) and int(n) > 0 else "#9e9e9e"
