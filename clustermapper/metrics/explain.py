"""One sentence per star rule, for UI tooltips and region profiles."""

from __future__ import annotations

import math
from collections.abc import Mapping

from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES
from clustermapper.metrics.rules import rule as find_rule


def _pct(x: float) -> str:
    """A share as a percentage: two decimals, or two significant digits below 0.1%."""
    p = 100 * float(x)
    return f"{p:.2f}%" if p >= 0.1 or p == 0 else f"{p:.2g}%"


def _num(x: float) -> str:
    return f"{float(x):,.0f}" if float(x).is_integer() else f"{float(x):,.1f}"


def _lq(value: float, threshold: float, starred: bool) -> str:
    """LQ with enough decimals that the printed number agrees with the verdict (1.9999 is not "2.00")."""
    for digits in (2, 4, 6, 9):
        text = f"{value:.{digits}f}"
        if (float(text) >= threshold) == starred:
            return text
    return repr(value)


def _bound(x: float) -> str:
    return "no upper bound" if not math.isfinite(x) else f"{x:,.0f}"


def employees_phrase(row: Mapping) -> str:
    """e_ir as a sentence fragment that never passes an estimate or a gap off as a published number."""
    e = float(row["employment"])
    status = str(row.get("status", "reported"))
    lo, hi = row.get("estimate_low"), row.get("estimate_high")
    between = ""
    if lo is not None and hi is not None and not (isinstance(lo, float) and math.isnan(lo)):
        between = f", between {float(lo):,.0f} and {_bound(float(hi))}" if float(hi) > float(lo) else ""
    if status == "estimated":
        return f"estimated ≈ {e:,.0f}{between} (confidential in the data)"
    if status == "confidential":
        return (f"confidential (published parts: {e:,.0f}{between})" if e > 0
                else f"confidential{between}")
    if status == "missing":
        return "not available"
    return _num(e)


# (star awarded at the values used, certainty within the bounds) -> what a reader must be told
CERTAINTY_SENTENCES = {
    (True, "certain"): "Certain: holds for every value the published totals allow.",
    (True, "possible"): "Not certain: holds at the values used, not for every value the published totals allow.",
    (True, "excluded"): "Holds for no value the published totals allow (an estimate outside its bounds).",
    (False, "certain"): "Not awarded under this policy, although every value the published totals allow earns it.",
    (False, "possible"): "Not awarded at the values used, but possible for other values the published totals allow.",
    (False, "excluded"): "Holds for no value the published totals allow.",
}


UNCERTAIN_MARK = "?"  # after the star glyphs: a star that does not hold for every value the totals allow
UNCERTAIN_NOTE = (f"{UNCERTAIN_MARK} after the stars: at least one of them rests on a confidential value and does not "
                  "hold for every value the published totals allow.")


def uncertain_stars(row: Mapping) -> int:
    """How many of the row's awarded stars are not certain within the bounds of its confidential cells."""
    from clustermapper.metrics.rules import RULES

    return sum(1 for r in RULES if bool(row.get(r.column)) and row.get(f"{r.id}_certainty", "certain") != "certain")


def star_string(n: int) -> str:
    """``★★☆`` for 2 of the 3 stars: the one glyph rule of tables, tooltips and reports."""
    return "★" * int(n) + "☆" * (3 - int(n))


def star_glyphs(row: Mapping) -> str:
    """``★★★`` for three certain stars, ``★★★ ?`` when one of them is only possible."""
    return star_string(int(row.get("stars", 0) or 0)) + (f" {UNCERTAIN_MARK}" if uncertain_stars(row) else "")


def approx(row: Mapping) -> str:
    """``"≈ "`` for values derived from an estimate (LQ, share, change), else ``""``."""
    return "≈ " if str(row.get("status", "")) == "estimated" else ""


def add_display_text(rows) -> None:
    """Add ``employees_text``, ``share_text``, ``lq_text`` and ``stars_text`` to a frame of stars rows (tables)."""
    records = rows.to_dict("records")
    rows["employees_text"] = [employees_short(r) for r in records]
    rows["share_text"] = [f"{approx(r)}{100 * r['share']:.1f} %" if r["share"] == r["share"] else "–" for r in records]
    rows["lq_text"] = [f"{approx(r)}{r['lq']:.2f}" if r["lq"] == r["lq"] else "–" for r in records]
    rows["stars_text"] = [star_glyphs(r) for r in records]


def employees_short(row: Mapping) -> str:
    """Table-cell form of :func:`employees_phrase`: ``"≈ 84,752 est."``, ``"confidential"``, ``"158,012"``."""
    return employees_cell(float(row["employment"]), str(row.get("status", "reported")))


def employees_cell(e: float, status: str) -> str:
    """:func:`employees_short` of a value and its status (a map's 1,514 tooltips call it without a row each)."""
    if status == "estimated":
        return f"≈ {e:,.0f} est."
    if status == "confidential":
        return f"≥ {e:,.0f} (conf.)" if e > 0 else "confidential"
    if status == "missing":
        return "n/a"
    return f"{e:,.0f}"


def explain_star(row: Mapping, rule: str, params: StarParams = StarParams()) -> str:
    """Why a regional cluster has (or lacks) the star of ``rule`` (size / focus / specialisation).

    ``row`` is one row of the stars table (a Series or a dict).
    """
    spec = find_rule(rule)
    rule = spec.id
    starred = bool(row[spec.column])
    head = f"{spec.title} ★:" if starred else f"{spec.title} — no star:"
    e = float(row["employment"])
    n, k = int(row["n_regions"]), int(row["k"])
    top = f"top {float(params.top_share) * 100:g}% = rank ≤ {k}"
    status = str(row.get("status", "reported"))
    certainty = str(row.get(f"{rule}_certainty", "") or "")
    tail = ""
    if certainty and (status in ("estimated", "confidential") or certainty == "possible"):
        tail = " " + CERTAINTY_SENTENCES.get((starred, certainty), "")
    if status == "confidential" and e <= 0:
        return f"{head} {employees_phrase(row)}; not ranked as a cluster under this policy.{tail}"
    if e <= 0:
        return f"{head} no employees in this category."
    if status != "reported":
        return _explain(row, rule, params, head, e, n, top).replace(f"{_num(e)} employees", employees_phrase(row), 1) + tail
    return _explain(row, rule, params, head, e, n, top)


def _explain(row: Mapping, rule: str, params: StarParams, head: str, e: float, n: int, top: str) -> str:
    starred = bool(row[find_rule(rule).column])
    if bool(row["below_minimum"]):
        where = {
            "size": f"rank {int(row['size_rank'])} of {n}",
            "focus": f"{_pct(row['share'])} of the region's employment, rank {int(row['focus_rank'])} of {n}",
            "specialisation": f"LQ {float(row['lq']):.2f}",
        }[rule]
        return (f"{head} {_num(e)} employees, below the {params.min_employment:,.0f} a regional cluster needs "
                f"for any star ({where}).")
    if rule == "specialisation":
        lq = float(row["lq"])
        europe = float(row["share"]) / lq if lq else float("nan")
        sign = "≥" if starred else "<"
        return (f"{head} LQ {_lq(lq, params.lq_min, starred)} {sign} {params.lq_min:g} "
                f"({_pct(row['share'])} of regional employment vs {_pct(europe)} across all {n} regions).")
    if rule == "size":
        return (f"{head} {_num(e)} employees, rank {int(row['size_rank'])} of {n}; {top} "
                f"(threshold {_num(row['size_threshold'])}).")
    return (f"{head} {_pct(row['share'])} of the region's employment, rank {int(row['focus_rank'])} of {n}; "
            f"{top} (threshold {_pct(row['focus_threshold'])}).")


def explain_row(row: Mapping, params: StarParams = StarParams()) -> list[str]:
    """The three sentences (size, specialisation, focus: :data:`metrics.rules.RULES`) for one row."""
    return [explain_star(row, r.id, params) for r in RULES]
