"""Dimensions other than region, sector, indicator and time (freq, unit, sizeclas...) in Eurostat files.

Each must hold one value, or a region, sector and year would have several numbers. A dimension with several
values that include ``TOTAL`` is fixed to ``TOTAL`` (all size classes together, say), with a note; without a
``TOTAL`` it is an error naming it. Size-class dimensions must be ``TOTAL``: one size class alone is not the
region's employment.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, clip, quote

TOTAL = "TOTAL"
SIZE_DIMENSIONS = ("sizeclas", "size_emp", "size_class", "sizeclass")


def fix_dimension(path: str | Path, name: str, codes: pd.Series, lines: np.ndarray,
                  column: str | int) -> tuple[np.ndarray | None, str | None]:
    """``(rows to keep or None for all, note or None)`` for one extra dimension; raises if it cannot be fixed.

    ``codes`` are the dimension's codes per row (already without labels), ``lines`` the rows' 1-based lines,
    ``column`` what an error names (the header name, or the key column's number).
    """
    if codes.empty:
        return None, None
    name = clip(name, 40)  # a dimension name from the file's header, quoted in notes and errors below
    upper = codes.astype(str).str.strip().str.upper()
    values = sorted(pd.unique(upper))
    is_size = name.strip().lower() in SIZE_DIMENSIONS
    if len(values) == 1 and not (is_size and values[0] != TOTAL):
        return None, None
    if TOTAL in values:
        keep = (upper == TOTAL).to_numpy()
        others = [v for v in values if v != TOTAL]
        dropped = int((~keep).sum())
        return keep, (f"{name}: read {TOTAL} only; {dropped} row{'s' if dropped != 1 else ''} of other values "
                      f"({_shown(others)}) were ignored")
    first = 0 if len(values) == 1 else int(np.flatnonzero((upper != upper.iloc[0]).to_numpy())[0])
    if len(values) == 1:
        message = f"{name} holds only {quote(values[0])}, not {TOTAL}: one size class is not the region's employment"
    else:
        message = (f"{name} has several values ({_shown(values)}) and no {TOTAL}; ClusterMapper needs one "
                   "number per region, sector and year")
    raise InputError(path, message, line=int(lines[first]), column=column,
                     hint=f"download the data for a single {name}" + (f" ({TOTAL})" if is_size else ""))


def _shown(values: list[str]) -> str:
    return ", ".join(clip(str(v), 30) for v in values[:10]) + (" …" if len(values) > 10 else "")
