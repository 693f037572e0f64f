"""Shared fixtures. ``shared_dir``/``eurostat_file`` give the real data in ../shared: tests that use them
skip when it is absent, and fail instead when CLUSTERMAPPER_REQUIRE_SHARED=1 (CI)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest
from offline import block_network

# Qt tests run headless; set before any test imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLUSTERMAPPER_SHARED", REPO.parent / "shared"))
EUROSTAT_FILE = SHARED / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def _need(path: Path) -> Path:
    if path.exists():
        return path
    reason = f"needs {path} (the real data in ../shared beside the repo)"
    if os.environ.get("CLUSTERMAPPER_REQUIRE_SHARED") == "1":
        pytest.fail(f"CLUSTERMAPPER_REQUIRE_SHARED=1 but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def eurostat_file() -> Path:
    return _need(EUROSTAT_FILE)


# Memoised functions whose results depend on the user cache (downloaded NUTS versions): module -> names.
# Cleared around every test, so one test's cache can never answer for another's.
CACHE_MEMOS = {
    "clustermapper.regions.download": ("_read_cached",),
    "clustermapper.regions.shapes": ("_load", "codes_of"),
    "clustermapper.regions.drawing": ("_embedded_regions",),
    "clustermapper.regions.cartography": ("_outlines",),
    "clustermapper.regions.crosswalk": ("_shipped", "_shipped_pair"),  # read from CLUSTERMAPPER_NUTS_DIR when set
}


def clear_cache_memos() -> None:
    for module_name, names in CACHE_MEMOS.items():
        module = sys.modules.get(module_name)
        if module is None:  # not imported yet: nothing memoised
            continue
        for name in names:
            getattr(module, name).cache_clear()  # AttributeError if renamed: update CACHE_MEMOS


# matplotlib's font cache as found before any test changed the environment (None: MPLCONFIGDIR already set)
MPL_CACHE = None if "MPLCONFIGDIR" in os.environ else \
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """The whole suite runs offline: sockets may connect to 127.0.0.1/::1 only (``tests/offline.py``); the
    download tests use a local server. Proven by ``tests/test_offline.py``."""
    block_network(monkeypatch)


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own empty user cache, config and data folders (the real ones in ~ are never
    read or written): ``CLUSTERMAPPER_CACHE`` and the XDG variables point into a fresh temp dir. Subprocesses
    started by tests inherit them. The app stores no QSettings (nothing in ui/ uses them), so there is no
    Qt settings path to redirect."""
    root = tmp_path_factory.mktemp("user")
    dirs = {"CLUSTERMAPPER_CACHE": root / "clustermapper-cache", "XDG_CACHE_HOME": root / "cache",
            "XDG_CONFIG_HOME": root / "config", "XDG_DATA_HOME": root / "data"}
    for name, path in dirs.items():
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    # matplotlib in subprocesses would otherwise rebuild its font cache in the empty XDG_CACHE_HOME (seconds
    # per CLI call); its font list is not application state.
    if MPL_CACHE is not None:
        monkeypatch.setenv("MPLCONFIGDIR", str(MPL_CACHE))
    clear_cache_memos()
    yield dirs
    clear_cache_memos()


# Top-level widgets Qt creates for itself and keeps for the life of the application (none seen so far with
# the offscreen platform: menus, combo popups and completers are children of the window and go with it).
QT_OWN_TOP_LEVELS: tuple[str, ...] = ()
# Known leaks, per test, still to be fixed in the app (each entry must name the cause). None today: the
# column-mapping dialog's unused sheet/separator combo was one (fixed by parenting it to the dialog).
KNOWN_LEAKS: dict[str, list[str]] = {}


@pytest.fixture()
def main_window(request):
    """The real main window, shown offscreen; closes any dialog a test left open.

    After the test the window is closed and deleted, and the test FAILS if it leaked: a top-level widget
    created during the test that is still alive, or a QWebEnginePage (or QWebEngineProfile) of the window
    that outlived it (a page alive after its profile crashes or warns at exit)."""
    from clustermapper_ui.webengine_env import prepare_webengine

    prepare_webengine()  # before pytest-qt creates the QApplication
    qtbot = request.getfixturevalue("qtbot")
    import shiboken6
    from PySide6.QtCore import QEvent
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWidgets import QApplication, QMessageBox

    from clustermapper_ui.app import MainWindow

    def address(obj) -> int:
        return shiboken6.getCppPointer(obj)[0]

    before = {address(w) for w in QApplication.topLevelWidgets()}
    window = MainWindow()
    window.show()
    try:
        yield window
    finally:
        web = window.findChildren(QWebEnginePage) + window.findChildren(QWebEngineProfile)
        window.controller.shutdown()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) or widget.objectName() in ("validationDialog", "columnMappingDialog"):
                widget.close()
        window.close()  # MainWindow.closeEvent releases the map: page, then its profile
        after_close = [repr(page) for page in window.findChildren(QWebEnginePage)]
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qtbot.wait(50)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()  # parentless widgets owned by Python objects in reference cycles go with the cycle
    assert not shiboken6.isValid(window), "the main window was not deleted"
    assert after_close == [], f"web pages still alive after the window closed: {after_close}"
    alive = [type(obj).__name__ for obj in web if shiboken6.isValid(obj)]
    assert alive == [], f"web pages/profiles outlived the main window: {alive}"
    new = [w for w in QApplication.topLevelWidgets()
           if shiboken6.isValid(w) and address(w) not in before and type(w).__name__ not in QT_OWN_TOP_LEVELS]
    known = list(KNOWN_LEAKS.get(request.node.originalname, []))
    leaked = []
    for widget in new:
        if type(widget).__name__ in known and not widget.isVisible():
            known.remove(type(widget).__name__)
        else:
            leaked.append(f"{type(widget).__name__} {widget.objectName()!r} {widget.windowTitle()!r}")
    assert leaked == [], f"top-level widgets left alive by the test: {leaked}"
