"""ClusterMapper main window: map in the centre, layer/portfolio/category docks, analysis toolbar."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QProgressBar, QToolButton

from clustermapper import demo
from clustermapper.analysis import Analysis, AnalysisSpec
from clustermapper_ui.controller import AnalysisController
from clustermapper_ui.docks.analytics import AnalyticsDock
from clustermapper_ui.docks.category import CategoryDock
from clustermapper_ui.docks.layers import LayerDock
from clustermapper_ui.docks.portfolio import PortfolioDock
from clustermapper_ui.state import AppState
from clustermapper_ui.toolbar import AnalysisToolBar

APP_NAME = "ClusterMapper"
DEMO_LABEL = "demo"  # the badge; the source line beside it says what the demo is


#: layers built in a worker: they re-score other years or taxonomies (seconds, not milliseconds)
ASYNC_LAYERS = ("change", "sensitivity", "density", "typology")


class MainWindow(QMainWindow):
    """Wires the state, the controller, the map and the docks; holds no results of its own."""

    layerApplied = Signal(object)  # LayerData sent to the map (tests, screenshot mode)
    exportFinished = Signal(object)  # what an export wrote

    def __init__(self, state: AppState | None = None) -> None:
        from clustermapper_ui.map_view import MapView

        super().__init__()
        self.setObjectName("mainWindow")
        self.state = state or AppState()
        self.controller = AnalysisController(self.state, self)
        self.map = MapView(self)
        self.map.show_legend = False  # the Layers dock carries the legend (with counts)
        self.map.setObjectName("mapView")
        self.setCentralWidget(self.map)
        self._map_has_analysis = False
        self._strong_codes: list[str] = []
        self.toolbar = AnalysisToolBar(self.state, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.layers_dock = LayerDock(self.state, self)
        self.portfolio_dock = PortfolioDock(self.state, self, self.controller)
        self.category_dock = CategoryDock(self.state, self, controller=self.controller)
        self.analytics_dock = AnalyticsDock(self.state, self.controller, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.layers_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.portfolio_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.category_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.analytics_dock)
        self.tabifyDockWidget(self.category_dock, self.analytics_dock)
        self.category_dock.raise_()
        self.resizeDocks([self.layers_dock], [230], Qt.Orientation.Horizontal)
        self.resizeDocks([self.portfolio_dock, self.category_dock, self.analytics_dock], [640, 640, 640],
                         Qt.Orientation.Horizontal)
        self._build_status_bar()
        from clustermapper_ui.menus import build_menus

        build_menus(self)
        self.menuBar().setCornerWidget(self.toolbar.search, Qt.Corner.TopRightCorner)
        self.setAcceptDrops(True)
        self.resize(1600, 980)
        self._connect()
        self._update_title()

    # wiring ----------------------------------------------------------------------------------------
    def _connect(self) -> None:
        s = self.state
        self.toolbar.specRequested.connect(self.controller.recompute)
        self.controller.progress.connect(self._progress)
        self.map.regionClicked.connect(self._region_clicked)
        self.category_dock.highlightRequested.connect(self._highlight)
        s.observe("analysis", self._analysis_changed)
        s.observe("category", lambda _: self._restyle())
        s.observe("layer", lambda _: (self._restyle(), self._highlight(self._strong_codes)))
        s.observe("selection", self._selection_changed)
        s.observe("layer_options", self._options_changed)
        s.observe("busy", self._busy_changed)

    def _region_clicked(self, code: str) -> None:
        if self.state.analysis is not None and code in set(self.state.analysis.stars["region"]):
            self.state.selection = code
        else:
            self.statusBar().showMessage(f"{code}: no data for this region in {self._year_text()}", 5000)

    def _analysis_changed(self, analysis: Analysis | None) -> None:
        self._update_title()
        self._update_status()
        if analysis is None:
            return
        layer_data = self._build_layer()
        if layer_data is None:
            return
        # same regions (threshold or year change): restyle in place; new regions: rebuild the page
        self.map.update_analysis(analysis, layer_data)
        self._map_has_analysis = True
        self._layer_ready(layer_data)
        self._dress_page()

    def _dress_page(self) -> None:
        """Selection, outlines and label options on a page just given its analysis (a new page starts bare)."""
        if self.state.selection:
            self.map.select(self.state.selection)
        self._highlight(self._strong_codes)
        self._options_changed(self.state.layer_options)

    def _restyle(self) -> None:
        """Category or layer changed: restyle the existing page (no reload)."""
        if self.state.analysis is None or not self._map_has_analysis:
            return
        layer_data = self._build_layer()
        if layer_data is not None:
            self.map.apply_layer(layer_data)
            self._layer_ready(layer_data)

    def _build_layer(self):
        """The layer for the map now; None when it cannot be built or is being built in a worker
        (the analytics layers: ``_apply_async_layer`` puts it on the map when it is ready)."""
        from clustermapper.errors import ClusterMapperError
        from clustermapper.layers import LAYERS, build_layer

        analysis, layer = self.state.analysis, self.state.layer
        category = self.state.category if LAYERS[layer].needs_category else None
        held = self.state.layer_data  # the worker's first layer, or the one on the map; of this analysis
        if held is not None and held.layer == layer and held.category == category and not LAYERS[layer].needs_base:
            return held
        if layer in ASYNC_LAYERS:
            def task(progress, cancel, base):
                progress(0.5, f"Drawing the {LAYERS[layer].title.lower()} layer")
                return build_layer(analysis, layer, category, base=base)

            self.controller.run_layer(task, lambda data: self._apply_async_layer(analysis, data))
            return None
        try:
            return build_layer(analysis, layer, category)
        except ClusterMapperError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return None

    def refresh_layer(self) -> None:
        """Build the current layer again (its inputs changed, e.g. the base year)."""
        self.state.layer_data = None
        self._restyle()

    def _apply_async_layer(self, analysis, layer_data) -> None:
        if analysis is not self.state.analysis or layer_data.layer != self.state.layer:
            return  # the user moved on while it was built
        new_page = not self._map_has_analysis  # the app opened on this layer
        if new_page:
            self.map.update_analysis(analysis, layer_data)
            self._map_has_analysis = True
        else:
            self.map.apply_layer(layer_data)
        self._layer_ready(layer_data)
        if new_page:  # dressed as in _analysis_changed
            self._dress_page()
        self.controller.progress.emit(1.0, "Done")

    @property
    def layer_data(self):
        """The layer on the map (held by the state; exports draw exactly this)."""
        return self.state.layer_data

    def _layer_ready(self, layer_data) -> None:
        self.state.layer_data = layer_data
        self.layers_dock.show_legend(layer_data)
        self.layerApplied.emit(layer_data)

    def _selection_changed(self, code: str | None) -> None:
        if self._map_has_analysis:
            self.map.select(code or "")

    def _highlight(self, codes: list[str]) -> None:
        """Outline the category's 3- and 2-star regions, on category layers only (else it misleads)."""
        from clustermapper.layers import LAYERS

        self._strong_codes = list(codes)
        if self._map_has_analysis:
            self.map.highlight(codes if LAYERS[self.state.layer].needs_category else [])

    def _options_changed(self, options: dict) -> None:
        setter = getattr(self.map, "set_options", None)
        if setter is not None and self._map_has_analysis:
            setter(**{k: bool(v) for k, v in options.items()})

    # status and title ------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.source_label = QLabel(objectName="sourceLabel")
        self.nuts_label = QLabel(objectName="nutsLabel")
        for label in (self.source_label, self.nuts_label):  # file names and codes shown as typed, never as HTML
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.demo_label = QLabel(DEMO_LABEL, objectName="demoLabel")
        self.demo_label.setStyleSheet("QLabel { background: #fff3cd; color: #7a5b00; border: 1px solid #e0c36a;"
                                      " border-radius: 3px; padding: 1px 6px; font-weight: bold; }")
        self.progress_bar = QProgressBar(objectName="progressBar", maximum=1000, textVisible=False)
        self.progress_bar.setFixedWidth(160)
        self.cancel_button = QToolButton(objectName="cancelButton", text="Cancel")
        self.cancel_button.clicked.connect(self.controller.cancel)
        for widget in (self.progress_bar, self.cancel_button):
            widget.hide()
            bar.addPermanentWidget(widget)
        for widget in (self.toolbar.year_warning, self.demo_label, self.source_label, self.nuts_label):
            bar.addPermanentWidget(widget)
        self.demo_label.hide()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(1000 * fraction))
        self.statusBar().showMessage(message, 0 if self.state.busy else 4000)

    def _busy_changed(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress_bar.setValue(0)

    def _update_title(self) -> None:
        spec = self.state.spec
        if spec is None:
            self.setWindowTitle(APP_NAME)
        elif spec.demo or not spec.data:
            self.setWindowTitle(f"{APP_NAME} — {demo.LABEL}")
        else:
            self.setWindowTitle(f"{APP_NAME} — {Path(spec.data).name}")

    def _update_status(self) -> None:
        analysis = self.state.analysis
        if analysis is None:
            return
        spec = analysis.spec
        is_demo = spec.demo or not spec.data
        self.demo_label.setVisible(is_demo)
        # the demo's full source line (its licence asks for it); a user file by name, the path in the tooltip
        source = demo.SOURCE if is_demo else str(spec.data)
        self.source_label.setText(f"{source} · {analysis.year}" if is_demo else f"Data: {Path(source).name} · {analysis.year}")
        self.source_label.setToolTip(source)
        nuts = analysis.nuts.describe() if analysis.nuts is not None and hasattr(analysis.nuts, "describe") else "unknown"
        first = nuts.split(". ")[0].rstrip(".")  # the headline; the details are in the tooltip
        if spec.boundaries:
            first = f"{first} · boundaries: {Path(spec.boundaries).name} ({spec.boundaries_id})"
        self.nuts_label.setText(f"NUTS: {first}")
        self.nuts_label.setToolTip(nuts)

    def _year_text(self) -> str:
        return str(self.state.analysis.year) if self.state.analysis is not None else "this year"

    # files -----------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_path(paths[0])

    def open_path(self, path: str) -> None:
        """A data file or a workspace (``.json``) dropped or chosen."""
        if path.lower().endswith(".json"):
            from clustermapper_ui.menus import open_workspace

            open_workspace(self, path)
        else:
            self.controller.open_file(path)

    def closeEvent(self, event) -> None:
        self.controller.shutdown()
        self.map.release()
        super().closeEvent(event)


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, prepared for QtWebEngine (must run before it is created)."""
    from clustermapper_ui.webengine_env import prepare_webengine

    prepare_webengine()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    return app


def run(spec: AnalysisSpec | None = None) -> int:
    """Open the window on ``spec`` (default: the demo) and run the event loop."""
    from clustermapper_ui.launch import LaunchOptions, launch

    return launch(spec or AnalysisSpec(demo=True), LaunchOptions())


if __name__ == "__main__":
    sys.exit(run())

