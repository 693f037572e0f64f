"""Loading a generic table as a grid of cells: CSV/TSV text (separator sniffed) or an .xlsx sheet.

A :class:`Grid` keeps each row's line number (text line, or sheet row) so every message can point at it.
Rows above the header (titles, notes) are skipped; the header is the first row naming region and sector.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, UsageError, clip, quote
from clustermapper.io.columns import header_text, looks_like_header
from clustermapper.io.options import ReadOptions
from clustermapper.io.source import Source
from clustermapper.io.xlsx_zip import check_archive

SEPARATORS = ("\t", ";", ",", "|")
HEADER_SEARCH_ROWS = 30
HEADER_HINT = "name the columns with --region-col, --sector-col, --year-col and --value-col"


@dataclass
class Grid:
    """Header cells, data rows (positional columns) and the 1-based line of each data row."""

    header: list[object]
    rows: pd.DataFrame
    lines: np.ndarray
    header_line: int
    sep: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    formulas: bool = False  # some cells are :class:`Formula` (no saved result)


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the first lines into the most consistent number (> 1) of fields."""
    sample = [ln for ln in lines[:60] if ln.strip()]
    best, best_score = ",", (-1.0, 0)
    for sep in SEPARATORS:
        counts = [len(row) for row in csv.reader(sample, delimiter=sep)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        score = (counts.count(mode) / len(counts), mode)
        if score > best_score:
            best, best_score = sep, score
    return best


def text_grid(source: Source, options: ReadOptions) -> Grid:
    sep = options.sep or sniff_separator(source.head_lines)
    head_rows = list(csv.reader(source.head_lines[:HEADER_SEARCH_ROWS], delimiter=sep))
    index = next((i for i, row in enumerate(head_rows) if looks_like_header(row, options)), None)
    if index is None:
        first = next((row for row in head_rows if any(c.strip() for c in row)), [])
        raise InputError(source.path, "no header row naming the region and sector columns in the first "
                         f"{HEADER_SEARCH_ROWS} lines (first line has {', '.join(map(quote, first[:8]))})",
                         line=1, column=1, hint=HEADER_HINT)
    header = head_rows[index]
    try:
        frame = _read_texts(source, sep, index, len(header))
    except pd.errors.ParserError as exc:
        raise _ragged(source, sep, index, len(header), eof_in_quote="EOF inside string" in str(exc)) or InputError(
            source.path, f"rows cannot be split into the header's {len(header)} columns ({exc})",
            line=index + 1, column=1, hint="check the separator (--sep)") from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=range(len(header)), dtype=str)
    lines = np.arange(len(frame), dtype="int64") + index + 2
    keep = (frame != "").any(axis=1).to_numpy()
    short = _short_rows(source, sep, index, len(header), frame, keep)
    if short is not None:
        raise short
    notes = [] if index == 0 else [f"skipped {index} lines above the header (line {index + 1})"]
    return Grid(header=list(header), rows=frame[keep].reset_index(drop=True), lines=lines[keep],
                header_line=index + 1, sep=sep, notes=notes)


def _read_texts(source: Source, sep: str, index: int, width: int) -> pd.DataFrame:
    """Every cell below the header as its text, column by column a categorical."""
    def read(dtype: object) -> pd.DataFrame:
        # categorical text columns: each distinct text stored once (a 7-million-row long table of strings took
        # ~1.5 GB as one Python string per cell); the text goes in as UTF-8 bytes: a StringIO holds 4 bytes per
        # character (580 MB for a 145 MB file)
        return pd.read_csv(io.BytesIO(source.text_bytes()), encoding="utf-8", sep=sep, header=None,
                           skiprows=index + 1, names=range(width), dtype=dtype,
                           keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c",
                           on_bad_lines="error")

    frame = read("category")
    # pandas 3.1 infers numeric and boolean categories (GH 56044): the sector code "0111" became 111 and
    # "5.000" (five thousand, with a thousands dot) became 5.0 before the decimal mark was detected
    numeric = [c for c in frame.columns if not pd.api.types.is_string_dtype(frame[c].cat.categories)]
    if not numeric:
        return frame
    del frame  # the same parse again, those columns as text (usecols would parse ragged rows differently)
    frame = read({c: (str if c in numeric else "category") for c in range(width)})
    for c in numeric:
        frame[c] = frame[c].astype("category")
    return frame


def _ragged(source: Source, sep: str, index: int, width: int, eof_in_quote: bool = False) -> InputError | None:
    """The first row with more fields than the header, found again with the csv module for its line; or,
    when pandas met the end of the file inside a quote, the line where that quote opens."""
    reader = csv.reader(io.StringIO(source.text), delimiter=sep)
    start = last = 1
    try:
        for row in reader:
            if reader.line_num > index + 1 and len(row) > width:
                return InputError(source.path, f"row has {len(row)} fields, the header has {width}",
                                  line=reader.line_num, column=width + 1,
                                  hint="check the separator (--sep) and quoting of that row")
            last, start = start, reader.line_num + 1
    except csv.Error as exc:  # "field larger than field limit": a quote that never closes swallows the rest
        return _quote_error(source, start, exc)
    if eof_in_quote and start - last > 1:  # the last row spanned lines up to the end: its quote never closed
        return _quote_error(source, last, "the file ends inside it")
    return None


def _quote_error(source: Source, start: int, exc: csv.Error | str) -> InputError:
    """Point at the line where the unbalanced quote opens (the csv module reports where it gave up)."""
    return InputError(source.path, f"a quoted field starting on this line never ends ({exc})", line=start,
                      column=_first_quote(source.lines, start),
                      hint='close the quote, or double a quote inside a quoted field ("")')


def _first_quote(lines: list[str], line: int) -> int | None:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    pos = text.rfind('"')
    return pos + 1 if pos >= 0 else None


def _short_rows(source: Source, sep: str, index: int, width: int, frame: pd.DataFrame,
                keep: np.ndarray) -> InputError | None:
    """pandas pads short rows silently: find them by counting separators on the unquoted lines."""
    if width < 2 or not keep.any():
        return None
    last = frame.iloc[:, width - 1]
    suspects = np.flatnonzero(keep & (last == "").to_numpy())
    if not len(suspects) or _every_row_full(source, sep, index, width, keep):
        return None
    text_lines = source.lines
    for pos in suspects:
        number = index + 2 + int(pos)
        line = text_lines[number - 1] if number - 1 < len(text_lines) else ""
        if '"' in line:
            continue
        found = line.count(sep) + 1
        if found < width:
            return InputError(source.path, f"row has {found} fields, the header has {width}", line=number,
                              column=found + 1, hint="check the separator (--sep); a value may be missing")
    return None


class Formula:
    """A formula cell whose workbook stores no result (saved by a script, never recalculated by a spreadsheet):
    unreadable in a value column, with its text for the report; empty in a code column."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return f"{clip(self.text, 40)} (a formula without a saved result)"


def _every_row_full(source: Source, sep: str, index: int, width: int, keep: np.ndarray) -> bool:
    """True when no unquoted row can be short: without quotes, a kept row has at most ``width - 1`` separators
    (the parser refuses more), so if the kept rows hold exactly that many in all, each has all its fields.
    Counting separators in the whole text spares splitting millions of lines one by one."""
    text = source.text
    if '"' in text or not keep.all():
        return False
    head = sum(line.count(sep) for line in source.head_lines[: index + 1])
    return text.count(sep) - head == (width - 1) * int(keep.sum())


def open_workbook(source: Source, data_only: bool = True):
    """The workbook in ``source``, read-only with cached values; :class:`InputError` if it is not one."""
    import openpyxl  # only needed for workbooks
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(source.path, f"is a zip archive but not an Excel workbook ({exc})", line=1, column=1,
                         hint="open it in a spreadsheet and save as .xlsx or CSV") from None
    except Exception as exc:  # openpyxl surfaces damaged XML as many exception types
        raise InputError(source.path, f"is a damaged Excel workbook ({type(exc).__name__}: {exc})", line=1,
                         column=1, hint="open it in a spreadsheet and save it again") from None


def xlsx_grid(source: Source, options: ReadOptions) -> Grid:
    formulas = check_archive(source.path, source.data)  # zip bombs refused before openpyxl inflates anything
    book = open_workbook(source)
    try:
        names = book.sheetnames
        chosen = [_pick_sheet(source, names, options.sheet)] if options.sheet is not None else names
        for name in chosen:
            rows = _sheet_rows(source, book, name)
            index = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if looks_like_header(row, options)),
                         None)
            if index is not None:
                break
        else:
            first = next((r for r in rows if any(c is not None for c in r)), []) if len(chosen) == 1 else []
            where = f"sheet {quote(chosen[0])}" if len(chosen) == 1 else f"any sheet ({', '.join(names)})"
            raise InputError(source.path, f"no header row naming the region and sector columns in {where}"
                             + (f" (first row has {', '.join(quote(header_text(c)) for c in first[:8])})" if first
                                else ""), line=1, column=1, hint=HEADER_HINT + ", or pick the sheet with --sheet")
    finally:
        book.close()
    if formulas:
        _mark_formulas(source, name, rows)
    # read-only sheets pad rows to the sheet's widest row: the table ends at the last named column
    width = max(j for j, c in enumerate(rows[index]) if _present(c)) + 1
    header = rows[index][:width]
    body = [row + [None] * (width - len(row)) if len(row) < width else row for row in rows[index + 1:]]
    extra = next((i for i, row in enumerate(body) if any(c is not None for c in row[width:])), None)
    if extra is not None:
        col = width + next(j for j, c in enumerate(body[extra][width:]) if c is not None) + 1
        raise InputError(source.path, f"sheet {quote(name)} has a value outside the header's {width} columns",
                         line=index + 2 + extra, column=col, hint="remove it or give that column a header")
    frame = pd.DataFrame([row[:width] for row in body], columns=range(width), dtype=object)
    lines = np.arange(len(frame), dtype="int64") + index + 2
    keep = frame.map(_present).any(axis=1).to_numpy() if len(frame) else np.zeros(0, dtype=bool)
    notes = [f"read sheet {quote(name)} of {len(names)}"] if len(names) > 1 else []
    return Grid(header=header, rows=frame[keep].reset_index(drop=True), lines=lines[keep], header_line=index + 1,
                sheet=name, notes=notes, formulas=formulas)


def _sheet_rows(source: Source, book, name: str) -> list[list[object]]:
    rows: list[list[object]] = []
    sheet = book[name]
    if hasattr(sheet, "reset_dimensions"):
        # read-only sheets stop at the <dimension> the writer recorded: a stale one dropped rows silently
        sheet.reset_dimensions()
    try:
        for row in sheet.iter_rows(min_row=1, values_only=True):
            rows.append(list(row))
    except Exception as exc:  # damaged sheet XML; openpyxl raises parser-specific types
        raise InputError(source.path, f"sheet {quote(name)} is damaged ({type(exc).__name__}: {exc})",
                         line=len(rows) + 1, column=1, hint="open it in a spreadsheet and save it again") from None
    return rows


def _mark_formulas(source: Source, name: str, rows: list[list[object]]) -> None:
    """Cells that are empty in the cached values but hold a formula become :class:`Formula`."""
    book = open_workbook(source, data_only=False)
    try:
        for i, row in enumerate(_sheet_rows(source, book, name)[: len(rows)]):
            for j, cell in enumerate(row[: len(rows[i])]):
                if rows[i][j] is None and isinstance(cell, str) and cell.startswith("="):
                    rows[i][j] = Formula(cell)
    finally:
        book.close()


def _present(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _pick_sheet(source: Source, names: list[str], sheet: str | int) -> str:
    text = str(sheet).strip()
    for name in names:
        if name == text or name.lower() == text.lower():
            return name
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]
    raise UsageError(f"{source.path}: no sheet {quote(text)}; the workbook has: {', '.join(names)}")
