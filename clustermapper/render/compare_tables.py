"""A comparison to files: XLSX (one sheet per measure plus ``notes``), CSV (long form, notes in a sidecar
``<file>.metadata.json``) or PDF (:mod:`.compare_pdf`); :func:`write_comparison` picks by the suffix.

In the XLSX sheets numbers stay numbers: an estimated value shows ``≈`` and the published parts of a
confidential cell ``≥`` through the cell's number format, a change resting on a marked cell ends in ``*``;
marked cells are italic on a pale yellow fill, and the ``notes`` sheet lists every marked cell with its reason.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from clustermapper import __version__
from clustermapper.analytics.compare import CHANGE_COLUMNS, COLUMNS, MARKS, MEASURES, Comparison
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.statuses import CONFIDENTIAL, ESTIMATED

FORMATS = (".xlsx", ".csv", ".pdf")
MARKED_FILL = "FFF3CD"


def write_comparison(comparison: Comparison, out: str | Path, top: int = 15) -> list[Path]:
    """Write ``comparison`` to ``out`` (.xlsx, .csv or .pdf); the paths written (a CSV's sidecar included).
    ``top``: categories in the PDF's tables and charts."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(comparison, out)
        return [out]
    if suffix == ".csv":
        return write_csv(comparison, out)
    if suffix == ".pdf":
        from clustermapper.render.compare_pdf import write_pdf

        write_pdf(comparison, out, top=top)
        return [out]
    raise UsageError(f"{out}: a comparison is written as {', '.join(FORMATS)} (got {suffix or 'no suffix'})")


def long_table(comparison: Comparison) -> pd.DataFrame:
    """The CSV: one row per category × region, the change columns only with a base year."""
    columns = list(COLUMNS) + (list(CHANGE_COLUMNS) if comparison.base is not None else [])
    return comparison.table[columns].copy()


def notes(comparison: Comparison) -> dict[str, str]:
    """What a reader of the exported comparison needs: source, year, method, regions, marks."""
    from clustermapper.render.tables import data_source, region_label

    a = comparison.analysis
    meta = {
        "title": f"Regions compared, {a.year}",
        "source": data_source(a),
        "year": str(a.year),
        "base_year": "" if comparison.base is None else str(comparison.base.year),
        "regions": "; ".join(f"{r} {region_label(a, r)}".strip() for r in comparison.regions),
        "regions_without_data": ", ".join(comparison.missing) or "none",
        "indicator": str(a.dataset.indicator or a.spec.indicator),
        "nuts_level": str(a.spec.level),
        "taxonomy": str(getattr(a.taxonomy, "name", a.spec.taxonomy)),
        "method": a.params.describe(),
        "confidential_cells": f"{a.spec.suppressed}: {a.prepared.fill_note}",
        "order": "regions as given; categories strongest first (most stars over the compared regions, then the "
                 "highest LQ, then most employees)",
    }
    meta.update({f"mark {mark}": text for mark, text in MARKS})
    meta.update({f"note {i}": text for i, text in enumerate(comparison.notes, start=1)})
    meta["generated_at"] = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    meta["software"] = f"ClusterMapper {__version__}"
    return meta


def write_csv(comparison: Comparison, out: Path) -> list[Path]:
    table = long_table(comparison)
    with atomic_write(out, newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n")
    side = out.with_name(out.name + ".metadata.json")
    with atomic_write(side) as fh:
        json.dump({"table": "compare", "rows": len(table), **notes(comparison)}, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return [out, side]


def _number_format(measure: str, row: pd.Series) -> str:
    if measure == "change":
        star = '" *"' if row["change_caution"] else ""
        return f'+0.0%{star};−0.0%{star};0.0%{star}'
    prefix = {ESTIMATED: '"≈ "', CONFIDENTIAL: '"≥ "'}.get(str(row["status"]), "")
    return prefix + ("#,##0" if measure == "employment" else "0.00")


def write_xlsx(comparison: Comparison, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, italic = Font(bold=True), Font(italic=True)
    fill = PatternFill("solid", fgColor=MARKED_FILL)
    a = comparison.analysis
    table = comparison.table.set_index(["category", "region"])
    names = dict(zip(comparison.table["region"], comparison.table["region_name"]))
    for measure in comparison.measures():
        sheet = book.create_sheet(measure)
        header = ["category", "label"] + [f"{r} {names.get(r, '')}".strip() for r in comparison.regions]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        column = MEASURES[measure][1]
        marked = comparison.marked(measure)
        for i, category in enumerate(comparison.categories, start=2):
            sheet.cell(i, 1, category)
            sheet.cell(i, 2, a.category_label(category))
            for j, region in enumerate(comparison.regions, start=3):
                row = table.loc[(category, region)]
                cell = sheet.cell(i, j)
                if measure == "stars":
                    cell.value = row["stars_text"]
                elif row[column] == row[column]:
                    cell.value = float(row[column])
                    cell.number_format = _number_format(measure, row)
                else:
                    cell.value = "n/a"
                if marked.loc[category, region]:
                    cell.font, cell.fill = italic, fill
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["A"].width = 9
        sheet.column_dimensions["B"].width = 44
        for j in range(3, 3 + len(comparison.regions)):
            sheet.column_dimensions[get_column_letter(j)].width = 14
    _notes_sheet(book.create_sheet("notes"), comparison, bold)
    with atomic_path(out) as tmp:
        book.save(tmp)


def _notes_sheet(sheet, comparison: Comparison, bold) -> None:
    sheet.append(["key", "value"])
    for key, value in notes(comparison).items():
        sheet.append([key, value])
    marked = comparison.table[comparison.table["marked"] | comparison.table["change_caution"].ne("")]
    if len(marked):
        sheet.append([])
        sheet.append(["marked values", "region", "caution", "caution of the change"])
        start = sheet.max_row
        for row in marked.itertuples():
            sheet.append([row.category, row.region, row.caution, row.change_caution])
        for cell in sheet[start]:
            cell.font = bold
    for cell in sheet[1]:
        cell.font = bold
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100
    sheet.column_dimensions["C"].width = 60
