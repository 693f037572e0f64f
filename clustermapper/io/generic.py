"""Generic CSV/TSV/XLSX tables, long (region, sector, year, value[, flag]) or wide (one column per year)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError, quote
from clustermapper.io.cells import CONFIDENTIAL, MISSING, NUMBER, UNREADABLE, map_unique, parse_cells, refuse_long
from clustermapper.io.columns import Layout, header_text, layout_of
from clustermapper.io.grid import Formula, Grid, text_grid, xlsx_grid
from clustermapper.io.options import ReadOptions, indicator_note, no_indicator_message
from clustermapper.io.registry import Reader, register
from clustermapper.io.source import MAX_CELL_CHARS, MAX_FLAG_CHARS, Source
from clustermapper.io.table import CellIssue, ReadReport, ReadResult
from clustermapper.io.tidy import MAX_ISSUES, finish
from clustermapper.io.years import Years, parse_years


def read_text(source: Source, options: ReadOptions) -> ReadResult:
    report = ReadReport(path=str(source.path), format="csv")
    report.notes += options.ignored_note("CSV/TSV", "sheet")
    grid = text_grid(source, options)
    source.forget_text()  # the grid holds every cell; messages from here on name lines by number
    return _read_grid(source, grid, options, report)


def read_xlsx(source: Source, options: ReadOptions) -> ReadResult:
    report = ReadReport(path=str(source.path), format="xlsx")
    report.notes += options.ignored_note("xlsx", "sep")
    return _read_grid(source, xlsx_grid(source, options), options, report)


def _read_grid(source: Source, grid: Grid, options: ReadOptions, report: ReadReport) -> ReadResult:
    report.notes += grid.notes
    layout = layout_of(source.path, grid.header, grid.header_line, options)
    report.notes += layout.notes
    if grid.formulas:  # a formula without a result is no code, year or flag: those cells count as empty
        keys = [p for p in (layout.region, layout.sector, layout.year, layout.flag, layout.indicator) if p is not None]
        grid.rows[keys] = grid.rows[keys].map(lambda c: None if isinstance(c, Formula) else c)
    rows, lines, indicator = _select_indicator(source, grid, layout, options, report)
    names = [header_text(h).strip() or str(i + 1) for i, h in enumerate(grid.header)]
    if layout.wide:
        cells = _wide_cells(rows, lines, layout, names)
    else:
        cells = _long_cells(source, rows, lines, layout, names, report, options)
    for role, pos, limit in (("region", layout.region, MAX_CELL_CHARS), ("sector", layout.sector, MAX_CELL_CHARS),
                             ("file_flag", layout.flag, MAX_FLAG_CHARS)):
        if role in cells and pos is not None:
            refuse_long(source.path, cells[role], cells["line"].to_numpy(), names[pos],
                        limit, "flag" if role == "file_flag" else f"{role} code")
    raw = cells.pop("raw")
    parsed = _values(raw, options, grid.sep)
    if parsed.note:
        report.notes.append(parsed.note)
    elif options.decimal is None and parsed.decimal == ",":
        report.notes.append("decimal comma detected (numbers like 1.234,5)")
    flags = parsed.flags
    if "file_flag" in cells:
        flags = pd.Series(cells.pop("file_flag").to_numpy(dtype=object) + flags.to_numpy(dtype=object), dtype=str)
    status = parsed.status.to_numpy().copy()
    empty = (status == MISSING) | (status == CONFIDENTIAL)
    # only empty cells can be confidential
    status[empty] = np.where(_has_letter(flags, "c", empty), CONFIDENTIAL, MISSING)
    cells["value"], cells["flag"], cells["status"] = parsed.values.to_numpy(), flags.array, status
    if (status == UNREADABLE).any():
        cells["text"] = pd.Series(raw, dtype=object).map(typed_text).to_numpy()
    hint = "check the value column (--value-col) and the decimal mark (--decimal)"
    if grid.formulas and any(isinstance(c, Formula) for c in raw):
        hint = "open the workbook in a spreadsheet and save it there, which stores each formula's result"
    return finish(cells, report, indicator=indicator,
                  key_columns={"region": names[layout.region], "sector": names[layout.sector]}, hint=hint,
                  duplicates=options.duplicates)


def _select_indicator(source: Source, grid: Grid, layout: Layout, options: ReadOptions,
                      report: ReadReport) -> tuple[pd.DataFrame, np.ndarray, str | None]:
    """Keep the rows of the requested indicator when the table has an indicator column."""
    if layout.indicator is None:
        return grid.rows, grid.lines, None
    codes = grid.rows[layout.indicator].map(lambda c: "" if c is None else str(c).strip().upper())
    present = sorted(set(codes) - {""})
    code = next((c for c in options.wanted_indicators if c in present), None)
    if code is not None:
        if options.auto_indicator:
            report.notes.append(indicator_note(code))
        keep = (codes == code).to_numpy()
        return grid.rows[keep].reset_index(drop=True), grid.lines[keep], code
    if len(present) == 1 and options.auto_indicator:
        report.notes.append(f"the indicator column holds only {quote(present[0])}: read it")
        return grid.rows, grid.lines, present[0]
    raise UsageError(no_indicator_message(source.path, options, f"column {quote(header_text(grid.header[layout.indicator]))}",
                                          present))


def _wide_cells(rows: pd.DataFrame, lines: np.ndarray, layout: Layout, names: list[str]) -> pd.DataFrame:
    positions = list(layout.years)
    n = len(positions)
    return pd.DataFrame({
        "region": np.repeat(rows[layout.region].to_numpy(dtype=object), n),
        "sector": np.repeat(rows[layout.sector].to_numpy(dtype=object), n),
        "year": np.tile(np.array([layout.years[p] for p in positions], dtype="int64"), len(rows)),
        "line": np.repeat(lines, n),
        "column": np.tile(np.array([names[p] for p in positions], dtype=object), len(rows)),
        "raw": rows[positions].to_numpy(dtype=object).ravel() if n else np.array([], dtype=object),
    })


def _long_cells(source: Source, rows: pd.DataFrame, lines: np.ndarray, layout: Layout, names: list[str],
                report: ReadReport, options: ReadOptions) -> pd.DataFrame:
    year_col, value_col = layout.year, layout.value
    assert value_col is not None  # a long layout: layout_of sets the value column
    if year_col is None:  # no year in the file: the year the user gave
        assert layout.fixed_year is not None
        years = Years(values=np.full(len(rows), layout.fixed_year, dtype="int64"), bad=np.zeros(len(rows), dtype=bool))
    else:
        years = parse_years(rows[year_col], lines, source.path, names[year_col], skip=options.bad_years == "skip")
    if years.note:
        report.notes.append(years.note)
    ok = ~years.bad
    for line, text in years.skipped[:MAX_ISSUES]:
        report.issues.append(CellIssue(line, names[year_col or 0], text, "not a year; row skipped"))
    if years.skipped:
        report.notes.append(f"{len(years.skipped)} rows skipped because their year cell is not a year "
                            f"(first on line {years.skipped[0][0]}: {quote(years.skipped[0][1])}; --bad-years skip)")
    rows = rows[ok]
    cells = pd.DataFrame({  # text grids hold categoricals: kept as such (each distinct text stored once)
        "region": _column(rows[layout.region]), "sector": _column(rows[layout.sector]),
        "year": years.values[ok], "line": lines[ok],
        # one name for every cell: a categorical, not millions of copies of one string (~0.4 s)
        "column": pd.Categorical.from_codes(np.zeros(len(rows), dtype="int8"), [names[value_col]]),
        "raw": _column(rows[value_col]),
    }, copy=False)
    if layout.flag is not None:
        cells["file_flag"] = map_unique(rows[layout.flag], str.strip).to_numpy(dtype=object)
    return cells


def _column(column: pd.Series):
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy(dtype=object)


class _Parsed:
    def __init__(self, values: pd.Series, flags: pd.Series, status: pd.Series, decimal: str, note: str | None):
        self.values, self.flags, self.status, self.decimal, self.note = values, flags, status, decimal, note


def _values(raw: pd.Series, options: ReadOptions, sep: str | None) -> _Parsed:
    """Numbers from text cells (decimal mark detected) and from typed spreadsheet cells."""
    if isinstance(raw.dtype, pd.CategoricalDtype):  # a text grid: parse each distinct text once, then spread
        texts = raw.cat.categories.to_series(index=None).astype(object).reset_index(drop=True)
        once = parse_cells(texts, decimal=options.decimal, sep=sep)
        codes = raw.cat.codes.to_numpy()
        # the flags stay categorical too: 7 million flag texts made one by one took ~1 s (numpy's astype(str))
        flag_codes, flag_texts = pd.factorize(once.flags.to_numpy(dtype=object))
        flags = pd.Series(pd.Categorical.from_codes(flag_codes[codes], pd.Index(flag_texts, dtype=str)))
        return _Parsed(pd.Series(once.values.to_numpy()[codes]), flags, pd.Series(once.status.to_numpy()[codes]),
                       once.decimal, once.note)
    raw = pd.Series(raw, dtype=object).reset_index(drop=True)
    if pd.api.types.infer_dtype(raw, skipna=False) == "string":  # every CSV cell: skip the per-cell check
        is_text = np.ones(len(raw), dtype=bool)
    else:
        is_text = raw.map(lambda c: c is None or isinstance(c, str)).to_numpy(dtype=bool)
    text = parse_cells(raw[is_text].fillna(""), decimal=options.decimal, sep=sep)
    values = pd.Series(np.nan, index=raw.index, dtype="float64")
    flags = pd.Series("", index=raw.index, dtype=object)
    status = pd.Series(NUMBER, index=raw.index, dtype="int8")
    values[is_text], flags[is_text], status[is_text] = text.values.to_numpy(), text.flags.to_numpy(), \
        text.status.to_numpy()
    typed = raw[~is_text]
    if len(typed):
        numeric = typed.map(lambda c: isinstance(c, (int, float)) and not isinstance(c, bool)).to_numpy(dtype=bool)
        nums = typed[numeric].astype("float64")
        finite = np.isfinite(nums.to_numpy())
        values[nums.index[finite]] = nums.to_numpy()[finite]
        status[nums.index[~finite]] = UNREADABLE
        status[typed.index[~numeric]] = UNREADABLE  # dates, times, booleans in a value column
    return _Parsed(values, flags.astype(str), status, text.decimal, text.note)


def _has_letter(flags: pd.Series, letter: str, where: np.ndarray) -> np.ndarray:
    """Whether the flag of each cell in ``where`` holds ``letter`` (a categorical's texts looked at once)."""
    if isinstance(flags.dtype, pd.CategoricalDtype):
        per_text = np.array([letter in t for t in flags.cat.categories], dtype=bool)
        return per_text[flags.cat.codes.to_numpy()[where]]
    return np.array([letter in f for f in flags.to_numpy(dtype=object)[where]], dtype=bool)


def typed_text(cell: object) -> str:
    """How an unreadable spreadsheet cell is shown in the report."""
    if isinstance(cell, (dt.datetime, dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


def detect_text(source: Source) -> bool:
    return not source.is_zip and any(line.strip() for line in source.head_lines)


def detect_xlsx(source: Source) -> bool:
    return source.is_zip


register(Reader("xlsx", "Excel workbook (.xlsx), long or wide table", detect_xlsx, read_xlsx, priority=10))
register(Reader("csv", "CSV/TSV text table, long or wide (separator and decimal mark detected)", detect_text,
                read_text, priority=0))
