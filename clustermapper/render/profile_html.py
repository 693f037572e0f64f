"""Region profile as one self-contained HTML file (charts inlined as SVG/base64, no external assets): the same
client sections as the PDF (:class:`~clustermapper.render.profile_client.ClientPages`), then the optional annex.

Rendered with a Jinja2 environment whose autoescape is always on, so every region name, category label
and note from the data is escaped; the inlined SVG images are produced by matplotlib from our own
figures (text in them is XML-escaped by matplotlib).
"""

from __future__ import annotations

import base64

import jinja2
from markupsafe import Markup

from clustermapper.render.profile_client import ClientPages
from clustermapper.render.profile_data import RegionProfile
from clustermapper.render.profile_format import (
    CHANGES_NOTE,
    annex_metadata,
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

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

_STYLE = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;max-width:980px;margin:24px auto;padding:0 16px;font-size:14px;line-height:1.45}
h1{font-size:26px;margin:0}h2{font-size:17px;color:#0072b2;border-bottom:2px solid #0072b2;padding-bottom:3px;margin-top:28px}
h3{font-size:14px;margin:14px 0 4px}.sub{color:#555;margin:4px 0 12px}.head{display:flex;gap:16px;align-items:flex-start}
.head>div:first-child{flex:1}.kpis{display:flex;gap:8px;flex-wrap:wrap;margin:12px 0}
.kpi{background:#f2f6fa;border-radius:6px;padding:8px 12px;flex:1 1 140px;color:#444;font-size:12.5px}.kpi b{display:block;font-size:20px;color:#222}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eef2f6}td.n{text-align:right;white-space:nowrap}tr.self td{background:#f6f9fc;font-weight:bold}
.stars{color:#0072b2;white-space:nowrap}.small{color:#444;font-size:12px}
.box{border:1px solid #0072b2;background:#f7fafd;border-radius:4px;padding:8px 14px;margin-top:24px}
.annex{margin-top:48px;border-top:3px double #999}img,svg{max-width:100%;height:auto}
"""

_TEMPLATE = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ c.title }} — region profile {{ p.year }}</title>
<style>{{ style }}</style></head><body>
<div class="head"><div>
<h1>{{ c.title }}</h1>
<div class="sub">{{ c.subtitle }}</div>
<p>{{ c.strong_text }}</p>
</div>{% if locator %}<div>{{ locator }}</div>{% endif %}</div>
<div class="kpis">{% for k, v, n in c.key_figures %}<div class="kpi">{{ k }}<b>{{ v }}</b>{{ n }}</div>{% endfor %}</div>
<h2>Starred clusters</h2>
{% if c.clusters %}<table id="clusters">{% for s, sentence in c.clusters %}
<tr><td class="stars">{{ s }}</td><td>{{ sentence }}</td></tr>{% endfor %}</table>
{% else %}<p>No sector of this region earns a star.</p>{% endif %}
{% if c.more_clusters %}<p class="small">{{ c.more_clusters }}</p>{% endif %}
{% if trend %}<h2>Trend of the strongest clusters</h2>{{ trend }}<p class="small">{{ c.trend_note }}</p>{% endif %}
<h2>Peer regions</h2>
<p class="small">{{ c.peers_note }}</p>
<table id="peers"><thead>{% if top %}<tr><th colspan="5"></th><th colspan="{{ top|length }}">Times the European share in</th></tr>{% endif %}
<tr><th>Region</th><th>Similarity of sector mix</th><th>Employees</th><th>Stars</th>
<th>3-star clusters</th>{% for code, lbl in top %}<th>{{ lbl }}</th>{% endfor %}</tr></thead><tbody>
{% for r in peers %}<tr{% if r.self %} class="self"{% endif %}><td>{{ r.name or r.region }}{{ " (this region)" if r.self }}</td>
<td class="n">{{ "–" if r.self else "%.0f%%"|format(100 * r.similarity) }}</td><td class="n">{{ r.employment_text }}</td>
<td class="n">{{ r.total_stars }}</td><td class="n">{{ r.n_3star }}</td>
{% for code, lbl in top %}<td class="n">{{ "≈ " if r["est:" ~ code] }}{{ lq(r["lq:" ~ code]) }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>What the figures show</h2>
{% for heading, lines in c.analytics %}<h3>{{ heading }}</h3><ul>{% for t in lines %}<li>{{ t }}</li>{% endfor %}</ul>{% endfor %}
<h2>Data quality</h2>
<ul>{% for t in c.quality %}<li>{{ t }}</li>{% endfor %}</ul>
<div class="box" id="sources"><h3>Method and sources</h3>{% for t in c.method %}<p class="small">{{ t }}</p>{% endfor %}
<p>{{ c.source }}</p>{% for n in c.notes %}<p class="small">{{ n }}</p>{% endfor %}</div>
{% if annex %}
<div class="annex" id="annex"><h1>Annex</h1>
<h2>Categories, strongest first ({{ p.portfolio|length }})</h2>
<table><thead><tr><th>Category</th><th>Employees</th><th>Share</th><th>LQ</th><th>Stars</th><th>Why</th></tr></thead><tbody>
{% for r in p.portfolio.itertuples() %}{% if r.employment > 0 %}
<tr><td><b>{{ r.category }}</b> {{ r.label }}</td><td class="n">{{ r.employees_text }}</td><td class="n">{{ r.share_text }}</td>
<td class="n">{{ r.lq_text }}</td><td class="stars">{{ r.stars_text }}</td><td class="small">{% for t in r.explanations %}{{ t }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endif %}{% endfor %}
</tbody></table>
{% if p.uncertain_note %}<p class="small">{{ p.uncertain_note }}</p>{% endif %}
<h2>Changes since {{ p.base_year if p.base_year else "an earlier year" }}</h2>
{% if p.changes is none %}<p>{{ p.changes_note }}</p>{% else %}
<p class="small">{{ p.changes_note }}</p>
<table><thead><tr><th>Category</th><th>Employees {{ p.base_year }}</th><th>Employees {{ p.year }}</th><th>Change</th>
<th>LQ {{ p.base_year }}</th><th>LQ {{ p.year }}</th><th>Stars {{ p.base_year }} → {{ p.year }}</th></tr></thead><tbody>
{% for r in changes %}
<tr><td><b>{{ r.category }}</b> {{ r.label }}{{ " †" if r.flagged }}{{ " ‡" if r.quality_flagged }}{% if r.quality_flagged %} <span class="small">({{ flags(r, p) }})</span>{% endif %}</td><td class="n">{{ r.employees_text_base or num(r.employment_base) }}</td><td class="n">{{ r.employees_text_now or num(r.employment_now) }}</td>
<td class="n">{{ r.change_prefix }}{{ signed(r.employment_change) }} ({{ signed_pct(r.employment_change_pct) }})</td>
<td class="n">{{ dec(r.lq_base) }}</td><td class="n">{{ dec(r.lq_now) }}</td><td class="stars">{{ stars(r.stars_base) }} → {{ stars(r.stars_now) }}</td></tr>
{% endfor %}</tbody></table>
<p class="small">{{ changes_note }}{% if empty %} No employees in either year: {{ empty|join(", ") }}.{% endif %}</p>
{% if p.flag_legend %}<p class="small" id="flag-note">{{ flag_note(p) }}</p>{% endif %}
{% endif %}
<h2>Data notes</h2><ul>{% for note in p.quality %}<li class="small">{{ note }}</li>{% endfor %}</ul>
<h2>Technical provenance</h2>
<table>{% for k, v in meta.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}</table>
</div>
{% endif %}
</body></html>
""")


def svg_markup(svg: bytes) -> Markup:
    """Inline an SVG produced by matplotlib (our own figure) without its XML prologue."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return Markup(text[start:])


def png_markup(png: bytes, alt: str, width: int | None = None) -> Markup:
    data = base64.b64encode(png).decode("ascii")
    size = Markup(f' width="{int(width)}"') if width else Markup("")
    return Markup('<img alt="{}"{} src="data:image/png;base64,{}">').format(alt, size, Markup(data))


def _lq(x) -> str:
    return "–" if x is None or x != x else f"{float(x):.1f}"


def profile_html(profile: RegionProfile, pages: ClientPages, *, trend_svg: bytes | None, locator_png: bytes | None,
                 annex: bool = False) -> str:
    """The profile as one HTML string (everything inlined)."""
    changes, empty = ([], []) if profile.changes is None else changes_rows(profile)
    changes = list(getattr(changes, "itertuples", lambda: [])())
    return _TEMPLATE.render(
        p=profile, c=pages, style=Markup(_STYLE), annex=annex, meta=annex_metadata(profile), changes=changes,
        empty=empty, changes_note=CHANGES_NOTE, peers=pages.peers.to_dict("records"),
        top=pages.peers.attrs.get("top", []), lq=_lq,
        trend=svg_markup(trend_svg) if trend_svg else None,
        locator=png_markup(locator_png, f"Location of {pages.title}", 260) if locator_png else None,
        num=num, dec=dec, pct=pct, signed=signed, signed_pct=signed_pct, stars=stars, flags=flags,
        flag_note=flag_note,
    )
