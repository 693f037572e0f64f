"""Menus of the main window, built from one list of commands (id, title, shortcut, callback)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from clustermapper.analysis import AnalysisSpec
from clustermapper.errors import ClusterMapperError

if TYPE_CHECKING:
    from clustermapper_ui.app import MainWindow

DATA_FILTER = "Employment data (*.tsv *.tsv.gz *.gz *.csv *.txt *.xlsx *.xlsm);;All files (*)"
WORKSPACE_FILTER = "ClusterMapper workspace (*.json)"
BOUNDARY_FILTER = "Boundaries (*.geojson *.json *.gpkg *.shp);;All files (*)"


@dataclass(frozen=True)
class Command:
    id: str
    menu: str
    title: str
    callback: Callable[[MainWindow], None]
    shortcut: str | QKeySequence.StandardKey | None = None
    needs_analysis: bool = False


def _ask_open(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open employment data", "", DATA_FILTER)
    if path:
        window.controller.open_file(path)


def _ask_columns(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open a CSV/XLSX file and map its columns", "", DATA_FILTER)
    if path:
        window.controller.ask_columns(path)


def _ask_open_workspace(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Open workspace", "", WORKSPACE_FILTER)
    if path:
        open_workspace(window, path)


def _ask_save_workspace(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Save workspace", "clustermapper.cmws.json", WORKSPACE_FILTER)
    if path:
        save_workspace(window, path)


def _ask_boundaries(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Boundary file replacing the embedded NUTS polygons", "",
                                          BOUNDARY_FILTER)
    if path:
        use_boundaries(window, path)


def use_boundaries(window: MainWindow, path: str | Path, id_col: str | None = None) -> bool:
    """Draw the maps with ``path``'s polygons: ask its ID column (unless given), check it, recompute."""
    from PySide6.QtWidgets import QInputDialog

    from clustermapper.regions.shapes import boundary_columns, load_boundaries

    spec = window.state.spec
    if spec is None:
        return False
    try:
        if id_col is None:
            columns = boundary_columns(path)
            start = next((i for i, c in enumerate(columns) if c.upper() in ("NUTS_ID", "ID", "CODE")), 0)
            id_col, ok = QInputDialog.getItem(window, "Region code column",
                                              f"Column of {Path(path).name} holding the region codes:",
                                              columns, start, False)
            if not ok:
                return False
        load_boundaries(path, id_col)  # fail here, with the reader's message, not while drawing
    except ClusterMapperError as exc:
        window.controller.show_error("Cannot use this boundary file", str(exc))
        return False
    window.controller.recompute(spec.with_(boundaries=str(path), boundaries_id=id_col))
    return True


def _embedded_boundaries(window: MainWindow) -> None:
    spec = window.state.spec
    if spec is not None and spec.boundaries:
        window.controller.recompute(spec.with_(boundaries=None))


def open_workspace(window: MainWindow, path: str | Path) -> None:
    """Open a workspace in a worker (reading, hashing its data file, reading the data: progress and Cancel);
    the view state and warnings are applied, then its analysis computed. Errors as a dialog."""

    def apply(loaded) -> None:
        window.state.apply_workspace(loaded.workspace)
        if loaded.warnings:
            box = QMessageBox(QMessageBox.Icon.Warning, "Workspace", "\n".join(loaded.warnings),
                              QMessageBox.StandardButton.Ok, window)
            box.setObjectName("workspaceWarning")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    window.controller.open_workspace(path, apply)


def save_workspace(window: MainWindow, path: str | Path) -> None:
    """Save the current view as a workspace in the export worker (hashing a big data file took seconds on
    the UI thread); the status bar says when it is written, a dialog when it cannot be."""
    window.controller.save_workspace(path, window.state.to_workspace(),
                                     lambda written: window.statusBar().showMessage(f"Workspace saved: {written}", 5000))


def _demo(window: MainWindow) -> None:
    from clustermapper import demo

    window.state.preset_view(demo.CATEGORY, demo.REGION)  # the demo's story: Stuttgart's car industry
    window.controller.open_spec((window.state.spec or AnalysisSpec()).with_(demo=True, data=None, year=None,
                                                                             reader_options=()))


def _about(window: MainWindow) -> None:
    from clustermapper import __version__

    QMessageBox.about(window, "About ClusterMapper",
                      f"<b>ClusterMapper {__version__}</b><p>European Cluster Observatory star ratings computed "
                      "locally from regional employment, offline.</p><p>Boundaries: © EuroGeographics for the "
                      "administrative boundaries.</p>")


def _method(window: MainWindow) -> None:
    from clustermapper_ui.dialogs.method import MethodDialog

    dialog = MethodDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _compare_selected(window: MainWindow) -> None:
    if window.state.selection:
        window.state.toggle_compare(window.state.selection)
        window.category_dock.tabs.setCurrentIndex(1)
    else:
        window.statusBar().showMessage("Select a region first (click it on the map or search for it).", 6000)


def _ask_compare(window: MainWindow) -> None:
    """The compare view's table as XLSX, CSV or PDF (the view's Export button also offers its chart)."""
    view = window.category_dock.compare_view
    if view.comparison is None:
        window.statusBar().showMessage("Add regions to the comparison first (Region → Add selected region, "
                                       "Ctrl+K).", 6000)
        return
    window.category_dock.tabs.setCurrentIndex(1)
    path, _ = QFileDialog.getSaveFileName(window, "Export the compared regions", view.default_name(".xlsx"),
                                          "Excel workbook (*.xlsx);;CSV (*.csv);;PDF (*.pdf)")
    if path:
        view.export(path)


def _ask_base_year(window: MainWindow) -> None:
    """The year the change layer, the time series marks and the shift-share compare with."""
    from PySide6.QtWidgets import QInputDialog

    analysis = window.state.analysis
    earlier = [y for y in analysis.years if y < analysis.year]
    if not earlier:
        window.statusBar().showMessage(f"No year before {analysis.year} in the data: nothing to compare with.", 6000)
        return
    current = window.controller.base_year()
    items = [str(y) for y in earlier]
    year, ok = QInputDialog.getItem(window, "Change since", f"Compare {analysis.year} with:", items,
                                    items.index(str(current)) if str(current) in items else 0, False)
    if ok:
        window.state.base_analysis = None
        window.state.base_year = int(year)
        if window.state.layer == "change":
            window.refresh_layer()


def _current_table(window: MainWindow) -> None:
    from clustermapper_ui.table_export import ask_current_table

    ask_current_table(window)


def _current_chart(window: MainWindow) -> None:
    from clustermapper_ui.chart_export import ask_current_chart

    ask_current_chart(window)


def commands() -> list[Command]:
    from clustermapper_ui import exports

    return [
        Command("open", "&File", "&Open data…", _ask_open, QKeySequence.StandardKey.Open),
        Command("map_columns", "&File", "Open with column &mapping…", _ask_columns),
        Command("demo", "&File", "Open &demo data (Eurostat extract)", _demo),
        Command("open_ws", "&File", "Open &workspace…", _ask_open_workspace, "Ctrl+Shift+O"),
        Command("save_ws", "&File", "&Save workspace…", _ask_save_workspace, QKeySequence.StandardKey.Save, True),
        Command("boundaries", "&File", "Use &boundary file…", _ask_boundaries, None, True),
        Command("embedded", "&File", "Use &embedded NUTS boundaries", _embedded_boundaries, None, True),
        Command("quit", "&File", "&Quit", lambda w: w.close(), QKeySequence.StandardKey.Quit),
        Command("compare", "&Region", "Add selected region to / remove from &comparison", _compare_selected,
                "Ctrl+K", True),
        Command("find", "&Region", "&Find region…", lambda w: (w.toolbar.search.setFocus(), w.toolbar.search.selectAll()),
                QKeySequence.StandardKey.Find),
        Command("base_year", "&Analysis", "&Change since year…", _ask_base_year, None, True),
        Command("layer_change", "&Analysis", "Show the c&hange layer", lambda w: setattr(w.state, "layer", "change"), None, True),
        Command("analytics", "&Analysis", "Region &analytics (time series, related, methods, indices)",
                lambda w: (w.analytics_dock.show(), w.analytics_dock.raise_()), None, True),
        Command("export_map", "&Export", "Map &image (PNG, SVG, PDF)…", exports.ask_map_image, "Ctrl+E", True),
        Command("export_html", "&Export", "&Interactive map (HTML)…", exports.ask_html, None, True),
        Command("export_gis", "&Export", "&GIS layer (GeoPackage, GeoJSON) with QGIS style…", exports.ask_gis, None, True),
        Command("export_profile", "&Export", "Region &profile (PDF, HTML)…", exports.ask_profile, None, True),
        Command("export_batch", "&Export", "&Batch profiles of a country…", exports.ask_batch, None, True),
        Command("export_tables", "&Export", "&Tables (CSV, XLSX)…", exports.ask_tables, None, True),
        Command("export_compare", "&Export", "&Compared regions (XLSX, CSV, PDF)…", _ask_compare, None, True),
        Command("export_current_table", "&Export", "Current ta&ble (CSV, XLSX)…", _current_table, None, True),
        Command("export_current_chart", "&Export", "Current c&hart (PNG, SVG, data CSV)…", _current_chart, None, True),
        Command("method", "&Help", "Star &method", _method),
        Command("about", "&Help", "&About", _about),
    ]


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create the menu bar; returns actions by command id (enabled only when they can run)."""
    bar = window.menuBar()
    menus: dict[str, object] = {}
    actions: dict[str, QAction] = {}
    gated: list[QAction] = []
    for cmd in commands():
        if cmd.menu not in menus:
            menus[cmd.menu] = bar.addMenu(cmd.menu)
            if cmd.menu == "&Help":
                bar.insertMenu(menus[cmd.menu].menuAction(), _view_menu(window))
        action = QAction(cmd.title, window)
        action.setObjectName(f"action_{cmd.id}")
        if cmd.shortcut is not None:
            action.setShortcut(QKeySequence(cmd.shortcut))
        action.triggered.connect(lambda _=False, c=cmd: c.callback(window))
        menus[cmd.menu].addAction(action)
        actions[cmd.id] = action
        if cmd.needs_analysis:
            action.setEnabled(False)
            gated.append(action)
    window.state.observe("analysis", lambda a: [x.setEnabled(a is not None) for x in gated])
    window.actions_by_id = actions
    first = window.toolbar.actions()[0] if window.toolbar.actions() else None
    window.toolbar.insertAction(first, actions["open"])  # the most used command, one click away
    window.toolbar.insertSeparator(first)
    return actions


def _view_menu(window: MainWindow):
    from PySide6.QtWidgets import QMenu

    menu = QMenu("&View", window)
    for dock in (window.layers_dock, window.portfolio_dock, window.category_dock):
        menu.addAction(dock.toggleViewAction())
    menu.addAction(window.toolbar.toggleViewAction())
    return menu
