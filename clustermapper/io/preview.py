"""A first look at a generic CSV/TSV/XLSX file, made with the readers' own decoding, separator sniffing and
header search, so the column-mapping dialog shows exactly the rows the reader will see."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from clustermapper.io.columns import header_text, looks_like_header
from clustermapper.io.grid import (
    HEADER_SEARCH_ROWS,
    _pick_sheet,
    _present,
    _sheet_rows,
    open_workbook,
    sniff_separator,
)
from clustermapper.io.options import ReadOptions
from clustermapper.io.source import open_source

PREVIEW_ROWS = 30


@dataclass(frozen=True)
class Preview:
    """The header row the reader would use (or the widest early row) and the rows below it, as text."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    header_line: int  # 1-based line (sheet row) of ``header``
    header_found: bool  # False: no row names region and sector columns; ``header`` is a best guess
    sep: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)


def preview_file(path: str | Path, sep: str | None = None, sheet: str | None = None,
                 n_rows: int = PREVIEW_ROWS) -> Preview:
    """See the module docstring. Never modifies the file; raises :class:`InputError` for unreadable files."""
    source = open_source(path)
    options = ReadOptions(sep=sep, sheet=sheet)
    if source.is_zip:
        return _xlsx_preview(source, options, n_rows)
    real_sep = options.sep or sniff_separator(source.head_lines)
    rows = [list(r) for r in csv.reader(io.StringIO("\n".join(source.head_lines[:HEADER_SEARCH_ROWS + n_rows])),
                                        delimiter=real_sep)]
    return _finish(source.path, rows, options, n_rows, sep=real_sep)


def _xlsx_preview(source, options: ReadOptions, n_rows: int) -> Preview:
    book = open_workbook(source)  # the reader's own opening and error messages
    try:
        names = list(book.sheetnames)
        name = _pick_sheet(source, names, options.sheet) if options.sheet is not None else names[0]
        rows = [[header_text(c) if _present(c) else "" for c in row]
                for row in _sheet_rows(source, book, name)[:HEADER_SEARCH_ROWS + n_rows]]
    finally:
        book.close()
    return _finish(source.path, rows, options, n_rows, sheet=name, sheets=names)


def _finish(path: Path, rows: list[list[str]], options: ReadOptions, n_rows: int, **where) -> Preview:
    head = rows[:HEADER_SEARCH_ROWS]
    index = next((i for i, row in enumerate(head) if looks_like_header(row, options)), None)
    found = index is not None
    if index is None:  # the widest early row is the likeliest header; the user maps its columns
        counts = [sum(1 for c in row if str(c).strip()) for row in head]
        index = counts.index(max(counts)) if counts else 0
    header = [str(c) for c in rows[index]] if rows else []
    while header and not header[-1].strip():
        header.pop()  # trailing separators ("a;b;;") are no columns
    width = len(header)
    body = [[str(c) for c in (row + [""] * width)[:width]] for row in rows[index + 1:index + 1 + n_rows]
            if any(str(c).strip() for c in row)]
    return Preview(path=path, header=header, rows=body, header_line=index + 1, header_found=found, **where)
