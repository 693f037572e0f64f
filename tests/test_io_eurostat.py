"""Eurostat TSV reader: hand-written fixture with known numbers, gzip by magic bytes, and the real file."""

from __future__ import annotations

import gzip
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.io import TIDY_COLUMNS, read_dataset

DATA = Path(__file__).parent / "data" / "io"
SMALL = DATA / "eurostat_small.tsv"


def cell(table: pd.DataFrame, region: str, sector: str, year: int) -> pd.Series:
    rows = table[(table.region == region) & (table.sector == sector) & (table.year == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_small_file_values_flags_and_counts():
    result = read_dataset(SMALL)
    t = result.table
    assert tuple(t.columns) == TIDY_COLUMNS
    assert str(t.year.dtype) == "int64" and str(t.value.dtype) == "float64"
    assert len(t) == 12  # 4 V16110 rows x 3 years; V11210 and V91290 rows are not read
    assert cell(t, "DE11", "C29", 2015).value == 1455 and cell(t, "DE11", "C29", 2015).flag == "d"
    assert cell(t, "DE11", "C29", 2014).value == 1400 and cell(t, "DE11", "C29", 2014).flag == ""
    assert cell(t, "FR10", "C29", 2014).value == 32690 and cell(t, "FR10", "C29", 2014).flag == "b"
    assert math.isnan(cell(t, "FR10", "C29", 2013).value) and cell(t, "FR10", "C29", 2013).flag == "c"
    assert math.isnan(cell(t, "FR10", "C", 2015).value) and cell(t, "FR10", "C", 2015).flag == "cd"
    assert math.isnan(cell(t, "FR10", "C", 2014).value) and cell(t, "FR10", "C", 2014).flag == "u"
    r = result.report
    assert (r.n_cells, r.n_missing, r.n_confidential, r.n_unreadable) == (12, 3, 2, 0)
    assert result.indicator == "V16110" and result.years == [2013, 2014, 2015]
    assert r.format == "eurostat-tsv"



@pytest.mark.parametrize("years", [(2014,), (2013,), (2015,), (2015, 2013)])
def test_reading_some_years_gives_their_own_flags(years):
    """Only the flags of the years read are parsed: each year must keep its own column's flags (the small
    file's flags differ from year to year: d / "" / c, cd / u / ...)."""
    whole = read_dataset(SMALL).table
    some = read_dataset(SMALL, years=years).table
    expected = whole[whole["year"].isin(years)].reset_index(drop=True)
    pd.testing.assert_frame_equal(some.sort_values(["region", "sector", "year"]).reset_index(drop=True),
                                  expected.sort_values(["region", "sector", "year"]).reset_index(drop=True))
    assert set(whole.loc[whole["year"] == years[0], "flag"]) != set(whole.loc[whole["year"] != years[0], "flag"])

def test_other_indicator_and_negative_note():
    result = read_dataset(SMALL, indicator="v91290")
    t = result.table
    assert cell(t, "DE11", "C29", 2015).value == -3.5 and cell(t, "DE11", "C29", 2014).value == 2.25
    assert any("negative" in n and "line 7" in n for n in result.report.notes)


def test_unknown_indicator_lists_the_file_indicators():
    with pytest.raises(UsageError) as exc:
        read_dataset(SMALL, indicator="V99999")
    assert "V99999" in str(exc.value)
    for code in ("V11210", "V16110", "V91290"):
        assert code in str(exc.value)


def test_gzip_detected_by_magic_bytes_not_extension(tmp_path):
    plain = read_dataset(SMALL)
    disguised = tmp_path / "data.tsv"  # gzip content, no .gz extension
    disguised.write_bytes(gzip.compress(SMALL.read_bytes()))
    zipped = read_dataset(disguised)
    pd.testing.assert_frame_equal(plain.table, zipped.table)
    assert "gzip" in zipped.report.format
    named_gz = tmp_path / "plain.tsv.gz"  # .gz extension, plain content
    shutil.copy(SMALL, named_gz)
    pd.testing.assert_frame_equal(plain.table, read_dataset(named_gz).table)


def test_general_dimension_names_and_crlf(tmp_path):
    # Newer Eurostat TSVs: freq first, indic_sbs, geo\TIME_PERIOD, CRLF line ends, dotted codes.
    text = ("freq,indic_sbs,nace_r2,geo\\TIME_PERIOD\t2022 \t2021 \r\n"
            "A,V16110,C29.1,de11 \t7 \t: c\r\n"
            "A,V16110,C 10,DE11\t8 e\t9 \r\n")
    path = tmp_path / "new.tsv"
    path.write_bytes(text.encode())
    t = read_dataset(path).table
    assert cell(t, "DE11", "C291", 2022).value == 7
    assert cell(t, "DE11", "C10", 2022).flag == "e"
    assert math.isnan(cell(t, "DE11", "C291", 2021).value)


def test_unreadable_cell_is_nan_with_issue(tmp_path):
    lines = SMALL.read_text().splitlines()
    lines[2] = "C29,V16110,DE11\t12:00 AM\t1400 \t: "
    path = tmp_path / "mangled.tsv"
    path.write_text("\n".join(lines) + "\n")
    before = path.read_bytes()
    result = read_dataset(path)
    t = result.table
    assert math.isnan(cell(t, "DE11", "C29", 2015).value)
    assert cell(t, "DE11", "C29", 2014).value == 1400
    assert result.report.n_unreadable == 1
    issue = result.report.issues[0]
    assert (issue.line, issue.column, issue.text) == (3, "2015", "12:00 AM")
    assert path.read_bytes() == before  # inputs are never modified


def test_ragged_row_names_line_and_column(tmp_path):
    lines = SMALL.read_text().splitlines()
    lines[4] = lines[4] + "\t17 "
    path = tmp_path / "ragged.tsv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert exc.value.line == 5 and exc.value.column == 5
    assert str(path) in str(exc.value) and "line 5" in str(exc.value)


def test_several_values_of_an_extra_dimension_is_an_error(tmp_path):
    path = tmp_path / "unit.tsv"
    path.write_text("unit,nace_r2,indic_sb,geo\\time\t2015 \nNR,C29,V16110,DE11\t5 \nPC,C29,V16110,DE11\t7 \n")
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert exc.value.line == 3 and "unit" in str(exc.value)


# ---------------------------------------------------------------- the real file

def _raw_cells(path: Path, indicator: str) -> list[str]:
    """Independent count: the raw cells of one indicator, straight from the text."""
    cells = []
    with gzip.open(path, "rt") as f:
        for line in f:
            if line.split("\t", 1)[0].split(",")[1] == indicator:
                cells.extend(line.rstrip("\n").split("\t")[1:])
    return cells


@pytest.mark.shared
def test_real_file_known_cells(eurostat_file):
    result = read_dataset(eurostat_file)
    t = result.table
    assert result.years == list(range(2008, 2016))
    assert sorted(t.year.unique()) == list(range(2008, 2016))
    c = cell(t, "DE11", "C29", 2010)
    assert c.value == 145162 and c.flag == ""
    c = cell(t, "DE11", "C29", 2009)
    assert c.value == 129101 and c.flag == "d"
    c = cell(t, "FR10", "C29", 2008)
    assert math.isnan(c.value) and c.flag == "u"
    c = cell(t, "FR10", "C29", 2015)
    assert math.isnan(c.value) and c.flag == ""


@pytest.mark.shared
def test_real_file_counts_match_raw_text(eurostat_file):
    raw = _raw_cells(eurostat_file, "V16110")
    stripped = [c.strip() for c in raw]
    confidential = sum(1 for c in stripped if re.fullmatch(r":\s*[a-z]*c[a-z]*", c))
    missing = sum(1 for c in stripped if c.startswith(":")) - confidential
    r = read_dataset(eurostat_file).report
    assert r.n_cells == len(raw)
    assert (r.n_missing, r.n_confidential, r.n_unreadable) == (missing, confidential, 0)
    assert not r.issues


@pytest.mark.shared
def test_real_file_other_indicator_and_unknown(eurostat_file):
    result = read_dataset(eurostat_file, indicator="V11210")
    assert result.indicator == "V11210"
    assert result.report.n_cells == len(_raw_cells(eurostat_file, "V11210"))
    with pytest.raises(UsageError) as exc:
        read_dataset(eurostat_file, indicator="V00000")
    assert "V16110" in str(exc.value) and "V11210" in str(exc.value)


@pytest.mark.shared
def test_real_file_with_a_mangled_cell_reads_the_same_otherwise(eurostat_file, tmp_path):
    """One spreadsheet-mangled cell sends the reader down the careful path: same numbers, one issue."""
    lines = gzip.decompress(eurostat_file.read_bytes()).decode().split("\n")
    number = next(i for i, ln in enumerate(lines) if ln.startswith("C29,V16110,DE11\t"))
    fields = lines[number].split("\t")
    fields[6] = "12:00 AM"  # the 2010 cell, 145162
    lines[number] = "\t".join(fields)
    path = tmp_path / "mangled.tsv"
    path.write_text("\n".join(lines))
    clean, mangled = read_dataset(eurostat_file), read_dataset(path)
    assert mangled.report.n_unreadable == 1
    issue = mangled.report.issues[0]
    assert (issue.line, issue.column, issue.text) == (number + 1, "2010", "12:00 AM")
    assert math.isnan(cell(mangled.table, "DE11", "C29", 2010).value)
    differs = ~((clean.table.value == mangled.table.value) | (clean.table.value.isna() & mangled.table.value.isna()))
    assert int(differs.sum()) == 1
    pd.testing.assert_frame_equal(clean.table.drop(columns="value"), mangled.table.drop(columns="value"))


def test_lower_case_indicator_codes_read_as_upper_case(tmp_path):
    """Geo and NACE codes were normalised, the indicator not: an edited file with ``v16110`` had "no
    persons-employed indicator", and --indicator v16110 did not help."""
    lines = SMALL.read_text(encoding="utf-8").splitlines(keepends=True)
    lower = tmp_path / "lower.tsv"
    lower.write_text(lines[0] + "".join(line.replace(",V", ",v") for line in lines[1:]), encoding="utf-8")
    expected = read_dataset(SMALL).table
    for indicator in (None, "v16110"):
        got = read_dataset(lower, indicator=indicator)
        assert got.indicator == "V16110"
        pd.testing.assert_frame_equal(got.table.drop(columns=["line"], errors="ignore"),
                                      expected.drop(columns=["line"], errors="ignore"))


def test_a_header_without_rows_says_so(tmp_path):
    path = tmp_path / "header.tsv"
    path.write_text(SMALL.read_text(encoding="utf-8").splitlines(keepends=True)[0] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2, column 1: the file has a header but no data rows"):
        read_dataset(path)  # was: "no persons-employed indicator ... choose one with --indicator"
