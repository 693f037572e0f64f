"""Two years compared like with like: both scored again over the regions with data in both years.

An LQ or a rank must never move because a country entered or left the data, or because a NUTS revision renamed
regions (the real file's 2008–2010 codes follow NUTS 2006, 2011–2012 NUTS 2010, 2013–2015 NUTS 2013). The
regions of only one year are left out, each with the reason (:func:`left_out_reason`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clustermapper.analysis import Analysis, score


def regions_with_data(analysis: Analysis) -> list[str]:
    """The regions the stars compare (E_r > 0), sorted."""
    totals = analysis.region_total
    return sorted(str(r) for r in totals.index[totals.gt(0)])


def restricted(analysis: Analysis, regions: list[str]) -> Analysis:
    """``analysis`` scored again over ``regions`` only (same thresholds); itself when nothing is left out."""
    if set(regions) >= set(regions_with_data(analysis)):
        return analysis
    prepared = analysis.prepared
    index = prepared.region_total.index
    keep = index[index.astype(str).isin(set(regions))]
    narrowed = replace(prepared, region_total=prepared.region_total.reindex(keep),
                       employment=prepared.employment.reindex(keep), flagged=prepared.flagged.reindex(keep),
                       table=prepared.table[prepared.table["region"].astype(str).isin(set(regions))])
    return score(narrowed, analysis.params)


@dataclass(frozen=True)
class CommonBasis:
    """``base`` and ``now`` scored over ``regions`` (those with data in both years) and who was left out."""

    base: Analysis
    now: Analysis
    regions: tuple[str, ...]
    only_base: dict[str, str]  # region with data in the base year only → why it is missing later
    only_now: dict[str, str]  # region with data in the later year only → why it is missing in the base year

    def describe(self) -> str:
        """One paragraph: how many regions are compared, how many each year has, who is left out and why."""
        y1, y2 = self.base.year, self.now.year
        n1, n2 = len(self.regions) + len(self.only_base), len(self.regions) + len(self.only_now)
        text = f"{len(self.regions)} regions with data in both {y1} ({n1} regions) and {y2} ({n2} regions)."
        for year, left in ((y1, self.only_base), (y2, self.only_now)):
            if left:
                text += f" Left out, {year} only ({len(left)}): " + "; ".join(
                    f"{code} ({why})" for code, why in left.items()) + "."
        return text


def common_basis(base: Analysis, now: Analysis) -> CommonBasis:
    """Both analyses scored over the regions with data in both years, and the regions left out with reasons."""
    in_base, in_now = set(regions_with_data(base)), set(regions_with_data(now))
    common = sorted(in_base & in_now)
    only_base = {r: left_out_reason(r, now, in_now, in_base) for r in sorted(in_base - in_now)}
    only_now = {r: left_out_reason(r, base, in_base, in_now) for r in sorted(in_now - in_base)}
    return CommonBasis(base=restricted(base, common), now=restricted(now, common), regions=tuple(common),
                       only_base=only_base, only_now=only_now)


def left_out_reason(code: str, other: Analysis, other_regions: set[str], own_regions: set[str]) -> str:
    """Why ``code`` has no data in ``other``'s year, first matching:

    1. its country has no region with data that year;
    2. its NUTS-1 parent code (first three characters) has codes with data only that year (a NUTS revision);
    3. the code is not in the NUTS version the other year's codes follow (a NUTS revision);
    4. otherwise the code exists then but carries no employment.
    """
    year = other.year
    country = code[:2]
    if not any(r.startswith(country) for r in other_regions):
        return f"no data for {country} in {year}"
    siblings = sorted(r for r in other_regions - own_regions if r.startswith(code[:3]))
    if siblings:
        return f"NUTS code change: {code[:3]} has {', '.join(siblings)} in {year} instead"
    version = _version_of(other)
    if version is not None and code not in _codes(version):
        return f"NUTS code change: not a NUTS {version} code (the version of {year}'s codes)"
    return f"no employment data in {year}"


def _version_of(analysis: Analysis) -> int | None:
    return None if analysis.nuts is None else int(analysis.nuts.version)


def _codes(version: int) -> frozenset[str]:
    from clustermapper.regions.shapes import codes_of

    return codes_of(version)
