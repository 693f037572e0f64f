"""Turning a reader's cells into the tidy contract, and counting what happened to them.

Every reader hands :func:`finish` a frame with ``region, sector, year, value, flag, status, line``
(plus ``column`` and ``text`` when cells may be unreadable); :func:`finish` normalises codes,
drops duplicate keys (saying so), counts, and refuses files where most numbers are unreadable.
"""

from __future__ import annotations

import pandas as pd

from clustermapper.errors import InputError
from clustermapper.io.cells import CONFIDENTIAL, MISSING, NUMBER, UNREADABLE, normalise_regions, normalise_sectors
from clustermapper.io.table import TIDY_COLUMNS, CellIssue, ReadReport, ReadResult

MAX_ISSUES = 1000  # a report lists this many unreadable cells; the count is always complete
MAX_EXAMPLES = 5


def finish(
    cells: pd.DataFrame,
    report: ReadReport,
    *,
    indicator: str | None,
    key_columns: dict[str, str],
    hint: str = "",
) -> ReadResult:
    """Normalise, de-duplicate and count ``cells``; ``key_columns`` names the file's region/sector columns."""
    cells = cells.reset_index(drop=True)
    cells["region"] = normalise_regions(cells["region"])
    cells["sector"] = normalise_sectors(cells["sector"])
    cells = _skip_empty_keys(cells, report, key_columns)
    cells = _drop_duplicates(cells, report)
    status = cells["status"]
    report.n_cells = len(cells)
    report.n_missing = int((status == MISSING).sum())
    report.n_confidential = int((status == CONFIDENTIAL).sum())
    report.n_unreadable = int((status == UNREADABLE).sum())
    _check_mostly_readable(cells, report, hint)
    _record_issues(cells, report)
    _note_negatives(cells, report)
    table = pd.DataFrame(
        {
            "region": cells["region"].astype(str),
            "sector": cells["sector"].astype(str),
            "year": cells["year"].astype("int64"),
            "value": cells["value"].astype("float64"),
            "flag": cells["flag"].fillna("").astype(str),
        },
        columns=list(TIDY_COLUMNS),
    )
    return ReadResult(table=table, report=report, indicator=indicator, source=None)


def _skip_empty_keys(cells: pd.DataFrame, report: ReadReport, key_columns: dict[str, str]) -> pd.DataFrame:
    bad = pd.Series(False, index=cells.index)
    for key in ("region", "sector"):
        empty = cells[key].isin(["", "NAN", "NONE"])
        for line in cells.loc[empty, "line"].drop_duplicates().head(MAX_ISSUES):
            report.issues.append(CellIssue(int(line), key_columns.get(key, key), "", f"empty {key} code; row skipped"))
        bad |= empty
    if bad.any():
        lines = cells.loc[bad, "line"].drop_duplicates()
        report.notes.append(f"{len(lines)} rows without a region or sector code were skipped "
                            f"(lines {_lines(lines)})")
    return cells[~bad].reset_index(drop=True)


def _drop_duplicates(cells: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
    keys = ["region", "sector", "year"]
    dup = cells.duplicated(keys, keep="first")
    if not dup.any():
        return cells
    firsts = cells.loc[~dup, keys + ["line", "value"]].rename(columns={"line": "first_line", "value": "first_value"})
    repeats = cells.loc[dup, keys + ["line", "value"]].merge(firsts, on=keys, how="left")
    same = (repeats["value"] == repeats["first_value"]) | (repeats["value"].isna() & repeats["first_value"].isna())
    differing = int((~same).sum())
    examples = [f"line {r.line} repeats line {r.first_line} ({r.region} {r.sector} {r.year})"
                for r in repeats.head(MAX_EXAMPLES).itertuples(index=False)]
    report.notes.append(
        f"{int(dup.sum())} duplicate cells (same region, sector and year) ignored, the first one kept"
        + (f"; {differing} of them had a different value" if differing else "")
        + ": " + "; ".join(examples) + (" …" if dup.sum() > MAX_EXAMPLES else "")
    )
    return cells[~dup].reset_index(drop=True)


def _check_mostly_readable(cells: pd.DataFrame, report: ReadReport, hint: str) -> None:
    """Most non-empty cells unreadable means a wrong column or decimal setting, not a few bad cells."""
    present = int((cells["status"] == NUMBER).sum()) + report.n_unreadable
    if report.n_unreadable == 0 or report.n_unreadable * 2 <= present:
        return
    first = cells[cells["status"] == UNREADABLE].iloc[0]
    raise InputError(
        report.path,
        f"{report.n_unreadable} of {present} value cells are not numbers (first: {first.get('text', '')!r})",
        line=int(first["line"]), column=str(first.get("column", "value")),
        hint=hint or "check that this is the value column and the decimal mark (--value-col, --decimal)",
    )


def _record_issues(cells: pd.DataFrame, report: ReadReport) -> None:
    bad = cells[cells["status"] == UNREADABLE]
    if bad.empty:
        return
    texts = bad["text"] if "text" in bad else pd.Series("", index=bad.index)
    columns = bad["column"] if "column" in bad else pd.Series("value", index=bad.index)
    for line, column, text in zip(bad["line"].head(MAX_ISSUES), columns.head(MAX_ISSUES), texts.head(MAX_ISSUES)):
        report.issues.append(CellIssue(int(line), str(column), str(text)))
    report.notes.append(f"{len(bad)} cell{'s are' if len(bad) > 1 else ' is'} not a number, read as missing (first on line "
                        f"{int(bad['line'].iloc[0])}, column {str(columns.iloc[0])!r}: {str(texts.iloc[0])!r})")
    if len(bad) > MAX_ISSUES:
        report.notes.append(f"only the first {MAX_ISSUES} unreadable cells are listed")


def _note_negatives(cells: pd.DataFrame, report: ReadReport) -> None:
    neg = cells[cells["value"] < 0]
    if neg.empty:
        return
    row = neg.iloc[0]
    report.notes.append(f"{len(neg)} negative value{'s' if len(neg) > 1 else ''} (first on line {int(row['line'])}: "
                        f"{row['region']} {row['sector']} {int(row['year'])} = {row['value']:g})")


def _lines(lines: pd.Series) -> str:
    shown = ", ".join(str(int(x)) for x in lines.head(MAX_EXAMPLES))
    return shown + (" …" if len(lines) > MAX_EXAMPLES else "")
