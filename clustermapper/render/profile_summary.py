"""The cover report of a country batch: the country's regions ranked (total stars, 3-star clusters,
employment), their 3-star clusters, and a country map of portfolio strength; PDF and HTML, same content."""

from __future__ import annotations

import base64
import tempfile
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.render.profile_words import count, short_label, source_line
from clustermapper.render.tables import region_label
from clustermapper.statuses import ESTIMATED

MAP_LAYER = "strength"


@dataclass
class CountrySummary:
    country: str
    name: str
    year: int
    ranking: pd.DataFrame  # rank, region, name, total_stars, n_3star, employment_text, three_star (labels)
    source: str
    map_png: bytes | None


def country_summary(analysis: Analysis, country: str, regions: list[str]) -> CountrySummary:
    """Rank ``regions`` by total stars, then 3-star clusters, then employment (ties share no rank: code order)."""
    stars, portfolio = analysis.stars, analysis.portfolio.set_index("region")
    rows = []
    for code in regions:
        mine = stars[stars["region"] == code]
        est = bool(mine["status"].eq(ESTIMATED).any()) if "status" in mine else False
        top = analysis.region_stars(code)
        three = [short_label(analysis.category_label(c)) for c in top.loc[top["stars"] == 3, "category"]]
        rec = portfolio.loc[code] if code in portfolio.index else None
        employment = float(analysis.region_total.get(code, float("nan")))
        rows.append({"region": code, "name": region_label(analysis, code) or code,
                     "total_stars": int(rec["total_stars"]) if rec is not None else 0,
                     "n_3star": int(rec["n_3star"]) if rec is not None else 0,
                     "employment": employment, "employment_text": count(employment, est),
                     "three_star": "; ".join(three) or "–"})
    table = pd.DataFrame(rows).sort_values(["total_stars", "n_3star", "employment", "region"],
                                           ascending=[False, False, False, True], kind="mergesort")
    table.insert(0, "rank", range(1, len(table) + 1))
    return CountrySummary(country=country, name=region_label(analysis, country) or country, year=analysis.year,
                          ranking=table.reset_index(drop=True), source=source_line(analysis),
                          map_png=_map(analysis, country, regions))


def _map(analysis: Analysis, country: str, regions: list[str]) -> bytes | None:
    from clustermapper.render.static_map import render_map

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "map.png"
        render_map(analysis, MAP_LAYER, out=out, size="A5-landscape", dpi=170, extent=country,
                   title=f"Portfolio strength of the regions of {region_label(analysis, country) or country}, "
                         f"{analysis.year}")
        return out.read_bytes()


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_HTML = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ s.name }} — regions {{ s.year }}</title>
<style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#222}
h1{margin:0}h2{color:#0072b2;border-bottom:2px solid #0072b2}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eef2f6}
td.n{text-align:right;white-space:nowrap}img{max-width:100%}.small{color:#555;font-size:12px}</style></head><body>
<h1>{{ s.name }}: its regions' clusters</h1><p class="small">Country summary {{ s.year }} · one profile per region in this folder</p>
{% if img %}<img alt="Map of {{ s.name }}" src="data:image/png;base64,{{ img }}">{% endif %}
<h2>Regions ranked by stars</h2>
<table id="ranking"><thead><tr><th>#</th><th>Region</th><th>Stars</th><th>3-star clusters</th><th>Employees</th>
<th>Its 3-star clusters</th></tr></thead><tbody>
{% for r in rows %}<tr><td class="n">{{ r.rank }}</td><td>{{ r.name }}</td><td class="n">{{ r.total_stars }}</td>
<td class="n">{{ r.n_3star }}</td><td class="n">{{ r.employment_text }}</td><td>{{ r.three_star }}</td></tr>{% endfor %}
</tbody></table>
<p class="small">≈: the figure includes an estimate of values Eurostat keeps confidential.</p>
<p>{{ s.source }}</p></body></html>
""")


def write_summary_html(summary: CountrySummary, out: Path) -> Path:
    img = base64.b64encode(summary.map_png).decode("ascii") if summary.map_png else ""
    with atomic_write(out) as fh:
        fh.write(_HTML.render(s=summary, rows=summary.ranking.to_dict("records"), img=img))
    return out


def write_summary_pdf(summary: CountrySummary, out: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table

    from clustermapper.render.profile_pdf import MARGIN, WIDTH, image, p, register_fonts, styles, table_style

    register_fonts()
    st = styles()
    story = [p(f"{summary.name}: its regions' clusters", st["title"]),
             p(f"Country summary {summary.year} · one profile per region in this folder", st["sub"]),
             Spacer(1, 3 * mm)]
    if summary.map_png:
        story += [image(summary.map_png, WIDTH), Spacer(1, 3 * mm)]
    story.append(p("Regions ranked by stars", st["h2"]))
    rows = [[p(h, st["head"]) for h in ("#", "Region", "Stars", "3-star clusters", "Employees", "Its 3-star clusters")]]
    for r in summary.ranking.to_dict("records"):
        rows.append([str(r["rank"]), p(r["name"], st["cell"]), str(r["total_stars"]), str(r["n_3star"]),
                     r["employment_text"], p(r["three_star"], st["cell"])])
    table = Table(rows, colWidths=[w * WIDTH for w in (0.05, 0.25, 0.07, 0.1, 0.13, 0.40)], repeatRows=1)
    style = table_style()
    style.add("ALIGN", (2, 1), (4, -1), "RIGHT")
    table.setStyle(style)
    story += [table, Spacer(1, 2 * mm),
              p("≈: the figure includes an estimate of values Eurostat keeps confidential.", st["small"]),
              p(summary.source, st["cell"])]
    with atomic_path(out) as tmp:
        SimpleDocTemplate(str(tmp), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm,
                          bottomMargin=16 * mm, title=f"{summary.name} — regions {summary.year}",
                          author="ClusterMapper").build(story)
    return out


def render_country_summary(analysis: Analysis, country: str, regions: list[str], out_dir: str | Path,
                           formats: tuple[str, ...] = ("pdf", "html")) -> list[Path]:
    """Write ``<CC>_summary.pdf`` and ``.html`` into ``out_dir``; returns the paths written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = country_summary(analysis, country.strip().upper(), regions)
    writers = {"pdf": write_summary_pdf, "html": write_summary_html}
    return [writers[f](summary, out_dir / f"{summary.country}_summary.{f}") for f in formats]
