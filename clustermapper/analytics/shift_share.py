"""Shift-share of employment change between two analysed years (``clustermapper shift-share``).

The nation is every region of the data with E_r > 0 in both years (:func:`nation`); the components are
:mod:`clustermapper.metrics.shift_share`, marked with the status of the cells of both years behind each row
(:mod:`clustermapper.metrics.hidden_marks`) and with the Eurostat break flags among them.
"""

from __future__ import annotations

import pandas as pd

from clustermapper.analysis import Analysis, Prepared
from clustermapper.analytics.indices import prepared_of
from clustermapper.errors import UsageError
from clustermapper.metrics.hidden_marks import MARK_COLUMNS, marks
from clustermapper.metrics.shift_share import CELL_COLUMNS, REGION_COLUMNS, shift_share_cells, shift_share_regions
from clustermapper.statuses import break_flags

BY = ("region", "region-category")


def _positive(prepared: Prepared) -> set[str]:
    totals = prepared.region_total
    return {str(r) for r in totals.index[totals.gt(0)]}


def nation(base: Analysis | Prepared, now: Analysis | Prepared) -> pd.Index:
    """The regions with employment (E_r > 0) in both years, sorted: the shift-share's nation."""
    both = _positive(prepared_of(base)) & _positive(prepared_of(now))
    return pd.Index(sorted(both), name="region")


def nation_note(base: Analysis | Prepared, now: Analysis | Prepared) -> str:
    """How many regions form the nation, and how many of each year are left out (e.g. NUTS code changes)."""
    pb, pn = prepared_of(base), prepared_of(now)
    b, n = _positive(pb), _positive(pn)
    return (f"nation: {len(b & n)} regions with employment in both {pb.year} and {pn.year} "
            f"(left out: {len(b - n)} regions only in {pb.year}, {len(n - b)} only in {pn.year})")


def _check(pb: Prepared, pn: Prepared, by: str) -> None:
    if by not in BY:
        raise UsageError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    if pb.year == pn.year:
        raise UsageError(f"shift-share needs two different years (both are {pb.year}); give --from and --to")
    if pb.taxonomy.name != pn.taxonomy.name or pb.spec.level != pn.spec.level:
        raise UsageError("shift-share needs both years at the same NUTS level and with the same taxonomy")
    if not nation(pb, pn).size:
        raise UsageError(f"no region has employment in both {pb.year} and {pn.year}; "
                         "check the years and the NUTS level")


def _categories(pb: Prepared, pn: Prepared) -> list[str]:
    """The categories with data in either year, in the taxonomy's order (a category absent in a year is 0 there)."""
    present = {str(c) for c in pb.employment.columns} | {str(c) for c in pn.employment.columns}
    ordered = [c for c in pb.taxonomy.categories if c in present]
    return ordered + sorted(present - set(ordered))


def _frames(prepared: Prepared, regions: pd.Index, categories: list[str]) -> tuple[pd.DataFrame, ...]:
    emp = prepared.employment.copy()
    emp.index, emp.columns = emp.index.astype(str), [str(c) for c in emp.columns]
    emp = emp.reindex(index=regions, columns=categories).fillna(0.0)
    if prepared.cells is None:
        return emp, pd.DataFrame("reported", index=regions, columns=categories), \
            pd.DataFrame("", index=regions, columns=categories)
    status, flags = prepared.cells.status.copy(), prepared.cells.flags.copy()
    for frame in (status, flags):
        frame.index, frame.columns = frame.index.astype(str), [str(c) for c in frame.columns]
    return emp, status.reindex_like(emp).fillna("missing"), flags.reindex_like(emp).fillna("")


def shift_share(base: Analysis | Prepared, now: Analysis | Prepared, by: str = "region") -> pd.DataFrame:
    """Shift-share from ``base``'s year to ``now``'s, one row per region (``by="region"``) or per region ×
    category (``by="region-category"``).

    Columns: ``region`` [, ``category``], ``year_from, year_to, n_regions`` (the nation's size), then
    :data:`~clustermapper.metrics.shift_share.REGION_COLUMNS` (or ``CELL_COLUMNS``) and ``data_status,
    n_hidden, hidden_share, flags, break_flags`` over the cells of both years behind the row.
    """
    pb, pn = prepared_of(base), prepared_of(now)
    _check(pb, pn, by)
    regions = nation(pb, pn)
    categories = _categories(pb, pn)
    e0, s0, f0 = _frames(pb, regions, categories)
    e1, s1, f1 = _frames(pn, regions, categories)
    cells = shift_share_cells(e0, e1)
    columns: tuple[str, ...]
    if by == "region-category":
        mark = marks([e0, e1], [s0, s1], [f0, f1], by="cell")
        table = cells.join(mark, on=["region", "category"])
        keys, columns = ["region", "category"], CELL_COLUMNS
    else:
        mark = marks([e0, e1], [s0, s1], [f0, f1], by="region")
        table = shift_share_regions(cells).join(mark, on="region")
        keys, columns = ["region"], REGION_COLUMNS
    table["break_flags"] = table["flags"].map(break_flags)
    table = table.assign(year_from=pb.year, year_to=pn.year, n_regions=len(regions))
    rest = [c for c in columns if c not in keys]
    return table[[*keys, "year_from", "year_to", "n_regions", *rest, *MARK_COLUMNS, "break_flags"]]
