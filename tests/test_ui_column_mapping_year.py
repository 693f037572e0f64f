"""The column-mapping dialog can give the year of a file that has no year information (reader option
``year_label``), and that option survives a workspace round trip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialogButtonBox

from clustermapper.analysis import AnalysisSpec
from clustermapper.errors import InputError
from clustermapper.io import read_dataset
from clustermapper.workspace import Workspace, load_workspace, save_workspace
from clustermapper_ui.dialogs.column_mapping import ColumnMappingDialog

pytestmark = pytest.mark.gui
NO_YEAR = "nace_r2;geo;employees\nC29;DE11;5\nC30;DE11;7\n"


def test_dialog_gives_the_year_of_a_file_without_years(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "noyear.csv"
    path.write_text(NO_YEAR)
    with pytest.raises(InputError):
        read_dataset(path)
    dialog = ColumnMappingDialog(path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.combos["value_col"].currentData() == "employees" and dialog.combos["year_col"].currentData() is None
    assert not ok.isEnabled() and "year of the data" in dialog.error.text()  # neither a year column nor a year
    dialog.year_label.setText("15")
    assert not ok.isEnabled() and "2015" in dialog.error.text()
    dialog.year_label.setText("2015")
    assert ok.isEnabled()
    options = dialog.options()
    assert options["year_label"] == "2015"
    t = read_dataset(path, **options).table
    assert t.year.tolist() == [2015, 2015] and t.value.tolist() == [5.0, 7.0]

    reopened = ColumnMappingDialog(path, initial=options)  # "Map columns…" again shows the year given
    qtbot.addWidget(reopened)
    assert reopened.year_label.text() == "2015" and reopened.options() == options


def test_year_label_survives_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "noyear.csv"
    path.write_text(NO_YEAR)
    spec = AnalysisSpec(data=str(path), reader_options=(("value_col", "employees"), ("year_label", "2015")))
    saved = save_workspace(tmp_path / "w.cmws.json", Workspace(spec=spec))
    loaded = load_workspace(saved).workspace.spec
    assert dict(loaded.reader_options) == {"value_col": "employees", "year_label": "2015"}
    assert read_dataset(path, **dict(loaded.reader_options)).years == [2015]
