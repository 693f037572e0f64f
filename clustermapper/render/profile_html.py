"""Region profile as one self-contained HTML file (charts inlined as SVG/base64, no external assets).

Rendered with a Jinja2 environment whose autoescape is always on, so every region name, category label
and note from the data is escaped; the inlined SVG images are produced by matplotlib from our own
figures (text in them is XML-escaped by matplotlib).
"""

from __future__ import annotations

import base64
import math
from typing import SupportsFloat

import jinja2
from markupsafe import Markup

from clustermapper.metrics.explain import star_string
from clustermapper.render.profile_data import RegionProfile

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

_TEMPLATE = _ENV.from_string("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ p.region }} {{ p.name }} — region profile {{ p.year }}</title>
<style>
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px;font-size:14px}
h1{font-size:24px;margin:0}h2{font-size:17px;border-bottom:2px solid #0072b2;padding-bottom:3px;margin-top:28px}
.sub{color:#555;margin:4px 0 16px}.kpis{display:flex;gap:12px;flex-wrap:wrap}
.kpi{background:#f2f6fa;border-radius:6px;padding:8px 12px;min-width:120px}.kpi b{display:block;font-size:19px}
.row{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}.row>div{flex:1 1 300px}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}
th{background:#eef2f6;text-align:left;position:sticky;top:0}td.n{text-align:right;white-space:nowrap}
.stars{color:#0072b2;white-space:nowrap;font-size:14px}.expl{color:#444;font-size:11.5px}
.warn{background:#fff3cd;border:1px solid #e0c36a;color:#5c4400;border-radius:4px;padding:6px 10px;margin:10px 0}
.pos{color:#006d2c}.neg{color:#b2182b}footer{color:#666;font-size:11.5px;margin-top:30px;border-top:1px solid #ccc;padding-top:8px}
img,svg{max-width:100%;height:auto}
</style></head><body>
<h1>{{ p.region }} — {{ p.name or "(name not in NUTS tables)" }}</h1>
<div class="sub">{{ p.country_name or p.country }} ({{ p.country }}) · {{ p.year }} · {{ meta.indicator }} ·
taxonomy {{ meta.taxonomy }} · {{ meta.method }} · {{ p.n_regions }} regions compared</div>
{% if p.year_warning %}<div class="warn" id="year-warning">⚠ {{ p.year_warning }}</div>{% endif %}
<div class="kpis">
<div class="kpi">Employees<b>{{ p.total_text or num(p.total_employment) }}</b></div>
<div class="kpi">Total stars<b>{{ p.stars_kpi or num(p.summary.get("total_stars")) }}</b></div>
<div class="kpi">3★ / 2★ / 1★ clusters<b>{{ num(p.summary.get("n_3star")) }} / {{ num(p.summary.get("n_2star")) }} / {{ num(p.summary.get("n_1star")) }}</b></div>
<div class="kpi">Strong clusters' share of employment<b>{{ pct(p.summary.get("strong_share")) }}</b></div>
<div class="kpi">Regions compared (N)<b>{{ p.n_regions }}{{ " (partial year)" if p.year_warning }}</b></div>
</div>
<div class="row">
{% if locator %}<div><h2>Location</h2>{{ locator }}</div>{% endif %}
<div><h2>Strongest categories</h2>{{ strongest }}</div>
</div>
<h2>Comparison with {{ p.country_name or p.country }} and {{ p.europe_label }}</h2>
{{ comparison }}
<h2>Portfolio ({{ p.portfolio|length }} categories)</h2>
<table><thead><tr><th>Category</th><th>Employees</th><th>Share</th><th>LQ</th><th>Stars</th><th>Why</th></tr></thead><tbody>
{% for r in p.portfolio.itertuples() %}
<tr><td><b>{{ r.category }}</b> {{ r.label }}</td><td class="n">{{ r.employees_text }}</td><td class="n">{{ r.share_text }}</td>
<td class="n">{{ r.lq_text }}</td><td class="stars" title="{{ r.stars }} stars">{{ r.stars_text }}</td><td class="expl">{% for t in r.explanations %}{{ t }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td></tr>
{% endfor %}
</tbody></table>
{% if p.uncertain_note %}<p class="expl">{{ p.uncertain_note }}</p>{% endif %}
<h2>Changes since {{ p.base_year if p.base_year else "an earlier year" }}</h2>
{% if p.changes is none %}
<p>{{ p.changes_note }}</p>
{% else %}
<p class="expl">{{ p.changes_note }}</p>
<table><thead><tr><th>Category</th><th>Employees {{ p.base_year }}</th><th>Employees {{ p.year }}</th><th>Change</th>
<th>LQ {{ p.base_year }}</th><th>LQ {{ p.year }}</th><th>Stars {{ p.base_year }} → {{ p.year }}</th></tr></thead><tbody>
{% for r in changes %}
<tr><td><b>{{ r.category }}</b> {{ r.label }}{{ " †" if r.flagged }}{{ " ‡" if r.quality_flagged }}{% if r.quality_flagged %} <span class="expl">({{ flags(r, p) }})</span>{% endif %}</td><td class="n">{{ r.employees_text_base or num(r.employment_base) }}</td><td class="n">{{ r.employees_text_now or num(r.employment_now) }}</td>
<td class="n {{ 'pos' if r.employment_change > 0 else 'neg' if r.employment_change < 0 else '' }}">{{ r.change_prefix }}{{ signed(r.employment_change) }} ({{ signed_pct(r.employment_change_pct) }})</td>
<td class="n">{{ dec(r.lq_base) }}</td><td class="n">{{ dec(r.lq_now) }}</td><td class="stars">{{ stars(r.stars_base) }} → {{ stars(r.stars_now) }}</td></tr>
{% endfor %}
</tbody></table>
<p class="expl">{{ changes_note }}{% if empty %} No employees in either year: {{ empty|join(", ") }}.{% endif %}</p>
{% if p.flag_legend %}<p class="expl" id="flag-note">{{ flag_note(p) }}</p>{% endif %}
{% endif %}
<h2>Data quality</h2>
<ul>{% for note in p.quality %}<li>{{ note }}</li>{% endfor %}</ul>
<h2>Method and source</h2>
<table>{% for k, v in meta.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}</table>
<footer>{{ credit }} · Employment data: {{ meta.data_source }} · {{ meta.software }} · generated {{ meta.generated_at }}</footer>
</body></html>
""")


CHANGES_NOTE = ("† a confidential cell (estimated, or counted as 0) or a missing one lies behind this category in "
                "one of the years, so its change rests on an estimate or a data gap, not on published numbers alone.")


FLAG_NOTE = ("‡ Eurostat flags a cell behind this row (year: flag), so the change may reflect a change in how "
             "the data were collected rather than in employment: ")


def flags(row, profile: RegionProfile) -> str:
    """``2008: i`` — the quality flags of one changes row, by year."""
    parts = [f"{year}: {letters}" for year, letters in ((profile.base_year, row.flags_base), (profile.year, row.flags_now))
             if letters]
    return "; ".join(parts)


def flag_note(profile: RegionProfile) -> str:
    """The footnote of ‡: what each flag marked in the changes means ("" when none is)."""
    if not profile.flag_legend:
        return ""
    return FLAG_NOTE + "; ".join(f"{k} = {v}" for k, v in profile.flag_legend.items()) + "."


def changes_rows(profile: RegionProfile) -> tuple:
    """Rows worth showing (largest now first) and the categories with no employees in either year."""
    ch = profile.changes
    assert ch is not None  # callers check profile.changes first (None: no base year)
    empty = (ch["employment_now"].fillna(0) == 0) & (ch["employment_base"].fillna(0) == 0)
    shown = ch[~empty].sort_values(["employment_now", "employment_base"], ascending=False)
    return shown, sorted(ch.loc[empty, "category"])


def _number(x: SupportsFloat | None) -> float | None:
    """``x`` as a float; None when it is missing (None or a float NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def num(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:,.0f}"


def dec(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:.2f}"


def pct(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{100 * v:.1f}%"


def signed(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:+,.0f}"


def signed_pct(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{100 * v:+.1f}%"


def stars(x: SupportsFloat | None) -> str:
    v = _number(x)
    if v is None:
        return "–"
    return star_string(int(v))


def svg_markup(svg: bytes) -> Markup:
    """Inline an SVG produced by matplotlib (our own figure) without its XML prologue."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return Markup(text[start:])


def png_markup(png: bytes, alt: str) -> Markup:
    data = base64.b64encode(png).decode("ascii")
    return Markup('<img alt="{}" src="data:image/png;base64,{}">').format(alt, Markup(data))


def profile_html(profile: RegionProfile, *, strongest_svg: bytes, comparison_svg: bytes,
                 locator_png: bytes | None, credit: str) -> str:
    """The profile page as one HTML string (everything inlined)."""
    changes, empty = ([], []) if profile.changes is None else changes_rows(profile)
    changes = list(getattr(changes, "itertuples", lambda: [])())
    return _TEMPLATE.render(
        p=profile, meta=profile.metadata, changes=changes, empty=empty, changes_note=CHANGES_NOTE, credit=credit,
        strongest=svg_markup(strongest_svg), comparison=svg_markup(comparison_svg),
        locator=png_markup(locator_png, f"Location of {profile.region}") if locator_png else None,
        num=num, dec=dec, pct=pct, signed=signed, signed_pct=signed_pct, stars=stars, flags=flags,
        flag_note=flag_note,
    )
