"""Export → Map image dialog on the real window: options, the current view's extent, the export itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from PIL import Image  # noqa: E402

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui import exports  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402
from clustermapper_ui.dialogs.map_image import view_extent_3035  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 120_000


def test_view_extent_metres_and_degrees():
    # a page in EPSG:3035 (simple CRS, latlng = [y, x]) reports metres: kept as they are
    assert view_extent_3035([2_500_000, 1_350_000, 7_400_000, 5_450_000]) == (2_500_000, 1_350_000, 7_400_000, 5_450_000)
    # degrees: EPSG:3035's false origin is 10°E 52°N at (4,321,000, 3,210,000)
    x0, y0, x1, y1 = view_extent_3035("[9.0, 51.0, 11.0, 53.0]")
    assert x0 < 4_321_000 < x1 and y0 < 3_210_000 < y1
    assert (x1 - x0) == pytest.approx(2 * 111_320 * 0.6157, rel=0.05)  # 2° of longitude at 52°N
    assert view_extent_3035("") is None and view_extent_3035([1, 2]) is None


def open_demo(qtbot, window: MainWindow) -> MainWindow:
    window.state.category, window.state.selection = "C29", "FR71"
    window.resize(1400, 900)
    with qtbot.waitSignal(window.controller.computed, timeout=WAIT_MS):
        window.controller.open_spec(AnalysisSpec(demo=True, year=2014))
    return window


def test_dialog_options_current_view_and_export(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    demo_window = open_demo(qtbot, main_window)
    dialog = exports.map_image_dialog(demo_window)
    assert dialog.country.currentText() == "FR"  # the selection's country
    dialog.paper.setCurrentText("A5")
    dialog.orientation.setCurrentText("Portrait")
    dialog.dpi.setValue(100)
    dialog.title.setText("Motor vehicles in France")
    dialog.by_country.setChecked(True)
    dialog.path.setText(str(tmp_path / "fr.png"))
    options = dialog.options()
    assert options["size"] == "A5-portrait" and options["extent"] == "FR" and options["labels"] == "starred"
    dialog.paper.setCurrentText("Custom (mm)")
    assert not dialog.orientation.isEnabled() and dialog.width_mm.isEnabled()
    dialog.width_mm.setValue(200)
    dialog.height_mm.setValue(120)
    assert dialog.options()["size"] == "200x120mm"
    dialog.close()
    path = options.pop("path")
    with qtbot.waitSignal(demo_window.exportFinished, timeout=WAIT_MS) as done:
        exports.export_map_image(demo_window, path, **options)
    with Image.open(done.args[0]) as img:
        assert abs(img.size[0] - 148 / 25.4 * 100) <= 1 and abs(img.size[1] - 210 / 25.4 * 100) <= 1

    from clustermapper_ui.dialogs.map_image import current_view

    view = None
    for _ in range(100):  # the page reports once Leaflet has laid out
        view = current_view(demo_window)
        if view:
            break
        qtbot.wait(100)
    assert view is not None
    x0, y0, x1, y1 = view
    assert x0 < x1 and y0 < y1 and 1_000_000 < x0 < 8_000_000  # EPSG:3035 metres over Europe
    dialog = exports.map_image_dialog(demo_window)
    assert dialog.current.isEnabled()
    dialog.current.setChecked(True)
    assert dialog.options()["extent"] == pytest.approx(view)
    if os.environ.get("CLUSTERMAPPER_SCREENSHOT_DIR"):  # for the docs / review: the dialog as a user sees it
        dialog.show()
        qtbot.wait(200)
        dialog.grab().save(str(Path(os.environ["CLUSTERMAPPER_SCREENSHOT_DIR"]) / "map_image_dialog.png"))
    dialog.close()
    with qtbot.waitSignal(demo_window.exportFinished, timeout=WAIT_MS) as done:
        exports.export_map_image(demo_window, tmp_path / "view.png", size=(900, 600), dpi=100, extent=view)
    with Image.open(done.args[0]) as img:
        assert img.size == (900, 600)
    # let the analytics dock's workers (time series of the selection) finish before the window goes
    qtbot.waitUntil(lambda: not any(r.busy for r in demo_window.controller.runners), timeout=WAIT_MS)
