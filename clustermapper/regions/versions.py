"""Which NUTS version the region codes of each year belong to, and the polygons to draw them with.

``detect_versions(table) -> {year: YearMatch}`` looks, per year, at the region codes that carry a value
(non-region codes such as ``DEZZ`` or ``EU28`` are set aside and listed in ``ignored``). The best version is
the one that knows every code; else the one with fewest unknown codes; ties go to the newest version.
Codes the best version lacks are placed with another version that has them (``fallback``: the nearest
version in time, newer on a tie); codes no version knows are listed in ``unknown``. No code is dropped
silently. ``geometries_for(match, codes)`` returns the polygons following that choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from clustermapper.regions.codes import is_region_code, nuts_level

if TYPE_CHECKING:  # geopandas loads with the polygons, not with the code matching the stars need
    import geopandas as gpd


@dataclass
class YearMatch:
    """The NUTS version chosen for one year of data."""

    year: int
    version: int
    levels: tuple[int, ...]
    n_codes: int
    exact: bool
    fallback: dict[str, int] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing_by_version: dict[int, int] = field(default_factory=dict)

    @property
    def level(self) -> int | None:
        """The single NUTS level of the codes, or None when they mix levels."""
        return self.levels[0] if len(self.levels) == 1 else None

    def version_of(self, code: str) -> int | None:
        """Version whose polygon draws ``code`` (None for unknown codes)."""
        if code in self.unknown:
            return None
        return self.fallback.get(code, self.version)

    def describe(self) -> str:
        """One paragraph for the user: version, exactness, fallbacks and unknown codes."""
        lv = ", ".join(map(str, self.levels)) or "none"
        text = f"{self.year}: {self.n_codes} region codes (NUTS level {lv}) "
        if self.exact:
            text += f"match NUTS {self.version} exactly."
        else:
            text += f"best match NUTS {self.version}"
            known = self.n_codes - len(self.fallback) - len(self.unknown)
            text += f" ({known} of {self.n_codes} codes)."
        if self.fallback:
            by_version: dict[int, list[str]] = {}
            for code, v in sorted(self.fallback.items()):
                by_version.setdefault(v, []).append(code)
            parts = [f"NUTS {v}: {_list(codes)}" for v, codes in sorted(by_version.items())]
            text += f" Drawn with other versions: {'; '.join(parts)}."
        if self.unknown:
            text += f" Unknown to every NUTS version (not on the map): {_list(self.unknown)}."
        if self.ignored:
            text += f" Not regions (extra-regio or aggregates), ignored: {_list(self.ignored)}."
        return text


def _list(codes, limit: int = 12) -> str:
    codes = list(codes)
    more = f" and {len(codes) - limit} more" if len(codes) > limit else ""
    return ", ".join(codes[:limit]) + more


def _version_codes() -> dict[int, frozenset[str]]:
    from clustermapper.regions.shapes import available_versions, codes_of

    return {v: codes_of(v) for v in available_versions()}


def match_codes(codes, year: int = 0, versions: dict[int, frozenset[str]] | None = None) -> YearMatch:
    """Choose the NUTS version for a set of codes (see the module docstring)."""
    versions = versions if versions is not None else _version_codes()
    codes = sorted({str(c).strip().upper() for c in codes})
    regions = [c for c in codes if is_region_code(c)]
    ignored = [c for c in codes if not is_region_code(c)]
    missing = {v: [c for c in regions if c not in known] for v, known in versions.items()}
    best = min(versions, key=lambda v: (len(missing[v]), -v))
    fallback: dict[str, int] = {}
    unknown: list[str] = []
    for code in missing[best]:
        holders = [v for v, known in versions.items() if code in known]
        if holders:
            fallback[code] = min(holders, key=lambda v: (abs(v - best), -v))
        else:
            unknown.append(code)
    # every region code has a level (is_region_code checks it); the filter only tells mypy
    levels = tuple(sorted({lv for c in regions if (lv := nuts_level(c)) is not None}))
    return YearMatch(year=int(year), version=int(best), levels=levels, n_codes=len(regions),
                     exact=not missing[best], fallback=fallback, unknown=unknown, ignored=ignored,
                     missing_by_version={v: len(m) for v, m in sorted(missing.items())})


def detect_versions(table: pd.DataFrame) -> dict[int, YearMatch]:
    """Per year with data, the best NUTS version for the region codes that carry a value."""
    versions = _version_codes()
    data = table.loc[table["value"].notna(), ["region", "year"]].drop_duplicates()
    out: dict[int, YearMatch] = {}
    for year, rows in data.groupby("year"):
        out[int(year)] = match_codes(rows["region"].astype(str), int(year), versions)
    return out


def geometries_for(match: YearMatch, codes=None) -> gpd.GeoDataFrame:
    """Polygons (EPSG:4326) for ``codes`` (default: all the match covers) following ``match``.

    Adds a ``version`` column naming the NUTS version each polygon comes from. Unknown codes have no
    polygon and are absent; ``attrs["unknown"]`` lists them.
    """
    from clustermapper.regions.shapes import load_regions

    if codes is None:
        from clustermapper.regions.shapes import codes_of

        codes = set(match.fallback) | set(match.unknown)
        codes |= {c for c in codes_of(match.version) if nuts_level(c) in match.levels}
    codes = sorted({str(c).strip().upper() for c in codes if is_region_code(str(c).strip().upper())})
    wanted: dict[tuple[int, int], list[str]] = {}
    unknown = []
    for code in codes:
        version = match.version_of(code)
        if version is None:
            unknown.append(code)
        else:
            level = nuts_level(code)
            assert level is not None  # codes were filtered by is_region_code above
            wanted.setdefault((version, level), []).append(code)
    parts = []
    for (version, level), group in sorted(wanted.items()):
        regions = load_regions(version, level)
        found = regions[regions["NUTS_ID"].isin(group)].assign(version=version)
        unknown += sorted(set(group) - set(found["NUTS_ID"]))  # codes outside the match's own set
        parts.append(found)
    columns = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "version", "geometry"]
    if parts:
        frame = pd.concat(parts, ignore_index=True)[columns]
    else:
        frame = pd.DataFrame({c: [] for c in columns})
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326").sort_values("NUTS_ID")
    gdf = gdf.reset_index(drop=True)
    gdf.attrs["unknown"] = sorted(unknown)
    return gdf
