"""The analysis level: keep one NUTS level, with per-country exceptions (``{"BE": 1, "NL": 1}``).

``select_level(table, level, overrides) -> (table, notes)`` keeps the region codes of the analysis level
(non-regions such as ``DEZZ`` or ``EU28`` are dropped, and said so). For a country in ``overrides`` it keeps
that level instead: the data's own rows at that level where the data has them (per region and year), else
the sum of the children at the closest finer level in the data. In a sum a missing child counts as 0; the row then carries
``PARTIAL_FLAG`` in its flag and the notes name every region so built. Country keys follow the data:
``GR`` and ``EL`` (Greece), ``UK`` and ``GB`` are accepted for each other.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.regions.codes import code_table, nuts_level

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
    # Everything per distinct code, then spread by integer codes: a year of the real file has ~50k rows but
    # ~1,200 codes (a NUTS-3 x 4-digit year: 720,000 rows, 1,200 codes; string operations per row took 0.6 s)
    described = code_table(table["region"])
    codes, code_names, is_code = described.codes, described.names, described.is_region
    dropped = sorted(code_names[~is_code])
    if dropped:
        notes.append(f"Not regions, left out: {', '.join(dropped[:15])}{' …' if len(dropped) > 15 else '.'}")
    is_region = is_code[codes] if len(codes) else np.zeros(0, dtype=bool)
    table = table.loc[is_region]
    codes = codes[is_region]
    level_of, country_of = described.level, described.country
    levels = pd.Series(level_of[codes], index=table.index)
    present = set(country_of[np.unique(codes)])

    wanted: dict[str, int] = {}
    for key, lv in (overrides or {}).items():
        if int(lv) not in (0, 1, 2, 3):
            raise UsageError(f"level override {key}={lv}: choose a level 0–3")
        country = _resolve_country(str(key), present, notes)
        if country not in present:
            notes.append(f"Level override {key}={lv}: the data has no regions of {key}.")
            continue
        wanted[country] = int(lv)

    target = np.array([wanted.get(c, level) for c in country_of], dtype="int64")[codes]
    parts = [table[levels.to_numpy() == target]]
    countries = pd.Series(country_of[codes], index=table.index)
    for country, lv in sorted(wanted.items()):
        if lv == level:
            continue
        mine = countries == country
        own = table[mine & (levels == lv)]
        # (region, year) pairs the data itself gives at the override level; the others are summed.
        given = set(zip(own.loc[own["value"].notna(), "region"], own.loc[own["value"].notna(), "year"]))
        if given:
            names = sorted({r for r, _ in given})
            notes.append(f"{country}: NUTS {lv} rows from the data ({', '.join(names)}).")
        finer = table[mine & (levels > lv)]
        if finer.empty:
            if not given:
                notes.append(f"{country}: no NUTS {lv} data and no finer regions to add up; left out.")
            continue
        agg = _aggregate(finer, lv)
        agg = agg[[(r, y) not in given for r, y in zip(agg["region"], agg["year"])]]
        # Parents whose children carry no value at all in a year (e.g. NUTS 2013 codes present only as
        # empty rows in 2010 data) would be regions made of nothing: leave them out, and say so.
        has_value = agg.groupby(["region", "year"])["value"].transform(lambda v: v.notna().any())
        empty = sorted(set(agg.loc[~has_value, "region"]))
        if empty:
            notes.append(f"{country}: {', '.join(empty)} left out: no values in their parts either.")
        agg = agg[has_value]
        if agg.empty:
            continue
        pairs = set(zip(agg["region"], agg["year"]))
        base = parts[0]
        parts[0] = base[[(r, y) not in pairs for r, y in zip(base["region"], base["year"])]]
        parts.append(agg[list(table.columns)])
        made = agg.groupby("region")["n_parts"].max()
        notes.append(f"{country}: NUTS {lv} values summed from NUTS {int(agg['from_level'].iloc[0])} regions ("
                     + ", ".join(f"{r} from {n}" for r, n in made.items()) + ").")
        n_partial = int(agg["flag"].str.endswith(PARTIAL_FLAG).sum())
        if n_partial:
            notes.append(f"{country}: {n_partial} summed cells had missing parts (counted as 0, "
                         f"flag '{PARTIAL_FLAG}').")
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    out = _sorted(out)
    if out.empty:
        notes.append(f"No NUTS {level} regions in the data.")
    return out, notes


def _sorted(table: pd.DataFrame) -> pd.DataFrame:
    """``sort_values(["year", "region", "sector"], kind="stable")`` on integer ranks: the same order, without
    comparing strings row by row."""
    ranks = []
    for name in ("sector", "region"):
        rank, _ = pd.factorize(table[name], sort=True)  # codes in sorted order; missing ones -1
        ranks.append(np.where(rank < 0, len(table), rank))  # missing last, as sort_values puts them
    order = np.lexsort((*ranks, table["year"].to_numpy()))  # the last key sorts first; lexsort is stable
    return table.iloc[order].reset_index(drop=True)


def _aggregate(rows: pd.DataFrame, level: int) -> pd.DataFrame:
    """Sum the closest finer level present up to ``level``; missing parts count as 0.

    Returns the tidy columns plus ``n_parts`` (children summed) and ``from_level``.
    """
    from clustermapper.regions.shapes import parent

    rows_levels = rows["region"].astype(str).map(nuts_level)
    from_level = min(rows_levels)
    src = rows[rows_levels == from_level].copy()
    src["parent"] = src["region"].astype(str).map(lambda c: parent(c, level))
    src["missing"] = src["value"].isna()
    src["flag"] = src["flag"].fillna("").astype(str)
    grouped = src.groupby(["parent", "sector", "year"], sort=True)
    out = pd.DataFrame({
        "value": grouped["value"].sum(min_count=1),
        "n_missing": grouped["missing"].sum(),
        "flags": grouped["flag"].agg(lambda f: "".join(sorted(set("".join(f))))),
    }).reset_index()
    partial = (out["n_missing"] > 0) & out["value"].notna()
    out["flag"] = out["flags"].where(~partial, out["flags"] + PARTIAL_FLAG)
    extra = [c for c in ("reported", "low", "high") if c in src.columns]
    for column in extra:  # the suppressed-cell policy's columns add up like the values
        out[column] = grouped[column].sum(min_count=1).to_numpy()
    if "status" in src.columns:
        from clustermapper.statuses import combine

        out["status"] = grouped["status"].agg(combine).to_numpy()
        out["basis"] = grouped["basis"].agg(lambda b: ", ".join(sorted(set(b) - {""}))).to_numpy()
        extra += ["status", "basis"]
    out = out.rename(columns={"parent": "region"})
    out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    out["n_parts"] = out["region"].map(src.groupby("parent")["region"].nunique())
    out["from_level"] = from_level
    return out[["region", "sector", "year", "value", "flag", *extra, "n_parts", "from_level"]]
