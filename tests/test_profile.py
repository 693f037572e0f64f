"""Region profiles: PDF and HTML contents, escaping, changes, batch, on small real pipeline runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from tiny_data import SECTORS, write_tiny

from clustermapper.analysis import AnalysisSpec, Cancelled, run_analysis
from clustermapper.errors import UsageError
from clustermapper.metrics.explain import explain_star
from clustermapper.render.profile import render_profile, render_profiles
from clustermapper.render.profile_data import base_analysis, build_profile, comparison_table

EVIL = "<script>alert('x')</script> & Co"


def write_taxonomy(tmp_path: Path) -> Path:
    path = tmp_path / "evil.csv"
    path.write_text(f'category,label,codes\nAUTO,"{EVIL}",C29\nFOOD,Food,C10\nRETAIL,Retail,G47\nMACH,Machinery,C28\n',
                    encoding="utf-8")
    return path


@pytest.fixture
def tiny(tmp_path):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path, ((2014, 0.8), (2015, 1.0)), ("DE11,C28,2015,,c",))), year=2015))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_profile_data(tiny):
    base = base_analysis(tiny)
    assert base is not None and base.year == 2014
    profile = build_profile(tiny, "DE11", base)
    assert profile.portfolio.iloc[0]["category"] == "C29"  # most stars first
    row = tiny.stars[(tiny.stars["region"] == "DE11") & (tiny.stars["category"] == "C29")].iloc[0]
    assert explain_star(row, "size", tiny.spec.params) in profile.portfolio.iloc[0]["explanation"]
    # 2014 is 0.8 × 2015 for every cell: employment grows by 25%, LQ and stars unchanged
    ch = profile.changes.set_index("category").loc["C29"]
    assert ch["employment_change_pct"] == pytest.approx(0.25, abs=1e-4)
    assert ch["stars_change"] == 0
    assert any("confidential" in note for note in profile.quality)


def test_comparison_shares_hand_computed(tiny):
    comp = comparison_table(tiny, "DE11").set_index("category")
    de_c29 = sum(SECTORS["C29"][:6])
    de_total = sum(sum(v[:6]) for v in SECTORS.values())
    eu_c29 = sum(SECTORS["C29"])
    eu_total = sum(sum(v) for v in SECTORS.values())
    own_total = sum(v[0] for v in SECTORS.values())
    assert comp.loc["C29", "region_share"] == pytest.approx(90000 / own_total)
    assert comp.loc["C29", "country_share"] == pytest.approx(de_c29 / de_total)
    assert comp.loc["C29", "europe_share"] == pytest.approx(eu_c29 / eu_total)


def test_pdf_profile_contents(tiny, tmp_path):
    out = render_profile(tiny, "DE11", tmp_path / "DE11.pdf")
    text = pdf_text(out)
    assert "DE11" in text and "Portfolio" in text
    assert "Changes since 2014" in text
    assert "EuroGeographics" in text
    # a star explanation from explain_star appears (pypdf may re-wrap lines, so compare without spaces)
    row = tiny.stars[(tiny.stars["region"] == "DE11") & (tiny.stars["category"] == "C29")].iloc[0]
    sentence = explain_star(row, "specialisation", tiny.spec.params)
    assert squash(sentence[:60]) in squash(text)


def test_html_profile_escaped_and_self_contained(tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path)), year=2015,
                                         taxonomy=str(write_taxonomy(tmp_path))))
    out = render_profile(analysis, "DE11", tmp_path / "DE11.html")
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html  # the label from the taxonomy file is text, not code
    assert "&lt;script&gt;alert(" in html
    assert "src=\"http" not in html and "href=\"http" not in html  # nothing fetched from the network
    assert html.count("<svg") == 2  # both charts (strongest categories, comparison) inline as vector
    # DE11's own star lines: C29 (here AUTO) 90,000 is the largest of 12; C10 (FOOD) 9,000 ranks 4th
    assert "Size ★: 90,000 employees, rank 1 of 12" in html
    assert "Size — no star: 9,000 employees, rank 4 of 12" in html
    assert "Data quality" in html and "EuroGeographics" in html


def test_unknown_region_is_usage_error(tiny, tmp_path):
    with pytest.raises(UsageError, match="DE"):
        render_profile(tiny, "DEXX", tmp_path / "x.pdf")
    with pytest.raises(UsageError):
        render_profile(tiny, "DE11", tmp_path / "x.docx")
    assert not list(tmp_path.glob("x.*"))


def test_batch_progress_and_cancel(tiny, tmp_path):
    seen = []
    paths = render_profiles(tiny, ["DE11", "AT13"], tmp_path / "out", "html", progress=lambda f, m: seen.append(f))
    assert [p.name for p in paths] == ["DE11.html", "AT13.html"]
    assert seen[0] == 0.0 and seen[-1] == 1.0
    calls = iter([False, True])
    with pytest.raises(Cancelled):
        render_profiles(tiny, ["DE11", "DE12", "DE13"], tmp_path / "c", "html", cancel=lambda: next(calls))
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["DE11.html"]


@pytest.mark.shared
def test_real_de11_profile(eurostat_file, tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    out = render_profile(analysis, "DE11", tmp_path / "DE11.pdf")
    text = pdf_text(out)
    assert "DE11" in text and "Stuttgart" in text
    assert "Changes since 2008" in text
    assert "C29" in text
    html = render_profile(analysis, "DE11", tmp_path / "DE11.html").read_text(encoding="utf-8")
    assert "Stuttgart" in html and "C29" in html
