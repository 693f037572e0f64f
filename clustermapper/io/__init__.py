"""Readers: any supported file -> the tidy table of ``clustermapper.io.table``.

``read_dataset`` opens the file (gzip detected by magic bytes), picks a reader from the registry
(``format`` or the first detector that recognises the file) and returns a :class:`ReadResult`.
"""

from __future__ import annotations

from pathlib import Path

from clustermapper.io.options import ReadOptions
from clustermapper.io.registry import READERS, Reader, choose_reader, readers_by_priority
from clustermapper.io.source import open_source
from clustermapper.io.table import TIDY_COLUMNS, CellIssue, ReadReport, ReadResult
from clustermapper.statuses import unknown_flags_note

# Importing a reader module registers it.
from clustermapper.io import eurostat_tsv, generic, sdmx_csv  # noqa: F401  isort: skip

__all__ = ["read_dataset", "READERS", "Reader", "readers_by_priority", "ReadOptions", "ReadResult", "ReadReport",
           "CellIssue", "TIDY_COLUMNS"]


def read_dataset(
    path: str | Path,
    *,
    indicator: str | None = None,
    format: str | None = None,
    region_col: str | None = None,
    sector_col: str | None = None,
    value_col: str | None = None,
    year_col: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    duplicates: str = "error",
    bad_years: str = "error",
    year_label: int | str | None = None,
    years: tuple[int, ...] | None = None,
) -> ReadResult:
    """Read ``path`` into the tidy table (region, sector, year, value, flag) plus a report.

    Parameters
    ----------
    path : file to read: Eurostat TSV (``.tsv``/``.tsv.gz``), SDMX-CSV, CSV/TSV or ``.xlsx``.
    indicator : indicator code to select where the file has several. ``None`` (or the default code
        ``V16110``): persons employed, the first code of ``defaults.PERSONS_EMPLOYED`` the file has
        (``V16110`` in the old TSV, ``EMP_LOC_NR`` in sbs_r_nuts2021); the choice is noted and
        ``ReadResult.indicator`` holds the code used.
    format : reader name (see ``READERS``) to skip detection.
    region_col, sector_col, value_col, year_col, sep, decimal, sheet : overrides for generic files.
    duplicates : two different values for one region, sector and year (or a year named by two header
        columns): ``"error"`` (default) refuses the file naming both places; ``"first"``/``"last"`` keeps
        the first/last in file order. Identical repeats are always dropped with a note.
    bad_years : year labels that are not years (``FY2010``, ``2015Q1``): ``"error"`` (default) or ``"skip"``
        those rows/columns with a note.
    year_label : the year of a file with no year information at all (a value column, no year column, no
        year columns); files with years ignore it. Without it such a file is an error.
    years : keep only the rows of these years (``None``: every year). A Eurostat TSV then parses only
        those columns (faster; its report counts those cells); other readers read all and filter.

    Raises
    ------
    InputError : the file cannot be understood (names file, line, column and what to do).
    UsageError : the request does not fit the file (unknown indicator, format or option value).
    """
    options = ReadOptions(indicator=indicator, region_col=region_col, sector_col=sector_col, value_col=value_col,
                          year_col=year_col, sep=sep, decimal=decimal, sheet=sheet, duplicates=duplicates,
                          bad_years=bad_years, year_label=year_label,
                          years=None if years is None else tuple(int(y) for y in years))
    source = open_source(path)
    reader = choose_reader(source, format)
    result = reader.read(source, options)
    result.source = source.path
    if options.years is not None and not result.table["year"].isin(options.years).all():
        result.table = result.table[result.table["year"].isin(options.years)].reset_index(drop=True)
    result.report.notes[:0] = source.notes  # decoding notes, known only once the reader has read the text
    odd_flags = unknown_flags_note(result.table)
    if odd_flags:
        result.report.notes.append(odd_flags)
    if source.gzipped:
        result.report.format += " (gzip)"
    return result
