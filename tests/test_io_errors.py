"""Every way a file can be wrong: an InputError naming file, line and column (or a UsageError), never a traceback."""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.io import read_dataset

DATA = Path(__file__).parent / "data" / "io"
EUROSTAT = (DATA / "eurostat_small.tsv").read_text()


def input_error(path: Path, line: int | None, column: object, *words: str, **options) -> InputError:
    """Read ``path`` expecting an InputError at ``line``/``column`` whose message names them and ``words``."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(InputError) as exc:
        read_dataset(path, **options)
    err, text = exc.value, str(exc.value)
    assert str(path) in text
    assert (err.line, err.column) == (line, column), text
    if line is not None:
        assert f"line {line}" in text
    if column is not None:
        assert f"column {column!r}" in text if isinstance(column, str) else f"column {column}" in text
    for word in words:
        assert word in text, text
    if before is not None:
        assert path.read_bytes() == before  # inputs are never modified
    return err


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# ------------------------------------------------------------------ the file itself

def test_missing_file_and_folder(tmp_path):
    input_error(tmp_path / "nope.tsv", None, None, "not found")
    input_error(tmp_path, None, None, "folder")


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", gzip.compress(b"", mtime=0)], ids=["empty", "blank-lines", "empty-gzip"])
def test_empty_file(tmp_path, content):
    input_error(write(tmp_path, "empty.tsv", content), 1, 1, "empty")


def test_truncated_gzip(tmp_path):
    data = gzip.compress(EUROSTAT.encode() * 50)
    input_error(write(tmp_path, "cut.tsv.gz", data[: len(data) // 2]), 1, 1, "gzip", "download it again")


def test_binary_file(tmp_path):
    input_error(write(tmp_path, "image.csv", b"region,sector\nDE11,C\x00\x01\x02\x03"), 2, 7, "binary")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    input_error(path, 1, 1, "not an Excel workbook")


def test_legacy_xls(tmp_path):
    input_error(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), 1, 1, ".xlsx")


# ------------------------------------------------------------------ Eurostat TSV structure

def test_eurostat_header_with_non_year_column(tmp_path):
    path = write(tmp_path, "q.tsv", "nace_r2,indic_sb,geo\\time\t2015Q1 \t2014Q4 \nC29,V16110,DE11\t1 \t2 \n")
    input_error(path, 1, 2, "2015Q1", "not a year")


def test_eurostat_header_without_nace(tmp_path):
    path = write(tmp_path, "n.tsv", "unit,indic_sb,geo\\time\t2015 \nNR,V16110,DE11\t1 \n")
    input_error(path, 1, 1, "nace")


def test_eurostat_short_row(tmp_path):
    lines = EUROSTAT.splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0]
    input_error(write(tmp_path, "short.tsv", "\n".join(lines) + "\n"), 4, 4, "3 fields", "header has 4")


def test_eurostat_broken_key(tmp_path):
    lines = EUROSTAT.splitlines()
    lines[2] = lines[2].replace("C29,V16110,DE11", "C29,V16110DE11")
    # the substring test still finds the row: its key has two parts instead of three
    input_error(write(tmp_path, "key.tsv", "\n".join(lines) + "\n"), 3, 1, "2 parts")


def test_eurostat_mostly_unreadable(tmp_path):
    text = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \nC29,V16110,DE11\tn/a\t#REF!\nC,V16110,DE11\t5 \t1.2.3\n"
    input_error(write(tmp_path, "bad.tsv", text), 2, "2015", "3 of 4", "'n/a'")


def test_unknown_indicator_and_format_and_options(tmp_path):
    path = write(tmp_path, "e.tsv", EUROSTAT)
    with pytest.raises(UsageError, match="V16110"):
        read_dataset(path, indicator="V00000")
    with pytest.raises(UsageError, match="eurostat-tsv"):
        read_dataset(path, format="parquet")
    with pytest.raises(UsageError, match="separator"):
        read_dataset(path, sep="#")
    with pytest.raises(UsageError, match="decimal"):
        read_dataset(path, decimal="x")


def test_forced_format_that_does_not_fit(tmp_path):
    path = write(tmp_path, "e.tsv", EUROSTAT)
    input_error(path, 1, 1, "TIME_PERIOD", format="sdmx-csv")


# ------------------------------------------------------------------ SDMX-CSV structure

SDMX_HEAD = "DATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"


def test_sdmx_ragged_row(tmp_path):
    path = write(tmp_path, "r.csv", SDMX_HEAD + "X,t,A,V16110,C29,DE11,2021,5,\nX,t,A,V16110,C29,DE12,2021,5\n")
    input_error(path, 3, 9, "8 fields", "header has 9")


def test_sdmx_quarterly_period(tmp_path):
    path = write(tmp_path, "q.csv", SDMX_HEAD + "X,t,Q,V16110,C29,DE11,2021-Q1,5,\n")
    input_error(path, 2, "TIME_PERIOD", "2021-Q1", "annual")


def test_sdmx_without_geo(tmp_path):
    path = write(tmp_path, "g.csv", "DATAFLOW,freq,indic_sbs,nace_r2,TIME_PERIOD,OBS_VALUE\nX,A,V16110,C29,2021,5\n")
    input_error(path, 1, 1, "geo")


# ------------------------------------------------------------------ generic tables

def test_no_recognisable_header(tmp_path):
    path = write(tmp_path, "x.csv", "a,b,c,d\n1,2,3,4\n")
    input_error(path, 1, 1, "no header row", "--region-col")


def test_override_naming_a_missing_column(tmp_path):
    path = write(tmp_path, "x.csv", "region,sector,year,value\nDE11,C29,2015,5\n")
    input_error(path, 1, "Employees", "no column named 'Employees'", "'region', 'sector'", value_col="Employees")


def test_missing_value_column(tmp_path):
    path = write(tmp_path, "x.csv", "region;sector;year;remarks\nDE11;C29;2015;5\n")
    input_error(path, 1, "value", "no value column", "--value-col")


def test_generic_row_with_too_many_fields(tmp_path):
    path = write(tmp_path, "x.csv", "region;sector;year;value\nDE11;C29;2015;5\nDE11;C30;2015;5;9\n")
    input_error(path, 3, 5, "5 fields", "header has 4")


def test_generic_row_with_too_few_fields(tmp_path):
    path = write(tmp_path, "x.csv", "region;sector;year;value\nDE11;C29;2015;5\nDE11;C30;2015\nDE11;C31;2015;7\n")
    input_error(path, 3, 4, "3 fields", "header has 4")


def test_year_column_that_is_not_years(tmp_path):
    path = write(tmp_path, "x.csv", "region,sector,year,value\nDE11,C29,alpha,5\nDE11,C30,beta,6\nDE11,C31,2015,7\n")
    input_error(path, 2, "year", "not years", "--year-col")


def test_wrong_value_column_is_mostly_unreadable(tmp_path):
    path = write(tmp_path, "x.csv", "region,sector,year,value,label\nDE11,C29,2015,5,motor\nDE11,C30,2015,6,other\n")
    input_error(path, 2, "label", "2 of 2", "--value-col", value_col="label")


def test_a_few_bad_cells_do_not_block_a_file(tmp_path):
    rows = "".join(f"DE{i:02d},C29,2015,{i}\n" for i in range(10, 30))
    path = write(tmp_path, "x.csv", "region,sector,year,value\n" + rows + "DE99,C29,2015,12:00 AM\n"
                 "DE98,C29,2015,#REF!\n")
    report = read_dataset(path).report
    assert report.n_unreadable == 2 and report.n_cells == 22
    assert [(i.line, i.column, i.text) for i in report.issues] == [(22, "value", "12:00 AM"), (23, "value", "#REF!")]


def test_xlsx_without_header_and_outside_cell(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Data"
    book.active.append(["foo", "bar"])
    book.active.append([1, 2])
    path = tmp_path / "nohead.xlsx"
    book.save(path)
    input_error(path, 1, 1, "sheet 'Data'", "'foo'", "--sheet")
    book = openpyxl.Workbook()
    for row in (["region", "sector", "year", "value"], ["DE11", "C29", 2015, 5], ["DE11", "C30", 2015, 5, None, "x"]):
        book.active.append(row)
    path = tmp_path / "outside.xlsx"
    book.save(path)
    input_error(path, 3, 6, "outside the header")


def test_damaged_workbook_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["region", "sector", "year", "value"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)
    input_error(path, 1, 1, "damaged", "save it again")


@pytest.mark.parametrize("junk", [b"\xff\xfe\x00\xd8", b"PK\x03\x04garbage", b"\x1f\x8b\x08\x00garbage",
                                  bytes(range(256)) * 4, "région;ça\n".encode("latin-1") * 3])
def test_junk_never_crashes(tmp_path, junk):
    with pytest.raises((InputError, UsageError)):
        read_dataset(write(tmp_path, "junk.csv", junk))


def test_an_unrecognised_format_names_the_option_that_exists(tmp_path):
    """The hint said --format, which the CLI does not have (it is --input-format)."""
    from clustermapper.cli import build_parser

    path = tmp_path / "odd.tsv"
    path.write_text("nace_r2,indic_sb,geo\\time" + "\t2014" * 300_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_dataset(path)
    option = re.search(r"--[a-z-]+", str(info.value)).group(0)
    assert option == "--input-format"
    build_parser("stars").parse_args(["stars", option, "eurostat-tsv"])  # the named option exists
