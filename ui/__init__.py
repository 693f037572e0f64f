"""ClusterMapper desktop app (PySide6). The core library ``clustermapper`` never imports this package.

Importing ``ui`` applies one workaround for an upstream bug, without importing Qt:

PySide6 6.12.0 on Python 3.11 returns ``True`` from ``SignalInstance.emit()`` without taking a reference,
so every ``signal.emit(...)`` made from Python permanently lowers ``True``'s reference count. In a
running app (progress signals, map state, tests) it reaches zero and the process aborts with
"Fatal Python error: bool_dealloc" — usually at exit, sometimes mid-session. Python 3.12+ makes
``True``/``False`` immortal, so there the bug is harmless; here we give them the same property by
adding a very large count once (they are static objects that are never freed anyway).
"""

from __future__ import annotations

import importlib.util
import sys


def _make_bools_immortal() -> bool:
    """Add 2**40 references to True and False on Python < 3.12 when PySide6 is installed."""
    if sys.version_info >= (3, 12) or importlib.util.find_spec("PySide6") is None:
        return False
    import ctypes

    for obj in (True, False):
        # CPython layout: ob_refcnt is the first field of every object (id() is its address)
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40
    return True


BOOLS_PINNED = _make_bools_immortal()
