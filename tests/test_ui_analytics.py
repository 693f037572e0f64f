"""The analytics in the real window on the embedded real extract: the change layer, the analytics dock's tabs
(time series, related categories, two methods, indices and shift-share) and the portfolio's change and
next-star columns. Every number shown is the core's; the tests check that the app shows it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 120_000


@pytest.fixture(scope="module")
def window(qapp):
    from PySide6.QtCore import QThread

    w = MainWindow()
    w.state.preset_view("C29", "DE11")
    w.show()
    computed = []
    w.controller.computed.connect(computed.append)
    w.controller.open_spec(AnalysisSpec(demo=True, year=2014))
    waited = 0
    while not (computed and w.map.is_rendered) and waited < WAIT_MS:
        qapp.processEvents()
        QThread.msleep(20)
        waited += 20
    assert computed, "the demo did not compute"
    yield w
    w.controller.shutdown()
    w.close()


def idle(w) -> bool:
    return not any(r.busy for r in w.controller.runners)


def test_change_layer_is_built_in_a_worker_and_shown(qtbot, window):
    with qtbot.waitSignal(window.layerApplied, timeout=WAIT_MS, check_params_cb=lambda d: d.layer == "change"):
        window.state.layer = "change"
    data = window.layer_data
    assert data.subtitle.startswith("2010 → 2014") and data.tooltip.loc["DE11", "Change"] == "Growing"
    qtbot.waitUntil(lambda: window.map.state().get("layer") == "change", timeout=10_000)
    assert window.state.base_analysis is not None and window.state.base_analysis.year == 2010
    with qtbot.waitSignal(window.layerApplied, timeout=WAIT_MS):
        window.state.layer = "stars"


def test_portfolio_shows_change_since_the_base_year_and_the_next_star(qtbot, window):
    dock = window.portfolio_dock
    model = dock.model
    from PySide6.QtCore import Qt

    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Change" in headers and "Next star" in headers, headers
    change, nxt = headers.index("Change"), headers.index("Next star")

    def cell(category: str, column: int) -> str:
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == category)
        return model.index(row, column).data()

    qtbot.waitUntil(lambda: idle(window) and cell("C29", change) not in ("", "…"), timeout=WAIT_MS)  # "…": computing
    assert cell("C29", change) == "▲ +2.1 %/yr"  # growing: 145,162 → 158,012 employees, CAGR +2.14 %
    # DE11 C27 has two stars; the cheapest missing one is a number of employees computed exactly
    assert cell("C27", nxt).startswith("+") and "→" in cell("C27", nxt)


def test_analytics_dock_tabs_show_the_core_results(qtbot, window):
    dock = window.analytics_dock
    dock.show()
    dock.raise_()
    dock.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: idle(window) and len(dock.time_chart.figure.axes) == 2, timeout=WAIT_MS)
    employment_line = dock.time_chart.figure.axes[0].lines[0]
    assert list(employment_line.get_xdata()) == list(range(2008, 2016))
    assert employment_line.get_ydata()[6] == pytest.approx(158_012)
    assert "partial years" in dock.time_note.text()

    dock.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: idle(window) and dock.related_model.rowCount() == 10, timeout=WAIT_MS)
    assert dock.related_model.index(0, 1).data() == "C27" and "0.278" in dock.related_header.text()

    dock.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: idle(window) and dock.methods_model.rowCount() > 0, timeout=WAIT_MS)
    assert "eco2008: 40 stars" in dock.methods_header.text()

    dock.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: idle(window) and dock.indices_model.rowCount() > 7, timeout=WAIT_MS)
    values = [dock.indices_model.index(r, 2).data() for r in range(dock.indices_model.rowCount())]
    assert "+183,696" in values  # DE11's growth 2010 → 2014, the sum of the shift-share components
    window.category_dock.raise_()
