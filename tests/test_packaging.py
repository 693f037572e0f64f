"""The wheel is the product: it installs on its own and works outside the checkout, with or without Qt.

``test_wheel_*`` builds the sdist, then the wheel from that sdist (``python -m build``), installs it into
fresh virtual environments in a temporary folder and runs the CLI there (the working directory is outside
the checkout, so nothing can be picked up from it). It needs the package registry for the dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

import clustermapper
from clustermapper import demo
from clustermapper.analysis import AnalysisSpec, demo_data_path, run_analysis

REPO = Path(__file__).resolve().parents[1]
QT_BLOCKER = """
import importlib.abc, sys
class _NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6'):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None
sys.meta_path.insert(0, _NoQt())
"""


def _run(args: list[str], cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


# ----------------------------------------------------------------------------------- Qt blocked, this env


def _cli_without_qt(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    code = QT_BLOCKER + (
        "from clustermapper.cli import main\n"
        f"rc = main({list(argv)!r})\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'clustermapper_ui'))\n"
        "print('QT-MODULES', leaked)\n"
        "sys.exit(rc)\n"
    )
    return _run([sys.executable, "-c", code], cwd=tmp_path)


@pytest.mark.parametrize("argv", [
    ("stars", "--demo", "--out", "stars.csv"),
    ("portfolio", "--demo", "--out", "portfolio.csv"),
    ("map", "--demo", "--layer", "stars", "--category", "C29", "--country", "DE", "--out", "de.png"),
    ("map", "--demo", "--layer", "strength", "--out", "europe.html"),
    ("profile", "--demo", "--region", "DE11", "--out", "DE11.pdf"),
    ("export-tables", "--demo", "--out", "tables.xlsx"),
    ("regions", "detect", "--data", str(demo_data_path())),
])
def test_every_command_but_gui_runs_with_pyside6_blocked(tmp_path, argv):
    proc = _cli_without_qt(tmp_path, *argv)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "QT-MODULES []" in proc.stdout
    out = argv[argv.index("--out") + 1] if "--out" in argv else None
    if out:
        assert (tmp_path / out).stat().st_size > 1000


def test_gui_without_pyside6_says_how_to_install(tmp_path):
    proc = _cli_without_qt(tmp_path, "gui", "--demo")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert 'pip install "clustermapper[gui]"' in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = _run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], cwd=out, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("clustermapper-*.whl")
    return wheel


def test_wheel_holds_the_data_and_no_generic_top_level_names(dist):
    names = zipfile.ZipFile(_wheel(dist)).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"clustermapper", "clustermapper_ui"}
    for needed in ("clustermapper/nuts_shapes/nuts_names.csv", "clustermapper/nuts_shapes/nuts_2021.gpkg.zip",
                   "clustermapper/nuts_shapes/nuts3_crosswalk.csv.gz",
                   "clustermapper/nuts_shapes/nuts_2003.gpkg.zip", "clustermapper/data/demo_sbs_r_nuts06_r2.tsv.gz",
                   "clustermapper/data/README.md",
                   "clustermapper/taxonomy/data/nace_rev2.csv", "clustermapper/render/js/cm_map.js",
                   "clustermapper/py.typed", "clustermapper_ui/app.py"):
        assert needed in names
    meta = zipfile.ZipFile(_wheel(dist)).read(f"clustermapper-{clustermapper.__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in meta and "Project-URL:" in meta and "Classifier:" in meta
    assert "Provides-Extra: gui" in meta and 'pyside6' in meta.lower()
    assert not any("pyside6" in line.lower() and "extra ==" not in line
                   for line in meta.splitlines() if line.startswith("Requires-Dist:"))
    (sdist,) = dist.glob("clustermapper-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(m.endswith("/LICENSE") for m in members) and any(m.endswith("nuts_shapes/nuts_2010.gpkg.zip") for m in members)


def _fresh_venv(where: Path, requirement: str) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    # the clean environment for pip too: with a PYTHONPATH naming a checkout, pip took the package for
    # installed and left it out of the venv
    proc = _run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", requirement],
                cwd=where, env=_clean_env(), timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return python


def _clean_env() -> dict:
    # nothing from this checkout or its editable install may leak into the fresh environment
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CLUSTERMAPPER_", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_wheel_without_qt_runs_outside_the_checkout(dist, tmp_path):
    python = _fresh_venv(tmp_path / "venv", str(_wheel(dist)))
    env, work = _clean_env(), tmp_path / "work"
    work.mkdir()
    where = _run([str(python), "-c", "import clustermapper, sys; print(clustermapper.__file__); "
                  "import importlib.util as u; print(u.find_spec('PySide6'))"], cwd=work, env=env)
    location, pyside = where.stdout.split()
    assert Path(location).is_relative_to(tmp_path / "venv") and pyside == "None"
    version = _run([str(python), "-m", "clustermapper", "--version"], cwd=work, env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"clustermapper {clustermapper.__version__}"
    stars = _run([str(python), "-m", "clustermapper", "stars", "--demo", "--out", "stars.csv"], cwd=work, env=env)
    assert stars.returncode == 0, stars.stderr[-2000:]
    expected = run_analysis(AnalysisSpec(demo=True, year=demo.YEAR)).stars  # the same call in the checkout
    assert len((work / "stars.csv").read_text().splitlines()) == len(expected) + 1
    assert "match NUTS 2013 exactly" in stars.stderr  # embedded NUTS names and boundaries were found
    html = _run([str(python), "-m", "clustermapper", "map", "--demo", "--layer", "strength", "--out", "m.html"],
                cwd=work, env=env)
    assert html.returncode == 0 and "cm.init(" in (work / "m.html").read_text()
    gui = _run([str(python), "-m", "clustermapper", "gui", "--demo"], cwd=work, env=env)
    assert gui.returncode == 2 and 'pip install "clustermapper[gui]"' in gui.stderr


@pytest.mark.gui
def test_wheel_with_gui_extra_draws_the_demo_map(dist, tmp_path):
    python = _fresh_venv(tmp_path / "venv", f"{_wheel(dist)}[gui]")
    work = tmp_path / "work"
    work.mkdir()
    shot = work / "demo.png"
    proc = _run([str(python), "-m", "clustermapper", "gui", "--demo", "--category", "C29", "--select", "DE11",
                 "--screenshot", str(shot), "--size", "1200x800"], cwd=work, env=_clean_env(), timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    from PIL import Image

    image = Image.open(shot)
    assert image.size == (1200, 800)
    assert len(image.convert("RGB").getcolors(1 << 20) or []) > 50  # a rendered map, not a blank window


def test_every_package_of_the_tree_is_listed_for_the_wheel():
    # setuptools gets an explicit package list: a new sub-package left out is missing from the wheel only
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "clustermapper").rglob("__init__.py")}
    found |= {".".join(("clustermapper_ui", *p.parent.relative_to(REPO / "ui").parts))
              for p in (REPO / "ui").rglob("__init__.py")}
    assert found - listed == set()


def test_every_package_of_the_checkout_is_listed_for_the_wheel():
    """The wheel's package list is explicit: a new subpackage left out of it works from the checkout and fails
    from ``pip install`` (clustermapper.metrics.methods did)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "clustermapper").rglob("__init__.py")}
    found |= {"clustermapper_ui." + ".".join(p.parent.relative_to(root / "ui").parts) if p.parent != root / "ui"
              else "clustermapper_ui" for p in (root / "ui").rglob("__init__.py")}
    found = {f for f in found if not f.startswith("clustermapper.nuts_shapes")} | {"clustermapper.nuts_shapes"}
    assert found == listed
