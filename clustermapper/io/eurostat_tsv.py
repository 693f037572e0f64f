"""Eurostat TSV as published (``nace_r2,indic_sb,geo\\time<TAB>2015 <TAB>2014 ...``), plain or gzipped.

Speed matters (the regional SBS file has ~200,000 lines): lines of other indicators are dropped by a
substring test before any parsing, and clean files take a fast path where pandas' C parser reads
``value flag`` cells as two columns. Anything unusual falls back to the cell-by-cell parser, which
records unreadable cells with their line and year.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from itertools import repeat
from typing import NoReturn

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, UsageError, quote
from clustermapper.io.cells import CONFIDENTIAL, MISSING, NUMBER, parse_cells
from clustermapper.io.columns import header_year
from clustermapper.io.dims import fix_dimension
from clustermapper.io.options import ReadOptions, indicator_note, no_indicator_message
from clustermapper.io.registry import Reader, register
from clustermapper.io.source import MAX_CELL_CHARS, Source
from clustermapper.io.table import ReadReport, ReadResult
from clustermapper.io.tidy import finish

NAME = "eurostat-tsv"
_HEADER = re.compile(r"^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*\\[A-Za-z_]+\s*\t")
_FLAGS = re.compile(r"^[a-z]{0,4}$")  # as the careful parser's cells.split_flag: longer words go there


@dataclass
class Layout:
    """What the header says: dimension names and positions, and the year of each data column read.

    ``columns`` are the positions (0-based, among the ``n_columns`` data columns) of the columns read,
    ``years``/``year_labels`` their year and header text; columns skipped (``bad_years="skip"``) are not listed.
    """

    dims: list[str]
    region: int
    sector: int
    indicator: int | None
    years: list[int]
    year_labels: list[str]
    columns: list[int]
    n_columns: int
    notes: list[str]

    @property
    def extra(self) -> list[int]:
        return [i for i in range(len(self.dims)) if i not in (self.region, self.sector, self.indicator)]


def detect(source: Source) -> bool:
    return bool(source.head_lines) and bool(_HEADER.match(source.head_lines[0]))


def parse_header(source: Source, header: str, options: ReadOptions) -> Layout:
    """Read ``dim1,dim2,geo\\time`` and the year cells, or say exactly what is wrong with them."""
    cells = header.split("\t")
    key, _, col_dim = cells[0].partition("\\")
    dims = [d.strip().lower() for d in key.split(",")]
    if col_dim.strip().lower() not in ("time", "time_period"):
        raise InputError(source.path, f"first header cell {quote(cells[0])} puts {quote(col_dim)} in the columns; expected time",
                         line=1, column=1, hint="download the table with years as columns (geo\\time)")
    region = _find(dims, ("geo",))
    sector = _find(dims, ("nace",))
    if region is None or sector is None:
        missing = "geo" if region is None else "a NACE dimension (nace_r2)"
        raise InputError(source.path, f"header dimensions {quote(', '.join(dims))} lack {missing}", line=1, column=1,
                         hint="ClusterMapper reads regional data by NACE sector (e.g. sbs_r_nuts06_r2)")
    years, labels, columns, notes = _year_columns(source, cells[1:], options)
    if options.years is not None:  # the other columns are never parsed
        keep = [i for i, y in enumerate(years) if y in options.years]
        if not keep:
            raise InputError(source.path, f"no column of year {', '.join(map(str, options.years))}", line=1,
                             column=2, hint=f"the file has {', '.join(map(str, sorted(set(years))))}")
        years, labels, columns = [years[i] for i in keep], [labels[i] for i in keep], [columns[i] for i in keep]
    return Layout(dims, region, sector, _find(dims, ("indic",)), years, labels, columns, len(cells) - 1, notes)


def _year_columns(source: Source, cells: list[str],
                  options: ReadOptions) -> tuple[list[int], list[str], list[int], list[str]]:
    """Year of each data column (``2015``, ``2015 ``, ``y2015``...); a label that is not a year or a year named
    twice is an error unless the user chose ``bad_years="skip"`` / ``duplicates`` first or last."""
    years: list[int] = []
    columns: list[int] = []
    labels: list[str] = []
    skipped: list[str] = []
    notes: list[str] = []
    for pos, cell in enumerate(cells):
        year = header_year(cell)
        if year is None:
            if options.bad_years != "skip":
                raise InputError(source.path, f"column header {quote(cell.strip())} is not a year", line=1,
                                 column=pos + 2,
                                 hint="only annual Eurostat tables are supported (years such as 2015); "
                                      "skip such columns with --bad-years skip")
            skipped.append(cell.strip())
            continue
        if year in years and options.duplicates == "error":
            raise InputError(source.path, f"columns {years.index(year) + 2} and {pos + 2} both name the year "
                             f"{year} ({quote(cells[years.index(year)].strip())}, {quote(cell.strip())})", line=1, column=pos + 2,
                             hint="remove one of them, or keep the first or last with --duplicates first|last")
        years.append(year)
        labels.append(cell.strip())
        columns.append(pos)
    if skipped:
        notes.append(f"{len(skipped)} column{'s' if len(skipped) > 1 else ''} whose header is not a year "
                     f"skipped ({', '.join(map(quote, skipped[:5]))}; --bad-years skip)")
    if not years:
        raise InputError(source.path, "no column header is a year", line=1, column=2,
                         hint="only annual Eurostat tables are supported")
    return years, labels, columns, notes


def _find(dims: list[str], prefixes: tuple[str, ...]) -> int | None:
    return next((i for i, d in enumerate(dims) if d.startswith(prefixes)), None)


def read(source: Source, options: ReadOptions) -> ReadResult:
    lines = source.lines
    layout = parse_header(source, lines[0], options)
    report = ReadReport(path=str(source.path), format=NAME)
    report.notes += options.ignored_note("Eurostat TSV", "region_col", "sector_col", "value_col", "year_col",
                                         "sep", "decimal", "sheet")
    report.notes += layout.notes
    indicator = None
    codes: tuple[str | None, ...] = (None,) if layout.indicator is None else options.wanted_indicators
    rows: Rows | None = None
    for code in codes:  # the user's indicator, or the first persons-employed code the file has
        candidates = _candidates(lines, layout, code)
        rows = _fast_rows(lines, candidates, layout, code)
        if rows is None:
            rows = _careful_rows(source, lines, candidates, layout, code)
        if len(rows[0]):
            indicator = code
            break
    assert rows is not None  # codes is never empty
    numbers, keys, cells = rows
    if not len(numbers):
        _no_rows(source, lines, layout, options)
    if indicator is not None and options.auto_indicator:
        report.notes.append(indicator_note(indicator))
    numbers, keys, cells = _fix_extra_dims(source, layout, numbers, keys, cells, report)
    n_years = len(layout.years)
    for role, pos in (("region", layout.region), ("sector", layout.sector)):
        codes_, uniques = pd.factorize(keys[pos])  # repeat small integer codes, not 8x as many strings
        cells[role] = pd.Categorical.from_codes(np.repeat(codes_, n_years), uniques.astype(str))
    cells["year"] = np.tile(np.array(layout.years, dtype="int64"), len(numbers))
    cells["line"] = np.repeat(numbers + 1, n_years)
    if "column" not in cells:  # the fast path: header labels, for messages about duplicates
        label_codes, labels = pd.factorize(np.array(layout.year_labels, dtype=object))
        cells["column"] = pd.Categorical.from_codes(np.tile(label_codes, len(numbers)), labels.astype(str))
    if layout.indicator is None:
        report.notes.append("the file has no indicator dimension: all rows were read")
    return finish(cells, report, indicator=indicator, duplicates=options.duplicates,
                  key_columns={"region": layout.dims[layout.region], "sector": layout.dims[layout.sector]})


Rows = tuple[np.ndarray, pd.DataFrame, pd.DataFrame]  # line indexes, key parts by dimension, cells


def _candidates(lines: list[str], layout: Layout, indicator: str | None) -> list[int]:
    """Lines that may hold ``indicator``: a substring test is ~10x cheaper than splitting every key."""
    if layout.indicator is None or indicator is None:
        return [i for i in range(1, len(lines)) if lines[i].strip()]
    found = [i for i, line in enumerate(lines) if indicator in line and i > 0]
    if not found:  # codes in lower case (an edited file): the rows compare them ignoring case
        low = indicator.lower()
        found = [i for i, line in enumerate(lines) if i > 0 and low in line.lower()]
    return found


def _fast_rows(lines: list[str], candidates: list[int], layout: Layout, indicator: str | None) -> Rows | None:
    """Clean files only: every cell is ``<number or :> <flags>``; ``None`` tells the caller to parse carefully.

    Commas (in keys) and spaces (between number and flag) become tabs, so pandas' C parser reads the key
    dimensions, values and flags as separate columns at once.
    """
    if not candidates:
        return None
    n_dims, n_years = len(layout.dims), layout.n_columns
    dims = [f"d{j}" for j in range(n_dims)]
    values, flags = [f"v{j}" for j in range(n_years)], [f"f{j}" for j in range(n_years)]
    names = dims + [name for pair in zip(values, flags) for name in pair]
    split = [lines[i].replace(",", "\t").replace(" ", "\t") for i in candidates]
    if max(map(len, split)) > MAX_CELL_CHARS:
        return None  # a cell may be that long: the careful parser checks each one
    tabs = np.fromiter(map(str.count, split, repeat("\t")), dtype=np.int64, count=len(split))
    if ((tabs < len(names) - 2) | (tabs > len(names) - 1)).any():
        return None  # a field too many or too few: the careful parser says where
    body = "\n".join(split)
    # every value column is read (the count of ":" checks them all), but only the flags of the years read:
    # flags become Python strings, most of the parse when one year of eight is wanted (the estimate's priors)
    used_flags = [flags[j] for j in layout.columns]
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep="\t", header=None, names=names, index_col=False, usecols=dims + values + used_flags,
            engine="c", dtype={**dict.fromkeys(dims + used_flags, "category"),  # hashed in C: no string per cell
                               **dict.fromkeys(values, "float64")},
            na_values={v: [":"] for v in values}, keep_default_na=False, quoting=3,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    # a short row is short at its end: with the last key part present, all are
    if len(frame) != len(candidates) or frame[dims[-1]].isna().any():
        return None
    v = frame[values].to_numpy(dtype="float64")
    if np.isinf(v).any() or int(np.isnan(v).sum()) != body.count(":"):
        return None
    flag_codes, flag_texts = _flag_codes(frame, used_flags, last=flags[-1])
    if flag_codes is None or any(not _FLAGS.match(x) for x in flag_texts):
        return None
    keep = np.ones(len(frame), dtype=bool)
    if layout.indicator is not None:
        ind_codes, ind_texts = pd.factorize(frame[dims[layout.indicator]].to_numpy(dtype=object))
        keep = np.array([t.strip().upper() == indicator for t in ind_texts], dtype=bool)[ind_codes]
    if len(layout.columns) < n_years:  # columns not read: another year, or a header that is not a year
        v = v[:, layout.columns]
    v, flag_codes = v[keep].ravel(), flag_codes[keep].ravel()
    confidential = np.array(["c" in t for t in flag_texts], dtype=bool)[flag_codes]
    status = np.where(np.isnan(v), np.where(confidential, CONFIDENTIAL, MISSING), NUMBER).astype("int8")
    keys = frame.loc[keep, dims].set_axis(range(n_dims), axis=1).reset_index(drop=True)
    numbers = np.asarray(candidates, dtype="int64")[keep]
    flag = pd.Categorical.from_codes(flag_codes, pd.Index(flag_texts, dtype=object))
    return numbers, keys, pd.DataFrame({"value": v, "flag": flag, "status": status})


def _flag_codes(frame: pd.DataFrame, columns: list[str], last: str) -> tuple[np.ndarray | None, list[str]]:
    """One code per flag cell (rows × ``columns``) into one list of distinct flag texts, each checked (and
    searched for "c") once by the caller; None where a flag field is absent, except in the file's ``last``
    column (a line without its trailing space), whose absent flags are "" (no flag)."""
    texts: dict[str, int] = {}
    codes = np.empty((len(frame), len(columns)), dtype="int64")
    for j, column in enumerate(columns):
        flag = frame[column].array
        remap = np.array([texts.setdefault(str(t), len(texts)) for t in flag.categories] + [-1], dtype="int64")
        codes[:, j] = remap[flag.codes]  # code -1 (absent) stays -1
        absent = codes[:, j] < 0
        if absent.any():
            if column != last:
                return None, []
            codes[absent, j] = texts.setdefault("", len(texts))
    return codes, list(texts)


def _careful_rows(source: Source, lines: list[str], candidates: list[int], layout: Layout,
                  indicator: str | None) -> Rows:
    """Cell by cell, checking every row's shape; unreadable cells are kept with their line and year."""
    expected = layout.n_columns + 1
    numbers: list[int] = []
    keys: list[list[str]] = []
    texts: list[str] = []
    for i in candidates:
        fields = lines[i].split("\t")
        if len(lines[i]) > MAX_CELL_CHARS:
            _long_cell(source, fields, i)
        if len(fields) != expected:
            raise InputError(source.path, f"row has {len(fields)} fields, the header has {expected}",
                             line=i + 1, column=min(len(fields), expected) + 1,
                             hint="the file is damaged or was edited: download it again")
        key = fields[0].split(",")
        if len(key) != len(layout.dims):
            raise InputError(source.path, f"row key {quote(fields[0])} has {len(key)} parts, the header names "
                             f"{len(layout.dims)} ({quote(','.join(layout.dims))})", line=i + 1, column=1,
                             hint="the file is damaged or was edited: download it again")
        if layout.indicator is None or key[layout.indicator].strip().upper() == indicator:
            numbers.append(i)
            keys.append(key)
            texts.extend(fields[1 + p] for p in layout.columns)
    parsed = parse_cells(pd.Series(texts, dtype=object), decimal=".")
    cells = pd.DataFrame({
        "value": parsed.values.to_numpy(), "flag": parsed.flags.to_numpy(), "status": parsed.status.to_numpy(),
        "column": np.tile(np.array(layout.year_labels, dtype=object), len(numbers)), "text": texts,
    })
    return np.asarray(numbers, dtype="int64"), pd.DataFrame(keys, columns=range(len(layout.dims))), cells


def _long_cell(source: Source, fields: list[str], i: int) -> None:
    """Refuse a cell longer than ``MAX_CELL_CHARS``: no value or key is that long, and numpy would make every
    cell of the table as wide as it."""
    for pos, text in enumerate(fields):
        if len(text) > MAX_CELL_CHARS:
            raise InputError(source.path, f"cell of {len(text):,} characters ({quote(text[:20])}…); a Eurostat cell is "
                             f"a number with a few flag letters (at most {MAX_CELL_CHARS:,} characters)",
                             line=i + 1, column=pos + 1, hint="the file is damaged or was edited: download it again")


def _no_rows(source: Source, lines: list[str], layout: Layout, options: ReadOptions) -> NoReturn:
    ind = layout.indicator
    if ind is None or not any(line.strip() for line in lines[1:]):
        raise InputError(source.path, "the file has a header but no data rows", line=2, column=1,
                         hint="the download was cut short or the table is empty: download it again")
    present = sorted({ln.split("\t", 1)[0].split(",")[ind].strip() for ln in lines[1:]
                      if "\t" in ln and ln.count(",", 0, ln.find("\t")) >= ind})
    raise UsageError(no_indicator_message(source.path, options, layout.dims[ind], present))


def _fix_extra_dims(source: Source, layout: Layout, numbers: np.ndarray, keys: pd.DataFrame, cells: pd.DataFrame,
                    report: ReadReport) -> Rows:
    """Dimensions other than region/sector/indicator hold one value or are fixed to TOTAL (``io.dims``)."""
    for pos in layout.extra:
        keep, note = fix_dimension(source.path, layout.dims[pos], keys[pos], numbers + 1, column=1)
        if note:
            report.notes.append(note)
        if keep is not None:
            numbers, keys = numbers[keep], keys[keep].reset_index(drop=True)
            cells = cells[np.repeat(keep, len(layout.years))].reset_index(drop=True)
    return numbers, keys, cells


register(Reader(NAME, "Eurostat TSV (geo\\time layout), plain or gzipped", detect, read, priority=30))
