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
    key = pd.MultiIndex.from_frame(out[["region", "category"]])

    def pick(frame: pd.DataFrame, fill):
        return frame.stack().reindex(key).fillna(fill).to_numpy() if len(frame) else np.full(len(out), fill)

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
