"""Reading a year column: ``2015``, ``2015.0``, spreadsheet numbers and dates (their year)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, quote

_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-\d{1,2}-\d{1,2}(?:[ T][\d:.]+)?$")
_EU_DATE = re.compile(r"^\d{1,2}[./]\d{1,2}[./](\d{4})(?: [\d:.]+)?$")
FIRST, LAST = 1900, 2100


@dataclass
class Years:
    values: np.ndarray  # int64, 0 where bad
    bad: np.ndarray  # bool
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of rows without a year
    note: str | None = None


def year_of(cell: object) -> tuple[int | None, bool]:
    """``(year, was_a_date)``; year ``None`` when the cell does not name a year."""
    if isinstance(cell, (dt.datetime, dt.date)):
        return cell.year, True
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        ok = float(cell).is_integer() and FIRST <= cell <= LAST
        return (int(cell) if ok else None), False
    text = "" if cell is None else str(cell).strip()
    if m := _YEAR.match(text):
        return (int(m[1]) if FIRST <= int(m[1]) <= LAST else None), False
    if m := _ISO_DATE.match(text) or _EU_DATE.match(text):
        return (int(m[1]) if FIRST <= int(m[1]) <= LAST else None), True
    return None, False


def parse_years(column: pd.Series, lines: np.ndarray, path: str | Path, name: str, skip: bool = False) -> Years:
    """Years of a long table. A cell that is not a year is an error naming it, unless ``skip``
    (``bad_years="skip"``): then its row is skipped; a column of mostly non-years is an error anyway."""
    categorical = isinstance(column.dtype, pd.CategoricalDtype)  # text grids: codes, each text once
    positions, uniques = pd.factorize(column if categorical else pd.Series(column, dtype=object), use_na_sentinel=False)
    found = [year_of(u) for u in uniques]  # once per distinct cell
    year_arr = np.array([y if y is not None else 0 for y, _ in found], dtype="int64")
    bad_arr = np.array([y is None for y, _ in found], dtype=bool)
    date_arr = np.array([d for _, d in found], dtype=bool)
    values, bad = year_arr[positions], bad_arr[positions]
    dates = int((date_arr[positions] & ~bad).sum())
    texts = column[bad].to_numpy(dtype=object) if bad.any() else np.array([], dtype=object)
    if bad.sum() * 2 > len(column) and len(column):
        first = int(np.flatnonzero(bad)[0])
        raise InputError(path, f"the year column holds {int(bad.sum())} cells of {len(column)} that are not years "
                         f"(first: {quote(str(texts[0]))})", line=int(lines[first]), column=name,
                         hint="name the year column with --year-col; only annual data is supported")
    if bad.any() and not skip:
        first = int(np.flatnonzero(bad)[0])
        raise InputError(path, f"year cell {quote(str(texts[0]))} is not a year"
                         + (f" ({int(bad.sum())} such cells)" if bad.sum() > 1 else ""), line=int(lines[first]),
                         column=name, hint="write years as 2015, or skip such rows with --bad-years skip")
    skipped = [(int(line), "" if t is None else str(t)) for line, t in zip(lines[bad], texts)]
    note = f"the year column holds dates: used their year ({dates} cells)" if dates else None
    return Years(values=values, bad=bad, skipped=skipped, note=note)
