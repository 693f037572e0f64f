"""The 2–3 page client profile: plain sentences, no paths, hashes or internal codes, page count, the country
cover report; on the tiny file (hand-computed) and on the real one (DE11, FR62)."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.cli import main
from clustermapper.render.profile import render_profile
from clustermapper.render.profile_analytics import ProfileContext
from clustermapper.render.profile_words import ordinal, people, short_label, times

SHA = re.compile(r"\b[0-9a-f]{64}\b")
INTERNAL = ("V16110", "eco2008", "CZZ", "nace-divisions", "sha256", "source_path", "exactly..", "policy estimate",
            "{\"")
ONE_EMPLOYEES = re.compile(r"(?<![\d,.])1 employees")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def visible(html: str) -> str:
    """The HTML's text without the inline SVG and images (their markup names fonts and ids)."""
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", html))


def assert_client_text(text: str, tmp: Path) -> None:
    assert str(tmp) not in text and "/tmp" not in text and "\\" not in text
    assert not SHA.search(text)
    for word in INTERNAL:
        assert word not in text, word
    assert not ONE_EMPLOYEES.search(text)


def test_words():
    assert people(1) == "1 employee" and people(2) == "2 employees" and people(1234.4, True) == "≈ 1,234 employees (est.)"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]
    assert times(5.5427) == "5.5 times the European share"
    assert times(1.96) == "1.96 times the European share"  # not "2.0": it has no specialisation star
    assert times(2.0) == "2.0 times the European share" and times(0.84, True) == "≈ 0.8 times the European share"
    assert short_label("Manufacture of motor vehicles, trailers and semi-trailers") == \
        "Motor vehicles, trailers and semi-trailers"
    assert short_label("Retail trade, except of motor vehicles") == "Retail trade, except of motor vehicles"


@pytest.fixture
def tiny(tmp_path):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path, ((2014, 0.8), (2015, 1.0)))), year=2015))


def test_tiny_client_pages(tiny, tmp_path):
    ctx = ProfileContext(tiny)
    pdf = render_profile(tiny, "DE11", tmp_path / "DE11.pdf", ctx=ctx)
    html = visible(render_profile(tiny, "DE11", tmp_path / "DE11.html", ctx=ctx).read_text(encoding="utf-8"))
    pages = pdf_pages(pdf)
    assert len(pages) <= 3
    # DE11 C29: e = 90,000 of E_r = 159,000; Europe 190,700 of 1,244,700: LQ = 0.566038 / 0.153210 = 3.69;
    # largest of the 12 regions and the largest share of its own jobs
    sentence = ("Motor vehicles, trailers and semi-trailers: 90,000 employees, 3.7 times the European share, "
                "1st of 12 regions by size, 1st by its share of the region's jobs.")
    text = "\n".join(pages)
    assert squash(sentence) in squash(text) and sentence in html
    for where in (text, html):
        assert_client_text(where, tmp_path)
        assert "Source: tiny, 2015; boundaries © EuroGeographics" in where
        assert "Peer regions" in where and "Data quality" in where and "Trend of the strongest clusters" in where
        assert "From 2014 to 2015" in where  # the change since the base year, in words
    # only starred clusters get a sentence: C10 (9,000, no star) has none
    assert "Food products: 9,000" not in html and "Food products: +6,000 employees → size star" in html
    # the ecosystems named against all 14, not the 3 this file touches
    assert "in 1 of the 14 EU industrial ecosystems: Mobility-Transport-Automotive" in html


def test_country_cover_report(tmp_path):
    data = write_tiny(tmp_path)
    out = tmp_path / "at"
    assert main(["profile", "--data", str(data), "--country", "AT", "--out", str(out), "--format", "html"]) == 0
    assert {p.name for p in out.iterdir()} == {"AT11.html", "AT12.html", "AT13.html", "AT_summary.html",
                                                "AT_summary.pdf"}
    cover = (out / "AT_summary.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in cover  # the country map
    names = re.findall(r'<tr><td class="n">(\d)</td><td>([^<]+)</td><td class="n">(\d+)</td>', cover)
    assert [n[0] for n in names] == ["1", "2", "3"]
    stars = [int(n[2]) for n in names]
    assert stars == sorted(stars, reverse=True)
    text = "\n".join(pdf_pages(out / "AT_summary.pdf"))
    assert "Regions ranked by stars" in text and all(n[1] in text for n in names)
    assert main(["profile", "--data", str(data), "--country", "AT", "--out", str(tmp_path / "x.pdf")]) == 2


@pytest.mark.shared
def test_real_de11_fr62_client_profiles(eurostat_file, tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    ctx = ProfileContext(analysis)
    for region in ("DE11", "FR62"):
        pages = pdf_pages(render_profile(analysis, region, tmp_path / f"{region}.pdf", ctx=ctx))
        assert 2 <= len(pages) <= 3, region
        html = visible(render_profile(analysis, region, tmp_path / f"{region}.html", ctx=ctx).read_text(encoding="utf-8"))
        for where in ("\n".join(pages), html):
            assert_client_text(where, tmp_path)
            assert "Source: Eurostat, sbs_r_nuts06_r2, 2014; boundaries © EuroGeographics" in where
        if region == "DE11":
            text = squash("\n".join(pages))
            # Stuttgart's car industry: 158,012 employees, LQ 5.54, the largest of the 282 regions
            assert squash("Motor vehicles, trailers and semi-trailers: 158,012 employees, 5.5 times the European "
                          "share, 1st of 282 regions by size") in text
            assert "≈ 1,600,864" in html and "40" in html and "(38 certain)" not in html
            assert "38 certain" in html
    annex = pdf_pages(render_profile(analysis, "DE11", tmp_path / "annex.pdf", ctx=ctx, annex=True))
    assert len(annex) > 3 and "source_sha256" in "\n".join(annex)


def test_chosen_peers_replace_the_suggestion(tiny, tmp_path):
    html = visible(render_profile(tiny, "DE11", tmp_path / "p.html", peers=["ITC4", "de12", "DE11"]).read_text(
        encoding="utf-8"))
    assert "Peers chosen for this profile." in html and "Suggested peers" not in html
    table = html[html.index("Peer regions"):html.index("What the figures show")]
    # the region itself first, then the chosen ones in the given order (itself never as its own peer)
    assert [n for n in ("Stuttgart (this region)", "Lombardia", "Karlsruhe") if n in table] == [
        "Stuttgart (this region)", "Lombardia", "Karlsruhe"]
    assert table.index("Lombardia") < table.index("Karlsruhe") and table.count("Stuttgart") == 1


def test_sentences_end_with_one_full_stop():
    from clustermapper.render.profile_words import end_sentence

    # "New clusters since 2010: …, Machinery and equipment n.e.c.." had two
    assert end_sentence("New clusters since 2010: Machinery and equipment n.e.c.") == \
        "New clusters since 2010: Machinery and equipment n.e.c."
    assert end_sentence("Not regions, left out: SKZ …") == "Not regions, left out: SKZ …"
    assert end_sentence("Also starred (2): Food; Paper ? ≈") == "Also starred (2): Food; Paper ? ≈."
