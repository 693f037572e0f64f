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
    lines = source.text.split("\n")
    layout = parse_header(source, lines[0])
    _check_field_counts(source, lines, len(layout.years) + 1)
    report = ReadReport(path=str(source.path), format=NAME)
    report.notes += options.ignored_note("Eurostat TSV", "region_col", "sector_col", "value_col", "year_col",
                                         "sep", "decimal", "sheet")
    numbers, keys = _select(source, lines, layout, options.indicator)
    _check_extra_dims(source, layout, keys, numbers)
    cells = _fast_cells(lines, numbers, layout)
    if cells is None:
        cells = _careful_cells(lines, numbers, layout)
    n_years = len(layout.years)
    cells["region"] = np.repeat([k[layout.region] for k in keys], n_years)
    cells["sector"] = np.repeat([k[layout.sector] for k in keys], n_years)
    cells["year"] = np.tile(np.array(layout.years, dtype="int64"), len(keys))
    cells["line"] = np.repeat(np.asarray(numbers, dtype="int64") + 1, n_years)
    indicator = options.indicator if layout.indicator is not None else None
    if layout.indicator is None:
        report.notes.append("the file has no indicator dimension: all rows were read")
    return finish(cells, report, indicator=indicator,
                  key_columns={"region": layout.dims[layout.region], "sector": layout.dims[layout.sector]})


def _check_field_counts(source: Source, lines: list[str], expected: int) -> None:
    tabs = expected - 1
    for number, line in enumerate(lines):
        if line.count("\t") != tabs and line.strip():
            found = line.count("\t") + 1
            raise InputError(source.path, f"row has {found} fields, the header has {expected}",
                             line=number + 1, column=min(found, expected) + 1,
                             hint="the file is damaged or was edited: download it again")


def _select(source: Source, lines: list[str], layout: Layout, indicator: str) -> tuple[list[int], list[list[str]]]:
    """Line indexes and key parts of the rows of ``indicator`` (all data rows without an indicator dimension)."""
    ind = layout.indicator
    if ind is None:
        candidates = range(1, len(lines))
    else:  # a substring test is ~10x cheaper than splitting every key
        candidates = [i for i, line in enumerate(lines) if indicator in line and i > 0]
    numbers, keys = [], []
    for i in candidates:
        line = lines[i]
        if not line.strip():
            continue
        key = line[: line.find("\t")].split(",")
        if len(key) != len(layout.dims):
            raise InputError(source.path, f"row key {key!r} has {len(key)} parts, the header names {len(layout.dims)} "
                             f"({','.join(layout.dims)})", line=i + 1, column=1, hint="the file is damaged")
        if ind is None or key[ind].strip().upper() == indicator:
            numbers.append(i)
            keys.append(key)
    if not numbers:
        if ind is None:
            raise InputError(source.path, "the file has a header but no data rows", line=2, column=1)
        present = sorted({ln[: ln.find("\t")].split(",")[ind].strip() for ln in lines[1:] if "\t" in ln})
        raise UsageError(f"{source.path}: indicator {indicator} is not in this file; "
                         f"{layout.dims[ind]} has: {', '.join(present)}")
    return numbers, keys


def _check_extra_dims(source: Source, layout: Layout, keys: list[list[str]], numbers: list[int]) -> None:
    """Dimensions other than region/sector/indicator must hold one value, or a cell would have two numbers."""
    for pos in layout.extra:
        first = keys[0][pos]
        other = next((n for n, k in zip(numbers, keys) if k[pos] != first), None)
        if other is not None:
            values = sorted({k[pos] for k in keys})
            raise InputError(source.path, f"dimension {layout.dims[pos]!r} has several values "
                             f"({', '.join(values[:10])}); ClusterMapper needs one number per region, sector and year",
                             line=other + 1, column=1, hint=f"download the table for a single {layout.dims[pos]}")


def _fast_cells(lines: list[str], numbers: list[int], layout: Layout) -> pd.DataFrame | None:
    """Clean files only: every cell is ``<number or :> <flags>``; ``None`` tells the caller to parse carefully."""
    body = "\n".join(lines[i] for i in numbers)
    n_years = len(layout.years)
    names = ["key"] + [f"{kind}{j}" for j in range(n_years) for kind in "vf"]
    values, flags = names[1::2], names[2::2]
    try:
        frame = pd.read_csv(
            io.StringIO(body.replace(" ", "\t")), sep="\t", header=None, names=names, engine="c",
            dtype={"key": str, **{v: "float64" for v in values}, **{f: str for f in flags}},
            na_values={v: [":"] for v in values}, keep_default_na=False, quoting=3,
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(frame) != len(numbers):
        return None
    v = frame[values].to_numpy(dtype="float64")
    f = frame[flags].to_numpy(dtype=object)
    if np.isinf(v).any() or int(np.isnan(v).sum()) != body.count(":"):
        return None
    if any(not isinstance(x, str) or not _FLAGS.match(x) for x in pd.unique(f.ravel())):
        return None
    v, f = v.ravel(), f.ravel().astype(str)
    missing = np.isnan(v)
    status = np.where(missing, np.where(np.char.find(f, "c") >= 0, CONFIDENTIAL, MISSING), NUMBER).astype("int8")
    return pd.DataFrame({"value": v, "flag": f, "status": status})


def _careful_cells(lines: list[str], numbers: list[int], layout: Layout) -> pd.DataFrame:
    texts = pd.Series([cell for i in numbers for cell in lines[i].split("\t")[1:]], dtype=object)
    parsed = parse_cells(texts, decimal=".")
    return pd.DataFrame({
        "value": parsed.values.to_numpy(), "flag": parsed.flags.to_numpy(), "status": parsed.status.to_numpy(),
        "column": np.tile(np.array(layout.year_labels, dtype=object), len(numbers)), "text": texts.to_numpy(),
    })


register(Reader(NAME, "Eurostat TSV (geo\\time layout), plain or gzipped", detect, read, priority=30))
