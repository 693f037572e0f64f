"""Turning a reader's cells into the tidy contract, and counting what happened to them.

Every reader hands :func:`finish` a frame with ``region, sector, year, value, flag, status, line``
(plus ``column`` and ``text`` when cells may be unreadable); :func:`finish` normalises codes,
drops identical duplicate keys (saying so; differing ones are an error unless the user chose
``duplicates`` first/last), counts, and refuses files where most numbers are unreadable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.defaults import OVERFLOW
from clustermapper.errors import InputError, quote
from clustermapper.io.cells import (
    CONFIDENTIAL,
    MISSING,
    NUMBER,
    UNREADABLE,
    add_section_letters,
    normalise_regions,
    normalise_sectors,
)
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
    duplicates: str = "error",
) -> ReadResult:
    """Normalise, de-duplicate and count ``cells``; ``key_columns`` names the file's region/sector columns.

    ``duplicates`` is :attr:`ReadOptions.duplicates`: what to do with differing cells of one key.
    """
    cells = cells.reset_index(drop=True)
    cells["region"] = normalise_regions(cells["region"])
    cells["sector"], lettered = add_section_letters(normalise_sectors(cells["sector"]))
    if lettered:
        report.notes.append(lettered)
    cells = _skip_empty_keys(cells, report, key_columns)
    cells = _drop_duplicates(cells, report, duplicates)
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
        copy=False,  # fresh arrays: pandas would copy all five again (~0.3 s for 7 million cells)
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


def _drop_duplicates(cells: pd.DataFrame, report: ReadReport, policy: str) -> pd.DataFrame:
    """Two cells for one region, sector and year: identical ones are dropped with a note; differing ones
    are an error naming both places unless ``policy`` (``first``/``last``) says which one to keep."""
    keys = ["region", "sector", "year"]
    key = _cell_key(cells, keys)
    if not _any_repeated(key):
        return cells
    dup = key.duplicated(keep="first")
    shown = keys + ["line", "value"] + (["column"] if "column" in cells else [])
    firsts = cells.loc[~dup, shown].rename(columns={"line": "first_line", "value": "first_value",
                                                    "column": "first_column"})
    repeats = cells.loc[dup, shown].merge(firsts, on=keys, how="left")
    same = (repeats["value"] == repeats["first_value"]) | (repeats["value"].isna() & repeats["first_value"].isna())
    differing = repeats[~same]
    if len(differing) and policy == "error":
        r = differing.iloc[0]
        raise InputError(
            report.path, f"{r['region']} {r['sector']} {int(r['year'])} has two different values, "
            f"{_number(r['first_value'])} and {_number(r['value'])} ({_where(r)})"
            + (f"; {len(differing)} such conflicts in all" if len(differing) > 1 else ""),
            line=int(r["line"]), column=str(r["column"]) if "column" in r else None,
            hint="remove one of them, or keep the first or last of each with --duplicates first|last "
                 "(reader option duplicates)")
    examples = [f"{_where(r)} ({r['region']} {r['sector']} {r['year']})" for _, r in repeats.head(MAX_EXAMPLES).iterrows()]
    kept = "the last one kept" if policy == "last" else "the first one kept"
    report.notes.append(
        f"{int(dup.sum())} duplicate cells (same region, sector and year) dropped, {kept}"
        + (f"; {len(differing)} of them had a different value (--duplicates {policy})" if len(differing)
           else "; all had the same value")
        + ": " + "; ".join(examples) + (" …" if dup.sum() > MAX_EXAMPLES else "")
    )
    keep = ~key.duplicated(keep="last") if policy == "last" else ~dup
    return cells[keep].reset_index(drop=True)


def _cell_key(cells: pd.DataFrame, keys: list[str]) -> pd.Series:
    """One int64 per (region, sector, year), equal exactly when all three are: hashing one integer column is
    ~4x faster than ``DataFrame.duplicated`` on three (1.2 s for a 7-million-row long table). Built in place
    in one array: each temporary of 7 million int64 cost ~0.1 s here, mostly fresh pages."""
    factors = [_codes(cells[name]) for name in keys]
    if np.prod([float(size) for _, _, size in factors]) >= 2.0 ** 62:  # the product would overflow int64
        return cells.groupby(keys, sort=False, observed=True, dropna=False).ngroup()
    key = np.zeros(len(cells), dtype="int64")
    for codes, offset, size in factors:
        key *= size
        key += codes
        if offset:
            key += offset
    return pd.Series(key, index=cells.index, copy=False)


def _codes(column: pd.Series) -> tuple[np.ndarray, int, int]:
    """(codes, offset, number of codes): codes + offset run over 0..n-1. A small integer range (years) is
    its own values less the lowest, anything else factorised (a categorical by its codes, -1 when missing)."""
    if pd.api.types.is_integer_dtype(column.dtype) and len(column):
        values = column.to_numpy()
        low, high = int(values.min()), int(values.max())
        if high - low < 1_000_000:
            return values, -low, high - low + 1
    if isinstance(column.dtype, pd.CategoricalDtype):  # the readers' codes: equal exactly when the texts are
        return column.cat.codes.to_numpy(), 1, len(column.cat.categories) + 1
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes, 0, max(len(uniques), 1)


def _any_repeated(key: pd.Series) -> bool:
    """Whether some key occurs twice; marked per key when the keys are dense (no hashing at all)."""
    values = key.to_numpy()
    if len(values) and values.min() >= 0 and (top := int(values.max())) < 4 * len(values) + 1024:
        seen = np.zeros(top + 1, dtype=bool)  # marks, not counts: a byte per key (bincount: 8, and 2-5x slower)
        seen[values] = True
        return int(np.count_nonzero(seen)) < len(values)
    return bool(key.duplicated().any())


def _where(r: pd.Series) -> str:
    """Where the two cells of a duplicate are: two lines, or two columns of one line."""
    if r["line"] != r["first_line"] or "column" not in r:
        return f"lines {int(r['first_line'])} and {int(r['line'])}"
    return f"line {int(r['line'])}, columns {quote(str(r['first_column']))} and {quote(str(r['column']))}"


def _number(value: float) -> str:
    return "empty" if pd.isna(value) else f"{value:g}"


def _check_mostly_readable(cells: pd.DataFrame, report: ReadReport, hint: str) -> None:
    """Most non-empty cells unreadable means a wrong column or decimal setting, not a few bad cells."""
    present = int((cells["status"] == NUMBER).sum()) + report.n_unreadable
    if report.n_unreadable == 0 or report.n_unreadable * 2 <= present:
        return
    first = cells[cells["status"] == UNREADABLE].iloc[0]
    raise InputError(
        report.path,
        f"{report.n_unreadable} of {present} value cells are not numbers (first: {quote(first.get('text', ''))})",
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
                        f"{int(bad['line'].iloc[0])}, column {quote(str(columns.iloc[0]))}: {quote(str(texts.iloc[0]))})")
    if len(bad) > MAX_ISSUES:
        report.notes.append(f"only the first {MAX_ISSUES} unreadable cells are listed")


def _mark(cells: pd.DataFrame, report: ReadReport) -> None:
    """Remember where the first negative and implausibly large cells are (``ReadReport.marked_cells``)."""
    values = cells["value"]
    marked = cells[(values < 0) | (values.abs() > OVERFLOW)].head(2 * MAX_ISSUES)
    columns = marked["column"] if "column" in marked else pd.Series("value", index=marked.index)
    for region, sector, year, line, column in zip(marked["region"], marked["sector"], marked["year"], marked["line"],
                                                  columns):
        report.marked_cells[(str(region), str(sector), int(year))] = (int(line), str(column))


def _note_negatives(cells: pd.DataFrame, report: ReadReport) -> None:
    _mark(cells, report)
    neg = cells[cells["value"] < 0]
    if neg.empty:
        return
    row = neg.iloc[0]
    report.notes.append(f"{len(neg)} negative value{'s' if len(neg) > 1 else ''} (first on line {int(row['line'])}: "
                        f"{row['region']} {row['sector']} {int(row['year'])} = {row['value']:g})")


def _lines(lines: pd.Series) -> str:
    shown = ", ".join(str(int(x)) for x in lines.head(MAX_EXAMPLES))
    return shown + (" …" if len(lines) > MAX_EXAMPLES else "")
