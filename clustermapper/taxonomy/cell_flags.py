"""The Eurostat flags of the data cells behind each region × category value of a taxonomy.

:meth:`Taxonomy.aggregate` sums numbers and counts empty cells but drops the flags; a change over time built
on a cell flagged "break in series" (``b``) or "definition differs" (``d``) may be a change of method, not of
employment. :func:`category_flags` maps exactly the cells ``aggregate`` sums (the same resolution of the
taxonomy's codes against the year's sector codes) to their flag letters.
"""

from __future__ import annotations

import pandas as pd

from clustermapper.taxonomy.codes import normalise_code, outermost
from clustermapper.taxonomy.model import Taxonomy

# Flags that make a comparison between years doubtful (Eurostat's wording, 2008–2020 flag list).
QUALITY_FLAGS = {
    "b": "break in time series",
    "d": "definition differs, see Eurostat metadata",
    "i": "see Eurostat metadata",
    "u": "low reliability",
}


def category_flags(taxonomy: Taxonomy, table: pd.DataFrame, regions: list[str] | None = None) -> pd.DataFrame:
    """Region × category: the distinct flag letters (sorted, e.g. ``"bi"``; ``""`` when none) of the cells
    behind each value of ``taxonomy.aggregate(table)``. ``table`` is one year's tidy table after level
    selection (``Prepared.table``); ``regions`` limits the rows (the codes are resolved on the whole
    table, as ``aggregate`` does, so a region's own gaps do not change which cells count)."""
    sectors = table["sector"].astype(str).map(normalise_code)
    resolutions = taxonomy.resolve(set(sectors.unique()))
    frame = pd.DataFrame({"region": table["region"].astype(str), "sector": sectors,
                          "flag": table["flag"].fillna("").astype(str)})
    if regions is not None:
        frame = frame[frame["region"].isin([str(r) for r in regions])]
    index = pd.Index(sorted(frame["region"].unique()), name="region")
    letters = frame.groupby(["region", "sector"])["flag"].agg("".join)
    by_region: dict[str, dict[str, str]] = {}
    for (region, sector), text in letters.items():
        by_region.setdefault(str(region), {})[str(sector)] = text
    columns = {}
    for cat in taxonomy.items:
        cells = outermost(c for r in resolutions if r.category == cat.id for c in r.data_codes)
        columns[cat.id] = [_letters(by_region.get(region, {}), cells) for region in index]
    out = pd.DataFrame(columns, index=index, columns=list(taxonomy.categories))
    out.columns.name = "category"
    return out


def _letters(cells_of_region: dict[str, str], cells: list[str]) -> str:
    return "".join(sorted({ch for c in cells for ch in cells_of_region.get(c, "") if not ch.isspace()}))


def quality_flags(letters: str) -> str:
    """The letters of :data:`QUALITY_FLAGS` in ``letters`` (``"bc*"`` → ``"b"``)."""
    return "".join(ch for ch in sorted(set(letters)) if ch in QUALITY_FLAGS)
