"""The client profile's plain words: category names, the one sentence per starred cluster, key figures, the
sources line and the method box. Pure functions of stars rows and an analysis; no layout.

Numbers that rest on an estimate of a confidential cell carry "≈" (and "est." after employee counts); no
sentence shows a local path, a checksum or an internal code (indicator or taxonomy ids, NUTS placeholder codes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path

from clustermapper.analysis import Analysis
from clustermapper.io.options import INDICATOR_NAMES as INDICATORS
from clustermapper.metrics.explain import uncertain_stars
from clustermapper.statuses import CONFIDENTIAL, ESTIMATED

TAXONOMIES = {"nace-divisions": "NACE Rev. 2 divisions", "industrial-ecosystems": "the EU's 14 industrial ecosystems",
              "emerging-industries": "emerging industries (groups of NACE divisions)"}
_PREFIXES = ("Manufacture of ", "Activities of ")


def end_sentence(text: str) -> str:
    """``text`` with one closing full stop: labels such as "n.e.c." or a trailing "…" already end it."""
    return text if text.endswith((".", "…")) else text + "."


def short_label(label: str) -> str:
    """A category label as a client reads it: "Manufacture of motor vehicles, …" → "Motor vehicles, …"."""
    text = str(label).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 3:
            text = text[len(prefix):]
            break
    return text[:1].upper() + text[1:]


def ordinal(n: int) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def estimated(row: Mapping) -> bool:
    """The row's value is an estimate of a confidential cell (policies estimate, eco-split): marked ≈."""
    return str(row.get("status", "")) == ESTIMATED


def people(x: float, est: bool = False, *, noun: str = "employees") -> str:
    """``"158,012 employees"``, ``"≈ 84,752 employees (est.)"``; "1 employee" never "1 employees"."""
    value = round(float(x))
    word = noun[:-1] if value == 1 and noun.endswith("s") else noun
    return f"≈ {value:,} {word} (est.)" if est else f"{value:,} {word}"


def count(x: float, est: bool = False) -> str:
    """A count for a table cell: ``"158,012"``, ``"≈ 84,752"`` (an estimate), ``"–"`` when unknown."""
    if not math.isfinite(float(x)):
        return "–"
    return f"≈ {round(float(x)):,}" if est else f"{round(float(x)):,}"


def times(lq: float, est: bool = False, lq_min: float = 2.0) -> str:
    """The LQ in words, "5.5 times the European share": one decimal, never rounded up to the specialisation
    threshold (1.96 is "1.96", not "2.0", when 2 earns the star)."""
    if not math.isfinite(float(lq)):
        return "share compared with Europe not available"
    text = f"{lq:.1f}"
    if lq < lq_min <= float(text):
        text = f"{math.floor(lq * 100) / 100:.2f}"
    return f"{'≈ ' if est else ''}{text} times the European share"


def cluster_sentence(row: Mapping, label: str) -> str:
    """One plain sentence on a starred cluster, e.g. "Motor vehicles, trailers and semi-trailers: 158,012
    employees, 5.5 times the European share, 1st of 282 regions by size." (``row``: a stars-table row)."""
    est = estimated(row)
    parts = [people(row["employment"], est), times(float(row["lq"]), est),
             f"{ordinal(int(row['size_rank']))} of {int(row['n_regions']):,} regions by size"]
    if bool(row.get("focus_star")):
        parts.append(f"{ordinal(int(row['focus_rank']))} by its share of the region's jobs")
    text = f"{short_label(label)}: {', '.join(parts)}."
    if uncertain_stars(row):
        text += " Some of its stars depend on confidential values (?)."
    return text


def which_stars(row: Mapping) -> str:
    """"size, specialisation" — the stars a row holds, in words."""
    held = [name for name, col in (("size", "size_star"), ("specialisation", "specialisation_star"),
                                   ("focus", "focus_star")) if bool(row.get(col))]
    return ", ".join(held)


def dataset_name(analysis: Analysis) -> str:
    """The dataset as the source line names it: Eurostat's code (``sbs_r_nuts06_r2``) or the file's stem."""
    from clustermapper.render.tables import source_path

    name = Path(str(source_path(analysis))).name
    return re.sub(r"(\.(tsv|csv|txt|xlsx|xls|gz|zip))+$", "", name, flags=re.IGNORECASE)


def is_eurostat(analysis: Analysis) -> bool:
    return str(analysis.dataset.report.format).startswith(("eurostat-tsv", "sdmx-csv"))


def source_line(analysis: Analysis) -> str:
    """"Source: Eurostat, sbs_r_nuts06_r2, 2014; boundaries © EuroGeographics"."""
    if analysis.spec.uses_demo:
        from clustermapper import demo

        return f"Source: Eurostat, {demo.DATASET}, {analysis.year} (embedded extract); boundaries © EuroGeographics"
    who = f"Eurostat, {dataset_name(analysis)}" if is_eurostat(analysis) else dataset_name(analysis)
    return f"Source: {who}, {analysis.year}; boundaries © EuroGeographics"


def method_words(params) -> str:
    """The star thresholds in plain words (map footers, method boxes): no internal method names."""
    return (f"size and focus stars for the top {params.top_share:.0%} of regions, a specialisation star from "
            f"a location quotient of {params.lq_min:g}, none below {params.min_employment:,.0f} employees")


def indicator_words(analysis: Analysis) -> str:
    code = str(analysis.dataset.indicator or analysis.spec.indicator)
    return INDICATORS.get(code, "the chosen indicator")


def taxonomy_words(analysis: Analysis) -> str:
    return TAXONOMIES.get(str(analysis.spec.taxonomy), "a custom grouping of sectors")


def method_text(analysis: Analysis, n_regions: int) -> list[str]:
    """The method box: how stars are earned, in three plain sentences, and what the numbers count."""
    p = analysis.spec.params
    top = f"{p.top_share * 100:g}%"
    level = f"NUTS {analysis.spec.level}"
    filled = analysis.spec.suppressed in ("estimate", "eco-split")
    hidden = ("Figures Eurostat keeps confidential are estimated from the published totals and marked ≈."
              if filled else "Figures Eurostat keeps confidential are counted as zero, so some totals are too low.")
    return [
        f"Stars follow the European Cluster Observatory method. A sector in a region earns a size star when the "
        f"region is among the top {top} of the {n_regions:,} regions compared by employees in that sector, a "
        f"specialisation star when the sector's share of the region's jobs is at least {p.lq_min:g} times its "
        f"share in Europe, and a focus star when the region is among the top {top} by that share. Sectors with "
        f"fewer than {p.min_employment:,.0f} employees in the region earn no star.",
        f"Numbers count {indicator_words(analysis)} in {level} regions by {taxonomy_words(analysis)}. {hidden}",
    ]


def total_words(total: float, rows) -> str:
    """The region's employment with "≈" when it includes estimates."""
    if "status" in rows and bool(rows["status"].eq(ESTIMATED).any()):
        return f"≈ {total:,.0f}"
    if "status" in rows and bool(rows["status"].eq(CONFIDENTIAL).any()):
        return f"≥ {total:,.0f}"  # confidential cells counted as 0 (policies zero, exclude): a lower bound
    return f"{total:,.0f}"


def strong_words(summary: Mapping, strong_lq: float, est: bool = False) -> str:
    """The strong-cluster share explained: what share of the jobs, and what "strong" means."""
    share = summary.get("strong_share")
    if share is None or not math.isfinite(float(share)) or float(share) <= 0:
        return f"No sector is more than {strong_lq:g} times as concentrated here as in Europe."
    return (f"{'≈ ' if est else ''}{100 * float(share):.0f}% of the region's employees work in strong clusters: "
            f"sectors more than {strong_lq:g} times as concentrated here as in Europe.")
