"""The two orders every list, table, chart and export uses (one place, so the app and the files agree).

- a category's regions: most stars, then most employees, then highest LQ, then region code;
- a region's categories: most stars, then highest LQ, then most employees, then category code.

Both sorts are stable (mergesort) and put missing LQ/employment last.
"""

from __future__ import annotations

import pandas as pd

REGION_ORDER = (("stars", False), ("employment", False), ("lq", False), ("region", True))
CATEGORY_ORDER = (("stars", False), ("lq", False), ("employment", False), ("category", True))


def _order(frame: pd.DataFrame, keys: tuple[tuple[str, bool], ...], within: str | None) -> pd.DataFrame:
    cols = [(c, asc) for c, asc in keys if c in frame.columns]
    by = ([within] if within else []) + [c for c, _ in cols]
    ascending = ([True] if within else []) + [asc for _, asc in cols]
    return frame.sort_values(by, ascending=ascending, kind="mergesort", na_position="last")


def order_regions(rows: pd.DataFrame, by_category: bool = False) -> pd.DataFrame:
    """Stars-table rows in :data:`REGION_ORDER` (within each category when ``by_category``)."""
    return _order(rows, REGION_ORDER, "category" if by_category else None)


def order_categories(rows: pd.DataFrame, by_region: bool = False) -> pd.DataFrame:
    """Stars-table rows in :data:`CATEGORY_ORDER` (within each region when ``by_region``)."""
    return _order(rows, CATEGORY_ORDER, "region" if by_region else None)
