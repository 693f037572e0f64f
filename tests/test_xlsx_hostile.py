"""Hostile workbooks: zip bombs are refused from the zip directory before openpyxl inflates anything, and
formula cells without a saved result are reported at their cell instead of read silently as empty."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clustermapper.errors import InputError
from clustermapper.io import read_dataset, xlsx_zip


def _workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(path: Path, padding_mb: int) -> Path:
    """A valid workbook whose sheet XML carries ``padding_mb`` MB of spaces (deflate packs them ~1,000:1)."""
    source = zipfile.ZipFile(io.BytesIO(_workbook([["region", "sector", "year", "value"], ["DE11", "C29", 2015, 5]])))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(head)
                for _ in range(padding_mb):
                    fh.write(b" " * (1 << 20))
                fh.write(b"</sheetData>" + tail)
    return path


def test_a_zip_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 300)  # 300 MB of sheet XML in ~300 kB
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    with pytest.raises(InputError) as info:
        read_dataset(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    text = str(info.value)
    assert str(path) in text and "'xl/worksheets/sheet1.xml'" in text and "a zip bomb" in text and "300.0 MB" in text
    assert info.value.line == 1
    assert peak < 50 << 20  # nothing was inflated (openpyxl would hold the 300 MB sheet)


def test_the_total_inflated_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.xlsx"
    path.write_bytes(_workbook([["region", "sector", "year", "value"]] + [["DE11", f"C{i}", 2015, i] for i in range(2000)]))
    assert len(read_dataset(path).table) == 2000
    monkeypatch.setattr(xlsx_zip, "MAX_XLSX_INFLATED", 20_000)  # below this workbook's parts
    with pytest.raises(InputError, match="workbook inflates to more than 0.0 MB"):
        read_dataset(path)


def test_a_genuine_workbook_passes_the_check(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "padded.xlsx", 5)  # 5 MB of padding: under the 16 MB floor of the ratio rule
    assert read_dataset(path).table["value"].tolist() == [5.0]


def test_formulas_without_a_saved_result_are_named_at_their_cell(tmp_path: Path) -> None:
    rows = [["region", "sector", "year", "value"], ["DE11", "C29", 2015, "=B9*2"]]
    rows += [[f"DE2{i}", "C29", 2015, 100 + i] for i in range(4)] + [["=A2", "C29", 2015, 7]]
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(_workbook(rows))  # openpyxl writes formulas without results, as scripts do
    result = read_dataset(path)
    assert result.table["region"].tolist() == ["DE11", "DE20", "DE21", "DE22", "DE23"]  # the '=A2' row has no code
    assert result.table["value"].isna().tolist() == [True, False, False, False, False]
    issue = next(i for i in result.report.issues if i.column == "value")
    assert (issue.line, issue.text) == (2, "=B9*2 (a formula without a saved result)")
    assert any("line 2, column 'value': '=B9*2 (a formula without a saved result)'" in n for n in result.report.notes)
    assert any("lines 7" in n for n in result.report.notes)  # the row whose region is a formula


def test_a_sheet_of_formulas_only_is_an_error_at_the_first(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    path.write_bytes(_workbook([["region", "sector", "year", "value"], ["DE11", "C29", 2015, "=1+2"],
                                ["DE12", "C29", 2015, "=3"]]))
    with pytest.raises(InputError) as info:
        read_dataset(path)
    assert (info.value.line, info.value.column) == (2, "value")
    assert "save it there, which stores each formula's result" in str(info.value)


def test_cached_formula_results_are_read(tmp_path: Path) -> None:
    path = tmp_path / "cached.xlsx"
    path.write_bytes(_workbook([["region", "sector", "year", "value"], ["DE11", "C29", 2015, "=1+2"]]))
    with zipfile.ZipFile(path) as z:  # what a spreadsheet saves: the formula and its result
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"<v />", b"<v>3</v>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = read_dataset(path)
    assert result.table["value"].tolist() == [3.0] and result.report.issues == []
