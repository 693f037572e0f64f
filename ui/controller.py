"""Open → check → compute: the app's data flow, run in worker threads, results put into the state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from clustermapper.analysis import Analysis, AnalysisSpec, Cancelled, Prepared, prepare, read_spec_data, score
from clustermapper.io.table import ReadResult
from clustermapper.workspace import LoadedWorkspace
from clustermapper_ui.compute import prebuild_layer
from clustermapper_ui.state import AppState
from clustermapper_ui.workers import TaskRunner

PANEL_DELAY_MS = 4000  # the longest a dock computation waits for the map to draw
GENERIC_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")


class AnalysisController(QObject):
    """Owns the worker runners and the last :class:`Prepared` stage (thresholds re-score it; a new year,
    level or taxonomy re-prepares it from the dataset it holds; only a new file or reader option re-reads)."""

    computed = Signal(object)  # Analysis
    failed = Signal(str)  # message shown to the user
    progress = Signal(float, str)

    def __init__(self, state: AppState, window: QWidget) -> None:
        super().__init__(window)
        self.state = state
        self.window = window
        self.runner = TaskRunner(self)  # reading and computing: a new request replaces the running one
        self.export_runner = TaskRunner(self)  # exports: never cancelled by a recompute, nor cancel one
        self.layer_runner = TaskRunner(self)  # map layers that take a while (change, density, typology)
        self.panel_runner = TaskRunner(self)  # the analytics dock (time series, related categories, indices)
        self.change_runner = TaskRunner(self)  # the portfolio's change columns
        self._deferred: dict[TaskRunner, object] = {}  # dock computations waiting for the map (_after_map)
        self._waiting_for = None  # the map view whose first draw releases them
        self.runners = (self.runner, self.export_runner, self.layer_runner, self.panel_runner, self.change_runner)
        for runner in self.runners:
            runner.progress.connect(self.progress)
            runner.busyChanged.connect(self._busy_changed)
        self.prepared: Prepared | None = None
        self.year_cache: dict[int, Analysis] = {}  # every year of the current spec (time series), filled lazily
        self._year_cache_key: tuple | None = None

    # public entry points ---------------------------------------------------------------------------
    def open_file(self, path: str | Path, reader_options: dict[str, str] | None = None, check: bool = True) -> None:
        """Read ``path`` in a worker; then show the validation report (``check``) and compute."""
        base = self.state.spec or AnalysisSpec()
        spec = base.with_(data=str(Path(path)), demo=False, year=None,
                          reader_options=tuple((reader_options or {}).items()))
        self._read_then(spec, check)

    def open_spec(self, spec: AnalysisSpec, check: bool = False) -> None:
        """Read the data of ``spec`` (demo or file) and compute; used at start-up and for workspaces."""
        self._read_then(spec, check)

    def open_workspace(self, path: str | Path, apply: Callable[[LoadedWorkspace], None]) -> None:
        """Read the workspace, hash its data file and read the data in a worker, with progress and Cancel (a
        big data file took seconds to hash on the UI thread); then, in the UI thread, ``apply`` the loaded
        workspace (view state, warnings) and compute. Nothing is applied when any step fails or is cancelled."""
        from clustermapper.workspace import load_workspace, read_workspace_data

        name = Path(path).name

        def task(progress, cancel):
            progress(0.01, f"Opening workspace {name}…")
            loaded = load_workspace(path, _hash_step(progress, cancel, 0.01, 0.09))
            spec = loaded.workspace.spec
            if cancel():
                raise Cancelled("workspace read")
            if not spec.uses_demo and not Path(str(spec.data)).exists():
                return loaded, None  # its warning says so; there is nothing to compute
            progress(0.1, f"Reading {Path(spec.data).name if not spec.uses_demo else 'demo data'}…")
            return loaded, read_workspace_data(spec)

        def done(result) -> None:
            loaded, dataset = result
            apply(loaded)
            if dataset is not None:
                self._compute(loaded.workspace.spec, dataset)
            else:
                self.progress.emit(0.0, "Workspace opened; its data file is missing")

        self.runner.start(task, done, lambda msg, user: self.show_error("Cannot open the workspace", msg, user),
                          self._cancelled)

    def save_workspace(self, path: str | Path, workspace, on_saved: Callable[[Path], None]) -> None:
        """Hash the data file and write the workspace in the export worker (progress, Cancel)."""
        from clustermapper.workspace import save_workspace

        def task(progress, cancel):
            progress(0.01, f"Saving workspace {Path(path).name}…")
            return save_workspace(path, workspace, _hash_step(progress, cancel, 0.01, 0.98))

        self.export_runner.start(task, on_saved,
                                 lambda msg, user: self.show_error("Cannot save the workspace", msg, user),
                                 self._cancelled)

    def adopt(self, spec: AnalysisSpec, future) -> None:
        """Take a first analysis started before the window existed (``compute_first`` in a thread)."""
        def task(progress, cancel):
            progress(0.1, "Reading and computing…")
            return future.result()

        def done(result) -> None:
            self.prepared = result[0].prepared
            self._computed(result)

        self.runner.start(task, done, lambda msg, user: self.show_error("Cannot open the data", msg, user),
                          self._cancelled)

    def recompute(self, spec: AnalysisSpec) -> None:
        """Thresholds only: score again. Year / taxonomy / level: prepare again from the dataset already read.
        A new file or reader option: read again."""
        held = self.prepared
        if held is not None and _same_preparation(spec, held):
            self._compute(spec, held.dataset, held)
        elif held is not None and spec.data_key() == held.spec.data_key():
            self._compute(spec, held.dataset)
        else:
            self._read_then(spec, check=False)

    def cancel(self) -> None:
        """The Cancel button: stops whatever runs (a computation, an export, a layer or a panel)."""
        for runner in self.runners:
            runner.cancel()
        self.progress.emit(0.0, "Cancelled")

    def shutdown(self) -> None:
        """Cancel everything first, then join: a worker's thread must end before its QThread object goes
        (Qt aborts the process otherwise); work checks cancel() within each step, so this takes a step."""
        for runner in self.runners:
            runner.cancel()
        for runner in self.runners:
            runner.wait_all(60_000)

    def _busy_changed(self, _busy: bool) -> None:
        self.state.busy = any(r.busy for r in self.runners)

    # analytics ---------------------------------------------------------------------------------------
    def base_year(self) -> int | None:
        """The year changes compare with: the user's choice if the data have it, else the default span."""
        from clustermapper.analytics.changes import default_base_year

        analysis = self.state.analysis
        if analysis is None:
            return None
        chosen = self.state.base_year
        if chosen is not None and chosen in analysis.years and chosen < analysis.year:
            return chosen
        return default_base_year(analysis.years, analysis.year)

    def with_base(self, task, runner=None):
        """``task(progress, cancel, base)`` gets the base-year analysis, computed first when needed."""
        analysis, held, year = self.state.analysis, self.state.base_analysis, self.base_year()

        def run(progress, cancel):
            from clustermapper.analytics.changes import base_analysis

            base = held if held is not None and held.year == year else None
            if base is None and year is not None:
                progress(0.1, f"Scoring the base year {year}")
                base = base_analysis(analysis, year, cancel)
            return base, task(progress, cancel, base)

        return run

    def run_layer(self, task, done) -> None:
        """Build a slow map layer off the UI thread; ``done(layer_data)`` in the UI thread."""
        def finished(result) -> None:
            base, layer_data = result
            self._keep_base(base)
            done(layer_data)

        self.layer_runner.start(self.with_base(task), finished,
                                lambda msg, user: self.show_error("Cannot draw the layer", msg, user), self._cancelled)

    def run_panel(self, task, done, title: str, runner: TaskRunner | None = None) -> None:
        """A computation of the analytics dock (or of ``runner``); ``done(result)`` in the UI thread."""
        def finished(result) -> None:
            base, value = result
            self._keep_base(base)
            done(value)

        runner = runner or self.panel_runner
        start = lambda: runner.start(self.with_base(task), finished,  # noqa: E731
                                     lambda msg, user: self.show_error(title, msg, user), self._cancelled)
        self._after_map(runner, start)

    def _after_map(self, runner: TaskRunner, start) -> None:
        """Start the dock's computation once the map has drawn (or after ``PANEL_DELAY_MS``): started with
        the map's page, it held the interpreter while the UI thread built and loaded it (~1 s of start-up)."""
        view = getattr(self.window, "map", None)
        if view is None or getattr(view, "is_rendered", True):
            start()
            return
        self._deferred[runner] = start  # the latest request per runner, as a start would cancel the older
        if self._waiting_for is None:
            self._waiting_for = view
            view.rendered.connect(self._release_deferred)
            QTimer.singleShot(PANEL_DELAY_MS, self, self._release_deferred)

    def _release_deferred(self) -> None:
        """Start the waiting dock computations: on the map's first draw or the timer, whichever comes first
        (the later one finds nothing waiting, or a newer batch that may as well start)."""
        view, self._waiting_for = self._waiting_for, None
        if view is not None:
            view.rendered.disconnect(self._release_deferred)
        pending, self._deferred = self._deferred, {}
        for begin in pending.values():
            begin()

    def years_cache(self) -> dict[int, Analysis]:
        """Per-year analyses of the current spec (reset when anything but the year changes)."""
        analysis = self.state.analysis
        key = None if analysis is None else (id(analysis.dataset), analysis.spec.with_(year=None))
        if key != self._year_cache_key:
            self.year_cache, self._year_cache_key = {}, key
        return self.year_cache

    def _keep_base(self, base) -> None:
        analysis = self.state.analysis
        if base is not None and analysis is not None and base.spec.with_(year=None) == analysis.spec.with_(year=None):
            self.state.base_analysis = base

    # steps -----------------------------------------------------------------------------------------
    def _read_then(self, spec: AnalysisSpec, check: bool) -> None:
        def task(progress, cancel):
            progress(0.02, f"Reading {Path(spec.data).name if spec.data and not spec.demo else 'demo data'}…")
            dataset = read_spec_data(spec)
            if cancel():
                return None
            if check:
                from clustermapper_ui.dialogs.validation import validate

                progress(0.2, "Checking coverage and NUTS version…")
                return dataset, validate(dataset, spec)
            return dataset, None

        def done(result) -> None:
            if result is None:
                return
            dataset, validation = result
            if validation is None:
                self._compute(spec, dataset)
            else:
                self._show_validation(spec, dataset, validation)

        self.runner.start(task, done, lambda msg, user: self._read_failed(spec, msg, user), self._cancelled)

    def _show_validation(self, spec: AnalysisSpec, dataset: ReadResult, validation) -> None:
        from clustermapper_ui.dialogs.validation import ValidationDialog

        dialog = ValidationDialog(validation, self.window, spec)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:  # compute from exactly what the dialog showed
            self._compute(spec.with_(year=validation.year), dataset, validation.prepared)

        dialog.accepted.connect(accepted)
        dialog.open()

    def _compute(self, spec: AnalysisSpec, dataset: ReadResult, prepared: Prepared | None = None) -> None:
        """Score ``prepared`` (when given) or prepare ``dataset`` first, then build the first map layer."""
        layer, category = self.state.layer, self.state.category  # read here, in the UI thread

        def task(progress, cancel) -> tuple[Analysis, object]:
            stage1 = prepared
            if stage1 is None:
                stage1 = prepare(spec, dataset, lambda f, m: progress(0.3 + 0.4 * f, m), cancel)
            analysis = score(stage1, spec.params, lambda f, m: progress(0.7 + 0.2 * f, m), cancel)
            progress(0.92, "Preparing the map layer")
            return analysis, prebuild_layer(analysis, layer, category)

        self.runner.start(task, self._computed,
                          lambda msg, user: self.show_error("Cannot compute the stars", msg, user), self._cancelled)

    def _computed(self, result: tuple[Analysis, object]) -> None:
        analysis, layer_data = result
        self.prepared = analysis.prepared
        self.state.set_analysis(analysis, layer_data)
        from clustermapper.analysis import empty_reason

        reason = empty_reason(analysis)
        # an empty result is not "Done": say why, where the user looks (status bar and a dialog)
        self.progress.emit(1.0, f"No result — {reason}" if reason else "Done")
        self.computed.emit(analysis)
        if reason:
            self.show_error("Nothing to show", reason[0].upper() + reason[1:], True)

    def _cancelled(self) -> None:
        self.progress.emit(0.0, "Cancelled")

    def _read_failed(self, spec: AnalysisSpec, message: str, user_error: bool) -> None:
        path = Path(spec.data) if spec.data and not spec.demo else None
        if user_error and path is not None and path.suffix.lower() in GENERIC_SUFFIXES:
            box = self._error_box("Cannot read the file", message)
            remap = box.addButton("Map columns…", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            remap.clicked.connect(lambda: self.ask_columns(path, message, dict(spec.reader_options)))
            box.open()
        else:
            self.show_error("Cannot read the file", message, user_error)

    def ask_columns(self, path: str | Path, message: str = "", initial: dict[str, str] | None = None) -> None:
        """Open the column-mapping dialog; OK reads the file again with the chosen options."""
        from clustermapper_ui.dialogs.column_mapping import ColumnMappingDialog

        dialog = ColumnMappingDialog(path, message, self.window, initial)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.open_file(path, dialog.options()))
        dialog.open()

    def show_error(self, title: str, message: str, user_error: bool = True) -> None:
        box = self._error_box(title, message if user_error else f"Unexpected error (please report it):\n{message}")
        box.addButton(QMessageBox.StandardButton.Ok)
        box.open()

    def _error_box(self, title: str, message: str) -> QMessageBox:
        self.progress.emit(0.0, title)
        self.failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("errorDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return box


def _hash_step(progress, cancel, start: float, span: float) -> Callable[[int, int], None]:
    """The ``step`` of ``fileutil.file_sha256`` for a worker: progress every 16 MiB, Cancel between chunks."""
    shown = [-1]

    def step(done: int, total: int) -> None:
        if cancel():
            raise Cancelled("checking the data file")
        if done >> 24 != shown[0] or done == total:
            shown[0] = done >> 24
            progress(start + span * done / max(total, 1), f"Checking the data file: {done >> 20:,} of {total >> 20:,} MB…")

    return step


def _same_preparation(spec: AnalysisSpec, prepared: Prepared) -> bool:
    """``spec`` differs from what ``prepared`` was made for in thresholds at most (a pinned year counts)."""
    if spec.with_(params=prepared.spec.params, year=None) != prepared.spec.with_(year=None):
        return False
    return spec.year in (None, prepared.year) if prepared.spec.year is None else spec.year == prepared.year
