"""Other indicators of the data file that inform the estimate of confidential cells (local units, wages).

:func:`read_companions` reads them from the same file as the analysed indicator (cached per file, indicator
and reader options); :class:`Companions` reads them only when the estimate first asks.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from clustermapper.defaults import COMPANIONS
from clustermapper.errors import InputError, UsageError
from clustermapper.io.table import ReadResult


class ReaderSpec(Protocol):
    """What of an analysis spec the companions need: the reader options the data file was read with, and
    the confidential-cell policy (only the estimate uses companions)."""

    @property
    def reader_options(self) -> Any: ...

    @property
    def suppressed(self) -> str: ...


def read_for_every_year(spec: ReaderSpec, dataset: ReadResult) -> None:
    """Before analysing several years of ``dataset``: read its companions once, for every year, when the
    policy estimates; each year's priors then take their rows from that read instead of parsing the file
    again (two parses a year: 4 s of an 8-year profile)."""
    if spec.suppressed == "estimate":
        read_companions(spec, dataset)


def read_companions(spec: ReaderSpec, dataset: ReadResult, year: int | None = None) -> dict[str, pd.DataFrame]:
    """Other indicators of the same file that inform estimates (local units, wages); absent ones are skipped.
    A file without an indicator dimension (``dataset.indicator`` None: a generic table) has no others.
    ``year``: only that year's rows (the priors of one year use no other; a Eurostat TSV then parses one
    column), taken from an all-years read of the same file when one is cached."""
    if dataset.source is None or dataset.indicator is None:
        return {}
    codes = COMPANIONS.get(dataset.indicator, {})
    path = Path(dataset.source)
    try:
        stat = path.stat()
    except OSError:
        return {}
    out = {}
    for role, code in codes.items():
        key = (str(path), stat.st_mtime_ns, stat.st_size, code, spec.reader_options)
        with _COMPANIONS_LOCK:
            table = _COMPANIONS.get(key + (None,))
        if table is not None and year is not None:
            table = table[table["year"] == year]
        elif table is None:
            table = _companion(key, year)
        if table is not None:
            out[role] = table
    return out


class Companions(Mapping[str, pd.DataFrame]):
    """:func:`read_companions`, read on first look-up: the estimate asks only when a hidden cell has no prior
    from a neighbouring year, so most years of most files never pay for reading the other indicators."""

    def __init__(self, spec: ReaderSpec, dataset: ReadResult, year: int) -> None:
        self._spec, self._dataset, self._year = spec, dataset, year
        self._tables: dict[str, pd.DataFrame] | None = None

    def _read(self) -> dict[str, pd.DataFrame]:
        if self._tables is None:
            self._tables = read_companions(self._spec, self._dataset, self._year)
        return self._tables

    def __getitem__(self, role: str) -> pd.DataFrame:
        return self._read()[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


_COMPANIONS: dict[tuple, pd.DataFrame | None] = {}  # (path, mtime, size, code, options, year) -> table
_MAX_COMPANIONS = 8
_COMPANIONS_LOCK = threading.Lock()  # the app prepares in worker threads


def _companion(key: tuple, year: int | None) -> pd.DataFrame | None:
    from clustermapper.io import read_dataset

    with _COMPANIONS_LOCK:
        if key + (year,) in _COMPANIONS:
            return _COMPANIONS[key + (year,)]
    path, _, _, code, options = key
    try:
        table: pd.DataFrame | None = read_dataset(path, **{**dict(options), "indicator": code},
                                                  years=None if year is None else (year,)).table
    except (InputError, UsageError):
        table = None  # the file has no such indicator (or year): the estimate uses what there is
    with _COMPANIONS_LOCK:
        while len(_COMPANIONS) >= _MAX_COMPANIONS:
            del _COMPANIONS[next(iter(_COMPANIONS))]  # the oldest
        _COMPANIONS[key + (year,)] = table
    return table
