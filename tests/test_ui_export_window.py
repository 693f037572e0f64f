"""Every table and chart of the real window can be copied/exported; the Export menu acts on the focused one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu, QTableView  # noqa: E402

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper.render.table_files import read_frame_csv, tidy_numbers  # noqa: E402
from clustermapper_ui import chart_export as ce  # noqa: E402
from clustermapper_ui import table_export as te  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402
from clustermapper_ui.charts import ChartCanvas  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 120_000


@pytest.fixture()
def window(qtbot, main_window: MainWindow):
    """The real window (conftest: closed, deleted and checked for leaked menus after the test) on the demo."""
    main_window.state.category, main_window.state.selection = "C29", "DE11"
    with qtbot.waitSignal(main_window.controller.computed, timeout=WAIT_MS):
        main_window.controller.open_spec(AnalysisSpec(demo=True, year=2014))
    idle(qtbot, main_window)
    yield main_window
    idle(qtbot, main_window)


def idle(qtbot, window: MainWindow) -> None:
    """No worker running (layers, panels): on a loaded machine a task can outlast the teardown's join."""
    qtbot.waitUntil(lambda: not any(r.busy for r in window.controller.runners), timeout=WAIT_MS)


def test_every_table_and_chart_of_the_window_is_installed_and_exports(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tables = window.findChildren(QTableView)
    charts = window.findChildren(ChartCanvas)
    assert len(tables) >= 6 and len(charts) >= 3  # portfolio, ranking, compare, related, methods, indices
    assert [t for t in tables if t not in te._installed] == []
    assert [c for c in charts if c not in ce._installed] == []

    # the portfolio: the frame's numbers, not the display text
    dock = window.portfolio_dock
    table = te.table_frame(dock.table).frame
    rows = window.state.analysis.region_stars("DE11").set_index("category")
    assert len(table) == len(rows)
    for code, employees, lq in table[["Code", "Employees", "LQ"]].itertuples(index=False):
        assert employees == pytest.approx(rows.loc[code, "employment"])
        if lq is not None:
            assert lq == pytest.approx(rows.loc[code, "lq"])
    written = te.export_csv(dock.table, tmp_path / "portfolio.csv")
    assert read_frame_csv(written)["Code"].tolist() == table["Code"].tolist()
    assert te.file_stem(dock.table) == "region_portfolio"

    # the compare view (regions as rows): its table exports one row per compared region, in their order
    window.state.compare = ("DE11", "DE21")
    view = window.category_dock.compare_view.table
    qtbot.waitUntil(lambda: view.model().rowCount() == 2, timeout=60_000)
    table = tidy_numbers(te.table_frame(view).frame)
    assert len(table) == 2 and table.iloc[:, 0].tolist() == ["DE11", "DE21"]
    assert te.file_stem(view) == "category_drill_down_compare_regions"
    window.state.compare = ()


def test_export_menu_acts_on_the_focused_view_and_the_menu_shows(qtbot, window: MainWindow, tmp_path: Path) -> None:
    table = window.portfolio_dock.table
    table.setFocus()
    qtbot.waitUntil(lambda: te.current_table(window) is table, timeout=5000)
    chart = window.portfolio_dock.chart
    chart.customContextMenuRequested.emit(QPoint(30, 30))
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    menu.close()
    assert ce.current_chart(window) is chart
    titles = {a.objectName(): a.text() for a in window.actions_by_id.values()}
    assert titles["action_export_current_table"].startswith("Current ta&ble")
    assert titles["action_export_current_chart"].startswith("Current c&hart")
    assert window.actions_by_id["export_current_table"].isEnabled()

    rect = table.visualRect(table.model().index(2, 1))
    table.customContextMenuRequested.emit(rect.center())
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == ["Copy", "Copy all", "Export CSV…",
                                                                          "Export XLSX…"]
    assert menu.grab().width() > 50
    menu.close()


def test_analytics_indices_export_numbers_not_their_text(qtbot, window: MainWindow) -> None:
    dock = window.analytics_dock
    dock.show()
    dock.raise_()
    dock.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: dock.indices_model.rowCount() > 0, timeout=WAIT_MS)
    idle(qtbot, window)
    table = te.table_frame(dock.indices_table).frame
    shown = [dock.indices_model.index(r, 2).data() for r in range(dock.indices_model.rowCount())]
    assert all(isinstance(v, (int, float)) for v in table["Value"])
    # the text shows 3 decimals (or "+1,234"): the export has the unrounded number behind it
    assert [float(t.replace(",", "")) for t in shown] == pytest.approx(table["Value"].tolist(), abs=0.5)


def test_real_file_estimates_stay_marked_in_the_exports(qtbot, main_window: MainWindow, eurostat_file: Path,
                                                        tmp_path: Path) -> None:
    import openpyxl

    main_window.state.category, main_window.state.selection = "C29", "DE11"
    with qtbot.waitSignal(main_window.controller.computed, timeout=WAIT_MS):
        main_window.controller.open_spec(AnalysisSpec(data=str(eurostat_file), year=2014, level=2))
    idle(qtbot, main_window)
    stars = main_window.state.analysis.stars
    estimated = set(stars.loc[(stars["region"] == "DE11") & (stars["status"] == "estimated"), "category"])
    assert estimated  # Stuttgart 2014 has confidential cells filled by the estimate policy
    view = main_window.portfolio_dock.table
    path = te.export_xlsx(view, tmp_path / "de11.xlsx")
    sheet = openpyxl.load_workbook(path)["Region portfolio"]
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    by_code = {r[head.index("Code")]: r for r in rows[1:]}
    assert len(by_code) == int((stars["region"] == "DE11").sum())
    for code in estimated:
        row = by_code[code]
        assert row[head.index("Data status")] == "estimated"
        assert str(row[head.index("Employees (as shown)")]).startswith("≈")
        assert isinstance(row[head.index("Employees")], float)
    idle(qtbot, main_window)
