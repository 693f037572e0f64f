"""Import dialogs on the real window: column mapping for an unguessable CSV, validation report, cancel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402

from clustermapper_ui.app import MainWindow  # noqa: E402
from clustermapper_ui.dialogs.column_mapping import ColumnMappingDialog, guess  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 90_000
ODD_CSV = (
    "Gebiet;Wirtschaftszweig;Jahr;Beschaeftigte\n"
    "DE11;C29;2020;145162,0\nDE11;C28;2020;98000,5\nDE11;C10;2020;nicht verfügbar\n"
    "DE21;C29;2020;89721,0\nDE21;C28;2020;50000,0\nDE21;C10;2020;31000,0\n"
)


def visible(name: str):
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def test_guess_columns() -> None:
    assert guess(["GEO", "nace_r2", "TIME_PERIOD", "OBS_VALUE"], ("region", "geo")) == 0
    assert guess(["x", "Employees 2020"], ("employees",)) == 1
    assert guess(["a", "b"], ("region",)) == -1


def test_unguessable_csv_goes_through_mapping_and_validation(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(ODD_CSV, encoding="utf-8")
    before = path.read_bytes()
    main_window.controller.open_file(path)
    qtbot.waitUntil(lambda: visible("errorDialog") is not None, timeout=WAIT_MS)
    box = visible("errorDialog")
    assert "header" in box.text() and str(path) in box.text()
    remap = next(b for b in box.findChildren(QPushButton) if b.text() == "Map columns…")
    remap.click()
    qtbot.waitUntil(lambda: visible("columnMappingDialog") is not None, timeout=5_000)
    dialog: ColumnMappingDialog = visible("columnMappingDialog")
    dialog.sep.setCurrentIndex(dialog.sep.findData(";"))  # detect also works; be explicit like a user
    assert dialog.table.columnCount() == 4 and dialog.table.rowCount() == 6
    guessed = {role: combo.currentData() for role, combo in dialog.combos.items()}
    assert guessed == {"region_col": "Gebiet", "sector_col": "Wirtschaftszweig", "value_col": "Beschaeftigte",
                       "year_col": "Jahr"}  # German headers are recognised; the user only confirms
    dialog.decimal.setCurrentIndex(dialog.decimal.findData(","))
    assert dialog.options() == {"region_col": "Gebiet", "sector_col": "Wirtschaftszweig", "value_col": "Beschaeftigte",
                                "year_col": "Jahr", "sep": ";", "decimal": ","}
    dialog.accept()
    qtbot.waitUntil(lambda: visible("validationDialog") is not None, timeout=WAIT_MS)
    report = visible("validationDialog")
    issues = report.findChild(type(dialog.table), "issuesTable")
    assert issues.rowCount() == 1 and issues.item(0, 2).text() == "nicht verfügbar"
    with qtbot.waitSignal(main_window.controller.computed, timeout=WAIT_MS):
        report.accept()
    analysis = main_window.state.analysis
    assert dict(analysis.spec.reader_options)["region_col"] == "Gebiet"
    assert analysis.stars.set_index(["region", "category"]).loc[("DE11", "C28"), "employment"] == 98000.5
    assert path.read_bytes() == before  # inputs are never modified


@pytest.mark.shared
def test_cancel_keeps_previous_state(qtbot, main_window: MainWindow, eurostat_file: Path) -> None:
    c = main_window.controller
    c.open_file(eurostat_file)
    qtbot.waitUntil(lambda: main_window.cancel_button.isVisible(), timeout=5_000)
    c.cancel()
    qtbot.waitUntil(lambda: not main_window.state.busy, timeout=WAIT_MS)
    qtbot.wait(300)
    assert visible("validationDialog") is None and main_window.state.analysis is None
    assert not main_window.progress_bar.isVisible()


def test_column_mapping_previews_with_the_core_reader(qtbot) -> None:
    # title lines above the header: the dialog shows the header the reader finds, not the title line
    dialog = ColumnMappingDialog(Path(__file__).parent / "data" / "io" / "long_semicolon.csv")
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(i).text() for i in range(dialog.table.columnCount())]
    assert headers == ["Region", "NACE", "Year", "Persons employed", "Flag"]
    assert dialog.table.rowCount() == 5 and dialog.table.item(0, 1).text() == "C 29"
    assert "line 3" in dialog.caption.text()
    assert {r: c.currentData() for r, c in dialog.combos.items()} == {
        "region_col": "Region", "sector_col": "NACE", "value_col": "Persons employed", "year_col": "Year"}
