"""Regional totals E_r: the denominator of shares and location quotients."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.taxonomy.codes import TOTAL, is_division, leaves


def single_year(table: pd.DataFrame) -> pd.DataFrame:
    """The table itself, after checking it holds one year only (sums across years would be meaningless)."""
    if "year" in table.columns and table["year"].nunique() > 1:
        years = ", ".join(str(y) for y in sorted(table["year"].unique()))
        raise UsageError(f"the table holds several years ({years}); select one year before aggregating")
    return table


def total_basis(sectors: pd.Series | list[str]) -> tuple[list[str], str]:
    """Which sector codes ``region_totals`` sums, and why: every division, else the leaf codes."""
    codes = sorted({str(s) for s in sectors} - {TOTAL})
    divisions = [c for c in codes if is_division(c)]
    if divisions:
        return divisions, "sum of NACE divisions"
    return leaves(codes), "sum of the finest sector codes present (no NACE divisions in the data)"


def region_totals(table: pd.DataFrame, explicit: pd.Series | None = None) -> pd.Series:
    """Total employment E_r per region, from a tidy table of one year.

    Parameters
    ----------
    table
        Tidy table (``region, sector, value``; one year).
    explicit
        Optional totals by region that override everything else (e.g. a total from another source).

    Returns
    -------
    pd.Series
        Float totals indexed by every region of ``table`` (sorted), named ``region_total``.

    Notes
    -----
    Order of precedence per region: ``explicit``; else a numeric cell with sector code ``TOTAL``;
    else the sum of all NACE division cells (letter + 2 digits) — sections and groups are never
    added on top, so nothing is double counted; a table without any division codes (a user's own
    sector list) sums its leaf codes instead (codes that are no prefix of another code present).
    Missing or confidential cells count as 0.
    """
    totals = region_totals_of(table, {"region_total": table["value"]})["region_total"]
    if explicit is not None:
        override = pd.to_numeric(explicit, errors="coerce").dropna()
        override.index = override.index.astype(str)
        totals.update(override.astype(float))  # regions absent from the table stay absent
    totals.index.name = "region"
    return totals.rename("region_total")


def region_totals_of(table: pd.DataFrame, values: dict[str, pd.Series]) -> pd.DataFrame:
    """:func:`region_totals` of several value columns at once (``values``: name -> values aligned with
    ``table``), without ``explicit``; the regions and sectors are coded once for all of them."""
    table = single_year(table)
    # grouped by integer codes: hashing 700,000 code texts three times took ~0.2 s a call on NUTS-3 data;
    # the groups and their order are the same, so are the sums
    region_codes, names = pd.factorize(table["region"].astype(str), sort=True)
    sector_codes, sectors = pd.factorize(table["sector"].astype(str))
    regions = pd.Index(names, name="region")
    basis, _ = total_basis(list(sectors))
    coded = (region_codes >= 0) & (sector_codes >= 0)  # a missing code (-1) belongs to no region or sector
    in_basis = np.isin(np.asarray(sectors, dtype=object), basis)[sector_codes] & coded
    total_code = sectors.get_loc(TOTAL) if TOTAL in sectors else -2
    out = {}
    for name, series in values.items():
        value = series.to_numpy(dtype=float)
        sums = pd.Series(value[in_basis]).groupby(region_codes[in_basis]).sum()
        totals = pd.Series(sums.to_numpy(), index=regions[np.asarray(sums.index, dtype=np.intp)])
        totals = totals.reindex(regions, fill_value=0.0).astype(float)
        given = (sector_codes == total_code) & ~np.isnan(value) & coded
        if given.any():
            totals.update(pd.Series(value[given]).groupby(regions[region_codes[given]]).sum().astype(float))
        out[name] = totals
    return pd.DataFrame(out, index=regions)
