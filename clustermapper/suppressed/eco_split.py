"""The European Cluster Observatory's gap filling, down the NACE hierarchy only.

A missing or confidential cell takes the nearest NACE parent of the same region that has a value, minus the
published children of that parent, split equally among the parent's children without a value (never below 0);
when no parent has a value the cell stays empty. Geography is ignored: that is what the ``estimate`` policy adds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.suppressed.grid import Grid, nace_parent


def eco_split(grid: Grid) -> np.ndarray:
    """Values per grid cell: published ones unchanged, gaps filled as above (NaN where nothing applies)."""
    cells = grid.cells
    value = grid.value.copy()
    sectors = set(cells["sector"])
    parent_code = cells["sector"].map(lambda s: nace_parent(s, sectors))
    position = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[["region", "sector"]]))
    # finest first: a group is filled from its division, which may itself have been filled from its section
    for depth in (3, 4):
        mine = (cells["sector"].str.len() == depth) & parent_code.notna()
        frame = cells.loc[mine, ["region", "sector"]].assign(parent=parent_code[mine])
        pidx = position.reindex(pd.MultiIndex.from_arrays([frame["region"], frame["parent"]])).to_numpy()
        frame["pvalue"] = value[pidx.astype(int)]
        frame["value"] = value[frame.index.to_numpy()]
        known = frame.groupby(["region", "parent"])["value"].sum()
        gaps = frame["value"].isna()
        n_gaps = gaps.groupby([frame["region"], frame["parent"]]).sum()
        key = pd.MultiIndex.from_arrays([frame["region"], frame["parent"]])
        with np.errstate(divide="ignore", invalid="ignore"):  # parents without gaps divide by 0: unused
            share = (frame["pvalue"].to_numpy() - known.reindex(key).to_numpy()) / n_gaps.reindex(key).to_numpy()
        fill = gaps.to_numpy() & np.isfinite(share)
        value[frame.index.to_numpy()[fill]] = np.maximum(share[fill], 0.0)
    return value
