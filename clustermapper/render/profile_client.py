"""The client pages of a region profile as plain data (:class:`ClientPages`), built from a
:class:`~clustermapper.render.profile_data.RegionProfile` and the batch's :class:`ProfileContext`.

Both renderers lay out the same object, so the PDF and the HTML say the same things. Everything here is
written for a reader who knows neither NUTS nor LQ: no local path, checksum or internal code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.metrics.explain import star_string, uncertain_stars
from clustermapper.regions.year_coverage import partial_years, years_of_region
from clustermapper.render.profile_analytics import (
    ProfileContext,
    change_words,
    gap_words,
    index_words,
    peer_table,
    shift_words,
    trend,
    trend_categories,
    typology_words,
)
from clustermapper.render.profile_data import RegionProfile, cell_counts
from clustermapper.render.profile_words import (
    cluster_sentence,
    estimated,
    method_text,
    source_line,
    strong_words,
    total_words,
)
from clustermapper.statuses import BREAK_FLAGS, break_flags

MAX_SENTENCES = 30  # starred clusters with a sentence; the rest are named in one line (all are in the annex)
APPROX_NOTE = "≈ and est.: the figure includes an estimate of values Eurostat keeps confidential."
UNSURE_NOTE = "? after the stars: a star that could change within what the published totals allow."


@dataclass
class ClientPages:
    title: str
    subtitle: str
    key_figures: list[tuple[str, str, str]]  # (label, value, note under the value)
    strong_text: str
    clusters: list[tuple[str, str]]  # (stars, sentence), strongest first
    more_clusters: str  # the starred clusters beyond MAX_SENTENCES, named in one line ("" when none)
    peers: pd.DataFrame
    peers_note: str
    trend: pd.DataFrame
    trend_note: str
    analytics: list[tuple[str, list[str]]]
    quality: list[str]
    source: str
    method: list[str]
    notes: list[str] = field(default_factory=list)  # footnotes of the marks used (≈, ?)


def _label(analysis: Analysis):
    return analysis.category_label


def _countries(analysis: Analysis, codes: tuple[str, ...], limit: int = 6) -> str:
    from clustermapper.render.tables import region_label

    names = [region_label(analysis, c) or c for c in codes]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more countries" if len(names) > limit else "")


def quality_words(ctx: ProfileContext, profile: RegionProfile, rows: pd.DataFrame) -> list[str]:
    """Data quality in plain words: confidential and estimated figures, partial years, breaks in series."""
    a, region = ctx.analysis, profile.region
    out = []
    counts = cell_counts(a, region)
    if counts["cells"]:
        filled = a.spec.suppressed in ("estimate", "eco-split")
        hidden = counts["confidential"] + counts["missing"]
        how = ("they are estimated from the published totals and marked ≈" if filled else
               "they are counted as zero, so some figures are too low")
        out.append(f"Eurostat publishes {counts['numbers']:,} of the {counts['cells']:,} figures for this region in "
                   f"{a.year} (sections and sectors)"
                   + (f"; {hidden:,} are confidential or not available: {how}." if hidden else "."))
        status = rows["status"] if "status" in rows else pd.Series(dtype=object)
        n_est, n_conf = int((status == "estimated").sum()), int((status == "confidential").sum())
        if n_est or n_conf:  # the unit the app's portfolio counts: the sectors of the table
            parts = ([f"{n_est} rest on an estimate (≈)"] if n_est else []) + (
                [f"{n_conf} stay confidential (counted at their published parts)"] if n_conf else [])
            out.append(f"Of the {len(rows)} sectors rated, {' and '.join(parts)}.")
    starred = rows[rows["stars"] > 0]
    on_est = int(starred.apply(estimated, axis=1).sum()) if len(starred) else 0
    unsure = int(sum(uncertain_stars(r) for r in starred.to_dict("records")))
    if on_est:
        out.append(f"{on_est} of the {len(starred)} starred clusters rest on an estimate (≈).")
    if unsure:
        out.append(f"{unsure} {'star' if unsure == 1 else 'stars'} could change within what the published totals "
                   "allow (?).")
    level = (a.spec.level, a.spec.level_override)
    partial = partial_years(a.dataset, *level)
    if a.year in partial:
        out.append(f"{a.year} is a partial year: only {partial[a.year].regions:,} of {partial[a.year].best:,} regions "
                   "have data, so ranks and European shares refer to those regions only.")
    others = [c for y, c in partial.items() if y != a.year]
    if others:
        listed = "; ".join(f"{c.year}: {c.regions:,} of {c.best:,} regions" + (
            f", none of {_countries(a, c.absent)}" if c.absent else "") for c in others)
        out.append(f"Years with fewer regions in the data (marked * in the trend chart) — {listed}.")
    have = years_of_region(a.dataset, region, *level)
    lacking = [y for y in a.years if y not in have]
    if lacking:
        out.append(f"No figures for this region in {', '.join(map(str, lacking))} (a gap in the trend chart; "
                   "a change of region boundaries or a country missing from the data).")
    breaks = {}
    for year, yearly in sorted(ctx.years.items()):
        mine = yearly.stars[yearly.stars["region"] == region]
        flagged = mine[[bool(break_flags(str(f or ""))) for f in mine["flags"]]] if "flags" in mine else mine.iloc[0:0]
        if len(flagged):
            breaks[year] = (len(flagged), sorted({BREAK_FLAGS[ch] for f in flagged["flags"] for ch in break_flags(str(f))}))
    if breaks:
        # d and i both point to the metadata: say it once ("definition differs, see Eurostat metadata")
        listed = "; ".join(f"{y}: {n} {'sector' if n == 1 else 'sectors'} "
                           f"({', '.join(dict.fromkeys(p for w in why for p in w.split(', ')))})"
                           for y, (n, why) in breaks.items())
        out.append(f"Eurostat flags some figures as not comparable over time — {listed}. Changes across these years "
                   "may reflect changed statistics rather than changed employment.")
    return out


def client_pages(ctx: ProfileContext, profile: RegionProfile, base: Analysis | None,
                 peers: list[str] | None = None) -> ClientPages:
    a, region = ctx.analysis, profile.region
    rows = a.region_stars(region).reset_index(drop=True)
    label = _label(a)
    s = profile.summary
    strong_est = bool(((rows["lq"] > a.params.strong_lq) & rows.apply(estimated, axis=1)).any())
    key = [("Employees", total_words(profile.total_employment, rows)),
           ("Stars in all", str(int(s.get("total_stars", 0)))),
           ("3-star clusters", f"{int(s.get('n_3star', 0))}"),
           ("Starred clusters", f"{int(s.get('n_starred', 0))}"),
           ("In strong clusters", f"{'≈ ' if strong_est else ''}{100 * float(s.get('strong_share') or 0):.0f}%")]
    certain = s.get("certain_stars")
    key_notes = {"Stars in all": f"{int(certain)} certain" if certain is not None and certain != s.get("total_stars")
                 else "", "Employees": "includes estimates" if key[0][1].startswith("≈") else
                 "at least: confidential figures counted as 0" if key[0][1].startswith("≥") else ""}
    starred = rows[rows["stars"] > 0]
    clusters = [(star_string(int(r["stars"])) + (" ?" if uncertain_stars(r) else ""),
                 cluster_sentence(r, label(r["category"]))) for r in starred.head(MAX_SENTENCES).to_dict("records")]
    rest = starred.iloc[MAX_SENTENCES:]
    more = ""
    if len(rest):
        from clustermapper.render.profile_words import end_sentence, short_label

        # the marks stay on every listed sector: "?" a star that could change, "≈" an estimated cell
        more = end_sentence(f"Also starred ({len(rest)}, one star each unless noted): "
                            + "; ".join(short_label(label(r["category"]))
                                        + ("" if r["stars"] == 1 else f" ({int(r['stars'])} stars)")
                                        + (" ?" if uncertain_stars(r) else "") + (" ≈" if estimated(r) else "")
                                        for r in rest.to_dict("records")))
    peer_rows, peer_note = peer_table(ctx, region, peers)
    cats = trend_categories(rows)
    series = trend(ctx, region, cats)
    analytics = [
        ("Change", change_words(profile.changes, profile.base_year, a.year, label) + [shift_words(ctx, base, region)]),
        ("Closest to a further star", gap_words(rows, label) or ["No sector is within reach of a further star."]),
        ("Ecosystems and sector mix", [typology_words(ctx, region), index_words(ctx, region)]),
    ]
    analytics = [(h, [t for t in lines if t]) for h, lines in analytics]
    notes = []
    text = " ".join([*(k[1] for k in key), *(c[1] for c in clusters)])
    if "≈" in text or peer_rows["estimated"].any():
        notes.append(APPROX_NOTE)
    if any("?" in c[0] for c in clusters):
        notes.append(UNSURE_NOTE)
    return ClientPages(
        title=profile.name or region,
        subtitle=f"{profile.country_name or profile.country} · NUTS {a.spec.level} region {region} · profile {a.year}",
        key_figures=[(k, v, key_notes.get(k, "")) for k, v in key], strong_text=strong_words(s, a.params.strong_lq, strong_est),
        clusters=clusters, more_clusters=more, peers=peer_rows, peers_note=peer_note, trend=series,
        trend_note=("Employees in the region's strongest clusters, every year of the data. Hollow markers: "
                    "estimates; * partial year (fewer regions in the data)."),
        analytics=analytics, quality=quality_words(ctx, profile, rows), source=source_line(a),
        method=method_text(a, profile.n_regions), notes=notes)
