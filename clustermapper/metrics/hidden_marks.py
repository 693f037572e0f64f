"""What an index or a shift-share component rests on: the status of the e_ir cells behind it.

A value computed from many cells (a category's Gini across regions, a region's Theil across categories, a
region's shift-share over two years) is marked with the most cautious status among its cells
(:data:`clustermapper.statuses.CAUTION`: ``estimated`` before ``confidential``), how many of them are
hidden (estimated or confidential) and which share of the employment behind the value they hold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper import statuses as st

MARK_COLUMNS = ("data_status", "n_hidden", "hidden_share", "flags")
PUBLISHED = "published"  # every cell behind the value is reported, a published zero, or missing (counted as 0)
HIDDEN = (st.ESTIMATED, st.CONFIDENTIAL)


def marks(employment: list[pd.DataFrame], status: list[pd.DataFrame], flags: list[pd.DataFrame],
          by: str) -> pd.DataFrame:
    """:data:`MARK_COLUMNS` of the values grouped ``by`` ``"region"`` (rows), ``"category"`` (columns) or
    ``"cell"`` (each region × category), over one or more aligned frames (e.g. the two years of a change).

    The frames of each list share index (regions) and columns (categories); ``hidden_share`` is
    Σ e of the hidden cells / Σ e of all the cells behind the value (NaN when that is 0).
    """
    if by not in ("region", "category", "cell"):
        raise ValueError(f"by must be region, category or cell, not {by!r}")
    pieces = []
    for emp, stat, flag in zip(employment, status, flags):
        frame = pd.DataFrame({
            "employment": emp.stack(future_stack=True).astype(float).fillna(0.0).abs(),
            "status": stat.reindex(index=emp.index, columns=emp.columns).stack(future_stack=True).fillna(st.MISSING),
            "flags": flag.reindex(index=emp.index, columns=emp.columns).stack(future_stack=True).fillna(""),
        })
        frame.index.names = ["region", "category"]
        pieces.append(frame.reset_index())
    long = pd.concat(pieces, ignore_index=True)
    long["hidden"] = long["status"].isin(HIDDEN)
    long["estimated"] = long["status"] == st.ESTIMATED
    long["hidden_employment"] = long["employment"].where(long["hidden"], 0.0)
    keys = ["region", "category"] if by == "cell" else [by]
    g = long.groupby(keys, sort=False)
    out = pd.DataFrame({
        "n_hidden": g["hidden"].sum().astype(int),
        "estimated": g["estimated"].any(),
        "employment": g["employment"].sum(),
        "hidden_employment": g["hidden_employment"].sum(),
        "flags": g["flags"].agg(lambda texts: "".join(sorted(set("".join(map(str, texts)))))),
    })
    out["data_status"] = np.where(out["estimated"], st.ESTIMATED,
                                  np.where(out["n_hidden"] > 0, st.CONFIDENTIAL, PUBLISHED))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["hidden_share"] = np.where(out["employment"] > 0, out["hidden_employment"] / out["employment"], np.nan)
    return out[list(MARK_COLUMNS)]
