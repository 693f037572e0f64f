"""Copy and export of any table view: Copy (selection as TSV with headers), Copy all, Export CSV…, Export XLSX….

:func:`table_frame` turns what a view shows (its rows in the view's order after filtering and sorting, its
visible columns in the header's order) into a DataFrame of *numbers*: for a :class:`FrameModel` column the
number behind the cell (``Column.export`` fields, else the sort field, else the field), not the formatted
text. A column whose text carries marks beyond the number (``≈ 84,752 est.``, ``≥ 0 (conf.)``, ``★★☆ ?``,
``n/a``) gets its text beside it as ``<header> (as shown)``, and rows with a data status other than
reported/zero add a ``Data status`` column: an estimate never becomes a plain number. The writers live in
``clustermapper.render.table_files``; dialogs here only choose the path.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QAbstractProxyModel, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMenu,
    QMessageBox,
    QTableView,
    QTabWidget,
    QWidget,
)

from clustermapper.render.table_files import PERCENT, frame_to_tsv, write_frame_csv, write_frame_xlsx
from clustermapper_ui.models import FrameModel

#: characters a plain rendering of a number (or of a star count) may hold; anything else is a mark
PLAIN = set("0123456789.,+-–− %★☆\u00a0\u202f")
PLAIN_STATUSES = ("reported", "zero", "published", "", None)  # no "Data status" column for these alone
AS_SHOWN = "{} (as shown)"
STATUS_HEADER = "Data status"

_installed: weakref.WeakSet = weakref.WeakSet()
_last: list = []  # [weakref to the table that had the focus last]


@dataclass
class TableExport:
    """What a view shows, as numbers: ``frame`` plus XLSX number formats by column."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)


def table_frame(view: QTableView, rows: list[int] | None = None, columns: list[int] | None = None) -> TableExport:
    """The view's rows (``rows``: view row numbers, default all) × visible columns (``columns``: logical)."""
    model = view.model()
    header = view.horizontalHeader()
    order = [header.logicalIndex(v) for v in range(header.count())]
    order = [c for c in order if not view.isColumnHidden(c) and (columns is None or c in columns)]
    rows = list(range(model.rowCount())) if rows is None else rows
    data: dict[str, list] = {}
    formats: dict[str, str] = {}
    statuses: list = [None] * len(rows)
    numeric_shown = False
    for c in order:
        title = str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or f"column {c + 1}")
        cells = [_source(model.index(r, c)) for r in rows]
        texts = [str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "") for r in rows]
        for i, (_spec, record) in enumerate(cells):
            if record is not None and statuses[i] is None:
                statuses[i] = record.get("status")
        has_numbers = False
        for name, values, raw in _columns_of(title, cells):
            numbers = _numbers(values)
            key = _unique(data, name)
            if numbers is None:  # texts: what the view shows, or the raw text of an export field
                data[key] = [_text(v) for v in values] if raw and values is not None else texts
                continue
            has_numbers = True
            data[key] = numbers
            known = [t for t, n in zip(texts, numbers) if n is not None]
            if known and all(t.rstrip().endswith("%") for t in known):
                formats[key] = PERCENT
        if has_numbers and any(_marked(t) for t in texts):
            data[_unique(data, AS_SHOWN.format(title))] = texts
        numeric_shown = numeric_shown or has_numbers
    if numeric_shown and any(s not in PLAIN_STATUSES for s in statuses) and STATUS_HEADER not in data:
        data[STATUS_HEADER] = [s if isinstance(s, str) else "" for s in statuses]
    return TableExport(pd.DataFrame(data), formats)


def selection_frame(view: QTableView) -> TableExport:
    """The selected cells' rows × columns (the bounding grid of a ragged selection), in the view's order."""
    indexes = view.selectionModel().selectedIndexes() if view.selectionModel() else []
    if not indexes:
        current = view.currentIndex()
        indexes = [current] if current.isValid() else []
    if not indexes:
        return TableExport(pd.DataFrame())
    return table_frame(view, sorted({i.row() for i in indexes}), sorted({i.column() for i in indexes}))


def _source(index):
    """(Column, record) behind a view index through any proxies; (None, None) for other models."""
    model = index.model()
    while isinstance(model, QAbstractProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    if isinstance(model, FrameModel) and index.isValid():
        return model.column_spec(index.column()), model.record(index.row())
    return None, None


def _columns_of(title: str, cells: list):
    """(header, values or None, whether texts come from the values) of one view column."""
    spec = next((s for s, _r in cells if s is not None), None)
    if spec is None:
        return [(title, None, False)]
    if spec.export:
        return [(f"{title} {suffix}".strip(), [r.get(f) if r is not None else None for _s, r in cells], True)
                for suffix, f in spec.export]
    name = spec.sort_field or spec.field
    values = [r.get(name) if r is not None else None for _s, r in cells]
    if _numbers(values) is None and spec.sort_field is not None:
        values = [r.get(spec.field) if r is not None else None for _s, r in cells]
    return [(title, values, False)]


def _numbers(values: list | None) -> list | None:
    """Python numbers (None where missing) when every known value is a number, else None."""
    if values is None:
        return None
    out: list = []
    for v in values:
        v = v.item() if hasattr(v, "item") else v
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append(None if v in (float("inf"), float("-inf")) else v)
        else:
            return None
    return out if any(v is not None for v in out) else None


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _marked(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped != "–" and any(ch not in PLAIN for ch in stripped)


def _unique(data: dict, name: str) -> str:
    key, n = name, 2
    while key in data:
        key, n = f"{name} ({n})", n + 1
    return key


# actions --------------------------------------------------------------------------------------------
def copy_selection(view: QTableView) -> str:
    text = frame_to_tsv(selection_frame(view).frame)
    QGuiApplication.clipboard().setText(text)
    return text


def copy_all(view: QTableView) -> str:
    text = frame_to_tsv(table_frame(view).frame)
    QGuiApplication.clipboard().setText(text)
    return text


def export_csv(view: QTableView, path: str | Path) -> Path:
    return write_frame_csv(table_frame(view).frame, path)


def export_xlsx(view: QTableView, path: str | Path) -> Path:
    table = table_frame(view)
    sheet = view_name(view).split(" – ")[-1].strip() or "table"  # the tab (or dock) title; 31 characters at most
    return write_frame_xlsx(table.frame, path, sheet=sheet, formats=table.formats,
                            notes={"table": view_name(view) or "table", "as shown": "columns named '(as shown)' "
                                   "keep the app's text where it marks estimates, confidential or uncertain values"})


def view_name(widget: QWidget) -> str:
    """``Category drill-down – European ranking``: the dock title and tab the widget sits in."""
    parts: list[str] = []
    chain, parent = [widget], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QTabWidget):  # its pages sit in a stacked widget: look for any ancestor met so far
            i = next((parent.indexOf(w) for w in chain if parent.indexOf(w) >= 0), -1)
            if i >= 0:
                parts.append(parent.tabText(i).replace("&", ""))
        if isinstance(parent, QDockWidget):
            parts.append(parent.windowTitle())
        chain.append(parent)
        parent = parent.parentWidget()
    return " – ".join(reversed(parts))


def file_stem(widget: QWidget) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", view_name(widget)).strip("_").lower() or "table"


def ask_export(view: QTableView, fmt: str) -> Path | None:
    """Ask for a path, then write (CSV or XLSX); a failure is shown, never raised into the event loop."""
    filters = {"csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}
    path, _ = QFileDialog.getSaveFileName(view.window(), f"Export table as {fmt.upper()}", f"{file_stem(view)}.{fmt}",
                                          filters[fmt])
    if not path:
        return None
    if not path.lower().endswith(f".{fmt}"):
        path += f".{fmt}"
    try:
        return (export_csv if fmt == "csv" else export_xlsx)(view, path)
    except OSError as exc:
        QMessageBox.warning(view.window(), "Cannot export the table", f"{path}: {exc.strerror or exc}")
        return None


def table_menu(view: QTableView) -> QMenu:
    menu = QMenu(view)
    menu.setObjectName("tableExportMenu")
    copy = menu.addAction("Copy", lambda: copy_selection(view))
    copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
    menu.addAction("Copy all", lambda: copy_all(view))
    menu.addSeparator()
    menu.addAction("Export CSV…", lambda: ask_export(view, "csv"))
    menu.addAction("Export XLSX…", lambda: ask_export(view, "xlsx"))
    empty = view.model() is None or view.model().rowCount() == 0
    for action in menu.actions():
        action.setEnabled(not empty)
    return menu


def show_menu(widget: QWidget, menu: QMenu, where) -> QMenu:
    """Pop ``menu`` up at global point ``where`` (deleted when closed); ``widget`` becomes the current view."""
    _last[:] = [weakref.ref(widget)]
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(where)
    return menu


class _TableKeys(QObject):
    """Ctrl+C copies the selection with headers (Qt's default copies the current cell's text only)."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and event.matches(QKeySequence.StandardKey.Copy):
            if event.type() == QEvent.Type.KeyPress:
                copy_selection(obj)
            event.accept()
            return True
        if event.type() == QEvent.Type.FocusIn:
            _last[:] = [weakref.ref(obj)]
        return False


def install_table_export(view: QTableView) -> QTableView:
    """Context menu, Ctrl+C and several selected rows (Ctrl/Shift+click) for ``view``; returns it."""
    if view in _installed:
        return view
    if view.selectionMode() == QTableView.SelectionMode.SingleSelection:
        view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda pos: show_menu(view, table_menu(view), view.viewport().mapToGlobal(pos)))
    keys = _TableKeys(view)
    view.installEventFilter(keys)
    _installed.add(view)
    return view


def current_table(window: QWidget) -> QTableView | None:
    """The table with the keyboard focus, else the last one focused (if still shown in ``window``)."""
    focus = QApplication.focusWidget()
    if isinstance(focus, QTableView) and focus in _installed:
        return focus
    last = _last[0]() if _last else None
    if last is not None and last in _installed and last.isVisible() and last.window() is window:
        return last
    return None


def ask_current_table(window) -> Path | None:
    """Export → Current table…: CSV or XLSX of the focused table (by the file name's extension)."""
    view = current_table(window)
    if view is None:
        window.statusBar().showMessage("Click a table first, then choose Export → Current table…", 6000)
        return None
    path, chosen = QFileDialog.getSaveFileName(window, f"Export {view_name(view) or 'table'}",
                                               f"{file_stem(view)}.xlsx", "Excel workbook (*.xlsx);;CSV (*.csv)")
    if not path:
        return None
    if not path.lower().endswith((".csv", ".xlsx")):
        path += ".csv" if "csv" in chosen.lower() else ".xlsx"
    try:
        written = (export_csv if path.lower().endswith(".csv") else export_xlsx)(view, path)
    except OSError as exc:
        QMessageBox.warning(window, "Cannot export the table", f"{path}: {exc.strerror or exc}")
        return None
    window.statusBar().showMessage(f"Table saved: {written}", 8000)
    return written
