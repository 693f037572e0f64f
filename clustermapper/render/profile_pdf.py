"""Region profile as a PDF (reportlab platypus: real tables that break across pages with repeated headers).

Text is set in DejaVu Sans (shipped with matplotlib, so always present) embedded as TrueType: names with
accents, "≥" and the star glyphs print correctly and the text stays searchable.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clustermapper.render.profile_data import RegionProfile
from clustermapper.render.profile_html import (
    CHANGES_NOTE,
    changes_rows,
    dec,
    flag_note,
    flags,
    num,
    pct,
    signed,
    signed_pct,
    stars,
)

FONT, BOLD = "CM-DejaVuSans", "CM-DejaVuSans-Bold"
ACCENT = colors.HexColor("#0072b2")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=18, leading=22),
        "sub": ParagraphStyle("sub", base, textColor=colors.HexColor("#555555"), fontSize=9, leading=12),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                             textColor=ACCENT),
        "cell": ParagraphStyle("cell", base, fontSize=7.2, leading=8.8),
        "small": ParagraphStyle("small", base, fontSize=6.6, leading=8.2, textColor=colors.HexColor("#444444")),
        "kpi": ParagraphStyle("kpi", base, fontSize=7.5, leading=10),
        "kpi_value": ParagraphStyle("kpi_value", base, fontName=BOLD, fontSize=13, leading=16),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7.2, leading=8.8),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped, because reportlab parses a small markup language."""
    return Paragraph(escape(str(text)), style)


def _image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    img.drawHeight = width * img.imageHeight / img.imageWidth
    img.drawWidth = width
    return img


def _table_style(n_header: int = 1) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.2),
        ("FONT", (0, 0), (-1, n_header - 1), BOLD, 7.2),
        ("BACKGROUND", (0, 0), (-1, n_header - 1), colors.HexColor("#e8eef4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 1), (-2, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _story(profile: RegionProfile, strongest_png: bytes, comparison_png: bytes, locator_png: bytes | None,
           credit: str) -> list:
    st = _styles()
    meta, s = profile.metadata, profile.summary
    width = A4[0] - 30 * mm
    story = [
        _p(f"{profile.region} — {profile.name or '(name not in NUTS tables)'}", st["title"]),
        _p(f"{profile.country_name or profile.country} ({profile.country}) · region profile {profile.year} · "
           f"{meta['indicator']} · taxonomy {meta['taxonomy']} · {meta['method']} · "
           f"{profile.n_regions} regions compared", st["sub"]),
        Spacer(1, 4 * mm),
    ]
    if profile.year_warning:
        warn = Table([[_p(f"⚠ {profile.year_warning}", st["base"])]], colWidths=[width])
        warn.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff3cd")),
                                  ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#e0c36a"))]))
        story += [warn, Spacer(1, 3 * mm)]
    kpis = [("Employees", profile.total_text or num(profile.total_employment)), ("Total stars", profile.stars_kpi or num(s.get("total_stars"))),
            ("3★ / 2★ / 1★ clusters", f"{num(s.get('n_3star'))} / {num(s.get('n_2star'))} / {num(s.get('n_1star'))}"),
            ("Strong clusters' share", pct(s.get("strong_share"))),
            ("Regions compared (N)", f"{profile.n_regions}{' (partial)' if profile.year_warning else ''}")]
    kpi = Table([[[_p(k, st["kpi"]), _p(v, st["kpi_value"])] for k, v in kpis]], colWidths=[width / 5] * 5)
    kpi.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f6fa")),
                             ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white)]))
    story += [kpi, Spacer(1, 4 * mm)]
    left = _image(locator_png, width * 0.42) if locator_png else _p("(no locator map)", st["small"])
    story.append(Table([[left, _image(strongest_png, width * 0.56)]], colWidths=[width * 0.43, width * 0.57],
                       style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [_image(comparison_png, width), Spacer(1, 2 * mm)]

    story.append(_p(f"Portfolio: {len(profile.portfolio)} categories, strongest first", st["h2"]))
    rows = [[_p(h, st["head"]) for h in ("Category", "Employees", "Share", "LQ", "Stars",
                                          "Why (size · specialisation · focus)")]]
    for r in profile.portfolio.itertuples():
        why = Paragraph("<br/>".join(escape(t) for t in r.explanations), st["small"])
        rows.append([_p(f"{r.category} {r.label}", st["cell"]), r.employees_text, r.share_text, r.lq_text,
                     r.stars_text, why])
    widths = [0.21, 0.105, 0.065, 0.06, 0.07, 0.49]
    table = LongTable(rows, colWidths=[w * width for w in widths], repeatRows=1)
    table.setStyle(_table_style())
    story.append(table)
    if profile.uncertain_note:
        story.append(_p(profile.uncertain_note, st["small"]))

    story.append(_p(f"Changes since {profile.base_year}" if profile.base_year else "Changes", st["h2"]))
    if profile.changes is None:
        story.append(_p(profile.changes_note, st["base"]))
    else:
        story.append(_p(profile.changes_note, st["small"]))
        b, y = profile.base_year, profile.year
        rows = [[_p(h, st["head"]) for h in ("Category", f"Employees {b}", f"Employees {y}", "Change", f"LQ {b}",
                                              f"LQ {y}", f"Stars {b} → {y}")]]
        shown, empty = changes_rows(profile)
        for r in shown.itertuples():
            mark = (" †" if r.flagged else "") + (f" ‡ ({flags(r, profile)})" if r.quality_flagged else "")
            rows.append([_p(f"{r.category} {r.label}{mark}", st["cell"]), r.employees_text_base or num(r.employment_base),
                         r.employees_text_now or num(r.employment_now),
                         f"{r.change_prefix}{signed(r.employment_change)} ({signed_pct(r.employment_change_pct)})",
                         dec(r.lq_base), dec(r.lq_now), f"{stars(r.stars_base)} → {stars(r.stars_now)}"])
        widths = [0.30, 0.11, 0.11, 0.16, 0.08, 0.08, 0.16]
        table = LongTable(rows, colWidths=[w * width for w in widths], repeatRows=1)
        table.setStyle(_table_style())
        story.append(table)
        story.append(_p(CHANGES_NOTE + (f" No employees in either year: {', '.join(empty)}." if empty else ""),
                        st["small"]))
        if profile.flag_legend:
            story.append(_p(flag_note(profile), st["small"]))

    notes = [_p("Data quality", st["h2"])] + [_p(f"• {n}", st["base"]) for n in profile.quality]
    story.append(KeepTogether(notes))
    rows = [[_p(k, st["cell"]), _p(v, st["cell"])] for k, v in meta.items()]
    meta_table = Table(rows, colWidths=[0.2 * width, 0.8 * width])
    meta_table.setStyle(_table_style(n_header=0))
    story.append(KeepTogether([_p("Method and source", st["h2"]), meta_table]))
    return story


def write_profile_pdf(profile: RegionProfile, out: Path, *, strongest_png: bytes, comparison_png: bytes,
                      locator_png: bytes | None, credit: str) -> None:
    """Lay out ``profile`` on A4 pages into ``out`` (the caller makes the write atomic)."""
    _register_fonts()
    meta = profile.metadata
    footer = f"{credit} · Employment data: {meta['data_source']}"
    footer2 = f"{meta['software']} · generated {meta['generated_at']}"

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(15 * mm, 10 * mm, footer)
        canvas.drawString(15 * mm, 7 * mm, footer2)
        canvas.drawRightString(A4[0] - 15 * mm, 7 * mm, f"{profile.region} · page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"{profile.region} {profile.name} — region profile "
                            f"{profile.year}", author=meta["software"], subject="ClusterMapper region profile")
    doc.build(_story(profile, strongest_png, comparison_png, locator_png, credit),
              onFirstPage=on_page, onLaterPages=on_page)
