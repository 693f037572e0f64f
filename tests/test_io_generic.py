"""Generic CSV/TSV/XLSX reader: long and wide tables, separators, decimal marks, typed spreadsheet cells."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.io import TIDY_COLUMNS, read_dataset

DATA = Path(__file__).parent / "data" / "io"


def cell(table: pd.DataFrame, region: str, sector: str, year: int) -> pd.Series:
    rows = table[(table.region == region) & (table.sector == sector) & (table.year == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_confidential_cells_from_the_value_text_or_the_flag_column(tmp_path):
    # ": c" in the value, or an empty value flagged c in the flag column, is confidential; a number
    # flagged c stays a number; ":" and "" without c are missing. Flags keep their letters, file's first.
    path = tmp_path / "flags.csv"
    path.write_text("region;sector;year;value;flag\n"
                    "DE11;C29;2015;: c;\n" "DE11;C10;2015;;c\n" "DE11;C20;2015;12 d;c\n"
                    "DE12;C29;2015;:;\n" "DE12;C10;2015;;e\n" "DE12;C20;2015;7;\n", encoding="utf-8")
    result = read_dataset(path)
    t = result.table
    assert (result.report.n_confidential, result.report.n_missing) == (2, 2)
    assert [cell(t, "DE11", s, 2015).flag for s in ("C29", "C10", "C20")] == ["c", "c", "cd"]
    assert [cell(t, "DE12", s, 2015).flag for s in ("C29", "C10", "C20")] == ["", "e", ""]
    assert cell(t, "DE11", "C20", 2015).value == 12.0 and math.isnan(cell(t, "DE11", "C10", 2015).value)
    # without a flag column the letters come from the value texts alone (each distinct text read once)
    path.write_text("region,sector,year,value\nDE11,C29,2015,: c\nDE11,C10,2015,: cd\nDE12,C29,2015,:\n"
                    "DE12,C10,2015,12 c\nDE12,C20,2015,: c\n", encoding="utf-8")
    result = read_dataset(path)
    assert (result.report.n_confidential, result.report.n_missing) == (3, 1)
    assert result.table["flag"].tolist() == ["c", "cd", "", "c", "c"]


def test_long_semicolon_decimal_comma_title_rows_and_12am():
    result = read_dataset(DATA / "long_semicolon.csv")
    t = result.table
    assert tuple(t.columns) == TIDY_COLUMNS and result.report.format == "csv"
    assert cell(t, "DE11", "C29", 2015).value == 1234.5  # "de11", "C 29", "1.234,5"
    assert math.isnan(cell(t, "DE11", "C291", 2015).value)  # "C29.1" / "12:00 AM"
    assert math.isnan(cell(t, "FR10", "C29", 2015).value) and cell(t, "FR10", "C29", 2015).flag == "c"
    assert (cell(t, "FR10", "C29", 2014).value, cell(t, "FR10", "C29", 2014).flag) == (3.5, "p")
    assert cell(t, "FR10", "C10", 2014).value == 10000  # "10.000" with a decimal comma
    r = result.report
    assert (r.n_cells, r.n_missing, r.n_confidential, r.n_unreadable) == (5, 0, 1, 1)
    assert [(i.line, i.column, i.text) for i in r.issues] == [(5, "Persons employed", "12:00 AM")]
    assert any("decimal comma" in n for n in r.notes)
    assert any("line 3" in n for n in r.notes)  # header found below the title rows


def test_explicit_decimal_point_makes_most_cells_unreadable():
    from clustermapper.errors import InputError

    with pytest.raises(InputError) as exc:
        read_dataset(DATA / "long_semicolon.csv", decimal=".")
    assert exc.value.line == 4 and exc.value.column == "Persons employed"


def test_wide_tsv_with_inline_flags_and_ambiguous_thousands():
    result = read_dataset(DATA / "wide.tsv")
    t = result.table
    assert len(t) == 6
    assert cell(t, "DE11", "C29", 2014).value == 1234  # "1,234" next to integers: a thousands separator
    assert any("ambiguous" in n for n in result.report.notes)
    assert cell(t, "DE11", "C29", 2015).value == 999
    assert math.isnan(cell(t, "FR10", "C29", 2014).value)
    assert (cell(t, "FR10", "C29", 2015).value, cell(t, "FR10", "C29", 2015).flag) == (1455, "d")
    assert math.isnan(cell(t, "FR10", "C10", 2014).value) and cell(t, "FR10", "C10", 2014).flag == "c"
    r = result.report
    assert (r.n_cells, r.n_missing, r.n_confidential, r.n_unreadable) == (6, 1, 1, 0)
    assert read_dataset(DATA / "wide.tsv", decimal=",").table.pipe(cell, "DE11", "C29", 2014).value == 1.234


def test_comma_separated_quoted_thousands_and_overrides(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text('Territory,Branch,Jahr,Beschaeftigte\nAT13,C29,2019,"1,234.5"\nAT13,C30,2019,"2,000,000"\n')
    # nothing recognisable without overrides: the error says which options to use
    with pytest.raises(InputError, match=r"no header row naming the region and sector columns.*--region-col"):
        read_dataset(path)
    t = read_dataset(path, region_col="territory", sector_col="BRANCH", year_col="3", value_col="Beschaeftigte").table
    assert cell(t, "AT13", "C29", 2019).value == 1234.5 and cell(t, "AT13", "C30", 2019).value == 2_000_000


def test_separator_override_and_pipe(tmp_path):
    path = tmp_path / "pipe.txt"
    path.write_text("nuts_id|nace|time|obs_value\nITC4|C29|2020|17\n")
    assert read_dataset(path).table.value.tolist() == [17.0]
    assert read_dataset(path, sep="|").table.value.tolist() == [17.0]


def test_indicator_column_and_duplicates(tmp_path):
    path = tmp_path / "ind.csv"
    path.write_text("geo,nace_r2,indic_sb,year,value\nDE11,C29,V16110,2015,5\nDE11,C29,V11210,2015,2\n"
                    "DE11,C29,V16110,2015,6\n")
    with pytest.raises(InputError) as conflict:  # two V16110 values for one cell: never silently one of them
        read_dataset(path)
    assert conflict.value.line == 4 and "lines 2 and 4" in str(conflict.value) and "5 and 6" in str(conflict.value)
    result = read_dataset(path, duplicates="first")
    assert result.table.value.tolist() == [5.0] and result.indicator == "V16110"
    note = next(n for n in result.report.notes if "duplicate" in n)
    assert "lines 2 and 4" in note and "different value" in note
    assert read_dataset(path, indicator="V11210").table.value.tolist() == [2.0]
    with pytest.raises(UsageError) as exc:
        read_dataset(path, indicator="V13320")
    assert "V11210" in str(exc.value) and "V16110" in str(exc.value)


def test_windows_1252_file(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes("Région;Secteur;Année;Valeur\nFR10;C29;2015;4\n".encode("cp1252"))
    result = read_dataset(path, region_col="Région", sector_col="Secteur", year_col="Année", value_col="Valeur")
    assert result.table.value.tolist() == [4.0]
    assert any("Windows-1252" in n for n in result.report.notes)


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8"), lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), lambda t: t.encode("utf-16"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"), lambda t: t.encode("cp1252")], ids=[
    "utf-8", "utf-8 BOM", "utf-16", "CRLF", "cp1252"])
def test_the_parser_gets_the_text_whatever_the_bytes(tmp_path, encode):
    # the CSV parser reads the file's own bytes only when they are UTF-8 text as it is (no BOM, no CR)
    from clustermapper.io.source import open_source

    text = "Région;Sektor;Jahr;Wert\nFR10;C29;2015;4\nDE11;C29;2015;5\n"
    path = tmp_path / "t.csv"
    path.write_bytes(encode(text))
    source = open_source(path)
    assert source.text_bytes().decode("utf-8") == text
    assert (source.text_bytes() is source.data) == (path.read_bytes() == text.encode("utf-8"))
    result = read_dataset(path, region_col="Région", sector_col="Sektor", year_col="Jahr", value_col="Wert")
    assert result.table.value.tolist() == [4.0, 5.0]


def test_xlsx_long_typed_cells(tmp_path):
    path = write_xlsx(tmp_path / "long.xlsx", {
        "Notes": [["This sheet has no data"]],
        "Data": [
            ["Employment 2015"], [],
            ["NUTS", "NACE", "Year", "Employment"],
            ["DE11", "C29", 2015, 145162],
            ["DE11", "C30", 2015.0, 12.5],
            ["FR10", "C29", dt.datetime(2015, 1, 1), None],
            ["FR10", "C30", 2015, dt.time(0, 0)],  # "12:00 AM" typed into a spreadsheet
            ["FR10", "C10", 2015, "1.234,5"],
        ],
    })
    result = read_dataset(path)
    t = result.table
    assert result.report.format == "xlsx"
    assert cell(t, "DE11", "C29", 2015).value == 145162 and cell(t, "DE11", "C30", 2015).value == 12.5
    assert math.isnan(cell(t, "FR10", "C29", 2015).value)
    assert math.isnan(cell(t, "FR10", "C30", 2015).value)
    assert cell(t, "FR10", "C10", 2015).value == 1234.5
    r = result.report
    assert (r.n_cells, r.n_missing, r.n_unreadable) == (5, 1, 1)
    assert [(i.line, i.column, i.text) for i in r.issues] == [(7, "Employment", "00:00:00")]
    assert any("'Data'" in n for n in r.notes) and any("dates" in n for n in r.notes)


def test_xlsx_wide_with_number_headers_and_sheet_choice(tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", {
        "first": [["region", "sector", 2014, 2015], ["DE11", "C29", 1, 2]],
        "second": [["region", "sector", 2014.0, "2015"], ["DE11", "C29", 3, 4]],
    })
    assert read_dataset(path).table.value.tolist() == [1.0, 2.0]
    for sheet in ("second", "SECOND", "2", 2):
        t = read_dataset(path, sheet=sheet).table
        assert t.value.tolist() == [3.0, 4.0] and t.year.tolist() == [2014, 2015]
    with pytest.raises(UsageError) as exc:
        read_dataset(path, sheet="third")
    assert "first" in str(exc.value) and "second" in str(exc.value)


def test_xlsx_rows_beyond_a_stale_dimension_are_read(tmp_path):
    # Writers record the used range in <dimension>; openpyxl's read-only sheets stopped there, so rows 4-5
    # (and a value outside the header's columns) vanished without a word.
    import re
    import zipfile

    full = write_xlsx(tmp_path / "full.xlsx", {"s": [["region", "sector", "year", "value"]] + [
        [r, "C29", 2014, v] for r, v in (("DE11", 5000), ("DE12", 3000), ("DE13", 2000), ("DE14", 9000))]})
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(stale, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data, n = re.subn(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:B3"/>', data)
                assert n == 1
            dst.writestr(item, data)
    table = read_dataset(stale).table
    assert table.region.tolist() == ["DE11", "DE12", "DE13", "DE14"] and table.value.sum() == 19000


def test_numeric_looking_columns_keep_their_text(tmp_path):
    # pandas 3.1 reads dtype="category" columns as numbers when every cell looks like one (GH 56044): the
    # code "0111" became "111", and "5.000" (five thousand, a thousands dot) became 5 persons employed.
    path = tmp_path / "semi.csv"
    path.write_text("region;sector;year;value\nDE11;0111;2014;1.234\nDE12;0111;2014;5.000\n"
                    "DE13;2910;2014;12.500\n", encoding="utf-8")
    result = read_dataset(path)
    assert result.table.sector.tolist() == ["A0111", "A0111", "C2910"]  # their text, then the section letter
    assert result.table.value.tolist() == [1234, 5000, 12500]
    assert any("ambiguous" in n for n in result.report.notes)
    assert read_dataset(path, decimal=".").table.value.tolist() == [1.234, 5, 12.5]  # as asked, no guess


def test_flag_letters_outside_eurostats_list_are_noted(tmp_path):
    # "1455 q" passed as a plain published 1455 without a word; Eurostat's own letters stay silent
    tsv = tmp_path / "f.tsv"
    tsv.write_text("indic_sb,nace_r2,geo\\time\t2014 \nV16110,C29,DE11\t1455 q \nV16110,C29,DE12\t1000 bd \n"
                   "V16110,C29,DE13\t900 qz \n", encoding="utf-8")
    result = read_dataset(tsv)
    notes = [n for n in result.report.notes if "not Eurostat's" in n]
    assert len(notes) == 1 and "'q' (1 cell, e.g. DE11 C29 2014)" in notes[0] and "'qz' (1 cell" in notes[0]
    assert "'bd'" not in notes[0] and result.table.value.tolist() == [1455, 1000, 900]
    csv = tmp_path / "f.csv"
    csv.write_text("region,sector,year,value,flag\nDE11,C29,2014,5,p\nDE12,C29,2014,6,bc\n", encoding="utf-8")
    assert not [n for n in read_dataset(csv).report.notes if "not Eurostat's" in n]


def test_sector_codes_without_their_section_letter_get_it_from_the_division(tmp_path):
    # national tables write 29.10 or 0111: no taxonomy matched them and the analysis had no rows
    path = tmp_path / "n.csv"
    path.write_text("region,sector,year,value\nDE11,29.10,2014,5\nDE12,29,2014,6\nDE13,C29,2014,7\n"
                    "DE11,01.11,2014,8\nDE11,00,2014,9\nDE11,G47,2014,10\n", encoding="utf-8")
    result = read_dataset(path)
    assert result.table.sector.tolist() == ["C2910", "C29", "C29", "A0111", "00", "G47"]
    notes = [n for n in result.report.notes if "section letter" in n]
    assert len(notes) == 1 and "and 2 more" in notes[0]  # 2910, 29 and 0111; "00" starts no division


def test_long_csv_year_cells(tmp_path):
    path = tmp_path / "years.csv"
    path.write_text("region,sector,year,value\nDE11,C29,2015.0,1\nDE11,C29,2016-12-31,2\nDE11,C29,31.12.2017,3\n"
                    "DE11,C29,n/a,4\n")
    with pytest.raises(InputError) as exc:  # a year that is not one is an error unless asked to skip it
        read_dataset(path)
    assert (exc.value.line, exc.value.column) == (5, "year") and "'n/a'" in str(exc.value)
    result = read_dataset(path, bad_years="skip")
    assert result.table.year.tolist() == [2015, 2016, 2017]
    assert [(i.line, i.column, i.text) for i in result.report.issues] == [(5, "year", "n/a")]


@pytest.mark.shared
def test_real_data_as_long_decimal_comma_and_wide_xlsx(eurostat_file, tmp_path):
    tsv = read_dataset(eurostat_file).table
    de = tsv[tsv.region.str.startswith("DE")].reset_index(drop=True)
    long_path = tmp_path / "long.csv"
    de.to_csv(long_path, sep=";", decimal=",", index=False)
    back = read_dataset(long_path).table
    pd.testing.assert_frame_equal(de[["region", "sector", "year", "value"]], back[["region", "sector", "year", "value"]])
    wide = de.pivot(index=["region", "sector"], columns="year", values="value").reset_index()
    xlsx = tmp_path / "wide.xlsx"
    wide.to_excel(xlsx, index=False)
    got = read_dataset(xlsx).table.merge(de, on=["region", "sector", "year"], suffixes=("", "_tsv"))
    assert len(got) == len(de)
    pd.testing.assert_series_equal(got.value, got.value_tsv, check_names=False)
