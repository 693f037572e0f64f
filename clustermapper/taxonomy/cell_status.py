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
from clustermapper.io.cells import map_unique
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
    sectors = map_unique(table["sector"].astype(str), normalise_code)
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
    # one long (category, sector) table, then vectorised group sums: a loop of per-category Python
    # aggregations took ~2 s on the real file
    mapping = pd.DataFrame([(cat, code) for cat in columns
                            for code in outermost(c for r in resolutions if r.category == cat for c in r.data_codes)],
                           columns=["category", "sector"])
    long = frame.merge(mapping, on="sector")
    g = long.groupby(["region", "category"], sort=False)

    def wide(series: pd.Series, fill) -> pd.DataFrame:
        out = series.unstack("category").reindex(index=index, columns=columns)
        return out.fillna(fill) if fill is not None else out

    rank = wide(g["rank"].min(), None)
    # rank -> status name for the whole frame at once (a map per column took 40 ms a year)
    ranks = rank.to_numpy(dtype=float)
    names = np.array([*_PRIORITY, st.MISSING], dtype=object)
    status = pd.DataFrame(names[np.where(np.isnan(ranks), len(_PRIORITY), np.nan_to_num(ranks)).astype(int)],
                          index=rank.index, columns=rank.columns)
    status = status.where(~((status == st.REPORTED) & (employment.reindex(index=index, columns=columns) == 0)), st.ZERO)
    frames = {"status": status.astype(object), "low": wide(g["low"].sum(), 0.0),
              "high": wide(g["high"].sum(min_count=1), 0.0),
              "flags": _letters(long, g, "flag", wide, ""), "basis": _letters(long, g, "basis", wide, ", ")}
    from clustermapper.taxonomy.totals import region_totals_of

    bounds = region_totals_of(table, {f"region_{b}": table[b] if b in table else table["value"] for b in ("low", "high")})
    return CellStatus(**frames, region_low=bounds["region_low"].rename("region_total"),
                      region_high=bounds["region_high"].rename("region_total"))


def _letters(long: pd.DataFrame, g, column: str, wide, sep: str) -> pd.DataFrame:
    """Per region × category, the distinct parts of ``column`` (flag letters, or basis labels), sorted."""
    texts = long[column].fillna("").astype(str)
    parts = sorted({p for t in texts.unique() for p in (t.split(", ") if sep else t) if p.strip()})
    if not parts:
        return wide(g[column].first(), "").map(lambda _: "")
    # each part looked for once per distinct text, then spread to the rows by their text's code
    codes, uniques = pd.factorize(texts)
    hits = pd.DataFrame({p: np.array([p in u for u in uniques], dtype=bool)[codes] for p in parts},
                        index=long.index).groupby([long["region"], long["category"]], sort=False).any()
    # each group's set of parts as one key, joined to text once per distinct set (not once per group)
    present = hits.to_numpy(dtype=bool)
    if len(parts) < 63:
        keys = pd.Series(present.astype("int64") @ (np.int64(1) << np.arange(len(parts), dtype="int64")),
                         index=hits.index)
        names = {k: sep.join(p for i, p in enumerate(parts) if int(k) >> i & 1) for k in keys.unique()}
    else:
        keys = pd.Series([row.tobytes() for row in present], index=hits.index)
        names = {k: sep.join(p for p, hit in zip(parts, np.frombuffer(k, dtype=bool)) if hit) for k in keys.unique()}
    joined = keys.map(names)
    joined.index.names = ["region", "category"]
    return wide(joined, "")
