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

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, UsageError
from clustermapper.io.cells import CONFIDENTIAL, MISSING, NUMBER, parse_cells
from clustermapper.io.options import ReadOptions
from clustermapper.io.registry import Reader, register
from clustermapper.io.source import Source
from clustermapper.io.table import ReadReport, ReadResult
from clustermapper.io.tidy import finish

NAME = "eurostat-tsv"
_HEADER = re.compile(r"^[A-Za-z0-9_]+(,[A-Za-z0-9_]+)*\\[A-Za-z_]+\s*\t")
_YEAR = re.compile(r"^\d{4}$")
_FLAGS = re.compile(r"^[a-z]*$")


@dataclass
class Layout:
    """What the header says: dimension names and positions, and the year of each data column."""

    dims: list[str]
    region: int
    sector: int
    indicator: int | None
    years: list[int]
    year_labels: list[str]

    @property
    def extra(self) -> list[int]:
        return [i for i in range(len(self.dims)) if i not in (self.region, self.sector, self.indicator)]


def detect(source: Source) -> bool:
    return bool(source.head_lines) and bool(_HEADER.match(source.head_lines[0]))


def parse_header(source: Source, header: str) -> Layout:
    """Read ``dim1,dim2,geo\\time`` and the year cells, or say exactly what is wrong with them."""
    cells = header.split("\t")
    key, _, col_dim = cells[0].partition("\\")
    dims = [d.strip().lower() for d in key.split(",")]
    if col_dim.strip().lower() not in ("time", "time_period"):
        raise InputError(source.path, f"first header cell {cells[0]!r} puts {col_dim!r} in the columns; expected time",
                         line=1, column=1, hint="download the table with years as columns (geo\\time)")
    region = _find(dims, ("geo",))
    sector = _find(dims, ("nace",))
    if region is None or sector is None:
        missing = "geo" if region is None else "a NACE dimension (nace_r2)"
        raise InputError(source.path, f"header dimensions {', '.join(dims)} lack {missing}", line=1, column=1,
                         hint="ClusterMapper reads regional data by NACE sector (e.g. sbs_r_nuts06_r2)")
    labels = [c.strip() for c in cells[1:]]
    for i, label in enumerate(labels, start=2):
        if not _YEAR.match(label):
            raise InputError(source.path, f"column header {label!r} is not a year", line=1, column=i,
                             hint="only annual Eurostat tables are supported")
    return Layout(dims, region, sector, _find(dims, ("indic",)), [int(x) for x in labels], labels)


def _find(dims: list[str], prefixes: tuple[str, ...]) -> int | None:
    return next((i for i, d in enumerate(dims) if d.startswith(prefixes)), None)


def read(source: Source, options: ReadOptions) -> ReadResult:
    lines = source.lines
    layout = parse_header(source, lines[0])
    report = ReadReport(path=str(source.path), format=NAME)
    report.notes += options.ignored_note("Eurostat TSV", "region_col", "sector_col", "value_col", "year_col",
                                         "sep", "decimal", "sheet")
    candidates = _candidates(lines, layout, options.indicator)
    rows = _fast_rows(lines, candidates, layout, options.indicator)
    if rows is None:
        rows = _careful_rows(source, lines, candidates, layout, options.indicator)
    numbers, keys, cells = rows
    if not len(numbers):
        _no_rows(source, lines, layout, options.indicator)
    _check_extra_dims(source, layout, keys, numbers)
    n_years = len(layout.years)
    for role, pos in (("region", layout.region), ("sector", layout.sector)):
        codes, uniques = pd.factorize(keys[pos])  # repeat small integer codes, not 8x as many strings
        cells[role] = pd.Categorical.from_codes(np.repeat(codes, n_years), uniques.astype(str))
    cells["year"] = np.tile(np.array(layout.years, dtype="int64"), len(numbers))
    cells["line"] = np.repeat(numbers + 1, n_years)
    indicator = options.indicator if layout.indicator is not None else None
    if layout.indicator is None:
        report.notes.append("the file has no indicator dimension: all rows were read")
    return finish(cells, report, indicator=indicator,
                  key_columns={"region": layout.dims[layout.region], "sector": layout.dims[layout.sector]})


Rows = tuple[np.ndarray, pd.DataFrame, pd.DataFrame]  # line indexes, key parts by dimension, cells


def _candidates(lines: list[str], layout: Layout, indicator: str) -> list[int]:
    """Lines that may hold ``indicator``: a substring test is ~10x cheaper than splitting every key."""
    if layout.indicator is None:
        return [i for i in range(1, len(lines)) if lines[i].strip()]
    return [i for i, line in enumerate(lines) if indicator in line and i > 0]


def _fast_rows(lines: list[str], candidates: list[int], layout: Layout, indicator: str) -> Rows | None:
    """Clean files only: every cell is ``<number or :> <flags>``; ``None`` tells the caller to parse carefully.

    Commas (in keys) and spaces (between number and flag) become tabs, so pandas' C parser reads the key
    dimensions, values and flags as separate columns at once.
    """
    if not candidates:
        return None
    n_dims, n_years = len(layout.dims), len(layout.years)
    dims = [f"d{j}" for j in range(n_dims)]
    values, flags = [f"v{j}" for j in range(n_years)], [f"f{j}" for j in range(n_years)]
    names = dims + [name for pair in zip(values, flags) for name in pair]
    split = [lines[i].replace(",", "\t").replace(" ", "\t") for i in candidates]
    if any(not len(names) - 2 <= line.count("\t") <= len(names) - 1 for line in split):
        return None  # a field too many or too few: the careful parser says where
    body = "\n".join(split)
    try:
        frame = pd.read_csv(
            io.StringIO(body), sep="\t", header=None, names=names, index_col=False,
            engine="c", dtype={**dict.fromkeys(dims + flags, str), **dict.fromkeys(values, "float64")},
            na_values={v: [":"] for v in values}, keep_default_na=False, quoting=3,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame) != len(candidates) or frame[dims].isna().any().any():
        return None
    frame[flags[-1]] = frame[flags[-1]].fillna("")  # a last cell without its trailing space
    v = frame[values].to_numpy(dtype="float64")
    f = frame[flags].to_numpy(dtype=object)
    if np.isinf(v).any() or int(np.isnan(v).sum()) != body.count(":"):
        return None
    if any(not isinstance(x, str) or not _FLAGS.match(x) for x in pd.unique(f.ravel())):
        return None
    keep = np.ones(len(frame), dtype=bool)
    if layout.indicator is not None:
        keep = frame[dims[layout.indicator]].str.strip().str.upper().to_numpy() == indicator
    v, f = v[keep].ravel(), f[keep].ravel().astype(str)
    missing = np.isnan(v)
    status = np.where(missing, np.where(np.char.find(f, "c") >= 0, CONFIDENTIAL, MISSING), NUMBER).astype("int8")
    keys = frame.loc[keep, dims].set_axis(range(n_dims), axis=1).reset_index(drop=True)
    numbers = np.asarray(candidates, dtype="int64")[keep]
    return numbers, keys, pd.DataFrame({"value": v, "flag": f, "status": status})


def _careful_rows(source: Source, lines: list[str], candidates: list[int], layout: Layout, indicator: str) -> Rows:
    """Cell by cell, checking every row's shape; unreadable cells are kept with their line and year."""
    expected = len(layout.years) + 1
    numbers, keys, texts = [], [], []
    for i in candidates:
        fields = lines[i].split("\t")
        if len(fields) != expected:
            raise InputError(source.path, f"row has {len(fields)} fields, the header has {expected}",
                             line=i + 1, column=min(len(fields), expected) + 1,
                             hint="the file is damaged or was edited: download it again")
        key = fields[0].split(",")
        if len(key) != len(layout.dims):
            raise InputError(source.path, f"row key {fields[0]!r} has {len(key)} parts, the header names "
                             f"{len(layout.dims)} ({','.join(layout.dims)})", line=i + 1, column=1,
                             hint="the file is damaged or was edited: download it again")
        if layout.indicator is None or key[layout.indicator].strip().upper() == indicator:
            numbers.append(i)
            keys.append(key)
            texts.extend(fields[1:])
    parsed = parse_cells(pd.Series(texts, dtype=object), decimal=".")
    cells = pd.DataFrame({
        "value": parsed.values.to_numpy(), "flag": parsed.flags.to_numpy(), "status": parsed.status.to_numpy(),
        "column": np.tile(np.array(layout.year_labels, dtype=object), len(numbers)), "text": texts,
    })
    return np.asarray(numbers, dtype="int64"), pd.DataFrame(keys, columns=range(len(layout.dims))), cells


def _no_rows(source: Source, lines: list[str], layout: Layout, indicator: str) -> None:
    ind = layout.indicator
    if ind is None:
        raise InputError(source.path, "the file has a header but no data rows", line=2, column=1)
    present = sorted({ln.split("\t", 1)[0].split(",")[ind].strip() for ln in lines[1:]
                      if "\t" in ln and ln.count(",", 0, ln.find("\t")) >= ind})
    raise UsageError(f"{source.path}: indicator {indicator} is not in this file; "
                     f"{layout.dims[ind]} has: {', '.join(present)}")


def _check_extra_dims(source: Source, layout: Layout, keys: pd.DataFrame, numbers: np.ndarray) -> None:
    """Dimensions other than region/sector/indicator must hold one value, or a cell would have two numbers."""
    for pos in layout.extra:
        column = keys[pos]
        differs = (column != column.iloc[0]).to_numpy()
        if differs.any():
            values = sorted(set(column))
            raise InputError(source.path, f"dimension {layout.dims[pos]!r} has several values "
                             f"({', '.join(values[:10])}); ClusterMapper needs one number per region, sector and year",
                             line=int(numbers[differs][0]) + 1, column=1,
                             hint=f"download the table for a single {layout.dims[pos]}")


register(Reader(NAME, "Eurostat TSV (geo\\time layout), plain or gzipped", detect, read, priority=30))
