"""The tooltip texts of a map layer: each value as the page shows it, employees with their status, the bounds
and certainty of confidential cells, the next star, region names."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from clustermapper.statuses import no_value


def format_value(value: object) -> str:
    """Display text: integers with thousands separators, floats with 2 decimals, missing as '–'."""
    kind = type(value)  # the exact builtin types first: a NUTS-3 restyle formats ~10,000 tooltip cells
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "yes" if value else "no"
    if kind is int:
        return f"{value:,}"
    if no_value(value):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        return _float_text(float(value))
    return str(value)


def _float_text(value: float) -> str:
    return f"{value:,.0f}" if value.is_integer() and abs(value) >= 100 else f"{value:,.2f}"


def display_texts(values: np.ndarray) -> list[str | None]:
    """:func:`format_value` of each cell of an object column, None where it holds no value. A column pandas
    finds to hold only texts, booleans, integers or floats is formatted without the per-cell dispatch (a
    NUTS-3 restyle formats ~20,000 tooltip cells)."""
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "empty":  # nothing but missing values (most regions have no confidential cell)
        return [None] * len(values)
    if kind not in ("string", "boolean", "integer", "floating"):
        return [None if no_value(v) else format_value(v) for v in values]
    missing = pd.isna(values).tolist()
    cells = values.tolist()
    if kind == "string":
        return [None if m else v for v, m in zip(cells, missing)]
    if kind == "boolean":
        return [None if m else ("yes" if v else "no") for v, m in zip(cells, missing)]
    if kind == "integer":
        return [None if m else f"{int(v):,}" for v, m in zip(cells, missing)]
    return [None if m else _float_text(float(v)) for v, m in zip(cells, missing)]


def employees_text(rows: pd.DataFrame) -> pd.Series:
    """Employees as a table cell: the number, ``"≈ 81,137 est."`` or ``"confidential"`` (never a bare 0)."""
    from clustermapper.metrics.explain import employees_cell

    if "status" not in rows:
        return rows["employment"].astype(object)
    return pd.Series(list(map(employees_cell, rows["employment"].to_numpy(dtype=float).tolist(),
                              rows["status"].astype(str).tolist())), index=rows.index, dtype=object)


def certainty_columns(rows: pd.DataFrame) -> dict[str, pd.Series]:
    """Bounds and star certainty where a confidential cell is involved (nothing for plain published rows)."""
    from clustermapper.metrics.rules import RULES

    if "status" not in rows or "estimate_low" not in rows:
        return {}
    hidden = rows["status"].isin(["estimated", "confidential"]).to_numpy()
    # texts for the rows that show them only (most cells are published), from plain lists: iterating a
    # str-dtype column boxes each value through pandas (~5 ms for 1,514 rows)
    bounds = np.full(len(rows), np.nan, dtype=object)
    low, high = (rows[c].fillna(0).to_numpy(dtype=float)[hidden].tolist() for c in ("estimate_low", "estimate_high"))
    bounds[hidden] = [f"{lo:,.0f} – {'no upper bound' if not math.isfinite(hi) else f'{hi:,.0f}'}"
                      for lo, hi in zip(low, high)]
    names = [f"{r.id}_certainty" for r in RULES if f"{r.id}_certainty" in rows]
    doubtful = hidden.copy()
    for c in names:
        doubtful |= (rows[c] == "possible").to_numpy(dtype=bool)
    certainty = np.full(len(rows), np.nan, dtype=object)
    words = [rows[c].astype(str).to_numpy(dtype=object)[doubtful].tolist() for c in names]
    certainty[doubtful] = [" / ".join(w) for w in zip(*words)] if words else ""
    return {"Confidential: published totals allow": pd.Series(bounds, index=rows.index, dtype=object),
            "Star certainty (size / spec. / focus)": pd.Series(certainty, index=rows.index, dtype=object)}


def _next_star(rows: pd.DataFrame) -> pd.Series:
    """The cheapest missing star of each row (``metrics.gaps.nearest_gap``); empty without gap columns."""
    from clustermapper.metrics.gaps import nearest_gaps

    if "size_gap" not in rows:
        return pd.Series(pd.NA, index=rows.index, dtype=object)
    return pd.Series(nearest_gaps(rows), index=rows.index, dtype=object)


def _tooltip(analysis, regions: pd.Index, columns: dict[str, pd.Series]) -> pd.DataFrame:
    # built at once from object arrays: a column set at a time cost ~1 ms of a NUTS-3 restyle
    cells = {"name": np.array(_region_names(analysis, regions), dtype=object),
             "code": np.array(regions.tolist(), dtype=object)}
    for label, series in columns.items():
        aligned = series if series.index.equals(regions) else series.reindex(regions)
        cells[label] = aligned.to_numpy(dtype=object)
    return pd.DataFrame(cells, index=regions, dtype=object)


def _region_names(analysis, regions: pd.Index) -> list[str]:
    """:func:`_region_name` of every region, at once when the analysis can (a NUTS-3 map has 1,514)."""
    many = getattr(analysis, "region_names", None)
    if callable(many):
        try:
            codes = regions.tolist()
            return [str(name or code) for code, name in zip(codes, many(codes))]
        except (ImportError, LookupError):
            pass
    return [_region_name(analysis, code) for code in regions]


def _region_name(analysis, code: str) -> str:
    try:
        return str(analysis.region_name(code) or code)
    except (ImportError, AttributeError, LookupError):
        return code  # names come from the NUTS tables; a code is still a usable label
