"""Fuzzing the .xlsx reader: workbooks built with openpyxl from a valid table, then changed cell by cell
(hostile values, formulas, dates, moved or missing headers, extra sheets) and byte by byte (cut or damaged
archives). Every case is a correct tidy table or one clear error naming the file (fuzz_support)."""

from __future__ import annotations

import datetime as dt
import io

import fuzz_support as fz
import openpyxl
from hypothesis import given
from hypothesis import strategies as st
from tiny_data import REGIONS, SECTORS

HEADER = ["region", "sector", "year", "value", "flag"]
BASE = [HEADER] + [[r, s, 2015, v, ""] for s, vs in SECTORS.items() for r, v in zip(REGIONS, vs)]
VALUES = [None, "", " ", 0, -1, -0.0, 1e308, 1.7e308, 10**20, 2**63, float("nan"), float("inf"), "1e309", "x" * 5000,
          "9" * 400, dt.datetime(2015, 1, 1), dt.time(12, 0), True, "=A1", "=1/0", "=SUM(D2:D9)", "1.234,5", " de11 ",
          "\u202e", "c", ": c", "C 29", "2015", 2015.5, 1899, 2101, "é" * 40]
cell_op = st.one_of(
    st.tuples(st.just("set"), fz.index, fz.index, st.sampled_from(VALUES)),
    st.tuples(st.just("title"), st.integers(1, 40)),
    st.tuples(st.just("drop"), fz.index),
    st.tuples(st.just("column"), st.sampled_from(VALUES)),
    st.tuples(st.just("rename"), fz.index, st.sampled_from(["", "Region", "NUTS_ID", "2015", "value", "x" * 300])),
    st.tuples(st.just("swap"), fz.index, fz.index),
)


def _apply(rows: list[list[object]], op: tuple) -> list[list[object]]:
    rows = [list(r) for r in rows] or [[None]]
    kind = op[0]
    if kind == "set":
        row = rows[op[1] % len(rows)]
        row[op[2] % len(row)] = op[3]
    elif kind == "title":  # notes above the header
        rows[:0] = [["Employment by region"]] + [[None]] * (op[1] - 1)
    elif kind == "drop":
        del rows[op[1] % len(rows)]
    elif kind == "column":  # a value beyond the header's columns
        rows[len(rows) // 2].append(op[1])
    elif kind == "rename":
        rows[0][op[1] % len(rows[0])] = op[2]
    elif kind == "swap":
        a, b = op[1] % len(HEADER), op[2] % len(HEADER)
        for row in rows:
            if len(row) > max(a, b):
                row[a], row[b] = row[b], row[a]
    return rows


def _xlsx(rows: list[list[object]], extra_sheet: bool) -> bytes:
    book = openpyxl.Workbook()
    if extra_sheet:  # the data on the second sheet, a cover page first
        book.active.append(["About this file"])
        sheet = book.create_sheet("data")
    else:
        sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@fz.fuzz_settings(60)
@given(ops=st.lists(cell_op, min_size=1, max_size=4), extra_sheet=st.booleans(),
       damage=st.one_of(st.none(), st.tuples(st.sampled_from(["cut", "flip"]), fz.fraction)))
def test_fuzz_xlsx(ops: list[tuple], extra_sheet: bool, damage: tuple | None) -> None:
    rows = BASE
    for op in ops:
        rows = _apply(rows, op)
    data = _xlsx(rows, extra_sheet)
    if damage is not None:
        pos = int((len(data) - 1) * damage[1])
        data = data[:pos] if damage[0] == "cut" else data[:pos] + bytes([data[pos] ^ 0xFF]) + data[pos + 1:]
    with fz.written("data.xlsx", data) as path:
        table = fz.read_outcome(path, data)
        if table is not None and damage is None and len(rows) > 10:
            assert len(table) <= len(rows) - 1  # never more cells than the sheet's data rows


def test_the_base_workbook_reads_as_the_csv() -> None:
    with fz.written("data.xlsx", _xlsx(BASE, False)) as path:
        table = fz.read_outcome(path, b"PK")
    assert table is not None and len(table) == len(BASE) - 1 and table["value"].sum() == sum(map(sum, SECTORS.values()))
