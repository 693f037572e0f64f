"""Layout rules, checked on the real import graph (import-linter contracts in pyproject.toml) and by really
importing every core module: the core never imports Qt or the app, and pipeline stages only look down."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import clustermapper

REPO = Path(__file__).resolve().parents[1]
CORE = Path(clustermapper.__file__).parent


def test_import_contracts_hold():
    exe = shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (pip install -e '.[test]')"
    proc = subprocess.run([exe, "--no-cache", "--config", str(REPO / "pyproject.toml")], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "Contracts: 2 kept, 0 broken." in proc.stdout


def test_importing_every_core_module_loads_no_qt():
    # __main__ would run the CLI; everything else is imported for real.
    names = [m.name for m in pkgutil.walk_packages([str(CORE)], prefix="clustermapper.") if not m.name.endswith("__main__")]
    names.append("clustermapper.nuts_shapes")  # mapped from nuts_shapes/ (pyproject package-dir)
    assert {"clustermapper.analysis", "clustermapper.cli.gui", "clustermapper.io.preview"} <= set(names)
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}:\n"
        "    importlib.import_module(n)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'clustermapper_ui')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
