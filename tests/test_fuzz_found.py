"""Defects the fuzzers found in the readers, one test each (the fuzz case reduced by hand)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clustermapper.errors import InputError, UsageError, quote
from clustermapper.io import read_dataset
from clustermapper.taxonomy.loaders import load_taxonomy
from clustermapper.workspace import load_workspace

LETTERS = str.maketrans("0123456789", "abcdefghij")  # column names that mention no year
TSV = "nace_r2,indic_sb,geo\\time\t2015 \t2014 \nC29,V16110,DE11\t1455 d\t1400 \nC29,V16110,FR10\t: c\t32690 b\n"


def _error(path: Path, kind: type[Exception] = InputError) -> Exception:
    with pytest.raises(kind) as info:
        read_dataset(path)
    assert str(path) in str(info.value)
    return info.value


@pytest.mark.parametrize(("encoding", "name"), [("utf-32-le", "UTF-32 little-endian"), ("utf-32-be", "UTF-32 big-endian"),
                                                ("utf-16-le", "UTF-16 little-endian"), ("utf-16-be", "UTF-16 big-endian")])
def test_unicode_without_byte_order_mark_is_named(tmp_path: Path, encoding: str, name: str) -> None:
    # was 'is a binary file' (UTF-16LE) or, for UTF-32 with BOM read as UTF-16, a header of '\x00n\x00a\x00c…'
    path = tmp_path / "data.tsv"
    path.write_bytes(TSV.encode(encoding))
    error = _error(path)
    assert f"is {name} text without a byte order mark" in str(error) and error.line == 1
    assert "save it again as UTF-8" in str(error)


def test_utf32_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "data.tsv"
    path.write_bytes(TSV.encode("utf-32"))  # with BOM: ff fe 00 00, which starts like UTF-16's
    table = read_dataset(path).table
    assert table["value"].tolist()[:2] == [1455.0, 1400.0] and table["flag"].tolist()[:2] == ["d", ""]


@pytest.mark.parametrize(("text", "name"), [
    # a 200,000-letter year cell was quoted whole: a 200 kB message
    ("region,sector,year,value\nDE11,C29,2015" + "é" * 200_000 + ",5\nDE12,C29,2015,7\n", "long.csv"),
    # a 5,000-letter dimension name in a Eurostat header
    ("nace_r2,indic_sb," + "x" * 5000 + "\\time\t2015 \nC29,V16110,DE11\t5 \n", "dims.tsv"),
    # a 5,000-letter extra dimension with several values (its name was quoted in the message and the hint)
    ("nace_r2,in" + "9" * 5000 + ",geo\\time\t2015 \nC29,V16110,DE11\t5 \nC29,V11210,DE11\t6 \n", "extra.tsv"),
    # a 5,000-letter header cell listed among the columns
    ("region,sector," + "9" * 5000 + "\nDE11,C29,5\n", "header.csv"),
    # a header of 3,000 columns
    ("region,sector," + ",".join("col" + str(i).translate(LETTERS) for i in range(3000)) + "\nDE11,C29" + ",1" * 3000 + "\n", "wide.csv"),
], ids=["year-cell", "tsv-dimension", "tsv-extra-dimension", "header-cell", "3000-columns"])
def test_messages_quote_at_most_a_short_piece_of_the_file(tmp_path: Path, text: str, name: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    message = str(_error(path))
    assert len(message) < 1000, message[:300]


def test_a_file_of_many_indicators_lists_twenty(tmp_path: Path) -> None:
    rows = [f"C29,V{i:05d},DE11\t{i} " for i in range(500)]
    path = tmp_path / "many.tsv"
    path.write_text("nace_r2,indic_sb,geo\\time\t2015 \n" + "\n".join(rows) + "\n", encoding="utf-8")
    message = str(_error(path, UsageError))
    assert "V00019" in message and "V00020" not in message and "(500 codes)" in message


def test_quote_cuts_long_texts_and_keeps_short_ones() -> None:
    assert quote("C29") == "'C29'" and quote(7) == "7"
    assert quote("x" * 5000) == "'" + "x" * 60 + "'… (5,000 characters)"


def test_taxonomy_in_utf16_without_bom_is_refused_not_read_as_codes(tmp_path: Path) -> None:
    # NUL bytes are valid UTF-8: the header became '\x00c\x00a\x00t…' and the message quoted 5,000 of them
    path = tmp_path / "tax.csv"
    path.write_bytes("category,label,codes\nAUTO,Automotive,C29\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="is UTF-16 little-endian text without a byte order mark"):
        load_taxonomy(path)
    path.write_bytes("category,label,codes\nAUTO,Automotive,C29\n".encode("utf-16"))  # with BOM: read
    assert load_taxonomy(path).items[0].codes == ("C29",)


@pytest.mark.parametrize("text", ["9" * 5000 + "category,label,codes\nAUTO,A,C29\n",
                                  "category,label,codes\nMETAL,Metal,C24-C25" + "9" * 5000 + "\n"],
                         ids=["header", "range"])
def test_taxonomy_messages_quote_a_short_piece(tmp_path: Path, text: str) -> None:
    path = tmp_path / "tax.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_taxonomy(path)
    assert str(path) in str(info.value) and len(str(info.value)) < 600


def test_workspace_with_a_100000_letter_data_path(tmp_path: Path) -> None:
    # Path.exists() raised OSError (File name too long) out of load_workspace
    path = tmp_path / "w.cmws.json"
    path.write_text(json.dumps({"schema_version": 1, "data": {"path": "x" * 100_000}}), encoding="utf-8")
    loaded = load_workspace(path)
    assert loaded.warnings[0].startswith("data file not found: xxx") and len(loaded.warnings[0]) < 500


def test_a_workbook_with_a_damaged_deflate_stream_is_an_input_error(tmp_path: Path) -> None:
    # the formula scan let zlib.error out; openpyxl's read then reports the damage as an InputError
    book = openpyxl.Workbook()
    for row in [["Employment by region"], ["region", "sector", "year", "value"], ["DE11", "C29", 2015, 5]]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(0, info.compress_size, max(1, info.compress_size // 8)):
        damaged = bytearray(data)
        damaged[start + offset] ^= 0xFF
        target = tmp_path / f"damaged{offset}.xlsx"
        target.write_bytes(bytes(damaged))
        try:
            read_dataset(target)
        except InputError as exc:
            assert str(target) in str(exc)


def test_a_long_code_on_a_row_of_another_indicator_is_not_read(tmp_path: Path) -> None:
    # was IndexError in refuse_long: the long code stayed a category after its row (another indicator) was
    # dropped, so it was "found" but had no row to name. A blank first line sends the file to the generic
    # reader (as in the fuzz case), which reads the text grid as categoricals
    head = "\nDATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
    row = "ESTAT:SBS_R_NUTS2021(1.0),20/03/25 23:00:00,A,{ind},{nace},{geo},2021,{value},,F\n"
    path = tmp_path / "sdmx.csv"
    path.write_text(head + row.format(ind="V16110", nace="C29", geo="DE11", value=145162)
                    + row.format(ind="V11210", nace="C" + "9" * 1500, geo="FR10", value=12)
                    + row.format(ind="V16110", nace="C10", geo="FR10", value=2500), encoding="utf-8")
    table = read_dataset(path).table
    assert sorted(table["sector"]) == ["C10", "C29"] and table["value"].sum() == 147662
    path.write_text(head + row.format(ind="V16110", nace="C" + "9" * 1500, geo="FR10", value=12), encoding="utf-8")
    error = _error(path)  # on a row that is read, the long code is refused at its line
    assert error.line == 3 and "code of 1,501 characters" in str(error)


def test_a_quote_left_open_in_an_sdmx_row_names_its_line(tmp_path: Path) -> None:
    # was ValueError from pandas: the open quote swallowed the line break, so pandas found one row fewer than
    # the lines handed to it and the line numbers no longer fitted the frame
    head = "DATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
    row = "ESTAT:SBS_R_NUTS2021(1.0),20/03/25 23:00:00,A,V16110,C29,{geo},2021,145162,,F\n"
    path = tmp_path / "sdmx.csv"
    path.write_text(head + row.format(geo="DE11") + '"' + row.format(geo="DE12") + row.format(geo="FR10"),
                    encoding="utf-8")
    error = _error(path)  # pandas reaches the end inside the string
    assert error.line == 3 and error.column == 1 and "quoted field does not close" in str(error)
    path.write_text(head + '"' + row.format(geo="DE11") + '"' + row.format(geo="DE12") + row.format(geo="FR10"),
                    encoding="utf-8")
    error = _error(path)  # the fuzz case: the second quote closes the first, two lines become one row
    assert error.line == 2 and error.column == 1 and "quoted field does not close" in str(error)


def test_a_workbook_whose_zip_directory_asks_for_a_newer_zip_version(tmp_path: Path) -> None:
    # zipfile raised NotImplementedError ("zip file version 23.5") out of the zip-bomb check: one flipped
    # byte of "version needed to extract" in the central directory
    book = openpyxl.Workbook()
    book.active.append(["region", "sector", "year", "value"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    directory = data.index(b"PK\x01\x02")  # the first central directory entry
    data[directory + 6] = 235  # version needed to extract: 23.5
    target = tmp_path / "newer.xlsx"
    target.write_bytes(bytes(data))
    error = _error(target)
    assert "not an Excel workbook" in str(error) and "23.5" in str(error)
