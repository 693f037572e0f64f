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
    # one long (row, category) table, then vectorised group sums over integer keys (region position ×
    # category position): a loop of per-category Python aggregations took ~2 s on the real file, grouping
    # by the code texts ~0.5 s on NUTS-3 × 4-digit data. Rows keep their order within each group, so the
    # sums are the ones a grouping by the texts gives, bit for bit.
    sector_codes, sector_names = pd.factorize(frame["sector"])
    column_of = {c: i for i, c in enumerate(columns)}
    sector_of = {c: i for i, c in enumerate(sector_names)}
    pairs = pd.DataFrame([(sector_of[code], column_of[cat]) for cat in columns
                          for code in outermost(c for r in resolutions if r.category == cat for c in r.data_codes)
                          if code in sector_of], columns=["sector", "category"], dtype="int64")
    long = pd.DataFrame({"row": np.arange(len(frame)), "sector": sector_codes}).merge(pairs, on="sector")
    rows = long["row"].to_numpy()
    region_pos = index.get_indexer(frame["region"])[rows]
    placed = region_pos >= 0
    rows, key = rows[placed], region_pos[placed] * len(columns) + long["category"].to_numpy()[placed]
    long = frame.iloc[rows].reset_index(drop=True)
    g = long.groupby(key, sort=False)

    def wide(series: pd.Series, fill) -> pd.DataFrame:
        at = series.index.to_numpy()
        values = series.to_numpy()
        out = np.full(len(index) * len(columns), np.nan if fill is None else fill,
                      dtype=object if values.dtype == object else float)
        out[at] = values
        return pd.DataFrame(out.reshape(len(index), len(columns)), index=index, columns=columns)

    rank = wide(g["rank"].min(), None)
    # rank -> status name for the whole frame at once (a map per column took 40 ms a year)
    ranks = rank.to_numpy(dtype=float)
    names = np.array([*_PRIORITY, st.MISSING], dtype=object)
    words = names[np.where(np.isnan(ranks), len(_PRIORITY), np.nan_to_num(ranks)).astype(int)]
    # on the arrays: DataFrame.where over object columns took 12 ms a year
    words[(words == st.REPORTED) & (employment.reindex(index=index, columns=columns).to_numpy() == 0)] = st.ZERO
    status = pd.DataFrame(words, index=rank.index, columns=rank.columns)
    frames = {"status": status.astype(object), "low": wide(g["low"].sum(), 0.0),
              "high": wide(g["high"].sum(), 0.0),  # a group without a number sums to 0, as an absent one
              "flags": _letters(long, key, "flag", wide, ""), "basis": _letters(long, key, "basis", wide, ", ")}
    from clustermapper.taxonomy.totals import region_totals_of

    bounds = region_totals_of(table, {f"region_{b}": table[b] if b in table else table["value"] for b in ("low", "high")})
    return CellStatus(**frames, region_low=bounds["region_low"].rename("region_total"),
                      region_high=bounds["region_high"].rename("region_total"))


def _letters(long: pd.DataFrame, key: np.ndarray, column: str, wide, sep: str) -> pd.DataFrame:
    """Per region × category (``key``), the distinct parts of ``column`` (flag letters, or basis labels), sorted."""
    texts = long[column].fillna("").astype(str)
    parts = sorted({p for t in texts.unique() for p in (t.split(", ") if sep else t) if p.strip()})
    if not parts:
        return wide(pd.Series([], dtype=object), "")
    # each part looked for once per distinct text, then spread to the rows by their text's code
    codes, uniques = pd.factorize(texts)
    hits = pd.DataFrame({p: np.array([p in u for u in uniques], dtype=bool)[codes] for p in parts},
                        index=long.index).groupby(key, sort=False).any()
    # each group's set of parts as one key, joined to text once per distinct set (not once per group)
    present = hits.to_numpy(dtype=bool)
    if len(parts) < 63:
        sets = pd.Series(present.astype("int64") @ (np.int64(1) << np.arange(len(parts), dtype="int64")),
                         index=hits.index)
        names = {k: sep.join(p for i, p in enumerate(parts) if int(k) >> i & 1) for k in sets.unique()}
    else:
        sets = pd.Series([row.tobytes() for row in present], index=hits.index)
        names = {k: sep.join(p for p, hit in zip(parts, np.frombuffer(k, dtype=bool)) if hit) for k in sets.unique()}
    return wide(sets.map(names).astype(object), "")
