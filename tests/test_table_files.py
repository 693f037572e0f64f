"""Writers of a displayed table (render/table_files.py): TSV text, CSV and XLSX keep numbers as numbers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from clustermapper.render.table_files import (
    frame_to_tsv,
    read_frame_csv,
    tidy_numbers,
    write_frame_csv,
    write_frame_xlsx,
)


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Code": ["C29", "C28", "=SUM(A1)"],
        "Employees": [200000.0, 84751.6, float("nan")],
        "Employees (as shown)": ["200,000", "≈ 84,752 est.", "n/a"],
        "Stars": [3.0, 2.0, float("nan")],
        "Focus": [0.2, 0.125, 0.0],
    })


def test_tsv_has_a_header_and_plain_numbers() -> None:
    text = frame_to_tsv(frame())
    assert text == ("Code\tEmployees\tEmployees (as shown)\tStars\tFocus\n"
                    "C29\t200000.0\t200,000\t3\t0.2\n"
                    "C28\t84751.6\t≈ 84,752 est.\t2\t0.125\n"
                    "=SUM(A1)\t\tn/a\t\t0.0\n")


def test_tsv_texts_with_tabs_and_newlines_stay_one_cell() -> None:
    assert frame_to_tsv(pd.DataFrame({"a": ["x\ty\nz"]})) == "a\nx y z\n"


def test_whole_float_columns_become_integers_and_others_stay() -> None:
    tidy = tidy_numbers(frame())
    assert str(tidy["Stars"].dtype) == "Int64" and tidy["Stars"].tolist()[:2] == [3, 2]
    assert tidy["Employees"].dtype == float  # 84751.6 is not whole: nothing is rounded


def test_csv_round_trip(tmp_path: Path) -> None:
    path = write_frame_csv(frame(), tmp_path / "t.csv")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel reads ★/≈ as UTF-8
    back = read_frame_csv(path)
    pd.testing.assert_frame_equal(back, tidy_numbers(frame()), check_dtype=False)
    assert os.listdir(tmp_path) == ["t.csv"]  # no temp file left


def test_xlsx_round_trip_numbers_formats_and_no_formulas(tmp_path: Path) -> None:
    path = write_frame_xlsx(frame(), tmp_path / "t.xlsx", sheet="Region portfolio: DE11?", formats={"Focus": "0.0%"},
                            notes={"source": "test"})
    book = openpyxl.load_workbook(path)
    sheet = book["Region portfolio_ DE11_"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(frame().columns)
    assert rows[1] == ("C29", 200000, "200,000", 3, 0.2)
    assert rows[2] == ("C28", 84751.6, "≈ 84,752 est.", 2, 0.125)
    assert rows[3] == ("=SUM(A1)", None, "n/a", None, 0)
    assert sheet["A4"].data_type == "s"  # a label looking like a formula stays text
    assert sheet["E2"].number_format == "0.0%" and sheet["D2"].number_format == "#,##0"
    assert [tuple(r) for r in book["about"].iter_rows(values_only=True)] == [("source", "test")]
    assert os.listdir(tmp_path) == ["t.xlsx"]


def test_files_get_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        csv = write_frame_csv(frame(), tmp_path / "a.csv")
        xlsx = write_frame_xlsx(frame(), tmp_path / "a.xlsx")
    finally:
        os.umask(old)
    for path in (csv, xlsx):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    class Boom:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_frame_xlsx(pd.DataFrame({"a": [1]}).set_axis([Boom()], axis=1), tmp_path / "b.xlsx")
    assert os.listdir(tmp_path) == []
