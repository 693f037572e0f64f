"""Report tables (stars, portfolio, category rankings) to CSV or XLSX, with their provenance.

XLSX: one sheet per table plus a ``metadata`` sheet (key / value rows).
CSV: one table per file, plain RFC 4180 (no comment lines, so Excel and every CSV reader open it as is),
and the metadata in a sidecar ``<file>.metadata.json`` beside it. Both are written atomically.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pandas as pd

from clustermapper import __version__
from clustermapper.analysis import Analysis, demo_data_path
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path, atomic_write, file_sha256
from clustermapper.metrics.rules import STAR_COLUMNS
from clustermapper.render.csv_text import write_csv_text

TABLES = ("stars", "portfolio", "rankings")
STAR_COLUMNS_FIRST = ["region", "category", "employment", "lq", *STAR_COLUMNS, "stars"]


def region_label(analysis: Analysis, code: str) -> str:
    """Region name, or ``""`` when the boundaries do not know the code (old NUTS versions, extra codes)."""
    try:
        return str(analysis.region_name(code) or "")
    except (KeyError, LookupError, ValueError):
        return ""


def region_names(analysis: Analysis, codes: pd.Series) -> pd.Series:
    """Names for a column of codes, looked up once per distinct code (tables have ~20k rows)."""
    return codes.map({code: region_label(analysis, code) for code in codes.unique()})


def category_labels(analysis: Analysis, codes: pd.Series) -> pd.Series:
    return codes.map({code: analysis.category_label(code) for code in codes.unique()})


def source_path(analysis: Analysis) -> Path:
    src: str | Path | None = analysis.dataset.source
    if src is None:
        src = demo_data_path() if analysis.spec.demo or analysis.spec.data is None else analysis.spec.data
    return Path(src)


def nuts_description(analysis: Analysis) -> str:
    nuts = analysis.nuts
    if nuts is None:
        return "not determined"
    describe = getattr(nuts, "describe", None)
    return describe() if callable(describe) else str(nuts)


def data_source(analysis: Analysis) -> str:
    """Who the numbers come from, for footers: never call synthetic or user data "Eurostat"."""
    if analysis.spec.demo or analysis.spec.data is None:
        from clustermapper import demo

        return demo.CITATION
    name = source_path(analysis).name
    fmt = str(analysis.dataset.report.format)
    return f"Eurostat, {name}" if fmt.startswith(("eurostat-tsv", "sdmx-csv")) else name


def _sha256_of(path: Path) -> str:
    """The file's SHA-256, hashed once per file version: a batch of profiles or maps used to hash the
    data file (40 MB for the real one) once per output."""
    st = path.stat()
    return _sha256_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _sha256_cached(path: str, _mtime_ns: int, _size: int) -> str:
    return file_sha256(path)


def analysis_metadata(analysis: Analysis) -> dict[str, str]:
    """Provenance of a result: what a reader of an exported table or map needs to reproduce it."""
    spec, params = analysis.spec, analysis.spec.params
    src = source_path(analysis)
    meta = {
        "data_source": data_source(analysis),
        "source_file": src.name,
        "source_path": str(src),
        "source_sha256": _sha256_of(src) if src.is_file() else "",
        "year": str(analysis.year),
        "indicator": str(analysis.dataset.indicator or spec.indicator),
        "nuts_level": str(spec.level),
        "level_overrides": ",".join(f"{c}={lvl}" for c, lvl in spec.level_override) or "none",
        "taxonomy": str(getattr(analysis.taxonomy, "name", spec.taxonomy)),
        "method": params.describe(),
        "thresholds": json.dumps(params.to_dict(), ensure_ascii=False),
        "nuts_version": nuts_description(analysis),
        "suppressed_cells": f"{spec.suppressed}: {analysis.prepared.fill_note}",
        "notes": " | ".join(analysis.notes),
        "generated_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "software": f"ClusterMapper {__version__}",
    }
    return meta


def stars_table(analysis: Analysis) -> pd.DataFrame:
    """The stars table, key columns first, with region names and category labels for human readers."""
    stars = analysis.stars
    rest = [c for c in stars.columns if c not in STAR_COLUMNS_FIRST]
    table = stars[[c for c in STAR_COLUMNS_FIRST if c in stars.columns] + rest].copy()
    table.insert(1, "region_name", region_names(analysis, table["region"]))
    table.insert(3, "category_label", category_labels(analysis, table["category"]))
    return table.reset_index(drop=True)


def portfolio_table(analysis: Analysis) -> pd.DataFrame:
    table = analysis.portfolio.copy()
    table.insert(1, "region_name", region_names(analysis, table["region"]))
    return table.reset_index(drop=True)


def rankings_table(analysis: Analysis, top: int = 10) -> pd.DataFrame:
    """Top ``top`` regions of every category, in :func:`metrics.ordering.order_regions` order."""
    from clustermapper.metrics.ordering import order_regions

    ordered = order_regions(analysis.stars[analysis.stars["employment"] > 0], by_category=True)
    ranked = ordered.groupby("category", sort=False).head(top).copy()
    ranked.insert(0, "rank", ranked.groupby("category", sort=False).cumcount() + 1)
    cols = ["category", "rank", "region", "employment", "lq", "stars", "size_star", "specialisation_star",
            "focus_star", "size_rank", "focus_rank", "n_flagged", "status", "estimate_low", "estimate_high",
            "size_certainty", "specialisation_certainty", "focus_certainty"]
    table = ranked[[c for c in cols if c in ranked.columns]].copy()
    table.insert(1, "category_label", category_labels(analysis, table["category"]))
    table.insert(4, "region_name", region_names(analysis, table["region"]))
    return table.reset_index(drop=True)


def build_table(analysis: Analysis, name: str) -> pd.DataFrame:
    builders = {"stars": stars_table, "portfolio": portfolio_table, "rankings": rankings_table}
    if name not in builders:
        raise UsageError(f"unknown table {name!r}; choose one of {', '.join(TABLES)}")
    return builders[name](analysis)


def export_tables(analysis: Analysis, out: str | Path, tables: tuple[str, ...] | list[str] = TABLES) -> list[Path]:
    """Write ``tables`` to ``out`` (.xlsx: one workbook; .csv: the first table, or ``<stem>_<table>.csv`` each
    when several are asked) plus metadata. Returns the paths written (sidecars included)."""
    out = Path(out)
    tables = list(tables) or list(TABLES)
    frames = {name: build_table(analysis, name) for name in tables}
    meta = analysis_metadata(analysis)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx(frames, meta, out)
        return [out]
    if suffix == ".csv":
        written = []
        for name, frame in frames.items():
            path = out if len(frames) == 1 else out.with_name(f"{out.stem}_{name}.csv")
            with atomic_write(path, newline="") as fh:
                write_csv_text(frame, fh)
            side = path.with_name(path.name + ".metadata.json")
            with atomic_write(side) as fh:
                json.dump({"table": name, "rows": len(frame), **meta}, fh, indent=2, ensure_ascii=False)
                fh.write("\n")
            written += [path, side]
        return written
    raise UsageError(f"{out}: table export needs a .xlsx or .csv file name")


def _write_xlsx(frames: dict[str, pd.DataFrame], meta: dict[str, str], out: Path) -> None:
    """Streamed (write-only) workbook: several times faster than pandas' default for 20k-row sheets."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from clustermapper.render.table_files import cell_value, formula_safe  # the rules of every workbook we write

    number_formats = {"lq": "0.00", "share": "0.00%", "strong_share": "0.0%", "employment": "#,##0",
                      "region_total": "#,##0", "strong_employment": "#,##0", "size_threshold": "#,##0",
                      "focus_threshold": "0.00%", "estimate_low": "#,##0", "estimate_high": "#,##0"}
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in {**frames, "metadata": pd.DataFrame({"key": list(meta), "value": list(meta.values())})}.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for i, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(8, width + 2), 100 if name == "metadata" else 48)
        header = []
        for col in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(col))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = [number_formats.get(col) for col in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            out_row = []
            for value, fmt in zip(row, formats):
                value = cell_value(value)
                if fmt is not None and value is not None and not isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = fmt
                    value = cell
                else:
                    value = formula_safe(sheet, value)  # a label "=..." from a user taxonomy stays text
                out_row.append(value)
            sheet.append(out_row)
        if name != "metadata" and len(frame):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    with atomic_path(out) as tmp:
        book.save(tmp)
