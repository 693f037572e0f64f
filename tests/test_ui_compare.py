"""The compare view in the real main window (pytest-qt, offscreen): ten regions fit the dock's default width
with every measure, the change comes from a worker, and the table and chart are exported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()  # before pytest-qt creates the QApplication

from openpyxl import load_workbook  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from clustermapper import demo  # noqa: E402
from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 90_000
TEN = ("DE11", "DE21", "ITC1", "FR10", "ES51", "SE11", "PL12", "CZ01", "AT13", "NL33")
DOCK_WIDTH = 640  # MainWindow's default width of the right-hand docks


@pytest.fixture()
def window(qtbot, main_window: MainWindow):
    w = main_window
    w.state.category = "C29"
    with qtbot.waitSignals([w.controller.computed, w.map.rendered], timeout=WAIT_MS):
        w.controller.open_spec(AnalysisSpec(demo=True, year=demo.YEAR))
    w.category_dock.tabs.setCurrentIndex(1)
    w.state.compare = TEN
    qtbot.waitUntil(lambda: w.category_dock.compare_model.rowCount() == 10, timeout=10_000)
    yield w
    # let the workers a test started (the analytics dock follows the selection) finish before the window
    # closes: a busy machine can take longer than the window's shutdown waits
    qtbot.waitUntil(lambda: not any(r.busy for r in w.controller.runners), timeout=WAIT_MS)


def set_measure(qtbot, view, key: str) -> None:
    view.measure.setCurrentIndex(view.measure.findData(key))
    qtbot.waitUntil(lambda: view.comparison is not None and key in view.comparison.measures()
                    and not view.controller.panel_runner.busy, timeout=WAIT_MS)
    qtbot.wait(50)  # the header resizes to the new texts on the next layout pass


def test_ten_regions_fit_the_dock_without_horizontal_scrolling(qtbot, window: MainWindow) -> None:
    view = window.category_dock.compare_view
    assert window.category_dock.width() <= DOCK_WIDTH  # the controls do not widen the dock
    for key in ("stars", "employment", "lq", "change"):
        set_measure(qtbot, view, key)
        table = view.table
        assert view.proxy.rowCount() == 10 and view.proxy.columnCount() == 1 + 4, key
        bar = table.horizontalScrollBar()
        assert not bar.isVisible() and bar.maximum() == 0, (key, bar.maximum(), table.viewport().width())
        # it fits because the columns are narrow, not because the names were squeezed away
        assert table.columnWidth(0) >= 100, key
        header = [view.proxy.headerData(j, Qt.Orientation.Horizontal) for j in range(view.proxy.columnCount())]
        assert header[:2] == ["Region", "C29"], key  # the map's category first, then the strongest
        assert window.category_dock.width() <= DOCK_WIDTH, key


def test_measures_show_marked_values(qtbot, window: MainWindow) -> None:
    view = window.category_dock.compare_view
    proxy = view.proxy
    set_measure(qtbot, view, "employment")
    rows = {proxy.index(i, 0).data().split()[0]: i for i in range(proxy.rowCount())}
    assert list(rows) == list(TEN)  # the order they were added
    assert proxy.index(rows["DE11"], 1).data() == "158,012"  # Stuttgart's C29, as published
    texts = [proxy.index(i, j).data() for i in range(10) for j in range(1, proxy.columnCount())]
    marked = view.comparison.table
    estimated = marked[(marked["status"] == "estimated") & marked["category"].isin(view.categories())]
    assert len(estimated) and all(t.startswith(("≈", "≥")) or t[0].isdigit() or t in ("n/a", "confidential")
                                  for t in texts)
    assert sum(t.startswith("≈") for t in texts) == len(estimated)
    set_measure(qtbot, view, "change")
    assert view.comparison.base_year == window.controller.base_year() == 2010
    assert proxy.index(rows["DE11"], 1).data().endswith("%")
    # the chart follows the measure: one panel per category shown
    assert len([ax for ax in view.chart.figure.axes if ax.get_visible() and ax.axison]) == 4


def test_add_is_disabled_at_ten(qtbot, window: MainWindow) -> None:
    view = window.category_dock.compare_view
    window.state.selection = "DE12"
    assert not view.add_button.isEnabled()
    window.state.compare = TEN[:9]
    assert view.add_button.isEnabled()
    view.add_button.click()
    assert window.state.compare == (*TEN[:9], "DE12")


def test_exports_from_the_view(qtbot, window: MainWindow, tmp_path: Path) -> None:
    view = window.category_dock.compare_view
    for suffix in (".xlsx", ".csv", ".pdf"):
        out = tmp_path / f"compare{suffix}"
        with qtbot.waitSignal(window.exportFinished, timeout=WAIT_MS):
            view.export(out)
        assert out.is_file() and out.stat().st_size > 0, suffix
    # the exports carry the change since the base year even while the view shows stars
    assert load_workbook(tmp_path / "compare.xlsx").sheetnames == ["stars", "employment", "lq", "change", "notes"]
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "compare.pdf").pages)
    assert "10 regions compared, 2014" in text and "Change of employees since 2010" in text
    for suffix in (".png", ".svg"):
        assert view.save_chart(tmp_path / f"chart{suffix}").stat().st_size > 1000
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "chart.svg").read_bytes()[:400]
    tsv = view.table_tsv().splitlines()
    assert tsv[0].split("\t")[:2] == ["Region", "C29"] and len(tsv) == 11
    assert tsv[1].startswith("DE11  Stuttgart\t★★★")
