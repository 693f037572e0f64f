"""The analytics a client profile states in plain words, computed once per batch (:class:`ProfileContext`).

Trend of the strongest clusters (:func:`clustermapper.analytics.time_series.time_series` over one shared cache
of year analyses), change since the base year (class counts; which clusters emerged or vanished), the
distance to the next star (:func:`clustermapper.metrics.gaps.gap_phrase`), ecosystem types
(:mod:`clustermapper.analytics.typology`), specialisation indices and shift-share, and the peer table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.analytics.indices import region_indices
from clustermapper.analytics.peers import suggest_peers
from clustermapper.analytics.shift_share import shift_share
from clustermapper.analytics.time_series import time_series
from clustermapper.analytics.typology import typology_cells
from clustermapper.errors import UsageError
from clustermapper.metrics.gaps import gap_phrase
from clustermapper.metrics.rules import RULES
from clustermapper.regions.codes import is_region_code
from clustermapper.render.profile_words import count, end_sentence, estimated, short_label
from clustermapper.statuses import ESTIMATED, MISSING

TREND_MAX, TREND_MIN = 5, 3
GAPS_SHOWN = 5


@dataclass
class ProfileContext:
    """Tables shared by every profile of one analysis: the year analyses (``years``: year → Analysis, the
    cache handed to ``time_series`` and the base years), typology cells, region indices, shift-shares."""

    analysis: Analysis
    years: dict[int, Analysis] = field(default_factory=dict)
    _typology: pd.DataFrame | None = None
    _indices: pd.DataFrame | None = None
    _shift: dict[int, pd.DataFrame] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.years.setdefault(self.analysis.year, self.analysis)

    def typology(self) -> pd.DataFrame:
        if self._typology is None:
            self._typology = typology_cells(self.analysis)
        return self._typology

    def indices(self) -> pd.DataFrame:
        if self._indices is None:
            self._indices = region_indices(self.analysis)
        return self._indices

    def shift(self, base: Analysis) -> pd.DataFrame:
        if base.year not in self._shift:
            self._shift[base.year] = shift_share(base, self.analysis).set_index("region")
        return self._shift[base.year]


def trend_categories(rows: pd.DataFrame) -> list[str]:
    """The region's strongest clusters for the trend: up to 5 starred ones (most stars, then LQ), topped up to
    3 with the largest other categories. ``rows``: the region's stars rows in ``order_categories`` order."""
    starred = list(rows.loc[rows["stars"] > 0, "category"].head(TREND_MAX))
    if len(starred) < TREND_MIN:
        rest = rows[(rows["stars"] == 0) & (rows["employment"] > 0)].sort_values("employment", ascending=False)
        starred += list(rest["category"].head(TREND_MIN - len(starred)))
    return starred


def trend(ctx: ProfileContext, region: str, categories: list[str]) -> pd.DataFrame:
    """Long table year × category: employment, estimated, missing, partial_year, break flags, label."""
    a = ctx.analysis
    frames = [time_series(a.spec, region, c, dataset=a.dataset, cache=ctx.years).assign(
        label=short_label(a.category_label(c))) for c in categories]
    if not frames:
        return pd.DataFrame(columns=["year", "category", "label", "employment", "estimated", "missing",
                                     "partial_year", "flags"])
    out = pd.concat(frames, ignore_index=True)
    out["missing"] = out["status"].eq(MISSING)
    out["estimated"] = out["status"].eq(ESTIMATED)
    return out[["year", "category", "label", "employment", "estimated", "missing", "partial_year", "flags"]]


def change_words(changes: pd.DataFrame | None, base_year: int | None, year: int, label) -> list[str]:
    """Class counts since the base year and the clusters that emerged or vanished, in words."""
    if changes is None or base_year is None:
        return []
    classes = changes["class"].fillna("")
    counts = {c: int((classes == c).sum()) for c in ("emerging", "growing", "stable", "declining", "vanished")}
    verbs = {"emerging": "emerged", "growing": "grew", "stable": "stayed stable", "declining": "declined",
             "vanished": "vanished"}
    said = [f"{n} {'cluster' if n == 1 else 'clusters'} {verbs[c]}" for c, n in counts.items() if n]
    n_regions = changes.attrs.get("n_regions")
    basis = (f" Both years are rated again over the {n_regions} regions with data in both, so star counts can "
             f"differ slightly from the {year} figures above." if n_regions else "")
    lines = [f"From {base_year} to {year}: " + ("; ".join(said) if said else "no sector was a cluster in either year")
             + "." + basis]
    breaks = int(changes["quality_flagged"].fillna(False).astype(bool).sum()) if "quality_flagged" in changes else 0
    if breaks:  # a change across a break in series is not a plain fact: said where the change is, not only later
        lines.append(f"Caution: for {breaks} of these sectors Eurostat flags a break in series or another "
                     "comparability problem, so part of the change may come from the statistics, not the economy.")
    for cls, verb in (("emerging", "New clusters"), ("vanished", "Clusters no longer starred")):
        rows = changes[classes == cls]
        if len(rows):
            names = [short_label(label(c)) + (" (≈)" if e else "") for c, e in zip(rows["category"], rows["estimated"])]
            lines.append(end_sentence(f"{verb} since {base_year}: {', '.join(names[:8])}"
                                      + (f" and {len(names) - 8} more" if len(names) > 8 else "")))
    return lines


def gap_words(rows: pd.DataFrame, label) -> list[str]:
    """The nearest misses: "Machinery: +1,240 employees → specialisation star" for the smallest gaps."""
    found = []
    for _, row in rows.iterrows():
        for rule in RULES:
            phrase = gap_phrase(row, rule.id)
            if phrase is not None and row["employment"] > 0:
                found.append((int(row[f"{rule.id}_gap"]), row["category"], phrase, estimated(row)))
    found.sort(key=lambda t: (t[0], t[1]))
    seen: set[str] = set()
    out = []
    for _, category, phrase, est in found:
        if category in seen:
            continue
        seen.add(category)
        out.append(f"{short_label(label(category))}: {phrase}" + (" (from an estimate ≈)" if est else ""))
        if len(out) == GAPS_SHOWN:
            break
    return out


def typology_words(ctx: ProfileContext, region: str) -> str:
    cells = ctx.typology()
    mine = cells[(cells["region"] == region) & cells["specialised"]].sort_values("lq", ascending=False)
    from clustermapper.analytics.typology import ECOSYSTEMS
    from clustermapper.taxonomy import load_taxonomy

    n_all = len(load_taxonomy(ECOSYSTEMS).categories)
    if mine.empty:
        return f"None of the {n_all} EU industrial ecosystems is above its European share here."
    named = [f"{lbl} ({'≈ ' if est else ''}{lq:.1f} times the European share)"
             for lbl, lq, est in zip(mine["label"], mine["lq"], mine["on_estimates"])]
    # "specialised" is kept for the star (at least twice the European share): an ecosystem type needs less
    return (f"Above the European share (and at least 1% of the region's jobs) in {len(mine)} of the {n_all} EU "
            f"industrial ecosystems: {'; '.join(named)}.")


def index_words(ctx: ProfileContext, region: str) -> str:
    table = ctx.indices().set_index("region")
    column = "krugman_specialisation__vs_all_regions"
    if region not in table.index or column not in table:
        return ""
    value = float(table.loc[region, column])
    below = float((table[column] < value).mean())
    est = table.loc[region, "data_status"] == ESTIMATED
    return (f"Sector mix: specialisation index {'≈ ' if est else ''}{value:.2f} (0 = the same mix as Europe, 2 = "
            f"nothing in common); more specialised than {100 * below:.0f}% of the {len(table):,} regions.")


def shift_words(ctx: ProfileContext, base: Analysis | None, region: str) -> str:
    """Employment change since the base year split into Europe's trend, the sector mix and the region's own."""
    if base is None:
        return ""
    try:
        table = ctx.shift(base)
    except UsageError:  # a year pair shift-share refuses (no region in both years): nothing to say
        return ""
    if region not in table.index:
        return ""
    r = table.loc[region]
    est = r["data_status"] == ESTIMATED
    a = "≈ " if est else ""
    pct = r["growth"] / r["employment_from"] if r["employment_from"] else np.nan
    return (f"Employment {base.year}–{ctx.analysis.year}: {a}{r['growth']:+,.0f} ({pct:+.1%}). Growing at "
            f"Europe's rate would have meant {a}{r['national_share']:+,.0f}; the region's mix of sectors added "
            f"{a}{r['industry_mix']:+,.0f} and its own performance {a}{r['regional_share']:+,.0f} "
            f"(shift-share over the {int(r['n_regions']):,} regions with data in both years).")


def peer_table(ctx: ProfileContext, region: str, peers: list[str] | None, n: int = 5) -> tuple[pd.DataFrame, str]:
    """The region and its peers (chosen ones when given, else suggested): name, employment, stars, similarity
    and the LQ of the region's three strongest clusters in each; plus a sentence saying how they were chosen."""
    a = ctx.analysis
    from clustermapper.analytics.peers import cosine, share_matrix

    shares, totals, _ = share_matrix(a)
    if peers:
        codes = [c.strip().upper() for c in peers if is_region_code(c.strip()) and c.strip().upper() != region]
        absent = [c for c in codes if c not in shares.index]
        codes = [c for c in codes if c in shares.index]
        note = "Peers chosen for this profile" + (f" ({', '.join(absent)}: no data in {a.year})" if absent else "") + "."
    else:
        suggested = suggest_peers(a, region, n=n)
        codes = list(suggested["region"])
        note = (f"Suggested peers: the {len(codes)} regions of similar size (a third to three times the employment) "
                "whose mix of sectors is most like this region's.")
    sims: list[float] = (list(cosine(shares.loc[region].to_numpy(), shares.reindex(codes).fillna(0).to_numpy()))
                         if codes else [])
    portfolio = a.portfolio.set_index("region")
    stars = a.stars.set_index(["region", "category"])
    top = list(a.region_stars(region)["category"].head(3))
    rows = []
    for code, sim in [(region, 1.0), *zip(codes, sims)]:
        p = portfolio.loc[code] if code in portfolio.index else None
        own = a.stars[a.stars["region"] == code]
        row = {"region": code, "name": _name(a, code), "similarity": float(sim), "self": code == region,
               "employment": float(totals.get(code, np.nan)),
               "estimated": bool(own["status"].eq(ESTIMATED).any()) if "status" in own else False,
               "total_stars": int(p["total_stars"]) if p is not None else 0,
               "n_3star": int(p["n_3star"]) if p is not None else 0}
        for c in top:
            cell = stars.loc[(code, c)] if (code, c) in stars.index else None
            row[f"lq:{c}"] = float(cell["lq"]) if cell is not None else np.nan
            row[f"est:{c}"] = bool(cell is not None and estimated(cell))
        rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs["top"] = [(c, short_label(a.category_label(c))) for c in top]
    table["employment_text"] = [count(e, est) for e, est in zip(table["employment"], table["estimated"])]
    return table, note


def _name(analysis: Analysis, code: str) -> str:
    try:
        return str(analysis.region_name(code) or "")
    except (KeyError, LookupError, ValueError):
        return ""
