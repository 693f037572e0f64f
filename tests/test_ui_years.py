"""Years in the app: the picker shows regions per year, a partial year is warned about, the data check lists
coverage per year (real window and dialog, pytest-qt, offscreen)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from PySide6.QtWidgets import QLabel, QTextBrowser  # noqa: E402
from test_years import write_years  # noqa: E402

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper.io import read_dataset  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402
from clustermapper_ui.dialogs.validation import ValidationDialog, validate  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 90_000


def test_data_check_lists_regions_per_year_and_warns(qtbot, tmp_path) -> None:
    path = write_years(tmp_path)
    dataset = read_dataset(path)
    spec = AnalysisSpec(data=str(path))
    check = validate(dataset, spec)
    assert check.year == 2014 and check.year_warning == ""  # the best-covered year, not the latest (2015)
    dialog = ValidationDialog(check, None, spec)
    qtbot.addWidget(dialog)
    text = dialog.findChild(QTextBrowser).toPlainText()
    assert "Regions with data per year" in text
    # one row per year: year, regions, partial?, countries without data (against the best year)
    assert "2014\n10\n\n–\n← analysed\n2015\n6\npartial\nFR\n" in text
    assert "2015 is a partial year: 6 of 10 regions have data" in text
    summary = dialog.findChild(QLabel, "checkSummary").text()
    assert "will use <b>2014</b> — 10 regions with data (the best-covered year)" in summary
    assert dialog.year_warning.isHidden()
    # a pinned partial year (e.g. from a workspace) is analysed as asked, with the warning on top
    pinned = validate(dataset, spec.with_(year=2015))
    assert pinned.year == 2015
    dialog = ValidationDialog(pinned, None, spec)
    qtbot.addWidget(dialog)
    assert not dialog.year_warning.isHidden()
    assert dialog.year_warning.text().startswith("⚠ 2015 is a partial year: 6 of 10 regions")


def test_year_picker_shows_coverage_and_warns_on_a_partial_year(qtbot, main_window: MainWindow, tmp_path) -> None:
    w = main_window
    path = write_years(tmp_path)
    with qtbot.waitSignals([w.controller.computed, w.map.rendered], timeout=WAIT_MS):
        w.controller.open_spec(AnalysisSpec(data=str(path)))
    combo = w.toolbar.year
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "2012 — 10 regions", "2013 — 9 regions", "2014 — 10 regions", "2015 — 6 regions (partial)"]
    assert combo.currentText() == "2014 — 10 regions" and w.state.analysis.year == 2014
    assert w.toolbar.year_warning.isHidden() and combo.styleSheet() == ""
    # the user picks the partial year: it is computed, and the status bar says what is missing
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        combo.setCurrentIndex(3)
        combo.activated.emit(3)
    assert w.state.analysis.year == 2015
    warning = w.toolbar.year_warning
    assert warning.isVisible() and warning.parent() is not None and w.statusBar().isAncestorOf(warning)
    assert warning.text() == "⚠ 2015 is partial: 6 of 10 regions; no data for FR"
    assert "FR (France)" in warning.toolTip() and combo.styleSheet() != ""
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        combo.setCurrentIndex(2)
        combo.activated.emit(2)
    assert w.state.analysis.year == 2014 and w.toolbar.year_warning.isHidden() and combo.styleSheet() == ""
