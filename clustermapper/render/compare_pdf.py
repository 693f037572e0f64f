"""A comparison as a landscape A4 PDF (reportlab): the regions' key figures and star counts, the strongest
categories' stars and LQ, employees and change side by side, small multiples of their LQ, and the notes."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.figure import Figure
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from clustermapper.analytics.compare import MARKS, Comparison
from clustermapper.fileutil import atomic_path
from clustermapper.render.compare_charts import draw_small_multiples, draw_star_counts

FONT, BOLD = "CMC-DejaVuSans", "CMC-DejaVuSans-Bold"
ACCENT = colors.HexColor("#0072b2")
MARKED = colors.HexColor("#fff3cd")
PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu has the star glyphs
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8, leading=10)
    return {"base": base,
            "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=16, leading=20),
            "sub": ParagraphStyle("sub", base, textColor=colors.HexColor("#555555"), fontSize=8.5, leading=11),
            "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=3,
                                 textColor=ACCENT),
            "cell": ParagraphStyle("cell", base, fontSize=6.8, leading=8.2),
            "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=6.8, leading=8.2),
            "small": ParagraphStyle("small", base, fontSize=6.6, leading=8.4, textColor=colors.HexColor("#444444"))}


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _figure(fig: Figure, width: float) -> Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=200)
    img = Image(io.BytesIO(buf.getvalue()))
    img.drawHeight, img.drawWidth = width * img.imageHeight / img.imageWidth, width
    return img


def _style(n_header: int = 1) -> list:
    return [("FONT", (0, 0), (-1, -1), FONT, 6.8), ("FONT", (0, 0), (-1, n_header - 1), BOLD, 6.8),
            ("BACKGROUND", (0, 0), (-1, n_header - 1), colors.HexColor("#e8eef4")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 1.6), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6)]


def _measure_table(comparison: Comparison, measure: str, categories: list[str], st) -> Table:
    """Categories (rows) × regions (columns): ``stars`` shows ``★★☆ 2.31`` (stars and LQ) in one cell."""
    names = dict(zip(comparison.table["region"], comparison.table["region_name"]))
    if measure == "stars":
        stars, lq = comparison.wide("stars", text=True), comparison.wide("lq", text=True)
        text = stars.combine(lq, lambda s, q: s.astype(str) + "  " + q.astype(str))
        marked = comparison.marked("lq")
    else:
        text, marked = comparison.wide(measure, text=True), comparison.marked(measure)
    header = [_p("Code", st["head"]), _p("Category", st["head"])] + [
        Paragraph(f"<b>{escape(r)}</b><br/>{escape(names.get(r, ''))}", st["cell"]) for r in comparison.regions]
    rows = [header]
    for c in categories:
        rows.append([c, _p(comparison.analysis.category_label(c), st["cell"])] + list(text.loc[c].fillna("–")))
    n = len(comparison.regions)
    label_width = max(48 * mm, WIDTH - 14 * mm - n * 20.5 * mm)
    region_width = (WIDTH - 14 * mm - label_width) / n
    table = Table(rows, colWidths=[14 * mm, label_width] + [region_width] * n, repeatRows=1)
    style = _style()
    for i, c in enumerate(categories, start=1):
        for j, r in enumerate(comparison.regions, start=2):
            if marked.loc[c, r]:
                style.append(("BACKGROUND", (j, i), (j, i), MARKED))
    table.setStyle(TableStyle(style))
    return table


def _regions_table(comparison: Comparison, st) -> Table:
    summary = comparison.region_summary()
    head = ["#", "Code", "Region", "Employees", "★★★", "★★☆", "★☆☆", "Strongest categories"]
    change = None
    if comparison.base is not None:
        head.append(f"Employees since {comparison.base_year}")
        totals = comparison.base.region_total
        change = {r: (comparison.analysis.region_total.get(r) / totals.get(r) - 1) if totals.get(r, 0) > 0 else None
                  for r in comparison.regions}
    rows = [head]
    for i, s in enumerate(summary.itertuples(), start=1):
        row = [str(i), s.region, _p(s.region_name, st["cell"]), f"{s.employment:,.0f}", s.n_3star, s.n_2star,
               s.n_1star, _p(s.top_categories.replace(";", ", "), st["cell"])]
        if change is not None:
            value = change[s.region]
            row.append("–" if value is None else f"{100 * value:+.1f} %".replace("-", "−"))
        rows.append(row)
    widths = [7 * mm, 14 * mm, 62 * mm, 24 * mm, 12 * mm, 12 * mm, 12 * mm, 70 * mm] + (
        [32 * mm] if change is not None else [])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(_style() + [("ALIGN", (3, 1), (6, -1), "RIGHT"), ("ALIGN", (7, 1), (7, -1), "LEFT")]))
    return table


def _story(comparison: Comparison, top: int) -> list:
    st = _styles()
    a = comparison.analysis
    from clustermapper.render.compare_tables import notes

    meta = notes(comparison)
    categories = list(comparison.categories)[:top]
    since = f", change since {comparison.base_year}" if comparison.base is not None else ""
    from clustermapper.render.profile_words import method_words, source_line, taxonomy_words

    story: list = [_p(f"{len(comparison.regions)} regions compared, {a.year}", st["title"]),
                   _p(f"{source_line(a)}; {taxonomy_words(a)}, NUTS {a.spec.level} regions{since}. "
                      f"European Cluster Observatory stars: {method_words(a.params)}. LQ (location quotient): "
                      "the sector's share of the region's employment divided by its share in Europe.",
                      st["sub"]), Spacer(1, 4 * mm),
                   _p("The regions", st["h2"]), _regions_table(comparison, st), Spacer(1, 3 * mm)]
    fig = Figure(figsize=(11.0, 0.26 * len(comparison.regions) + 1.0), layout="constrained")
    draw_star_counts(fig, comparison, fontsize=8)
    story += [KeepTogether([_p("Categories with stars", st["h2"]), _figure(fig, WIDTH * 0.85)]), PageBreak()]
    story += [_p(f"Stars and location quotient, the {len(categories)} strongest categories", st["h2"]),
              _measure_table(comparison, "stars", categories, st), PageBreak(),
              _p(f"Employees, the {len(categories)} strongest categories", st["h2"]),
              _measure_table(comparison, "employment", categories, st)]
    if comparison.base is not None:
        story += [PageBreak(), _p(f"Change of employees since {comparison.base_year}", st["h2"]),
                  _measure_table(comparison, "change", categories, st)]
    fig = Figure(figsize=(11.0, 5.4), layout="constrained")
    draw_small_multiples(fig, comparison, "lq", categories[:8], ncols=4, fontsize=8)
    story += [PageBreak(), _p("Location quotient of the 8 strongest categories", st["h2"]), _figure(fig, WIDTH * 0.86)]
    marks = "; ".join(f"{m} {text}" for m, text in MARKS)
    story += [Spacer(1, 3 * mm), _p("Notes", st["h2"]),
              _p(f"Marks: {marks}. Shaded cells rest on estimated, confidential, missing or Eurostat-flagged cells.",
                 st["small"])]
    story += [_p(text, st["small"]) for text in comparison.notes]
    from clustermapper.render.static_map import CONFIDENTIAL_WORDS

    story.append(_p(f"Order: {meta['order']}. Confidential cells: "
                    f"{CONFIDENTIAL_WORDS.get(a.spec.suppressed, a.spec.suppressed)}.", st["small"]))
    return story


def write_pdf(comparison: Comparison, out: str | Path, top: int = 15) -> Path:
    """The comparison's PDF at ``out`` (written atomically); ``top`` categories in the tables."""
    _fonts()
    out = Path(out)
    a = comparison.analysis

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        from clustermapper.render.tables import data_source

        canvas.drawString(MARGIN, 7 * mm, f"Source: {data_source(a)} · {a.year} · ClusterMapper")
        canvas.drawRightString(PAGE[0] - MARGIN, 7 * mm, f"page {doc.page}")
        canvas.restoreState()

    with atomic_path(out) as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                bottomMargin=14 * mm, title=f"Regions compared, {a.year}", author="ClusterMapper")
        doc.build(_story(comparison, top), onFirstPage=footer, onLaterPages=footer)
    return out
