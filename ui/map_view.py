"""``MapView``: the interactive map in a QWebEngineView, driven through the page's ``window.cm`` API.

The page (``clustermapper.render.web_map``) is written to a temporary FILE and loaded with a local base
URL (``setHtml`` fails above 2 MB). A private profile blocks and records every non-local request. Region
clicks come back through a QWebChannel whose ``qwebchannel.js`` is read from Qt's own resources.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QFile, QIODevice, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.layers import LayerData
from clustermapper.render.web_map import build_web_map, geometry_key, json_for_script, map_credit, restyle_script

LOCAL_SCHEMES = frozenset({"file", "qrc", "data", "blob", "about"})
RENDER_POLL_MS = 50
RENDER_TIMEOUT_S = 30.0
STATE_JS = "(typeof cm !== 'undefined' && cm.state) ? JSON.stringify(cm.state()) : ''"


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that would leave the machine and keeps the list of what it blocked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []
        self.allowed: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme().lower() in LOCAL_SCHEMES:
            self.allowed.append(url.toString())
            return
        self.blocked.append(url.toString())
        info.block(True)


class MapBridge(QObject):
    """The object the page sees as ``bridge`` over the QWebChannel."""

    clicked = Signal(str)

    @Slot(str)
    def regionClicked(self, code: str) -> None:
        self.clicked.emit(str(code))


def _qwebchannel_script() -> QWebEngineScript:
    """``qwebchannel.js`` from Qt's resources, injected before the page's own scripts run."""
    source = QFile(":/qtwebchannel/qwebchannel.js")
    if not source.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt resource :/qtwebchannel/qwebchannel.js is missing (PySide6 QtWebChannel)")
    script = QWebEngineScript()
    script.setName("qwebchannel")
    script.setSourceCode(bytes(source.readAll()).decode("utf-8"))
    source.close()
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
    script.setRunsOnSubFrames(False)
    return script


class MapView(QWebEngineView):
    """Interactive map widget.

    Signals
    -------
    rendered()
        Leaflet exists and every region feature is drawn (emitted once per :meth:`show_analysis`).
    regionClicked(str)
        A region was clicked (code).
    loadFailed(str)
        The page did not load or did not render in time.
    """

    rendered = Signal()
    regionClicked = Signal(str)
    loadFailed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._tmp = tempfile.TemporaryDirectory(prefix="clustermapper-map-")
        self.interceptor = LocalOnlyInterceptor(self)
        self._profile = QWebEngineProfile(self)  # off-the-record: nothing written to disk
        self._profile.setUrlRequestInterceptor(self.interceptor)
        page = QWebEnginePage(self._profile, self)
        self._profile.setParent(page)  # Qt wants the page deleted before its profile: children go last
        # Our own reference: QWebEngineView.page() silently creates a default page (bound to the default
        # profile) whenever the view has none, which then outlives that profile at exit.
        self._page: QWebEnginePage | None = page
        self._released = False
        self._bridge = MapBridge(self)
        self._bridge.clicked.connect(self.regionClicked)
        self._channel = QWebChannel(page)
        self._channel.registerObject("bridge", self._bridge)
        page.setWebChannel(self._channel)
        page.scripts().insert(_qwebchannel_script())
        self.setPage(page)
        self.loadFinished.connect(self._on_load_finished)
        self.load_count = 0  # loadFinished events seen (tests check restyles do not reload)
        self.is_rendered = False
        self.last_state: dict = {}
        self._pending: list[str] = []
        self._poll_started = 0.0
        self._page_path: Path | None = None
        self._geometry: tuple | None = None  # geometry_key of the loaded page
        self.show_legend = True  # the page's own legend; the main window shows it in a dock instead
        # Start Chromium's renderer now, while the data is read and computed: saves ~0.5 s to first map.
        page.setHtml("<!doctype html><title>ClusterMapper</title>")

    def page(self) -> QWebEnginePage:
        # Shadows QWebEngineView.page() for Python callers: the private page, never a fresh default one.
        if self._page is None:
            raise RuntimeError("this MapView was released: its page is gone")
        return self._page

    # Qt's own show/hide/close handlers call the C++ page(), which would create a default page after
    # release(): once released, only QWidget's handlers run.
    def showEvent(self, event) -> None:
        QWidget.showEvent(self, event) if self._released else super().showEvent(event)

    def hideEvent(self, event) -> None:
        QWidget.hideEvent(self, event) if self._released else super().hideEvent(event)

    def closeEvent(self, event) -> None:
        if self._released:
            QWidget.closeEvent(self, event)
            return
        super().closeEvent(event)  # Qt's: page invisible and discarded, while the page still exists
        if event.isAccepted():
            # A map view closed on its own (tests, tools) is finished with: free the page in the safe order.
            self.hide()  # now, with the page alive (close() would hide it after this handler)
            self.release()

    def release(self) -> None:
        """Delete the page, then its private profile: the other order (what parent deletion does at exit)
        crashes the process ("Release of profile requested but WebEnginePage still not deleted", SIGSEGV).
        The view shows nothing afterwards; its commands do nothing and :meth:`page` raises."""
        import shiboken6

        if self._released:
            return
        self._released = True
        self.setAcceptDrops(False)  # Qt's drag handlers use the page without checking it exists
        page, profile, self._page = self._page, self._profile, None
        if shiboken6.isValid(profile):
            profile.setParent(None)  # deleted on its own, after the page
        if shiboken6.isValid(page):
            shiboken6.delete(page)
        if shiboken6.isValid(profile):
            shiboken6.delete(profile)

    # ------------------------------------------------------------------------------------- loading

    def show_analysis(self, analysis, layer_data: LayerData, **options) -> Path:
        """Build the full page for ``analysis`` and load it; ``rendered`` follows. Returns the page file."""
        if self._released:
            raise RuntimeError("this MapView was released: it cannot show a map any more")
        self._geometry = None if options.get("boundaries") is not None else geometry_key(analysis, layer_data.values.index)
        options.setdefault("legend", self.show_legend)
        page = build_web_map(analysis, layer_data, **options)
        path = Path(self._tmp.name) / "map.html"
        with atomic_write(path) as fh:
            fh.write(page)
        self._page_path = path
        self.is_rendered = False
        self._pending.clear()
        self._page.load(QUrl.fromLocalFile(str(path)))
        return path

    def update_analysis(self, analysis, layer_data: LayerData) -> bool:
        """A new result (year, thresholds...): restyle in place when it draws the same regions, else reload.

        Returns True when the page was kept (restyled)."""
        if self._page_path is not None and self._geometry == geometry_key(analysis, layer_data.values.index):
            self.apply_layer(layer_data)
            self._run(f"cm.setCredit({json_for_script(map_credit(analysis))});")  # another file, same regions
            return True
        self.show_analysis(analysis, layer_data)
        return False

    def _on_load_finished(self, ok: bool) -> None:
        if self._page_path is None or self._released:  # the warm-up page, or a load cut short by release()
            return
        self.load_count += 1
        if not ok:
            self.loadFailed.emit(f"the map page did not load ({self._page_path})")
            return
        self._poll_started = time.monotonic()
        self._poll()

    def _poll(self) -> None:
        if not self._released:  # a poll timer may fire after release()
            self._page.runJavaScript(STATE_JS, 0, self._on_state)

    def _on_state(self, text) -> None:
        if self._released:
            return
        state = json.loads(text) if isinstance(text, str) and text else {}
        self.last_state = state
        drawn = state.get("leaflet") and state.get("ready") and 0 < state.get("features", 0) <= state.get("drawn", 0)
        if drawn:
            if not self.is_rendered:
                self.is_rendered = True
                for js in self._pending:
                    self._page.runJavaScript(js, 0)
                self._pending.clear()
                self.rendered.emit()
            return
        if time.monotonic() - self._poll_started > RENDER_TIMEOUT_S:
            self.loadFailed.emit(f"the map did not render within {RENDER_TIMEOUT_S:.0f} s: {state or 'no cm'}")
            return
        QTimer.singleShot(RENDER_POLL_MS, self._poll)

    # ------------------------------------------------------------------------------------ commands

    def _run(self, js: str) -> None:
        # Commands sent before the map exists are replayed once it has rendered; after release() they do nothing.
        if self._released:
            return
        if self.is_rendered:
            self._page.runJavaScript(js, 0)
        else:
            self._pending.append(js)

    def apply_layer(self, layer_data: LayerData) -> None:
        """Recolour regions, rebuild legend and tooltips in place (no reload)."""
        self._run(restyle_script(layer_data))

    def highlight(self, codes) -> None:
        """Outline ``codes`` (replaces the previous highlight; empty clears it)."""
        self._run(f"cm.highlight({json.dumps([str(c) for c in codes])});")

    def select(self, code: str | None) -> None:
        """Outline one region, panning only when it is out of view (``None`` clears the selection)."""
        self._run(f"cm.select({json.dumps(code)});")

    def set_options(self, *, labels: bool | None = None, borders: bool | None = None) -> None:
        """Switch the region-labels / country-borders layers."""
        options = {k: v for k, v in (("labels", labels), ("borders", borders)) if v is not None}
        self._run(f"cm.setOptions({json.dumps(options)});")

    def evaluate(self, js: str, timeout: float = 5.0):
        """Run ``js`` and wait for its result (tests, benchmarks). Return JSON.stringify'd values for arrays."""
        loop, box = QEventLoop(), {}

        def done(value) -> None:
            box["value"] = value
            loop.quit()

        self.page().runJavaScript(js, 0, done)
        QTimer.singleShot(int(timeout * 1000), loop.quit)
        if "value" not in box:
            loop.exec()
        if "value" not in box:
            raise TimeoutError(f"no answer from the page within {timeout} s: {js[:80]}")
        return box["value"]

    def state(self, timeout: float = 5.0) -> dict:
        """``cm.state()`` of the page as a dict (empty before the page has the API)."""
        text = self.evaluate(STATE_JS, timeout)
        return json.loads(text) if isinstance(text, str) and text else {}

    def save_png(self, path: str | os.PathLike) -> Path:
        """Save what the view shows as PNG (atomic)."""
        path = Path(path)
        image = self.grab()
        with atomic_path(path) as tmp:
            if not image.save(str(tmp), "PNG"):
                raise OSError(f"could not write {path}")
        return path
