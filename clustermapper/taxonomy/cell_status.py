"""Status, bounds and flags of every region × category value: what the cells behind e_ir are.

A value built from several cells takes the most cautious status among them (an estimated part makes the
value estimated; a confidential part left unfilled makes it confidential, i.e. a lower bound); its bounds
are the sums of its cells' bounds (a published cell's bounds are the value itself).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper import statuses as st
from clustermapper.taxonomy.codes import normalise_code, outermost
from clustermapper.taxonomy.model import Taxonomy

_PRIORITY = st.CAUTION


@dataclass(frozen=True)
class CellStatus:
    """Region × category frames aligned with ``Prepared.employment``."""

    status: pd.DataFrame  # str: reported | zero | confidential | missing | estimated
    low: pd.DataFrame  # float: smallest value the published totals allow
    high: pd.DataFrame  # float: largest (inf when no published total bounds a hidden part)
    flags: pd.DataFrame  # str: distinct Eurostat flag letters of the cells ("" when none)
    basis: pd.DataFrame  # str: how estimated parts were made ("" for published values)
    region_low: pd.Series  # E_r with every hidden cell at its lowest
    region_high: pd.Series  # E_r with every hidden cell at its highest

    def hidden(self) -> pd.DataFrame:
        """True where the value rests on a confidential cell (estimated or not)."""
        return self.status.isin([st.ESTIMATED, st.CONFIDENTIAL])


def cell_status(taxonomy: Taxonomy, table: pd.DataFrame, employment: pd.DataFrame) -> CellStatus:
    """``table``: the year's rows after level selection (with the policy's columns); ``employment``: e_ir."""
    sectors = table["sector"].astype(str).map(normalise_code)
    resolutions = taxonomy.resolve(set(sectors.unique()))
    frame = pd.DataFrame({
        "region": table["region"].astype(str), "sector": sectors,
        "status": table["status"] if "status" in table else st.classify(table["value"], table["flag"]),
        "low": (table["low"] if "low" in table else table["value"]).astype(float),
        "high": (table["high"] if "high" in table else table["value"]).astype(float),
        "flag": table["flag"].fillna("").astype(str),
        "basis": table["basis"].fillna("").astype(str) if "basis" in table else "",
    })
    frame["rank"] = frame["status"].map({s: i for i, s in enumerate(_PRIORITY)}).fillna(len(_PRIORITY) - 1)
    index, columns = employment.index, employment.columns
    out: dict[str, dict[str, pd.Series]] = {name: {} for name in ("status", "low", "high", "flags", "basis")}
    for cat in columns:
        codes = outermost(c for r in resolutions if r.category == cat for c in r.data_codes)
        part = frame[frame["sector"].isin(codes)]
        g = part.groupby("region")
        rank = g["rank"].min().reindex(index)
        status = rank.map(dict(enumerate(_PRIORITY))).fillna(st.MISSING)
        value = employment[cat].reindex(index)
        status = status.where(~((status == st.REPORTED) & (value == 0)), st.ZERO)
        out["status"][cat] = status
        out["low"][cat] = g["low"].sum().reindex(index).fillna(0.0)
        out["high"][cat] = g["high"].sum(min_count=1).reindex(index).fillna(0.0)
        out["flags"][cat] = g["flag"].agg(lambda f: "".join(sorted(set("".join(f)) - {" "}))).reindex(index).fillna("")
        out["basis"][cat] = g["basis"].agg(lambda b: ", ".join(sorted(set(b) - {""}))).reindex(index).fillna("")
    frames = {k: pd.DataFrame(v, index=index, columns=columns) for k, v in out.items()}
    # an unfilled confidential part has no upper bound here only if its own bound is infinite; sums keep inf
    frames["high"] = frames["high"].where(np.isfinite(frames["high"]) | frames["high"].isna(), np.inf)
    from clustermapper.taxonomy.totals import region_totals

    bounds = {f"region_{b}": region_totals(table.assign(value=table[b] if b in table else table["value"]))
              for b in ("low", "high")}
    return CellStatus(**frames, **bounds)
