"""The stars table's data-status columns: what each e_ir is, its bounds, and how certain each star is."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.metrics.certainty import CERTAINTY_COLUMNS, star_certainty
from clustermapper.metrics.params import StarParams
from clustermapper.taxonomy.cell_status import CellStatus

CELL_COLUMNS = ("status", "flags", "estimate_low", "estimate_high", "estimate_basis", *CERTAINTY_COLUMNS)


def with_cell_columns(stars: pd.DataFrame, cells: CellStatus, params: StarParams) -> pd.DataFrame:
    """``stars`` plus :data:`CELL_COLUMNS`; ``employment`` stays the value the stars were computed from."""
    out = stars.copy()
    # each row's place in the region x category frames (which share one index and one set of columns):
    # looked up once, not by stacking and re-indexing every frame on (region, category) text pairs
    rows = cells.status.index.get_indexer(out["region"])
    cols = cells.status.columns.get_indexer(out["category"])
    found = (rows >= 0) & (cols >= 0)
    rows, cols = np.where(found, rows, 0), np.where(found, cols, 0)

    def pick(frame: pd.DataFrame, fill):
        if not len(frame) or not len(out):
            return np.full(len(out), fill)
        if not (frame.index.equals(cells.status.index) and frame.columns.equals(cells.status.columns)):
            raise ValueError("cell status frames must share the status frame's regions and categories")
        values = frame.to_numpy()[rows, cols]
        return np.where(found & ~pd.isna(values), values, fill)

    out["status"] = pick(cells.status, "missing")
    out["flags"] = pick(cells.flags, "")
    hidden = out["status"].isin(["estimated", "confidential"]).to_numpy()
    low, high = pick(cells.low, np.nan).astype(float), pick(cells.high, np.nan).astype(float)
    out["estimate_low"] = np.where(hidden, low, np.nan)
    out["estimate_high"] = np.where(hidden, high, np.nan)
    out["estimate_basis"] = pick(cells.basis, "")
    if len(out):
        certainty = star_certainty(out, cells.low, cells.high, cells.region_low, cells.region_high, params)
        for column in CERTAINTY_COLUMNS:
            out[column] = certainty[column].to_numpy()
    else:
        for column in CERTAINTY_COLUMNS:
            out[column] = pd.Series(dtype=str)
    return out
