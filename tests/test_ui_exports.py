"""Export menu handlers on the real window: map image, interactive HTML, tables, batch profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui import exports  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def demo_window(qapp):
    window = MainWindow()
    window.state.category, window.state.selection = "C29", "DE11"
    window.show()
    computed = []
    window.controller.computed.connect(computed.append)
    window.controller.open_spec(AnalysisSpec(demo=True, year=2014))
    from PySide6.QtCore import QThread

    deadline = 0
    while not computed and deadline < WAIT_MS:
        qapp.processEvents()
        QThread.msleep(20)
        deadline += 20
    assert computed, "the demo did not compute"
    yield window
    window.controller.shutdown()
    window.close()


def run_export(qtbot, window: MainWindow, start) -> object:
    with qtbot.waitSignal(window.exportFinished, timeout=WAIT_MS) as done:
        start()
    return done.args[0]


def test_map_image_png_and_svg(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    png = run_export(qtbot, demo_window, lambda: exports.export_map_image(demo_window, tmp_path / "map.png"))
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = run_export(qtbot, demo_window, lambda: exports.export_map_image(demo_window, tmp_path / "map.svg"))
    assert "<svg" in Path(svg).read_text(encoding="utf-8")[:2000]


def test_interactive_html_is_offline(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    from clustermapper.render.web_assets import external_urls

    page = run_export(qtbot, demo_window, lambda: exports.export_html(demo_window, tmp_path / "map.html"))
    text = Path(page).read_text(encoding="utf-8")
    assert "DE11" in text and external_urls(text) == []


def test_gis_layer_of_the_current_map(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    import pyogrio

    paths = run_export(qtbot, demo_window, lambda: exports.export_gis(demo_window, tmp_path / "map.gpkg"))
    assert [Path(p).suffix for p in paths] == [".gpkg", ".qml", ".sld"]
    layer = demo_window.layer_data
    frame = pyogrio.read_dataframe(paths[0], layer=f"clustermapper_{layer.layer}_{layer.category}")
    assert frame.set_index("nuts_id").loc["DE11", "colour"] == layer.colours["DE11"]


def test_tables_xlsx(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    import openpyxl

    paths = run_export(qtbot, demo_window, lambda: exports.export_tables(demo_window, tmp_path / "t.xlsx"))
    book = openpyxl.load_workbook(next(p for p in paths if str(p).endswith(".xlsx")), read_only=True)
    assert {"stars", "portfolio"} <= set(book.sheetnames)


def test_profile_and_batch_of_a_country(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    one = run_export(qtbot, demo_window, lambda: exports.export_profile(demo_window, "DE11", tmp_path / "p.html"))
    assert "Stuttgart" in Path(one).read_text(encoding="utf-8")
    fractions: list[float] = []
    demo_window.controller.export_runner.progress.connect(lambda f, m: fractions.append(f))
    paths = run_export(qtbot, demo_window, lambda: exports.export_batch(demo_window, "SI", tmp_path / "si", "html"))
    # 2013-2015: Eurostat uses SI03/SI04 already; a country batch also writes its summary report
    assert sorted(Path(p).name for p in paths) == ["SI03.html", "SI04.html", "SI_summary.html"]
    assert fractions and max(fractions) <= 1.0


def test_an_export_survives_a_recompute(qtbot, demo_window: MainWindow, tmp_path: Path) -> None:
    # a batch export keeps running while the user changes a threshold (separate workers)
    w = demo_window
    before = w.state.analysis
    finished: list = []
    w.exportFinished.connect(finished.append)
    with qtbot.waitSignals([w.exportFinished, w.controller.computed], timeout=WAIT_MS):
        exports.export_batch(w, "AT", tmp_path / "at", "html")
        w.controller.recompute(before.spec.with_(params=before.spec.params.__class__(lq_min=3.0)))
    paths = finished[-1]
    assert len(paths) == 10 and all(Path(p).exists() for p in paths)  # 9 regions and AT_summary
    assert w.state.analysis.spec.params.lq_min == 3.0
    qtbot.waitUntil(lambda: not w.state.busy, timeout=WAIT_MS)
