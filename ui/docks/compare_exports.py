"""Exports of the compare view: the table as XLSX, CSV or PDF (in the export worker, with the change since the
base year), the chart as PNG or SVG, and the table as TSV on the clipboard (with its header)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from clustermapper.analytics.compare import compare_table
from clustermapper.fileutil import atomic_path


class CompareExports:
    """Mixed into :class:`clustermapper_ui.docks.compare.CompareView` (uses its comparison, proxy, chart and
    controller)."""

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Table as XLSX (a sheet per measure)…", lambda: self.ask_export(".xlsx"))
        menu.addAction("Table as CSV (long form)…", lambda: self.ask_export(".csv"))
        menu.addAction("Report as PDF (tables and charts)…", lambda: self.ask_export(".pdf"))
        menu.addSeparator()
        menu.addAction("Chart as PNG…", lambda: self.ask_chart(".png"))
        menu.addAction("Chart as SVG…", lambda: self.ask_chart(".svg"))
        menu.addAction("Copy table (TSV for spreadsheets)", self.copy_table)
        return menu

    def default_name(self, suffix: str = "") -> str:
        c = self.comparison
        stem = f"compare_{'_'.join(c.regions[:3])}{'_etc' if len(c.regions) > 3 else ''}_{c.year}" if c else "compare"
        return stem + suffix

    def ask_export(self, suffix: str) -> None:
        if self.comparison is None:
            return
        filters = {".xlsx": "Excel workbook (*.xlsx)", ".csv": "CSV (*.csv)", ".pdf": "PDF (*.pdf)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export the comparison", self.default_name(suffix),
                                              filters[suffix])
        if path:
            self.export(path)

    def export(self, path: str | Path) -> None:
        """Write the comparison (with the change since the base year when the data have one) in the export
        worker: :func:`clustermapper.render.compare_tables.write_comparison`."""
        from clustermapper.render.compare_tables import write_comparison

        c, window = self.comparison, self.window()
        if c is None:
            return

        def task(progress, cancel, base):
            progress(0.5, f"Writing {Path(path).name}…")
            return write_comparison(compare_table(c.analysis, c.regions, base), path)

        run = self.controller.with_base(task)

        def ok(result) -> None:
            _base, paths = result
            window.statusBar().showMessage(f"Comparison saved: {', '.join(str(p) for p in paths)}", 8000)
            window.exportFinished.emit(paths)

        self.controller.export_runner.start(
            run, ok, lambda msg, user: self.controller.show_error("Cannot export the comparison", msg, user))

    def ask_chart(self, suffix: str) -> None:
        if self.comparison is None:
            return
        kind = "PNG image (*.png)" if suffix == ".png" else "SVG vector (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, "Export the chart",
                                              self.default_name(f"_{self.current_measure()}{suffix}"), kind)
        if path:
            self.save_chart(path)

    def save_chart(self, path: str | Path) -> Path:
        out = Path(path)
        with atomic_path(out) as tmp:
            self.chart.figure.savefig(tmp, format=out.suffix.lstrip(".").lower() or "png", dpi=200)
        return out

    def table_tsv(self) -> str:
        """The table as shown (header, then one line per region), tab-separated."""
        model = self.proxy
        lines = ["\t".join(str(model.headerData(j, Qt.Orientation.Horizontal)) for j in range(model.columnCount()))]
        for i in range(model.rowCount()):
            lines.append("\t".join(str(model.index(i, j).data()) for j in range(model.columnCount())))
        return "\n".join(lines) + "\n"

    def copy_table(self) -> None:
        QGuiApplication.clipboard().setText(self.table_tsv())
