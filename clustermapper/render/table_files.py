"""A table as the user sees it (a DataFrame of numbers and texts) to TSV text, CSV or XLSX.

Numbers stay numbers (no thousands separators, no "%" text); percentages are fractions that the XLSX shows
with a percent format. Files are written atomically with the normal mode for the umask
(``fileutil.atomic_write``/``atomic_path``). The app's copy/export menus build the frame
(``clustermapper_ui.table_export``); these functions only write it, so they are tested without dialogs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from clustermapper.fileutil import atomic_path, atomic_write

PERCENT = "0.0%"
INTEGER = "#,##0"
CSV_ENCODING = "utf-8-sig"  # with a BOM, so that Excel shows ★ and ≈ instead of mojibake
MAX_WIDTH = 60


def tidy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns holding only whole numbers become nullable integers (``158012``, not ``158012.0``)."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna()
            if len(known) and bool(((known % 1) == 0).all()) and bool((known.abs() < 2**53).all()):
                out[col] = values.astype("Int64")
    return out


def frame_to_tsv(frame: pd.DataFrame) -> str:
    """Tab-separated text with a header line, for pasting into a spreadsheet (tabs/newlines in texts become spaces)."""
    clean = tidy_numbers(frame)
    for col in clean.columns:
        if not pd.api.types.is_numeric_dtype(clean[col]):
            clean[col] = clean[col].map(lambda v: v.replace("\t", " ").replace("\n", " ") if isinstance(v, str) else v)
    buf = io.StringIO()
    clean.to_csv(buf, sep="\t", index=False, lineterminator="\n")
    return buf.getvalue()


def write_frame_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """RFC 4180 CSV (comma, ``.`` decimal point, UTF-8 with BOM), one header line."""
    path = Path(path)
    with atomic_write(path, encoding=CSV_ENCODING, newline="") as fh:
        tidy_numbers(frame).to_csv(fh, index=False, lineterminator="\n")
    return path


def read_frame_csv(path: str | Path) -> pd.DataFrame:
    """Read back what :func:`write_frame_csv` wrote (tests, round trips)."""
    return pd.read_csv(path, encoding=CSV_ENCODING, keep_default_na=False, na_values=[""])


def cell_value(value: object) -> object:
    """A plain Python value for openpyxl: numpy scalars native, NaN / NA empty, infinities as words."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "no upper bound" if value > 0 else "no lower bound"
    return value


def write_frame_xlsx(frame: pd.DataFrame, path: str | Path, sheet: str = "table",
                     formats: Mapping[str, str] | None = None, notes: Mapping[str, str] | None = None) -> Path:
    """One sheet ``sheet`` (bold frozen header, auto-filter), numbers as numbers with ``formats`` by column
    (default: ``#,##0`` for whole numbers); texts never become formulas. ``notes`` go to an ``about`` sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    table = tidy_numbers(frame)
    formats = dict(formats or {})
    for col in table.columns:
        if col not in formats and pd.api.types.is_integer_dtype(table[col]):
            formats[col] = INTEGER
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_name(sheet))
    ws.freeze_panes = "A2"
    for i, col in enumerate(table.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in table[col].head(300)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(6, width + 2), MAX_WIDTH)
    bold = Font(bold=True)
    ws.append([_text_cell(WriteOnlyCell(ws, value=str(col)), bold) for col in table.columns])
    column_formats = [formats.get(col) for col in table.columns]
    for row in table.itertuples(index=False, name=None):
        cells = []
        for value, fmt in zip(row, column_formats):
            value = cell_value(value)
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                _text_cell(cell)
            elif fmt is not None and value is not None and not isinstance(value, bool):
                cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)
    if len(table.columns) and len(table):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table) + 1}"
    if notes:
        about = book.create_sheet("about")
        for key, text in notes.items():
            about.append([_text_cell(WriteOnlyCell(about, value=str(key))), _text_cell(WriteOnlyCell(about, value=str(text)))])
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


def formula_safe(sheet, value: object) -> object:
    """``value`` for a row of a write-only ``sheet``: a text starting with "=" goes as a text cell (openpyxl
    stores it as a formula, and a label such as ``=HYPERLINK(...)`` would run in the reader's Excel)."""
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        return _text_cell(WriteOnlyCell(sheet, value=value))
    return value


def _text_cell(cell, font=None):
    """A string cell stays a string: a label such as ``=SUM(A1)`` is text, never a formula."""
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _sheet_name(name: str) -> str:
    bad = '[]:*?/\\'
    clean = "".join("_" if c in bad else c for c in name).strip("'") or "table"
    return clean[:31]
