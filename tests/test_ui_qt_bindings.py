"""The installed Qt bindings keep reference counts straight when signals are emitted.

PySide6 6.12.0 returns ``True`` from ``SignalInstance.emit()`` without taking a reference; on Python 3.11
a busy app then aborts with "bool_dealloc" (pyproject excludes that release). This guards against any
installed version with the same bug.
"""

from __future__ import annotations

import subprocess
import sys

EMITS = """
import sys
from PySide6.QtCore import QObject, Signal

class Emitter(QObject):
    changed = Signal(int)

e = Emitter()
e.changed.connect(lambda v: None)
before = sys.getrefcount(True)
for i in range(200_000):  # far more emits than True has references in a small process
    e.changed.emit(i)
print(before - sys.getrefcount(True))
"""


def test_many_emits_leave_true_refcount_unchanged() -> None:
    proc = subprocess.run([sys.executable, "-c", EMITS], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert abs(int(proc.stdout.strip())) < 100


def test_import_ui_does_not_import_qt() -> None:
    code = "import ui, sys; print(any(m.startswith(('PySide6', 'shiboken')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
