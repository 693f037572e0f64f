"""Regions of two NUTS versions that cover the same land in one year: keep one set, never both.

Eurostat sometimes publishes a year under old and new codes at once (the regional SBS file's 2010 has
Finland as FI13/FI18/FI1A and as FI1B/FI1C/FI1D, and Merseyside as UKD5 and, with construction only, UKD7).
Scoring both counts their employment twice in Europe's totals, raises N and k, and stars the same land
twice. Codes of the year's best version are kept, unless they have fewer than half as many cells with a
value per region as the other side (UKD7's construction-only rows).

Overlap is found on the NUTS-3 polygons: a code of another version overlaps a best-version code when the
representative point of one of its NUTS-3 parts lies in one of the other's (for the embedded versions from
the shipped crosswalk, :mod:`clustermapper.regions.crosswalk`). It is looked up only for a country that has
codes of both versions at the analysis level (2008–2010 of the real file).
"""

from __future__ import annotations

import pandas as pd

from clustermapper.regions.codes import nuts_level
from clustermapper.regions.versions import match_codes


def drop_double_counted(table: pd.DataFrame, year: int,
                        cells: pd.Series | None = None) -> tuple[pd.DataFrame, list[str]]:
    """``table``: one year's rows at the analysis level. Returns the rows kept and a note per overlap.
    ``cells``: cells with a value per region, when ``table`` holds stand-ins (``year_coverage``)."""
    valued = table.loc[table["value"].notna(), "region"].astype(str)
    match = match_codes(valued.unique(), year)
    best = {c for c in valued.unique() if c not in match.fallback and c not in match.unknown}
    foreign = {c: v for c, v in match.fallback.items()
               if any(b[:2] == c[:2] and nuts_level(b) == nuts_level(c) for b in best)}
    if not foreign:
        return table, []
    pairs = _overlapping(foreign, best, match.version)
    if not pairs:
        return table, []
    cells = valued.value_counts() if cells is None else cells.reindex(valued.unique()).fillna(1)
    notes, drop = [], set()
    for group in _components(pairs):
        theirs = sorted(c for c in group if c in foreign)
        ours = sorted(c for c in group if c not in foreign)
        per_theirs, per_ours = cells.reindex(theirs).mean(), cells.reindex(ours).mean()
        if per_ours < per_theirs / 2:
            keep, lose = theirs, ours
            why = f"{per_theirs:.0f} cells with a value per region against {per_ours:.0f}"
        else:
            keep, lose, why = ours, theirs, f"NUTS {match.version}, as the year's other regions"
        versions = ", ".join(sorted({f"NUTS {foreign.get(c, match.version)}" for c in lose}))
        drop.update(lose)
        notes.append(f"{year}: {', '.join(lose)} ({versions}) {'covers' if len(lose) == 1 else 'cover'} the same "
                     f"land as {', '.join(keep)} ({why}); the data has both, and counting both would count that "
                     f"employment twice: {', '.join(lose)} left out.")
    return table[~table["region"].astype(str).isin(drop)], notes


def _overlapping(foreign: dict[str, int], best: set[str], version: int) -> list[tuple[str, str]]:
    from clustermapper.regions.crosswalk import containing

    countries = {c[:2] for c in foreign}
    held_by = {v: containing(v, version) for v in set(foreign.values())}  # each version's crosswalk once
    pairs = []
    for code, other in sorted(foreign.items()):
        level = nuts_level(code) or 0
        held = held_by[other]
        targets = {t[: 2 + level] for part, ts in held.items() if part.startswith(code) for t in ts
                   if t[:2] in countries}
        pairs += [(code, target) for target in sorted(targets) if target in best]
    return pairs


def _components(pairs: list[tuple[str, str]]) -> list[set[str]]:
    groups: list[set[str]] = []
    for a, b in pairs:
        joined = [g for g in groups if a in g or b in g]
        merged = {a, b}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return sorted(groups, key=min)
