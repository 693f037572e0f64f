"""Save / copy / data export of any matplotlib chart in the app: Save PNG…, Save SVG…, Copy image, Export data CSV….

A canvas keeps the frame it last plotted in ``canvas.data`` (``ChartCanvas`` sets it in every ``plot_*``;
``None`` after a message): "Export data CSV…" writes exactly that. The writing functions take a path (tested
directly); the dialogs only choose it. Writes are atomic (``fileutil.atomic_path``).
"""

from __future__ import annotations

import io
import re
import weakref
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QWidget

from clustermapper.fileutil import atomic_path
from clustermapper.render.table_files import write_frame_csv
from clustermapper_ui.table_export import file_stem

PNG_DPI = 200  # twice the screen's 100 dpi: sharp in a report at the dock's size
FORMATS = {"png": "PNG image (*.png)", "svg": "SVG vector (*.svg)", "csv": "Plotted data, CSV (*.csv)"}

_installed: weakref.WeakSet = weakref.WeakSet()
_last: list = []


def save_chart(canvas, path: str | Path, dpi: int = PNG_DPI) -> Path:
    """The chart as PNG or SVG (by the extension), white background, the size it has on screen."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"{path.name}: a chart is saved as .png or .svg")
    with atomic_path(path) as tmp:
        canvas.figure.savefig(tmp, format=fmt, dpi=dpi, facecolor="white")
    return path


def export_chart_data(canvas, path: str | Path) -> Path:
    """The frame the chart last plotted, as CSV; ``LookupError`` when it shows no data (a message)."""
    data = getattr(canvas, "data", None)
    if data is None or len(data) == 0:
        raise LookupError("this chart shows no data")
    return write_frame_csv(data, path)


def chart_image(canvas, dpi: int = PNG_DPI) -> QImage:
    buf = io.BytesIO()
    canvas.figure.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return QImage.fromData(buf.getvalue())  # PNG, detected from its header


def copy_chart(canvas) -> QImage:
    image = chart_image(canvas)
    QGuiApplication.clipboard().setImage(image)
    return image


def chart_title(canvas) -> str:
    """The first axes title (the charts put it at the left), for file names."""
    for ax in canvas.figure.axes:
        for loc in ("left", "center"):
            text = ax.get_title(loc=loc)
            if text:
                return text
    return ""


def _stem(canvas) -> str:
    title = re.sub(r"[^A-Za-z0-9]+", "_", chart_title(canvas)).strip("_").lower()[:60]
    return f"{file_stem(canvas)}_{title}".strip("_") if title else f"{file_stem(canvas)}_chart"


def ask_chart(canvas, fmt: str | None = None, parent: QWidget | None = None) -> Path | None:
    """Ask a path (``fmt`` png/svg/csv, or any of them by the chosen filter) and write it; errors are shown."""
    parent = parent or canvas.window()
    kinds = [fmt] if fmt else list(FORMATS)
    path, chosen = QFileDialog.getSaveFileName(parent, "Save chart" if fmt != "csv" else "Export chart data",
                                               f"{_stem(canvas)}.{kinds[0]}", ";;".join(FORMATS[k] for k in kinds))
    if not path:
        return None
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in kinds:
        picked = next((k for k in kinds if FORMATS[k] == chosen), kinds[0])
        path, suffix = f"{path}.{picked}", picked
    try:
        return export_chart_data(canvas, path) if suffix == "csv" else save_chart(canvas, path)
    except (OSError, LookupError) as exc:
        QMessageBox.warning(parent, "Cannot save the chart", f"{path}: {getattr(exc, 'strerror', None) or exc}")
        return None


def chart_menu(canvas) -> QMenu:
    menu = QMenu(canvas)
    menu.setObjectName("chartExportMenu")
    menu.addAction("Save PNG…", lambda: ask_chart(canvas, "png"))
    menu.addAction("Save SVG…", lambda: ask_chart(canvas, "svg"))
    menu.addAction("Copy image", lambda: copy_chart(canvas))
    menu.addSeparator()
    data = menu.addAction("Export data CSV…", lambda: ask_chart(canvas, "csv"))
    data.setEnabled(getattr(canvas, "data", None) is not None)
    return menu


def _show(canvas, pos) -> QMenu:
    _last[:] = [weakref.ref(canvas)]
    menu = chart_menu(canvas)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(canvas.mapToGlobal(pos))
    return menu


class _Focus(QObject):
    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            _last[:] = [weakref.ref(obj)]
        return False


def install_chart_export(canvas):
    """Context menu on ``canvas``; a click gives it the focus, so Export → Current chart… finds it."""
    if canvas in _installed:
        return canvas
    canvas.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    canvas.customContextMenuRequested.connect(lambda pos: _show(canvas, pos))
    canvas.installEventFilter(_Focus(canvas))
    _installed.add(canvas)
    return canvas


def current_chart(window: QWidget):
    """The chart with the focus, else the last one clicked (if still shown in ``window``)."""
    focus = QApplication.focusWidget()
    if focus is not None and focus in _installed:
        return focus
    last = _last[0]() if _last else None
    if last is not None and last in _installed and last.isVisible() and last.window() is window:
        return last
    return None


def ask_current_chart(window) -> Path | None:
    """Export → Current chart…: PNG, SVG or the plotted data (CSV) of the chart last clicked."""
    canvas = current_chart(window)
    if canvas is None:
        window.statusBar().showMessage("Click a chart first, then choose Export → Current chart…", 6000)
        return None
    written = ask_chart(canvas, parent=window)
    if written is not None:
        window.statusBar().showMessage(f"Chart saved: {written}", 8000)
    return written
