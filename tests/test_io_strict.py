"""Readers refuse what they cannot trust and say what they did: a year named twice, year labels that are not
years, two values for one cell, files without any year; the options that accept them; the CLI prints every
reader note on stderr."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from clustermapper.cli import main
from clustermapper.errors import InputError, UsageError
from clustermapper.io import read_dataset

TSV_HEAD = "nace_r2,indic_sb,geo\\time"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def error(path: Path, **options) -> InputError:
    with pytest.raises(InputError) as exc:
        read_dataset(path, **options)
    assert str(path) in str(exc.value)
    return exc.value


def values(path: Path, **options) -> list[tuple[str, int, float]]:
    t = read_dataset(path, **options).table
    return list(zip(t.sector, t.year, t.value))


# ------------------------------------------------------------------ a year named twice in a header

def test_eurostat_tsv_year_named_twice(tmp_path):
    path = write(tmp_path, "dup.tsv", f"{TSV_HEAD}\t2015 \t2014 \t2014 \nC29,V16110,DE11\t10 \t20 \t30 \n")
    err = error(path)
    assert (err.line, err.column) == (1, 4) and "2014" in err.message and "--duplicates" in err.hint
    assert values(path, duplicates="first") == [("C29", 2015, 10), ("C29", 2014, 20)]
    assert values(path, duplicates="last") == [("C29", 2015, 10), ("C29", 2014, 30)]


def test_eurostat_tsv_year_named_twice_with_equal_cells_still_needs_the_option(tmp_path):
    path = write(tmp_path, "dup.tsv", f"{TSV_HEAD}\t2014 \t2014 \nC29,V16110,DE11\t20 \t20 \n")
    assert error(path).line == 1
    result = read_dataset(path, duplicates="first")
    assert result.table.value.tolist() == [20.0]
    assert any("all had the same value" in n for n in result.report.notes)


def test_generic_wide_year_named_twice(tmp_path):
    path = write(tmp_path, "dup.csv", "region;sector;y2014;2014\nDE11;C29;1;2\n")
    err = error(path)
    assert (err.line, err.column) == (1, "2014") and "columns 3 and 4" in err.message
    assert values(path, duplicates="last") == [("C29", 2014, 2)]


# ------------------------------------------------------------------ year labels

@pytest.mark.parametrize("label", ["2015", "y2015", "Y2015", "n2015", "2015 ", "X2015"])
def test_wide_year_columns_recognised(tmp_path, label):
    path = write(tmp_path, "wide.csv", f"region;sector;{label};2016\nDE11;C29;1;2\n")
    assert values(path) == [("C29", 2015, 1), ("C29", 2016, 2)]
    tsv = write(tmp_path, "wide.tsv", f"{TSV_HEAD}\t{label}\t2016 \nC29,V16110,DE11\t1 \t2 \n")
    assert values(tsv) == [("C29", 2015, 1), ("C29", 2016, 2)]


def test_single_wide_year_column_semicolon(tmp_path):
    path = write(tmp_path, "one.csv", "nace_r2;geo;n2015\nC29;DE11;5\nC30;DE11;7\n")
    assert values(path) == [("C29", 2015, 5), ("C30", 2015, 7)]


def test_wide_year_columns_in_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    for row in (["region", "sector", "y2014", "2015 "], ["DE11", "C29", 3, 4]):
        book.active.append(row)
    book.save(tmp_path / "w.xlsx")
    assert values(tmp_path / "w.xlsx") == [("C29", 2014, 3), ("C29", 2015, 4)]


def test_unparseable_wide_year_label_is_an_error(tmp_path):
    path = write(tmp_path, "fy.csv", "region,sector,2009,FY2010\nDE11,C29,1,2\nDE12,C29,3,4\n")
    err = error(path)
    assert (err.line, err.column) == (1, "FY2010") and "--bad-years skip" in err.hint
    result = read_dataset(path, bad_years="skip")
    assert result.table.year.tolist() == [2009, 2009]
    assert any("'FY2010'" in n and "skipped" in n for n in result.report.notes)


def test_unparseable_eurostat_year_label(tmp_path):
    path = write(tmp_path, "fy.tsv", f"{TSV_HEAD}\t2015 \tFY2014 \nC29,V16110,DE11\t1 \t2 \nC30,V16110,DE11\t3 \tx \n")
    err = error(path)
    assert (err.line, err.column) == (1, 3) and "FY2014" in err.message
    assert values(path, bad_years="skip") == [("C29", 2015, 1), ("C30", 2015, 3)]


def test_unparseable_year_cells_in_a_long_table(tmp_path):
    # half the rows: today's threshold for "a column of non-years" is more than half
    path = write(tmp_path, "fy.csv", "region,sector,year,value\nDE11,C29,FY2010,1\nDE11,C29,2011,2\n"
                                     "DE11,C30,2011,4\nDE11,C30,FY2010,4\n")
    err = error(path)
    assert (err.line, err.column) == (2, "year") and "'FY2010'" in err.message and "2 such cells" in err.message
    result = read_dataset(path, bad_years="skip")
    assert result.table.year.tolist() == [2011, 2011] and len(result.report.issues) == 2


def test_sdmx_period_that_is_not_a_year_can_be_skipped(tmp_path):
    path = write(tmp_path, "q.csv", "DATAFLOW,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE\n"
                                    "X,A,EMP_LOC_NR,C29,DE11,2021,5\nX,A,EMP_LOC_NR,C29,DE11,2021-Q1,7\n")
    err = error(path)
    assert (err.line, err.column) == (3, "TIME_PERIOD")
    assert values(path, bad_years="skip") == [("C29", 2021, 5)]


def test_unknown_option_values_are_usage_errors(tmp_path):
    path = write(tmp_path, "x.csv", "region,sector,year,value\nDE11,C29,2015,5\n")
    for options in ({"duplicates": "max"}, {"bad_years": "ignore"}, {"year_label": "FY15"}):
        with pytest.raises(UsageError):
            read_dataset(path, **options)


# ------------------------------------------------------------------ two values for one cell

def test_conflicting_duplicate_rows_name_both_lines(tmp_path):
    path = write(tmp_path, "dup.csv", "region,sector,year,value\nDE11,C29,2011,1\nDE12,C29,2011,9\n"
                                      "DE11,C29,2011,2\n")
    err = error(path)
    assert (err.line, err.column) == (4, "value") and "lines 2 and 4" in err.message and "1 and 2" in err.message
    assert "--duplicates" in err.hint
    assert values(path, duplicates="first") == [("C29", 2011, 1), ("C29", 2011, 9)]
    assert values(path, duplicates="last") == [("C29", 2011, 9), ("C29", 2011, 2)]


def test_conflicting_duplicate_rows_in_a_eurostat_tsv(tmp_path):
    path = write(tmp_path, "dup.tsv", f"{TSV_HEAD}\t2015 \nC29,V16110,DE11\t10 \nC29,V16110,DE11\t11 \n")
    err = error(path)
    assert err.line == 3 and "lines 2 and 3" in err.message


def test_identical_duplicates_are_dropped_with_a_note(tmp_path):
    path = write(tmp_path, "dup.csv", "region,sector,year,value\nDE11,C29,2011,1\nDE11,C29,2011,1\n"
                                      "DE11,C30,2011,\nDE11,C30,2011,\n")
    result = read_dataset(path)
    assert len(result.table) == 2
    note = next(n for n in result.report.notes if "duplicate" in n)
    assert note.startswith("2 duplicate cells") and "all had the same value" in note and "lines 2 and 3" in note


# ------------------------------------------------------------------ files without any year

def test_file_without_year_needs_the_year(tmp_path):
    path = write(tmp_path, "noyear.csv", "nace_r2;geo;employees\nC29;DE11;5\nC30;DE11;7\n")
    err = error(path)
    assert (err.line, err.column) == (1, "year") and "--year" in err.hint
    result = read_dataset(path, year_label="2015")
    assert values(path, year_label=2015) == [("C29", 2015, 5), ("C30", 2015, 7)]
    assert any("2015" in n and "no year column" in n for n in result.report.notes)


def test_year_label_does_not_relabel_a_file_with_years(tmp_path):
    path = write(tmp_path, "years.csv", "region,sector,year,value\nDE11,C29,2014,5\n")
    assert values(path, year_label=2015) == [("C29", 2014, 5)]


# ------------------------------------------------------------------ the CLI

def test_cli_file_without_year_reads_with_year_and_fails_without(tmp_path, capsys):
    path = write(tmp_path, "noyear.csv", "nace_r2;geo;employees\nC29;DE11;5000\nC30;DE11;7000\nC29;DE12;10\n")
    assert main(["portfolio", "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--year" in err and "line 1" in err
    assert main(["portfolio", "--data", str(path), "--year", "2015"]) == 0
    captured = capsys.readouterr()
    assert "DE11" in captured.out and "read as 2015" in captured.err


def test_cli_duplicates_exit_2_unless_asked(tmp_path, capsys):
    path = write(tmp_path, "dup.csv", "region,sector,year,value\nDE11,C29,2011,1000\nDE11,C29,2011,2000\n")
    assert main(["stars", "--data", str(path)]) == 2
    assert "lines 2 and 3" in capsys.readouterr().err
    assert main(["stars", "--data", str(path), "--duplicates", "last"]) == 0
    captured = capsys.readouterr()
    assert ",2000.0," in captured.out or ",2000," in captured.out
    assert "note: 1 duplicate cells" in captured.err and "the last one kept" in captured.err


@pytest.mark.parametrize("command", [
    ["stars"], ["portfolio"], ["map", "--layer", "strongest", "--out", "{tmp}/m.png", "--size", "400x300", "--dpi", "50"],
    ["export-tables", "--out", "{tmp}/t.csv"], ["profile", "--region", "DE11", "--out", "{tmp}/p.html"],
])
def test_every_data_command_prints_every_reader_note(tmp_path, capsys, command):
    path = write(tmp_path, "notes.csv", "Title line\nregion,sector,2009,FY2010\nDE11,C29,1000,2\nDE11,C29,1000,2\n"
                                        "DE12,C29,5,3\nDE12,C30,\"1,500\",3\n")
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(argv + ["--data", str(path), "--bad-years", "skip"]) == 0
    err = capsys.readouterr().err
    notes = read_dataset(path, bad_years="skip").report.notes
    assert len(notes) >= 4  # title line and FY2010 skipped, a duplicate dropped, 1,500 read as 1500
    for note in notes:
        assert f"note: {note}" in err, (note, err)
