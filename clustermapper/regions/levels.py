"""The analysis level: keep one NUTS level, with per-country exceptions (``{"BE": 1, "NL": 1}``).

``select_level(table, level, overrides) -> (table, notes)`` keeps the region codes of the analysis level
(non-regions such as ``DEZZ`` or ``EU28`` are dropped, and said so). For a country in ``overrides`` it keeps
that level instead: the data's own rows at that level when the data has them, else the sum of the
children one level down (or further). In a sum a missing child counts as 0; the row then carries
``PARTIAL_FLAG`` in its flag and the notes name every region so built. Country keys follow the data:
``GR`` and ``EL`` (Greece), ``UK`` and ``GB`` are accepted for each other.
"""

from __future__ import annotations

import re

import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.regions.codes import is_region_code, nuts_level

PARTIAL_FLAG = "*"  # sum with missing (NaN) parts counted as 0; Eurostat itself never uses "*"
ALIASES = {"GR": "EL", "EL": "GR", "UK": "GB", "GB": "UK"}


def parse_overrides(text: str | None) -> dict[str, int]:
    """``"BE=1,EL=1,NL=1"`` → ``{"BE": 1, "EL": 1, "NL": 1}``; :class:`UsageError` on anything else."""
    out: dict[str, int] = {}
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([A-Za-z]{2})\s*[=:]\s*([0-3])", part)
        if not m:
            raise UsageError(f"level override {part!r}: write COUNTRY=LEVEL with a 2-letter country code and "
                             "a level 0–3, e.g. BE=1,EL=1,NL=1")
        country = m.group(1).upper()
        if country in out and out[country] != int(m.group(2)):
            raise UsageError(f"level override: {country} given twice with different levels")
        out[country] = int(m.group(2))
    return out


def _resolve_country(key: str, present: set[str], notes: list[str]) -> str:
    key = key.strip().upper()
    if key not in present and ALIASES.get(key) in present:
        notes.append(f"Level override {key} applied to {ALIASES[key]}, the code the data uses.")
        return ALIASES[key]
    return key


def select_level(table: pd.DataFrame, level: int = 2,
                 overrides: dict[str, int] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Rows of the analysis level (per-country overrides applied); see the module docstring."""
    if int(level) not in (0, 1, 2, 3):
        raise UsageError(f"NUTS level {level}: choose 0, 1, 2 or 3")
    level = int(level)
    notes: list[str] = []
    regions = table["region"].astype(str)
    is_region = regions.map(is_region_code)
    dropped = sorted(set(regions[~is_region]))
    if dropped:
        notes.append(f"Not regions, left out: {', '.join(dropped[:15])}{' …' if len(dropped) > 15 else ''}.")
    table = table.loc[is_region]
    regions = regions[is_region]
    levels = regions.map(nuts_level)
    countries = regions.str[:2]
    present = set(countries)

    wanted: dict[str, int] = {}
    for key, lv in (overrides or {}).items():
        if int(lv) not in (0, 1, 2, 3):
            raise UsageError(f"level override {key}={lv}: choose a level 0–3")
        country = _resolve_country(str(key), present, notes)
        if country not in present:
            notes.append(f"Level override {key}={lv}: the data has no regions of {key}.")
            continue
        wanted[country] = int(lv)

    target = countries.map(lambda c: wanted.get(c, level))
    parts = [table[levels == target]]
    for country, lv in sorted(wanted.items()):
        if lv == level:
            continue
        mine = countries == country
        years = sorted(set(table.loc[mine, "year"]))
        have = set(table.loc[mine & (levels == lv) & table["value"].notna(), "year"])
        need = [y for y in years if y not in have]
        if have:
            notes.append(f"{country}: NUTS {lv} rows from the data ({len(set(regions[mine & (levels == lv)]))} regions).")
        if need:
            agg, text = _aggregate(table[mine & table["year"].isin(need)], lv)
            parts[0] = parts[0][~((countries[parts[0].index] == country) & parts[0]["year"].isin(need))]
            parts.append(agg)
            notes.extend(text)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    out = out.sort_values(["year", "region", "sector"], kind="stable").reset_index(drop=True)
    if out.empty:
        notes.append(f"No NUTS {level} regions in the data.")
    return out, notes


def _aggregate(rows: pd.DataFrame, level: int) -> tuple[pd.DataFrame, list[str]]:
    """Sum the finest-but-closest level below ``level`` up to ``level``; missing parts count as 0."""
    from clustermapper.regions.shapes import parent

    rows_levels = rows["region"].astype(str).map(nuts_level)
    finer = sorted(lv for lv in set(rows_levels) if lv > level)
    if not finer:
        return rows.iloc[0:0], [f"{rows['region'].iloc[0][:2] if len(rows) else '?'}: no NUTS {level} data and "
                                f"no finer regions to add up."]
    src = rows[rows_levels == finer[0]].copy()
    src["parent"] = src["region"].astype(str).map(lambda c: parent(c, level))
    missing = src["value"].isna()
    src["flag"] = src["flag"].fillna("").astype(str)
    grouped = src.groupby(["parent", "sector", "year"], sort=True)
    out = pd.DataFrame({
        "value": grouped["value"].sum(min_count=1),
        "n_missing": missing.groupby([src["parent"], src["sector"], src["year"]]).sum(),
        "flags": grouped["flag"].agg(lambda f: "".join(sorted(set("".join(f))))),
    }).reset_index()
    partial = (out["n_missing"] > 0) & out["value"].notna()
    out["flag"] = out["flags"].where(~partial, out["flags"] + PARTIAL_FLAG)
    out = out.rename(columns={"parent": "region"})[["region", "sector", "year", "value", "flag"]]
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    made = sorted(set(out["region"]))
    children = src.groupby("parent")["region"].nunique()
    notes = [f"{made[0][:2]}: NUTS {level} values summed from NUTS {finer[0]} regions ("
             + ", ".join(f"{r} from {children[r]}" for r in made) + ")."]
    n_partial = int(partial.sum())
    if n_partial:
        notes.append(f"{n_partial} summed cells had missing parts (counted as 0, flag '{PARTIAL_FLAG}').")
    return out, notes
