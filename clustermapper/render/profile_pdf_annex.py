"""The PDF profile's optional annex: every category with its three star explanations, the changes table,
the technical data notes and the provenance of the numbers."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import KeepTogether, LongTable, Paragraph, Table

from clustermapper.render.profile_data import RegionProfile
from clustermapper.render.profile_format import (
    CHANGES_NOTE,
    annex_metadata,
    changes_rows,
    dec,
    flag_note,
    flags,
    num,
    signed,
    signed_pct,
    stars,
)
from clustermapper.render.profile_pdf import p, table_style


def annex_story(profile: RegionProfile, st: dict, width: float) -> list:
    story = [p("Annex", st["title"]),
             p(f"{profile.region} — all {len(profile.portfolio)} categories, star explanations and provenance",
               st["sub"]),
             p("Categories, strongest first", st["h2"])]
    rows = [[p(h, st["head"]) for h in ("Category", "Employees", "Share", "LQ", "Stars",
                                         "Why (size · specialisation · focus)")]]
    shown = profile.portfolio[profile.portfolio["employment"] > 0]
    for r in shown.itertuples():
        why = Paragraph("<br/>".join(escape(t) for t in r.explanations), st["small"])
        rows.append([p(f"{r.category} {r.label}", st["cell"]), r.employees_text, r.share_text, r.lq_text,
                     r.stars_text, why])
    widths = [0.21, 0.105, 0.065, 0.06, 0.07, 0.49]
    table = LongTable(rows, colWidths=[w * width for w in widths], repeatRows=1)
    table.setStyle(table_style())
    story.append(table)
    empty = profile.portfolio.loc[profile.portfolio["employment"] <= 0, "category"]
    if len(empty):
        story.append(p(f"No employees in the region: {', '.join(empty)}.", st["small"]))
    if profile.uncertain_note:
        story.append(p(profile.uncertain_note, st["small"]))

    story.append(p(f"Changes since {profile.base_year}" if profile.base_year else "Changes", st["h2"]))
    if profile.changes is None:
        story.append(p(profile.changes_note, st["base"]))
    else:
        story.append(p(profile.changes_note, st["small"]))
        b, y = profile.base_year, profile.year
        rows = [[p(h, st["head"]) for h in ("Category", f"Employees {b}", f"Employees {y}", "Change", f"LQ {b}",
                                             f"LQ {y}", f"Stars {b} → {y}")]]
        changed, none = changes_rows(profile)
        for r in changed.itertuples():
            mark = (" †" if r.flagged else "") + (f" ‡ ({flags(r, profile)})" if r.quality_flagged else "")
            rows.append([p(f"{r.category} {r.label}{mark}", st["cell"]), r.employees_text_base or num(r.employment_base),
                         r.employees_text_now or num(r.employment_now),
                         f"{r.change_prefix}{signed(r.employment_change)} ({signed_pct(r.employment_change_pct)})",
                         dec(r.lq_base), dec(r.lq_now), f"{stars(r.stars_base)} → {stars(r.stars_now)}"])
        widths = [0.30, 0.11, 0.11, 0.16, 0.08, 0.08, 0.16]
        table = LongTable(rows, colWidths=[w * width for w in widths], repeatRows=1)
        table.setStyle(table_style())
        story.append(table)
        story.append(p(CHANGES_NOTE + (f" No employees in either year: {', '.join(none)}." if none else ""),
                       st["small"]))
        if profile.flag_legend:
            story.append(p(flag_note(profile), st["small"]))

    story.append(KeepTogether([p("Data notes", st["h2"]), *(p(f"• {n}", st["small"]) for n in profile.quality)]))
    rows = [[p(k, st["cell"]), p(v, st["cell"])] for k, v in annex_metadata(profile).items()]
    meta = Table(rows, colWidths=[0.2 * width, 0.8 * width])
    meta.setStyle(table_style(n_header=0))
    story.append(KeepTogether([p("Technical provenance", st["h2"]), meta]))
    return story
