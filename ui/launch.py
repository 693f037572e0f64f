"""Start the app from the command line, optionally take a verified screenshot of the whole window and exit."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from clustermapper.analysis import AnalysisSpec
from clustermapper.fileutil import atomic_path

SETTLE_MS = 400  # after the map reports "rendered", let the compositor paint a frame or two
MIN_MAP_COLOURS = 8  # a drawn choropleth has many colours; a blank/white view has one or two


@dataclass
class LaunchOptions:
    """View state to open with (``clustermapper gui`` options)."""

    category: str | None = None
    select: str | None = None
    layer: str | None = None
    compare: tuple[str, ...] = ()
    screenshot: Path | None = None
    timeout: float = 60.0
    size: tuple[int, int] = (1600, 980)


def distinct_colours(image, step: int = 7) -> int:
    """Distinct RGB colours on a sparse grid of a QImage (cheap check that something was drawn)."""
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y) & 0xFFFFFF)
            if len(seen) > 256:
                return len(seen)
    return len(seen)


def opening_view(spec: AnalysisSpec, options: LaunchOptions) -> LaunchOptions:
    """The demo opens on its story unless told otherwise: Stuttgart's car industry; other data are left to
    the app's own choice (the category with most 3-star regions, no selection)."""
    if not spec.uses_demo:
        return options
    from clustermapper import demo

    return replace(options, category=options.category or demo.CATEGORY, select=options.select or demo.REGION)


def launch(spec: AnalysisSpec, options: LaunchOptions) -> int:
    """Open the main window on ``spec``; with ``options.screenshot`` save it once rendered and return."""
    started = time.monotonic()
    if os.environ.get("CLUSTERMAPPER_T0"):  # benchmarks: count from the parent's spawn time (wall clock)
        started -= time.time() - float(os.environ["CLUSTERMAPPER_T0"])
    if options.screenshot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    options = opening_view(spec, options)
    layer = options.layer or "stars"
    category = options.category or None  # as the taxonomy spells it (the CLI resolved it; user ids may be lower case)
    # read + compute in a thread while Qt and QtWebEngine load (the two take about as long)
    from concurrent.futures import ThreadPoolExecutor

    from clustermapper_ui.compute import compute_first

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first-analysis")
    first = pool.submit(compute_first, spec, layer, category)
    pool.shutdown(wait=False)
    from PySide6.QtCore import QTimer

    from clustermapper.layers import LAYERS
    from clustermapper_ui.app import MainWindow, make_app

    if layer not in LAYERS:
        print(f"clustermapper gui: unknown layer {layer!r}; choose {', '.join(LAYERS)}", file=sys.stderr)
        return 2
    app = make_app([sys.argv[0]])
    window = MainWindow()
    from clustermapper_ui.crash import install_excepthook

    install_excepthook(window)  # exceptions in slots and timers: a dialog and the log, never only stderr
    window.resize(*options.size)
    state = window.state
    state.layer = layer
    # set before computing: set_analysis keeps them when the result has them (one map build, no restyle)
    state.category = category
    state.selection = options.select.upper() if options.select else None
    state.compare = tuple(c.upper() for c in options.compare)
    if options.compare:
        window.category_dock.tabs.setCurrentIndex(1)  # show what was asked for
    window.show()
    if options.screenshot is None:
        window.controller.adopt(spec, first)
        return app.exec()
    shot = _Screenshot(window, options, started)
    QTimer.singleShot(0, lambda: window.controller.adopt(spec, first))
    QTimer.singleShot(int(options.timeout * 1000), shot.timeout)
    app.exec()
    window.controller.shutdown()
    if shot.message:
        print(f"clustermapper gui: {shot.message}", file=sys.stderr)
    return shot.code


class _Screenshot:
    """Waits for analysis → map rendered → docks filled → pixels present, then saves ``window.grab()``."""

    def __init__(self, window, options: LaunchOptions, started: float) -> None:
        self.window, self.options = window, options
        self.code, self.message = 1, ""
        self.started = started
        self.marks: dict[str, float] = {"window": time.monotonic() - started}
        self.done = False
        window.controller.computed.connect(self._computed)
        window.controller.failed.connect(lambda msg: self._finish(2, f"error: {msg}"))
        window.map.rendered.connect(self._rendered)
        window.map.loadFailed.connect(lambda msg: self._finish(1, f"map failed: {msg}"))

    def _computed(self, analysis) -> None:
        self.marks.setdefault("computed", time.monotonic() - self.started)
        state, opts = self.window.state, self.options
        if opts.category and opts.category not in analysis.categories:
            self._finish(2, f"category {opts.category!r} is not in taxonomy {analysis.spec.taxonomy}")
        elif opts.select and state.selection is None:
            self._finish(2, f"region {opts.select!r} has no data in {analysis.year}")

    def _rendered(self) -> None:
        from PySide6.QtCore import QTimer

        self.marks.setdefault("rendered", time.monotonic() - self.started)
        # a round trip through the page runs after every queued command (restyle/select/highlight)
        self.window.map.page().runJavaScript("1", 0, lambda _: QTimer.singleShot(SETTLE_MS, self._try_save))

    def _try_save(self) -> None:
        from PySide6.QtCore import QTimer

        if self.done:
            return
        window = self.window
        filled = (window.category_dock.rank_model.rowCount() > 0
                  and (not window.state.selection or window.portfolio_dock.model.rowCount() > 0)
                  and (not window.state.compare or window.category_dock.compare_model.rowCount() > 0))
        image = window.grab().toImage()
        # check the pixels of the map area IN the window image: the web content must be in the screenshot
        top_left = window.map.mapTo(window, window.map.rect().topLeft())
        ratio = image.devicePixelRatio()
        area = image.copy(int(top_left.x() * ratio), int(top_left.y() * ratio),
                          int(window.map.width() * ratio), int(window.map.height() * ratio))
        colours = distinct_colours(area)
        if not filled or colours < MIN_MAP_COLOURS:
            QTimer.singleShot(250, self._try_save)  # not painted yet: look again
            return
        out = Path(self.options.screenshot)
        try:
            with atomic_path(out) as tmp:
                if not image.save(str(tmp), "PNG"):
                    raise OSError(f"could not write {out}")
        except OSError as exc:
            self._finish(1, str(exc))
            return
        took = time.monotonic() - self.started
        self._finish(0, "")
        marks = ", ".join(f"{k} {v:.2f} s" for k, v in self.marks.items())
        print(f"screenshot {out} ({window.width()}x{window.height()}, map {colours} colours; {marks}; "
              f"saved {took:.2f} s)")

    def timeout(self) -> None:
        if not self.done:
            state = self.window.map.last_state
            self._finish(1, f"timed out after {self.options.timeout:.0f} s waiting for the map to render "
                            f"(page state: {state or 'none'})")

    def _finish(self, code: int, message: str) -> None:
        from PySide6.QtWidgets import QApplication

        if self.done:
            return
        self.done, self.code, self.message = True, code, message
        QApplication.instance().quit()
