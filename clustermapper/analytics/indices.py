"""Concentration (per category) and specialisation (per region) indices of one analysed year.

The formulas are :mod:`clustermapper.metrics.indices`; this module feeds them the pipeline's e_ir and E_r
(``Prepared.employment``, ``Prepared.region_total``) and marks each value with the status of the cells behind
it (:mod:`clustermapper.metrics.hidden_marks`): a category's value with its cells in every region, a region's
with its cells in every category.
"""

from __future__ import annotations

import pandas as pd

from clustermapper.analysis import Analysis, Prepared
from clustermapper.metrics.hidden_marks import MARK_COLUMNS, marks
from clustermapper.metrics.indices import INDEX_VARIANTS, variants
from clustermapper.metrics.indices import category_indices as _category_indices
from clustermapper.metrics.indices import region_indices as _region_indices

LONG_COLUMNS = ("scope", "id", "index", "variant", "value", *MARK_COLUMNS)


def prepared_of(result: Analysis | Prepared) -> Prepared:
    return result.prepared if isinstance(result, Analysis) else result


def _cells(prepared: Prepared) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """e_ir, status and flags of the regions with E_r > 0 (the N regions every index is taken over)."""
    totals = prepared.region_total
    keep = pd.Index(sorted(str(r) for r in totals.index[totals.gt(0)]), name="region")
    emp = prepared.employment.copy()
    emp.index = emp.index.astype(str)
    emp = emp.reindex(keep)
    cells = prepared.cells
    if cells is None:
        status = pd.DataFrame("reported", index=emp.index, columns=emp.columns)
        flags = pd.DataFrame("", index=emp.index, columns=emp.columns)
    else:
        status, flags = cells.status.copy(), cells.flags.copy()
        status.index, flags.index = status.index.astype(str), flags.index.astype(str)
    return emp, status.reindex_like(emp), flags.reindex_like(emp)


def category_indices(result: Analysis | Prepared) -> pd.DataFrame:
    """One row per category: ``category``, one column per category variant (``<index>__<variant>``), then
    ``data_status, n_hidden, hidden_share, flags`` over the category's cells in the N regions."""
    prepared = prepared_of(result)
    emp, status, flags = _cells(prepared)
    values = _category_indices(prepared.employment, prepared.region_total)
    mark = marks([emp], [status], [flags], by="category")
    return values.join(mark).rename_axis("category").reset_index()


def region_indices(result: Analysis | Prepared) -> pd.DataFrame:
    """One row per region with E_r > 0: ``region``, one column per region variant, then the marks over the
    region's cells in every category."""
    prepared = prepared_of(result)
    emp, status, flags = _cells(prepared)
    values = _region_indices(prepared.employment, prepared.region_total)
    mark = marks([emp], [status], [flags], by="region")
    return values.join(mark).rename_axis("region").reset_index()


def indices_long(result: Analysis | Prepared) -> pd.DataFrame:
    """:data:`LONG_COLUMNS`: every index of every category, then of every region (``clustermapper indices``)."""
    frames = []
    for scope, table in (("category", category_indices(result)), ("region", region_indices(result))):
        for v in variants(scope):
            part = table[[scope, v.column, *MARK_COLUMNS]].rename(columns={scope: "id", v.column: "value"})
            frames.append(part.assign(scope=scope, index=v.index, variant=v.variant))
    out = pd.concat(frames, ignore_index=True)[list(LONG_COLUMNS)]
    # each category's, then each region's indices together, in INDEX_VARIANTS order
    scope_order = out["scope"].map({"category": 0, "region": 1})
    return out.assign(_s=scope_order).sort_values(["_s", "id"], kind="stable").drop(columns="_s").reset_index(drop=True)


def describe_variants() -> list[str]:
    """One line per index variant (``scope index/variant: formula``) for help texts."""
    return [f"{v.scope} {v.index}/{v.variant}: {v.text}" for v in INDEX_VARIANTS]
