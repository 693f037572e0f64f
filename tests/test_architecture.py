"""The core library never imports Qt: checked on the source text and on a real import of every module."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import clustermapper

CORE = Path(clustermapper.__file__).parent
QT = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken\d|qtpy)\b", re.M)


def test_core_source_has_no_qt_import():
    offenders = [str(p.relative_to(CORE)) for p in CORE.rglob("*.py") if QT.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    # __main__ would run the CLI; everything else is imported for real.
    names = [m.name for m in pkgutil.walk_packages([str(CORE)], prefix="clustermapper.") if not m.name.endswith("__main__")]
    assert "clustermapper.analysis" in names
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}:\n"
        "    importlib.import_module(n)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
