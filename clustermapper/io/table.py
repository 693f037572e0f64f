"""The tidy table every reader produces, and the report of what the reader could not use.

Tidy table (pandas DataFrame), one row per observation:

===========  ========  ===========================================================
column       dtype     meaning
===========  ========  ===========================================================
region       str       region code as in the file, upper case, stripped (``DE11``)
sector       str       sector code, upper case, no dots/spaces (``C29``, ``G451``)
year         int64     reference year
value        float64   the number; NaN when missing, confidential or unreadable
flag         str       Eurostat flags as published (``c``, ``d``, ``b``, ``u``...), ``""`` if none
===========  ========  ===========================================================

Readers never drop a cell silently: missing / confidential / unreadable cells stay in the
table as NaN with their flag, and are counted in :class:`ReadReport`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TIDY_COLUMNS = ("region", "sector", "year", "value", "flag")


@dataclass
class CellIssue:
    """One cell that could not be read as a number (kept as NaN)."""

    line: int
    column: str
    text: str
    message: str = "not a number"


@dataclass
class ReadReport:
    """What a reader saw: counts of cells and everything it could not use."""

    path: str
    format: str
    n_cells: int = 0
    n_missing: int = 0
    n_confidential: int = 0
    n_unreadable: int = 0
    issues: list[CellIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (region, sector, year) -> (line, column) of the first negative and of the first implausibly large values
    # (above defaults.OVERFLOW), for the messages of the analysis that refuses them
    marked_cells: dict[tuple[str, str, int], tuple[int, str]] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.path} ({self.format}): {self.n_cells} cells, {self.n_missing} missing, "
            f"{self.n_confidential} confidential, {self.n_unreadable} unreadable"
        )


@dataclass
class ReadResult:
    """A tidy table plus the report of how it was read."""

    table: pd.DataFrame
    report: ReadReport
    indicator: str | None = None
    source: Path | None = None

    @property
    def years(self) -> list[int]:
        """Years that hold at least one number, ascending."""
        t = self.table
        years = t["year"].to_numpy()[t["value"].notna().to_numpy()]
        if not len(years):
            return []
        low, high = int(years.min()), int(years.max())
        if high - low > 10_000:  # a table built by hand, not by a reader (those keep 1900-2100)
            return sorted(int(y) for y in pd.unique(years))
        # a short integer range: counted, not hashed (7 million cells)
        return [low + int(i) for i in np.flatnonzero(np.bincount(years.astype("int64") - low))]


def empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": pd.Series(dtype=str),
            "sector": pd.Series(dtype=str),
            "year": pd.Series(dtype="int64"),
            "value": pd.Series(dtype="float64"),
            "flag": pd.Series(dtype=str),
        }
    )


# id(table) -> (weak reference to the table, {key: derived value}); an entry goes with its table
_DERIVED: dict[int, tuple[weakref.ref, dict[Hashable, Any]]] = {}
_DERIVED_LOCK = threading.Lock()  # the app prepares in worker threads


def derived(table: pd.DataFrame, key: Hashable, compute: Callable[[pd.DataFrame], Any]) -> Any:
    """``compute(table)``, once per table object and ``key`` while the table lives: for what every year of a
    file re-derives from the same all-years table (region-year pairs, integer codes of the history). The
    tidy tables are never changed in place, so a table's derived values stay true."""
    with _DERIVED_LOCK:
        entry = _DERIVED.get(id(table))
        if entry is None or entry[0]() is not table:
            entry = (weakref.ref(table, _forget(id(table))), {})
            _DERIVED[id(table)] = entry
        if key in entry[1]:
            return entry[1][key]
    value = compute(table)
    with _DERIVED_LOCK:
        entry[1][key] = value
    return value


def _forget(key: int) -> Callable[[weakref.ref], None]:
    def drop(_ref: weakref.ref) -> None:
        _DERIVED.pop(key, None)

    return drop
