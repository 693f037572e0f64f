"""Up to ten regions side by side: stars, employment, LQ and change since a base year, per category.

:func:`compare_table` gives one row per category × compared region (long form), the regions in the order given
and the categories strongest first: :func:`clustermapper.metrics.ordering.order_categories` applied to the
categories' totals over the compared regions (stars summed, highest LQ, employees summed). Categories without an
employee in any compared region are left out (and counted in a note). Every value that rests on an estimated,
confidential, missing or Eurostat-flagged cell says so in ``caution`` (``marked`` is True), and the display texts
carry the marks (``≈`` estimated, ``≥`` published parts of a confidential cell, ``?`` a star that is not certain).

With ``base`` (an :class:`Analysis` of an earlier year) the change columns come from
:func:`clustermapper.analytics.changes.changes`, which scores both years again over the regions with data in both:
the change of LQ and stars is measured on that common basis, so it can differ slightly from the difference of
the two years' own LQ columns (a note says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.metrics.explain import approx, employees_short, star_glyphs, uncertain_stars
from clustermapper.metrics.ordering import order_categories
from clustermapper.statuses import BREAK_FLAGS, CONFIDENTIAL, ESTIMATED, MISSING

MAX_REGIONS = 10
#: the measures a comparison shows, in menu order: id → (title, long-table column)
MEASURES = {"stars": ("Stars", "stars"), "employment": ("Employees", "employment"),
            "lq": ("Location quotient", "lq"), "change": ("Change of employees", "employment_change_pct")}
MARKS = (("≈", "estimated: a confidential cell filled by the estimate (not a published number)"),
         ("≥", "confidential: only the published parts are counted, the true value is at least this"),
         ("?", "after stars: at least one star rests on a confidential value and is not certain"),
         ("*", "in the change: it rests on an estimated, confidential or Eurostat-flagged cell (see caution)"))
COLUMNS = ("category", "category_label", "region", "region_name", "category_order", "region_order", "stars",
           "stars_text", "employment", "employment_text", "lq", "lq_text", "status", "flags", "estimate_low",
           "estimate_high", "marked", "caution")
# the change columns; lq_/stars_ *_base and *_common are both years scored over the regions with data in both
CHANGE_COLUMNS = ("year_base", "employment_base", "employment_change", "employment_change_pct", "cagr", "lq_base",
                  "lq_common", "lq_change", "stars_base", "stars_common", "stars_change", "change_text",
                  "change_caution")


@dataclass(frozen=True)
class Comparison:
    """The compared regions of one analysis (and a base year); ``table`` is the long form (:data:`COLUMNS`)."""

    analysis: Analysis
    base: Analysis | None
    regions: tuple[str, ...]  # with data, in the order given
    missing: tuple[str, ...]  # named but without data in the analysed year
    categories: tuple[str, ...]  # strongest first
    table: pd.DataFrame
    notes: tuple[str, ...]

    @property
    def year(self) -> int:
        return self.analysis.year

    @property
    def base_year(self) -> int | None:
        return None if self.base is None else self.base.year

    def measures(self) -> list[str]:
        """The measures this comparison has (change only with a base year)."""
        return [m for m in MEASURES if m != "change" or self.base is not None]

    def wide(self, measure: str, text: bool = False) -> pd.DataFrame:
        """Categories (index, strongest first) × regions (columns, in order): the measure's values, or with
        ``text`` the marked display text (``"≈ 84,752"``, ``"★★☆ ?"``)."""
        if measure not in MEASURES:
            raise UsageError(f"unknown measure {measure!r}; choose {', '.join(MEASURES)}")
        if measure == "change" and self.base is None:
            raise UsageError("the change needs a base year (--from Y)")
        column = MEASURES[measure][1]
        if text:
            column = {"stars": "stars_text", "employment": "employment_text", "lq": "lq_text",
                      "change": "change_text"}[measure]
        wide = self.table.pivot(index="category", columns="region", values=column)
        return wide.reindex(index=list(self.categories), columns=list(self.regions))

    def marked(self, measure: str) -> pd.DataFrame:
        """True where the cell of :meth:`wide` must not be read as a plain published fact."""
        column = "change_marked" if measure == "change" else "marked"
        table = self.table.assign(change_marked=self.table["change_caution"].ne("")) if measure == "change" \
            else self.table
        wide = table.pivot(index="category", columns="region", values=column)
        return wide.reindex(index=list(self.categories), columns=list(self.regions)).fillna(False).astype(bool)

    def region_summary(self) -> pd.DataFrame:
        """One row per compared region: total employees, starred clusters by stars, strongest categories."""
        rows = []
        totals = self.analysis.region_total
        for order, region in enumerate(self.regions):
            t = self.table[self.table["region"] == region]
            rows.append({"region": region, "region_name": t["region_name"].iloc[0], "region_order": order,
                         "employment": float(totals.get(region, float("nan"))),
                         "n_3star": int((t["stars"] == 3).sum()), "n_2star": int((t["stars"] == 2).sum()),
                         "n_1star": int((t["stars"] == 1).sum()), "n_marked": int(t["marked"].sum()),
                         "top_categories": ";".join(order_categories(t).head(3)["category"])})
        return pd.DataFrame(rows)


def parse_regions(given: str | Iterable[str]) -> list[str]:
    """Region codes from ``"DE11, de21,ITC1"`` or a list: stripped, upper case, repeats dropped (first kept);
    refused when empty or longer than :data:`MAX_REGIONS`."""
    items = given.split(",") if isinstance(given, str) else list(given)
    codes = list(dict.fromkeys(str(c).strip().upper() for c in items if str(c).strip()))
    if not codes:
        raise UsageError("name the regions to compare, e.g. --regions DE11,DE21,ITC1")
    if len(codes) > MAX_REGIONS:
        raise UsageError(f"at most {MAX_REGIONS} regions can be compared, {len(codes)} were named "
                         f"({', '.join(codes)}); drop {len(codes) - MAX_REGIONS}")
    return codes


def compare_table(analysis: Analysis, regions: str | Iterable[str], base: Analysis | None = None) -> Comparison:
    """The comparison of ``regions`` (at most :data:`MAX_REGIONS`) in ``analysis``, with the change since
    ``base``'s year when given. Regions without data are left out and named in ``notes``."""
    codes = parse_regions(regions)
    totals = analysis.region_total
    with_data = {str(r) for r in totals.index[totals.gt(0)]}
    present = [c for c in codes if c in with_data]
    missing = tuple(c for c in codes if c not in with_data)
    notes = []
    if missing:
        notes.append(f"No data in {analysis.year} at NUTS level {analysis.spec.level}, left out: "
                     + ", ".join(missing) + ".")
    if not present:
        raise UsageError(f"none of the regions {', '.join(codes)} has data in {analysis.year} at NUTS level "
                         f"{analysis.spec.level}; check the codes (clustermapper regions detect lists them)")
    rows = analysis.stars[analysis.stars["region"].isin(present)].copy()
    strongest = _category_order(rows)
    # a confidential cell counted as 0 may hide employees: only published zeros (or no data) leave a category out
    has = rows["employment"].gt(0) | rows["status"].isin((ESTIMATED, CONFIDENTIAL)) if "status" in rows \
        else rows["employment"].gt(0)
    kept = [c for c in strongest if c in set(rows.loc[has, "category"])]
    if len(kept) < len(strongest):
        notes.append(f"{len(strongest) - len(kept)} categories without employees in any compared region are "
                     "left out.")
    rows = rows[rows["category"].isin(kept)]
    table = _long(analysis, rows, present, kept)
    if base is not None:
        table, change_notes = _with_change(table, base, analysis, present)
        notes += change_notes
    else:
        for column in CHANGE_COLUMNS:
            table[column] = "" if column in ("change_text", "change_caution") else float("nan")
    if table["marked"].any():
        notes.append(f"{int(table['marked'].sum())} of the {len(table)} region × category cells (all "
                     f"{len(kept)} categories) rest on estimated, confidential, missing or Eurostat-flagged cells; "
                     "they are marked and shaded.")
    return Comparison(analysis, base, tuple(present), missing, tuple(kept), table.reset_index(drop=True),
                      tuple(notes))


def _category_order(rows: pd.DataFrame) -> list[str]:
    """Categories strongest first over the compared regions (the one category order of metrics.ordering)."""
    per = rows.groupby("category", sort=True).agg(stars=("stars", "sum"), lq=("lq", "max"),
                                                  employment=("employment", "sum")).reset_index()
    return [str(c) for c in order_categories(per)["category"]]


def _long(analysis: Analysis, rows: pd.DataFrame, regions: list[str], categories: list[str]) -> pd.DataFrame:
    position = {r: i for i, r in enumerate(regions)}
    rank = {c: i for i, c in enumerate(categories)}
    rows = rows.assign(region_order=rows["region"].map(position), category_order=rows["category"].map(rank))
    rows = rows.sort_values(["category_order", "region_order"], kind="mergesort")
    records = rows.to_dict("records")
    labels = {c: analysis.category_label(c) for c in categories}
    names = {r: _region_name(analysis, r) for r in regions}
    out = pd.DataFrame({
        "category": rows["category"].astype(str).to_numpy(),
        "category_label": [labels[c] for c in rows["category"]],
        "region": rows["region"].astype(str).to_numpy(),
        "region_name": [names[r] for r in rows["region"]],
        "category_order": rows["category_order"].to_numpy(),
        "region_order": rows["region_order"].to_numpy(),
        "stars": rows["stars"].to_numpy(),
        "stars_text": [star_glyphs(r) for r in records],
        "employment": rows["employment"].to_numpy(),
        "employment_text": [employees_short(r).replace(" est.", "").replace(" (conf.)", "") for r in records],
        "lq": rows["lq"].to_numpy(),
        "lq_text": [f"{approx(r)}{r['lq']:.2f}" if r["lq"] == r["lq"] else "–" for r in records],
    })
    for column in ("status", "flags", "estimate_low", "estimate_high"):
        out[column] = rows[column].to_numpy() if column in rows else ("" if column in ("status", "flags") else float("nan"))
    cautions = [_caution(r) for r in records]
    out["marked"] = [bool(c) for c in cautions]
    out["caution"] = cautions
    return out


def _region_name(analysis: Analysis, code: str) -> str:
    try:
        return str(analysis.region_name(code) or "")
    except (KeyError, LookupError, ValueError):
        return ""


def _caution(row: dict) -> str:
    """Why a value is not a plain published fact ("" when it is)."""
    parts = []
    status = str(row.get("status", ""))
    if status == ESTIMATED:
        parts.append("estimated (confidential in the data)")
    elif status == CONFIDENTIAL:
        parts.append("confidential: published parts only")
    elif status == MISSING:
        parts.append("not available")
    elif (row.get("n_flagged") or 0) > 0:
        parts.append(f"{int(row['n_flagged'])} missing or confidential cell(s) counted as 0")
    for letter in sorted(set(str(row.get("flags") or "")) - {"c"}):
        meaning = BREAK_FLAGS.get(letter)
        parts.append(f"Eurostat flag {letter}" + (f": {meaning}" if meaning else ""))
    if uncertain_stars(row):
        parts.append("a star not certain within the bounds of confidential cells")
    return "; ".join(parts)


def _with_change(table: pd.DataFrame, base: Analysis, now: Analysis, regions: list[str]
                 ) -> tuple[pd.DataFrame, list[str]]:
    from clustermapper.analytics.changes import changes

    change = changes(base, now, regions=regions)
    keep = ["region", "category", "employment_base", "employment_change", "employment_change_pct", "cagr",
            "lq_base", "lq_now", "lq_change", "stars_base", "stars_now", "stars_change", "caution"]
    change = change[keep].rename(columns={"caution": "change_caution", "lq_now": "lq_common",
                                          "stars_now": "stars_common"})
    out = table.merge(change, on=["region", "category"], how="left")
    out.insert(out.columns.get_loc("employment_base"), "year_base", base.year)
    out["change_caution"] = out["change_caution"].fillna("")
    no_base = sorted(set(regions) - set(change["region"]))
    out.loc[out["region"].isin(no_base), "change_caution"] = f"no data in {base.year}"
    out["change_text"] = [_change_text(p, c) for p, c in zip(out["employment_change_pct"], out["change_caution"])]
    notes = [f"Change since {base.year}: both years scored again over the regions with data in both, so the "
             "change of LQ and stars compares like with like; employees change as published or estimated."]
    if no_base:
        notes.append(f"No data in {base.year} (no change shown): {', '.join(no_base)}.")
    return out, notes


def _change_text(pct: float, caution: str) -> str:
    if pct != pct:
        return "–"
    return f"{100 * pct:+.1f} %".replace("-", "−") + (" *" if caution else "")
