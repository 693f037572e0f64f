"""``clustermapper gui`` start-up: no Qt for the rest of the CLI, clear exits on bad options and timeouts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _gui(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "clustermapper", "gui", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=timeout, check=False)


def test_cli_parser_does_not_import_qt() -> None:
    code = ("import sys; from clustermapper.cli import build_parser; "
            "build_parser().parse_args(['gui', '--demo', '--screenshot', 'x.png']); "
            "print(any(m.startswith(('PySide6', 'shiboken')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "False"


def test_distinct_colours_counts_a_grid() -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtGui import QColor, QImage

    from clustermapper_ui.launch import distinct_colours

    image = QImage(70, 70, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert distinct_colours(image) == 1
    for x in range(0, 70, 7):
        image.setPixelColor(x, 0, QColor(x, 0, 0))
    assert distinct_colours(image) == 1 + 10  # white + ten sampled reds (black included)


def test_the_demo_opens_on_stuttgart_car_industry() -> None:
    pytest.importorskip("PySide6")
    from clustermapper.analysis import AnalysisSpec
    from clustermapper.cli import build_parser
    from clustermapper.cli.common import spec_from_args
    from clustermapper_ui.launch import LaunchOptions, opening_view

    spec = spec_from_args(build_parser().parse_args(["gui"]))  # no data given: the demo
    assert spec.uses_demo
    view = opening_view(spec, LaunchOptions())
    assert (view.category, view.select) == ("C29", "DE11")
    # what the user asks for wins; a user file gets the app's own choice
    assert opening_view(spec, LaunchOptions(category="C21")).category == "C21"
    assert opening_view(spec, LaunchOptions(select="DK01")).select == "DK01"
    other = opening_view(AnalysisSpec(data="x.tsv"), LaunchOptions())
    assert (other.category, other.select) == (None, None)


@pytest.mark.gui
def test_unknown_category_exits_2_before_the_app_opens(tmp_path: Path) -> None:
    proc = _gui("--demo", "--category", "X99", "--screenshot", str(tmp_path / "x.png"))
    # the CLI's message (the taxonomy checked before reading), not the app's after the analysis
    assert proc.returncode == 2 and "unknown category 'X99' in taxonomy nace-divisions" in proc.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.gui
def test_a_lower_case_category_id_of_a_user_taxonomy_opens(tmp_path: Path) -> None:
    """The app upper-cased --category, so a user taxonomy's lower-case ids could not be shown."""
    taxonomy = tmp_path / "mine.yaml"
    taxonomy.write_text("name: Mine\ncategories:\n  - id: cars\n    label: Cars\n    codes: [C29]\n"
                        "  - id: Cars2\n    label: Cars again\n    codes: [C30]\n", encoding="utf-8")
    out = tmp_path / "x.png"
    proc = _gui("--demo", "--taxonomy", str(taxonomy), "--category", "cars", "--select", "DE11", "--screenshot", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 0


@pytest.mark.gui
def test_timeout_exits_1_with_message(tmp_path: Path) -> None:
    proc = _gui("--demo", "--timeout", "0.5", "--screenshot", str(tmp_path / "x.png"))
    assert proc.returncode == 1 and "timed out" in proc.stderr and not (tmp_path / "x.png").exists()


@pytest.mark.gui
def test_screenshot_of_compare_view(tmp_path: Path) -> None:
    out = tmp_path / "compare.png"
    proc = _gui("--demo", "--category", "C21", "--select", "DK01", "--compare", "DK01,DE25,HR04",
                "--size", "1400x900", "--screenshot", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
