"""The column-mapping preview uses the readers' own decoding, separator sniffing and header search."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from clustermapper.errors import InputError
from clustermapper.io import read_dataset
from clustermapper.io.preview import preview_file

DATA = Path(__file__).parent / "data" / "io"


def test_title_lines_above_the_header_are_skipped_like_the_reader_does():
    path = DATA / "long_semicolon.csv"
    shown = preview_file(path)
    assert shown.sep == ";" and shown.header_found and shown.header_line == 3
    assert shown.header == ["Region", "NACE", "Year", "Persons employed", "Flag"]
    assert shown.rows[0] == ["de11", "C 29", "2015", "1.234,5", ""] and len(shown.rows) == 5
    # the reader uses the same header line, and its line numbers agree with the preview's
    report = read_dataset(path).report
    assert f"skipped 2 lines above the header (line {shown.header_line})" in report.notes
    assert report.issues[0].line == shown.header_line + 2 and shown.rows[1][3] == report.issues[0].text


def test_unnamed_columns_give_the_widest_early_row_as_a_guess(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Gebiet;Wirtschaftszweig;Jahr;Beschaeftigte\nDE11;C29;2020;145162,0\n", encoding="utf-8")
    shown = preview_file(path)
    assert not shown.header_found and shown.header == ["Gebiet", "Wirtschaftszweig", "Jahr", "Beschaeftigte"]
    assert shown.rows == [["DE11", "C29", "2020", "145162,0"]]


def test_workbook_preview_lists_sheets_and_finds_the_header(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["read me"])
    sheet = book.create_sheet("Data")
    sheet.append(["Employment 2020"])
    sheet.append(["region", "sector", "value"])
    sheet.append(["DE11", "C29", 145162])
    book.save(path)
    shown = preview_file(path, sheet="Data")
    assert shown.sheets == ["Notes", "Data"] and shown.sheet == "Data"
    assert shown.header == ["region", "sector", "value"] and shown.header_line == 2 and shown.header_found
    assert shown.rows == [["DE11", "C29", "145162"]]


def test_unreadable_file_names_the_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty.csv"):
        preview_file(path)
