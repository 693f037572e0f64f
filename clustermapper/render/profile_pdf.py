"""Region profile as a PDF (reportlab platypus): 2–3 client pages, then the optional annex.

Text is set in DejaVu Sans (shipped with matplotlib, so always present) embedded as TrueType: names with
accents, "≈" and the star glyphs print correctly and the text stays searchable.
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
from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from clustermapper.render.profile_client import ClientPages
from clustermapper.render.profile_data import RegionProfile

FONT, BOLD = "CM-DejaVuSans", "CM-DejaVuSans-Bold"
ACCENT = colors.HexColor("#0072b2")
MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=19, leading=23),
        "sub": ParagraphStyle("sub", base, textColor=colors.HexColor("#555555"), fontSize=10, leading=13),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=9, spaceAfter=4,
                             textColor=ACCENT),
        "h3": ParagraphStyle("h3", base, fontName=BOLD, fontSize=9, leading=12, spaceBefore=5, spaceAfter=1),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "stars": ParagraphStyle("stars", base, fontSize=8.5, leading=10, textColor=ACCENT),
        "small": ParagraphStyle("small", base, fontSize=7.2, leading=9, textColor=colors.HexColor("#444444")),
        "kpi": ParagraphStyle("kpi", base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")),
        "kpi_value": ParagraphStyle("kpi_value", base, fontName=BOLD, fontSize=13, leading=16),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7.5, leading=9),
    }


def p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text: escaped, because reportlab parses a small markup language."""
    return Paragraph(escape(str(text)), style)


def image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    img.drawHeight = width * img.imageHeight / img.imageWidth
    img.drawWidth = width
    return img


def table_style(n_header: int = 1) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("FONT", (0, 0), (-1, n_header - 1), BOLD, 7.5),
        ("BACKGROUND", (0, 0), (-1, n_header - 1), colors.HexColor("#e8eef4")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])


def _peer_rows(pages: ClientPages, st: dict) -> Table:
    top = pages.peers.attrs.get("top", [])
    head = ["Region", "Similarity of sector mix", "Employees", "Stars", "3-star clusters", *(lbl for _, lbl in top)]
    group = ["", "", "", "", "", "Times the European share in" if top else "", *([""] * (len(top) - 1))]
    rows = [[p(h, st["head"]) for h in group], [p(h, st["head"]) for h in head]]
    for r in pages.peers.to_dict("records"):
        name = f"{r['name'] or r['region']}" + (" (this region)" if r["self"] else "")
        lqs = [("≈ " if r[f"est:{c}"] else "") + (f"{r[f'lq:{c}']:.1f}" if r[f"lq:{c}"] == r[f"lq:{c}"] else "–")
               for c, _ in top]
        rows.append([p(name, st["cell"]), "–" if r["self"] else f"{100 * r['similarity']:.0f}%",
                     p(r["employment_text"], st["cell"]), str(r["total_stars"]), str(r["n_3star"]), *lqs])
    n_lq = len(top)
    fixed = [0.22, 0.11, 0.12, 0.06, 0.08]
    lq_w = (1 - sum(fixed)) / max(n_lq, 1)
    table = Table(rows, colWidths=[w * WIDTH for w in fixed + [lq_w] * n_lq], repeatRows=2)
    style = table_style(n_header=2)
    style.add("ALIGN", (1, 2), (-1, -1), "RIGHT")
    style.add("BACKGROUND", (0, 2), (-1, 2), colors.HexColor("#f6f9fc"))
    if n_lq > 1:
        style.add("SPAN", (5, 0), (-1, 0))
    table.setStyle(style)
    return table


def client_story(pages: ClientPages, trend_png: bytes | None, locator_png: bytes | None) -> list:
    st = styles()
    head = [p(pages.title, st["title"]), p(pages.subtitle, st["sub"]), Spacer(1, 3 * mm),
            p(pages.strong_text, st["base"])]
    left_w = WIDTH * (0.70 if locator_png else 1.0)
    top = Table([[head, image(locator_png, WIDTH * 0.27) if locator_png else ""]],
                colWidths=[left_w, WIDTH - left_w], style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                           ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    kpi = Table([[[p(k, st["kpi"]), p(v, st["kpi_value"]), p(n, st["kpi"])] for k, v, n in pages.key_figures]],
                colWidths=[WIDTH / len(pages.key_figures)] * len(pages.key_figures))
    kpi.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f6fa")),
                             ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list = [top, Spacer(1, 3 * mm), kpi, p("Starred clusters", st["h2"])]
    if pages.clusters:
        rows = [[p(stars, st["stars"]), p(sentence, st["cell"])] for stars, sentence in pages.clusters]
        table = Table(rows, colWidths=[0.09 * WIDTH, 0.91 * WIDTH], repeatRows=0)
        style = table_style(n_header=0)
        table.setStyle(style)
        story.append(table)
    else:
        story.append(p("No sector of this region earns a star.", st["base"]))
    if pages.more_clusters:
        story += [Spacer(1, 1.5 * mm), p(pages.more_clusters, st["small"])]
    if trend_png:
        story.append(KeepTogether([p("Trend of the strongest clusters", st["h2"]), image(trend_png, WIDTH),
                                   p(pages.trend_note, st["small"])]))
    story.append(KeepTogether([p("Peer regions", st["h2"]), p(pages.peers_note, st["small"]), Spacer(1, 1 * mm),
                               _peer_rows(pages, st)]))
    for i, (heading, lines) in enumerate(pages.analytics):  # the section title stays with its first part
        first = [p("What the figures show", st["h2"])] if i == 0 else []
        story.append(KeepTogether([*first, p(heading, st["h3"]), *(p(f"• {t}", st["base"]) for t in lines)]))
    story.append(KeepTogether([p("Data quality", st["h2"]), *(p(f"• {t}", st["base"]) for t in pages.quality)]))
    box = Table([[[p("Method and sources", st["h3"]), *(p(t, st["small"]) for t in pages.method),
                   p(pages.source, st["cell"]), *(p(n, st["small"]) for n in pages.notes)]]], colWidths=[WIDTH])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, ACCENT), ("BACKGROUND", (0, 0), (-1, -1),
                                                                        colors.HexColor("#f7fafd")),
                             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    story += [Spacer(1, 4 * mm), KeepTogether([box])]
    return story


def write_profile_pdf(profile: RegionProfile, pages: ClientPages, out: Path, *, trend_png: bytes | None,
                      locator_png: bytes | None, annex: bool = False) -> None:
    """Lay out the client pages (and the annex when asked) on A4 into ``out`` (the caller makes it atomic)."""
    register_fonts()
    story = client_story(pages, trend_png, locator_png)
    if annex:
        from clustermapper.render.profile_pdf_annex import annex_story

        story += [PageBreak(), *annex_story(profile, styles(), WIDTH)]
    footer = pages.source

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 9 * mm, footer)
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"{pages.title} · page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=f"{pages.title} — region profile {profile.year}",
                            author="ClusterMapper", subject="Region profile")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)

