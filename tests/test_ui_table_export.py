"""Copy / export of table views (ui/table_export.py) on a hand-made table: TSV with headers, numbers from
the frame (not the display text), marks of estimates kept, CSV/XLSX round trips, the context menu."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView

from clustermapper.metrics.explain import add_display_text
from clustermapper.render.table_files import read_frame_csv, tidy_numbers
from clustermapper_ui import table_export as te
from clustermapper_ui.models import Column, FrameModel, NumericSortProxy, fmt_int

pytestmark = pytest.mark.gui
MENU = ["Copy", "Copy all", "Export CSV…", "Export XLSX…"]


def portfolio_rows() -> pd.DataFrame:
    rows = pd.DataFrame({
        "category": ["C29", "C28", "C10", "C20"],
        "label": ["Cars", "Machinery", "Food", "Chemicals"],
        "employment": [200000.0, 84751.6, 0.0, 12000.0],
        "lq": [3.1234, 1.5, float("nan"), 0.8],
        "share": [0.2, 0.1, 0.0, 0.0125],
        "stars": [3.0, 2.0, 0.0, 1.0],
        "status": ["reported", "estimated", "confidential", "reported"],
        "size_rank": [1.0, 5.0, float("nan"), 40.0],
    })
    add_display_text(rows)
    return rows


COLUMNS = [Column("Code", "category", align_right=False), Column("Category", "label", align_right=False),
           Column("Employees", "employees_text", str, sort_field="employment"),
           Column("LQ", "lq_text", str, sort_field="lq"), Column("Rank", "size_rank", fmt_int),
           Column("Focus", "share_text", str, sort_field="share"),
           Column("Stars", "stars_text", str, sort_field="stars")]


@pytest.fixture()
def view(qtbot) -> QTableView:
    model = FrameModel(COLUMNS, code_field="category")
    model.set_frame(portfolio_rows())
    proxy = NumericSortProxy()
    proxy.setSourceModel(model)
    table = QTableView(sortingEnabled=True)
    table.setModel(proxy)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table._keep = (model, proxy)  # the test holds the models as the docks do
    te.install_table_export(table)
    qtbot.addWidget(table)
    table.show()
    return table


def select(table: QTableView, top: int, left: int, bottom: int, right: int) -> None:
    m = table.model()
    table.selectionModel().select(QItemSelection(m.index(top, left), m.index(bottom, right)),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_copy_of_a_2x3_selection_is_tsv_with_headers(view: QTableView) -> None:
    m = view.model()
    block = QItemSelection(m.index(0, 3), m.index(0, 5))  # C29 and C20 (both reported) × LQ, Rank, Focus
    block.merge(QItemSelection(m.index(3, 3), m.index(3, 5)), QItemSelectionModel.SelectionFlag.Select)
    view.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    text = te.copy_selection(view)
    assert text == "LQ\tRank\tFocus\n3.1234\t1\t0.2\n0.8\t40\t0.0125\n"
    assert QApplication.clipboard().text() == text


def test_ctrl_c_copies_the_selection_with_headers_not_one_cell(qtbot, view: QTableView) -> None:
    view.setCurrentIndex(view.model().index(0, 0))
    select(view, 0, 0, 0, 2)
    QApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Code\tCategory\tEmployees\nC29\tCars\t200000\n"


def test_estimates_keep_their_marks_beside_the_numbers(view: QTableView) -> None:
    select(view, 1, 0, 2, 2)  # the estimated and the confidential row
    table = te.selection_frame(view).frame
    assert list(table.columns) == ["Code", "Category", "Employees", "Employees (as shown)", "Data status"]
    assert table["Employees"].tolist() == [84751.6, 0.0]
    assert table["Employees (as shown)"].tolist() == ["≈ 84,752 est.", "confidential"]
    assert table["Data status"].tolist() == ["estimated", "confidential"]


def test_whole_table_in_the_views_order_numbers_from_the_frame(view: QTableView) -> None:
    view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # LQ, missing last
    view.model().setFilterFixedString("c")  # every row holds a "c" (codes): nothing filtered
    view.setColumnHidden(4, True)
    out = te.table_frame(view)
    table = out.frame
    assert table["Code"].tolist() == ["C29", "C28", "C20", "C10"]
    assert list(table.columns) == ["Code", "Category", "Employees", "Employees (as shown)", "LQ", "LQ (as shown)",
                                   "Focus", "Focus (as shown)", "Stars", "Data status"]
    assert table["LQ"].tolist()[:3] == [3.1234, 1.5, 0.8] and pd.isna(table["LQ"].iloc[3])
    assert table["Stars"].tolist() == [3, 2, 1, 0]  # ★★★ as 3: no "(as shown)" for plain star glyphs
    assert out.formats == {"Focus": "0.0%"}
    view.model().setFilterFixedString("Mach")
    assert te.table_frame(view).frame["Code"].tolist() == ["C28"]


def test_export_fields_split_a_combined_cell(qtbot) -> None:
    frame = pd.DataFrame({"category": ["C29", "C10"], "DE11:stars": [3.0, 0.0], "DE11:lq": [4.2, 0.5],
                          "DE11:text": ["★★★  4.20", "☆☆☆  0.50"], "DE11:rank": [3e6 + 4.2, 0.5]})
    model = FrameModel([Column("Code", "category"), Column("DE11", "DE11:text", sort_field="DE11:rank",
                                                           export=(("stars", "DE11:stars"), ("LQ", "DE11:lq")))])
    model.set_frame(frame)
    table = QTableView()
    table.setModel(model)
    qtbot.addWidget(table)
    out = te.table_frame(table).frame
    assert list(out.columns) == ["Code", "DE11 stars", "DE11 LQ"]
    assert out["DE11 stars"].tolist() == [3, 0] and out["DE11 LQ"].tolist() == [4.2, 0.5]


def test_csv_and_xlsx_round_trip_equal_the_frame(view: QTableView, tmp_path: Path) -> None:
    import openpyxl

    expected = tidy_numbers(te.table_frame(view).frame)
    csv = te.export_csv(view, tmp_path / "t.csv")
    pd.testing.assert_frame_equal(read_frame_csv(csv), expected, check_dtype=False)
    xlsx = te.export_xlsx(view, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(expected.columns)
    assert rows[1:] == [tuple(None if pd.isna(v) else v for v in r) for r in expected.itertuples(index=False)]
    assert isinstance(sheet["C2"].value, (int, float)) and sheet["C2"].value == 200000
    focus = rows[0].index("Focus") + 1
    assert sheet.cell(2, focus).number_format == "0.0%"


def test_context_menu_has_the_actions_and_pops_up(qtbot, view: QTableView) -> None:
    assert [a.text() for a in te.table_menu(view).actions() if not a.isSeparator()] == MENU
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    view.customContextMenuRequested.emit(QPoint(10, 10))
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == MENU
    menu.close()


def test_install_allows_several_rows_and_the_view_becomes_current(qtbot, view: QTableView) -> None:
    assert view.selectionMode() == QTableView.SelectionMode.ExtendedSelection
    view.setFocus()
    qtbot.waitUntil(lambda: view.hasFocus() or QApplication.focusWidget() is view, timeout=2000)
    assert te.current_table(view.window()) is view
