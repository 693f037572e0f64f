"""Process setup QtWebEngine needs; call :func:`prepare_webengine` before creating the QApplication."""

from __future__ import annotations

import os


def prepare_webengine() -> None:
    """Make QtWebEngine usable in this process.

    * As root Chromium refuses to start its sandbox, so ``QTWEBENGINE_DISABLE_SANDBOX=1`` is set then
      (only then: a normal user keeps the sandbox).
    * ``AA_ShareOpenGLContexts`` must be set before the QApplication exists; importing QtWebEngineWidgets
      early does the rest.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    import PySide6.QtWebEngineWidgets  # noqa: F401  (registers the web engine before QApplication)
    from PySide6.QtCore import QCoreApplication, Qt

    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
