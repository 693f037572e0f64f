"""Shared fixtures. ``shared_dir``/``eurostat_file`` give the real data in ../shared: tests that use them
skip when it is absent, and fail instead when CLUSTERMAPPER_REQUIRE_SHARED=1 (CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


@pytest.fixture()
def main_window(request):
    """The real main window, shown offscreen; closes any dialog a test left open."""
    from ui.webengine_env import prepare_webengine

    prepare_webengine()  # before pytest-qt creates the QApplication
    qtbot = request.getfixturevalue("qtbot")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ui.app import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    window.controller.shutdown()
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) or widget.objectName() in ("validationDialog", "columnMappingDialog"):
            widget.close()
