"""Checks on an .xlsx archive before openpyxl reads it: a zip bomb (a few kB whose sheet XML inflates to
gigabytes) is refused from the sizes in the zip directory, which zipfile enforces while inflating (a member
that inflates past its declared size fails its CRC check); and whether any sheet holds formulas."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from clustermapper.errors import InputError, quote

MAX_XLSX_MEMBERS = 10_000
# A workbook Excel can hold (1,048,576 rows) has sheet XML of a few hundred MB; more is not a data table.
MAX_XLSX_INFLATED = 1 << 30
# Sheet XML deflates 5-30:1; deflate's ceiling is ~1,030:1, which only generated files approach.
MAX_RATIO = 200
RATIO_FLOOR = 16 << 20  # members smaller than this are never refused for their ratio
SAVE_HINT = "open it in a spreadsheet and save it again as .xlsx or CSV"


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB"


def check_archive(path: Path, data: bytes) -> bool:
    """Refuse zip bombs (InputError naming the member); return True when a worksheet holds formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:  # NotImplemented: a version byte
        raise InputError(path, f"is a zip archive but not an Excel workbook ({exc})", line=1, column=1,
                         hint=SAVE_HINT) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise InputError(path, f"is a zip archive of {len(members):,} files; a workbook has a few dozen",
                             line=1, column=1, hint=SAVE_HINT)
        total = 0
        for info in members:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
                raise InputError(path, f"workbook part {quote(info.filename)} inflates from {_mb(info.compress_size)} to "
                                 f"{_mb(info.file_size)} (ratio {ratio:,.0f}:1, at most {MAX_RATIO}:1): a zip bomb, "
                                 "not a saved spreadsheet", line=1, column=1, hint=SAVE_HINT)
            if total > MAX_XLSX_INFLATED:
                raise InputError(path, f"workbook inflates to more than {_mb(MAX_XLSX_INFLATED)} "
                                 f"({_mb(len(data))} compressed)", line=1, column=1,
                                 hint="export the table as CSV, which has no such limit")
        return any(_has_formula(archive, info) for info in members
                   if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"))


def _has_formula(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A ``<f>`` element anywhere in the sheet (streamed: the sheet is never held whole)."""
    tail = b""
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(1 << 20):
                block = tail + chunk
                if b"<f>" in block or b"<f " in block or b"<f/>" in block:
                    return True
                tail = block[-4:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError, RuntimeError):
        return False  # damaged, encrypted or oddly compressed: openpyxl's reading reports it as damaged
    return False
