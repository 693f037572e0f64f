"""Change over time between two scored years: one row per region × category, and a per-region summary.

``changes(base, now)`` scores both years again over the regions with data in both (:mod:`.common_basis`), so
every LQ, rank and star compares like with like, then gives employment in both years, absolute change, CAGR,
LQ change, stars in both years, the star rules gained and lost with the values that decided them, and the
change class (:mod:`clustermapper.metrics.change_classes`). A change resting on a confidential, estimated or
missing cell (``hidden_cell``, ``estimated``), on a cell Eurostat flags as a break in series or otherwise not
comparable (``break_flagged``, :data:`clustermapper.statuses.BREAK_FLAGS`) or on a star that is not certain
within the bounds of its confidential cells (``stars_uncertain``) says so in ``caution``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis, AnalysisSpec, run_analysis
from clustermapper.analytics.common_basis import CommonBasis, common_basis
from clustermapper.errors import UsageError
from clustermapper.io.table import ReadResult
from clustermapper.metrics.certainty import CERTAINTY_COLUMNS
from clustermapper.metrics.change_classes import CLASSES, ChangeRules, cagr, classify, star_changes
from clustermapper.metrics.rules import STAR_COLUMNS
from clustermapper.statuses import BREAK_FLAGS, CONFIDENTIAL, ESTIMATED, break_flags

# stars-table columns carried for both years (suffixes _base and _now)
CARRIED = ("employment", "region_total", "share", "lq", "stars", *STAR_COLUMNS, "size_rank", "focus_rank", "k",
           "n_regions", "below_minimum", "n_flagged", "status", "flags", "estimate_low", "estimate_high",
           *CERTAINTY_COLUMNS)
HEAD = ("region", "category", "year_base", "year_now", "employment_base", "employment_now", "employment_change",
        "employment_change_pct", "cagr", "lq_base", "lq_now", "lq_change", "stars_base", "stars_now",
        "stars_change", "stars_gained", "stars_lost", "star_change_reason", "class", "class_rule", "caution",
        "estimated", "hidden_cell", "break_flagged", "stars_uncertain", "status_base", "status_now",
        "flags_base", "flags_now")


def default_base_year(years: list[int], year: int) -> int | None:
    """``year`` minus :data:`DEFAULT_CHANGE_SPAN` when the data have it, else the earliest year before ``year``."""
    from clustermapper.defaults import DEFAULT_CHANGE_SPAN

    earlier = [y for y in years if y < year]
    if not earlier:
        return None
    wanted = year - DEFAULT_CHANGE_SPAN
    return wanted if wanted in earlier else min(earlier, key=lambda y: (abs(y - wanted), y))


def base_analysis(now: Analysis, year: int, cancel=None) -> Analysis:
    """``now``'s spec and thresholds for an earlier ``year``, from the dataset already read."""
    if year >= now.year:
        raise UsageError(f"the base year {year} must be earlier than {now.year}")
    return run_analysis(now.spec.with_(year=year), dataset=now.dataset, cancel=cancel)


def change_analyses(spec: AnalysisSpec, year_base: int, year_now: int,
                    dataset: ReadResult | None = None) -> tuple[Analysis, Analysis]:
    """The spec run for both years, reading the file once (``year_base`` must be the earlier)."""
    if year_base >= year_now:
        raise UsageError(f"--from {year_base} must be an earlier year than --to {year_now}")
    now = run_analysis(spec.with_(year=year_now), dataset=dataset)
    base = run_analysis(spec.with_(year=year_base), dataset=now.dataset)
    return base, now


def changes(base: Analysis, now: Analysis, rules: ChangeRules | None = None,
            regions: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per region × category of the regions with data in both years (only ``regions`` if given)."""
    return change_table(common_basis(base, now), rules, regions)


def change_table(basis: CommonBasis, rules: ChangeRules | None = None,
                 regions: Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`changes` on a basis already computed (the CLI reports its left-out regions too)."""
    y1, y2 = basis.base.year, basis.now.year
    if y1 >= y2:
        raise UsageError(f"the base year {y1} must be earlier than {y2}")
    keep = None if regions is None else {str(r) for r in regions}

    def side(analysis: Analysis) -> pd.DataFrame:
        stars = analysis.stars if keep is None else analysis.stars[analysis.stars["region"].isin(keep)]
        return stars.reindex(columns=["region", "category", *CARRIED])

    table = side(basis.base).merge(side(basis.now), on=["region", "category"], how="outer",
                                   suffixes=("_base", "_now"))
    table.insert(2, "year_base", y1)
    table.insert(3, "year_now", y2)
    e1, e2 = table["employment_base"], table["employment_now"]
    table["employment_change"] = e2 - e1
    # no percentage or growth rate from a zero base: it would be infinite and meaningless
    table["employment_change_pct"] = table["employment_change"] / e1.where(e1 > 0)
    table["cagr"] = cagr(e1, e2, y2 - y1)
    table["lq_change"] = table["lq_now"] - table["lq_base"]
    table["stars_change"] = table["stars_now"] - table["stars_base"]
    table["stars_gained"], table["stars_lost"], table["star_change_reason"] = star_changes(
        table, basis.base.params, basis.now.params, (y1, y2))
    table["class"], table["class_rule"] = classify(table["stars_base"], table["stars_now"], table["cagr"],
                                                   rules or ChangeRules(), (y1, y2))
    _mark(table, y1, y2)
    rest = [c for c in table.columns if c not in HEAD]
    return table[[*HEAD, *rest]].sort_values(["region", "category"]).reset_index(drop=True)


def _mark(table: pd.DataFrame, y1: int, y2: int) -> None:
    """The columns that keep a change resting on hidden, estimated or break-flagged cells from passing as fact."""
    hidden_status = (ESTIMATED, CONFIDENTIAL)
    for s in ("base", "now"):
        table[f"flags_{s}"] = [break_flags(str(f)) for f in table[f"flags_{s}"].fillna("")]
    table["estimated"] = table["status_base"].eq(ESTIMATED) | table["status_now"].eq(ESTIMATED)
    # a confidential cell (estimated, or counted as 0) or a missing one behind either value
    table["hidden_cell"] = ((table["n_flagged_base"].fillna(0) > 0) | (table["n_flagged_now"].fillna(0) > 0)
                            | table["status_base"].isin(hidden_status) | table["status_now"].isin(hidden_status))
    table["break_flagged"] = (table["flags_base"] != "") | (table["flags_now"] != "")
    uncertain = np.zeros(len(table), dtype=bool)
    for column in CERTAINTY_COLUMNS:
        for s in ("base", "now"):
            uncertain |= table[f"{column}_{s}"].eq("possible").to_numpy()
    table["stars_uncertain"] = uncertain
    table["caution"] = [_caution(row, y1, y2) for row in table[
        ["status_base", "status_now", "hidden_cell", "flags_base", "flags_now", "stars_uncertain"]].itertuples()]


def _caution(row, y1: int, y2: int) -> str:
    parts = []
    for year, status in ((y1, row.status_base), (y2, row.status_now)):
        if status == ESTIMATED:
            parts.append(f"{year} value estimated (confidential in the data)")
        elif status == CONFIDENTIAL:
            parts.append(f"{year} value confidential (published parts only)")
    if row.hidden_cell and not parts:
        parts.append("a missing or confidential cell counted as 0")
    for year, flags in ((y1, row.flags_base), (y2, row.flags_now)):
        parts += [f"{year} flag {f}: {BREAK_FLAGS[f]}" for f in flags]
    if row.stars_uncertain:
        parts.append("a star that could differ within the bounds of confidential cells (this or other regions')")
    return "; ".join(parts)


def region_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region of a :func:`changes` table (for a map layer): totals, CAGR, stars gained and lost,
    cells per class and how many rows carry a caution."""
    if table.empty:
        return pd.DataFrame(columns=["region", "year_base", "year_now", "employment_base", "employment_now",
                                     "employment_change", "cagr", "stars_base", "stars_now", "stars_gained",
                                     "stars_lost", *(f"n_{c}" for c in CLASSES), "n_caution"])
    t = table.assign(n_gained=_count(table["stars_gained"]), n_lost=_count(table["stars_lost"]),
                     cautioned=table["caution"].ne(""))
    g = t.groupby("region", sort=True)
    out = pd.DataFrame({"year_base": g["year_base"].first(), "year_now": g["year_now"].first(),
                        "employment_base": g["region_total_base"].first(),
                        "employment_now": g["region_total_now"].first()})
    out["employment_change"] = out["employment_now"] - out["employment_base"]
    out["cagr"] = cagr(out["employment_base"], out["employment_now"], float(t["year_now"].iloc[0] - t["year_base"].iloc[0]))
    out["stars_base"] = g["stars_base"].sum()
    out["stars_now"] = g["stars_now"].sum()
    out["stars_gained"] = g["n_gained"].sum()
    out["stars_lost"] = g["n_lost"].sum()
    for c in CLASSES:
        out[f"n_{c}"] = g["class"].agg(lambda s, c=c: int((s == c).sum()))
    out["n_caution"] = g["cautioned"].sum()
    return out.reset_index()


def _count(joined: pd.Series) -> pd.Series:
    """Number of rule ids in a ``;``-joined column (``""`` → 0)."""
    return joined.fillna("").map(lambda s: len(s.split(";")) if s else 0)
