"""Readers: any supported file -> the tidy table of ``clustermapper.io.table``.

``read_dataset`` opens the file (gzip detected by magic bytes), picks a reader from the registry
(``format`` or the first detector that recognises the file) and returns a :class:`ReadResult`.
"""

from __future__ import annotations

from pathlib import Path

from clustermapper.defaults import DEFAULT_INDICATOR
from clustermapper.io.options import ReadOptions
from clustermapper.io.registry import READERS, Reader, choose_reader, readers_by_priority
from clustermapper.io.source import open_source
from clustermapper.io.table import TIDY_COLUMNS, CellIssue, ReadReport, ReadResult

# Importing a reader module registers it.
from clustermapper.io import eurostat_tsv, generic, sdmx_csv  # noqa: F401  isort: skip

__all__ = ["read_dataset", "READERS", "Reader", "readers_by_priority", "ReadOptions", "ReadResult", "ReadReport",
           "CellIssue", "TIDY_COLUMNS"]


def read_dataset(
    path: str | Path,
    *,
    indicator: str = DEFAULT_INDICATOR,
    format: str | None = None,
    region_col: str | None = None,
    sector_col: str | None = None,
    value_col: str | None = None,
    year_col: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
) -> ReadResult:
    """Read ``path`` into the tidy table (region, sector, year, value, flag) plus a report.

    Parameters
    ----------
    path : file to read: Eurostat TSV (``.tsv``/``.tsv.gz``), SDMX-CSV, CSV/TSV or ``.xlsx``.
    indicator : indicator code to select where the file has several (default: persons employed).
    format : reader name (see ``READERS``) to skip detection.
    region_col, sector_col, value_col, year_col, sep, decimal, sheet : overrides for generic files.

    Raises
    ------
    InputError : the file cannot be understood (names file, line, column and what to do).
    UsageError : the request does not fit the file (unknown indicator, format or option value).
    """
    options = ReadOptions(indicator=indicator, region_col=region_col, sector_col=sector_col, value_col=value_col,
                          year_col=year_col, sep=sep, decimal=decimal, sheet=sheet)
    source = open_source(path)
    reader = choose_reader(source, format)
    result = reader.read(source, options)
    result.source = source.path
    result.report.notes[:0] = source.notes  # decoding notes, known only once the reader has read the text
    if source.gzipped:
        result.report.format += " (gzip)"
    return result
