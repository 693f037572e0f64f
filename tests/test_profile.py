"""Region profiles: PDF and HTML contents, escaping, changes, batch, on small real pipeline runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from tiny_data import REGIONS, SECTORS, write_tiny

from clustermapper.analysis import AnalysisSpec, Cancelled, run_analysis
from clustermapper.errors import UsageError
from clustermapper.metrics.explain import explain_star
from clustermapper.render.profile import render_profile, render_profiles
from clustermapper.render.profile_data import base_analysis, build_profile, choose_base_year, comparison_table

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
    client = pdf_text(render_profile(tiny, "DE11", tmp_path / "client.pdf"))
    out = render_profile(tiny, "DE11", tmp_path / "DE11.pdf", annex=True)
    text = pdf_text(out)
    assert "Stuttgart" in text and "Annex" in text and "Annex" not in client
    assert "Changes since 2014" in text and "From 2014 to 2015" in client
    assert "EuroGeographics" in text and "EuroGeographics" in client
    # a star explanation from explain_star appears (pypdf may re-wrap lines, so compare without spaces)
    row = tiny.stars[(tiny.stars["region"] == "DE11") & (tiny.stars["category"] == "C29")].iloc[0]
    sentence = explain_star(row, "specialisation", tiny.spec.params)
    assert squash(sentence[:60]) in squash(text) and squash(sentence[:60]) not in squash(client)


def test_html_profile_escaped_and_self_contained(tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path)), year=2015,
                                         taxonomy=str(write_taxonomy(tmp_path))))
    out = render_profile(analysis, "DE11", tmp_path / "DE11.html", annex=True)
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html  # the label from the taxonomy file is text, not code
    assert "&lt;script&gt;alert(" in html
    assert "src=\"http" not in html and "href=\"http" not in html  # nothing fetched from the network
    assert html.count("<svg") == 1  # the trend chart, inline as vector
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
def test_real_de11_and_fr62_profiles(eurostat_file, tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    out = render_profile(analysis, "DE11", tmp_path / "DE11.pdf")
    text = pdf_text(out)
    assert "DE11" in text and "Stuttgart" in text
    assert "From 2010 to 2014" in text  # the default span (defaults.DEFAULT_CHANGE_SPAN), as the app's change layer
    assert "Motor vehicles" in text
    html = render_profile(analysis, "DE11", tmp_path / "DE11.html", annex=True).read_text(encoding="utf-8")
    assert "Stuttgart" in html and "C29" in html  # the annex table names the codes
    # France has no NUTS-2 data before 2010: FR62's changes start there instead of being left out
    fr62 = build_profile(analysis, "FR62", base_analysis(analysis, region="FR62"))
    assert fr62.base_year == 2010 and fr62.changes is not None
    # DE11 F43 grew "+1259.7 %" from a 2008 cell Eurostat flags "i": the row is marked
    de11 = build_profile(analysis, "DE11", base_analysis(analysis, 2008, region="DE11"))
    f43 = de11.changes.set_index("category").loc["F43"]
    assert f43["flags_base"] == "i" and f43["quality_flagged"]
    assert f43["employment_change_pct"] == pytest.approx(12.597, abs=1e-3)
    assert de11.n_regions == 282 and de11.year_warning == ""
    # NUTS 2006 codes in 2008 and France's absence leave fewer regions in common than either year has
    common = re.match(r"Compared over the (\d+) regions with data in both 2008 and 2014 \(2014 has 282, 2008 has (\d+)\)",
                      de11.changes_note)
    assert common and int(common.group(1)) < int(common.group(2)) < 282


def write_changing(folder: Path) -> Path:
    """The tiny values in three years: 2013 only the six German regions, 2014 all twelve, 2015 all but ITC1 and
    ITC4 (a partial year: 10 of 12). Flags: DE11 C29 2014 ``i``, DE12 C29 2014 ``b``, DE11 G47 2015 ``p``."""
    flags = {("DE11", "C29", 2014): "i", ("DE12", "C29", 2014): "b", ("DE11", "G47", 2015): "p"}
    rows = ["region,sector,year,value,flag"]
    for year, regions in ((2013, REGIONS[:6]), (2014, REGIONS), (2015, REGIONS[:10])):
        for sector, values in SECTORS.items():
            rows += [f"{r},{sector},{year},{v},{flags.get((r, sector, year), '')}"
                     for r, v in zip(REGIONS, values) if r in regions]
    path = folder / "changing.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def changing(tmp_path):
    return run_analysis(AnalysisSpec(data=str(write_changing(tmp_path)), year=2015))


def test_base_year_is_the_regions_own_earliest(changing, tmp_path):
    # DE11 has data from 2013, FR10 only from 2014: a fixed file-wide 2013 left FR10 without changes
    assert choose_base_year(changing, region="DE11") == 2013
    assert choose_base_year(changing, region="FR10") == 2014
    paths = render_profiles(changing, ["DE11", "FR10"], tmp_path / "out", "html")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    assert "From 2013 to 2015" in texts[0] and "From 2014 to 2015" in texts[1]
    assert "FR10" in texts[1] and "no changes are shown" not in texts[1]
    # ITC1 has data in 2014 only: analysed in 2014 there is nothing earlier, and the profile says why
    only = run_analysis(changing.spec.with_(year=2014), dataset=changing.dataset)
    profile = build_profile(only, "ITC1", base_analysis(only, region="ITC1"))
    assert profile.changes is None
    assert profile.changes_note == ("ITC1 has no data before 2014 in this file (its years with data: 2014), "
                                    "so no changes are shown.")


def test_changes_compare_only_regions_present_in_both_years(changing):
    base = base_analysis(changing, 2014)
    profile = build_profile(changing, "DE11", base)
    # 2014 has 12 regions, 2015 10: both years are scored over the 10 common ones. The values of those 10 are
    # equal in both years, so LQ and stars must not change; over all 12 the 2014 LQ would be lower.
    c29 = profile.changes.set_index("category").loc["C29"]
    c29_10 = 90000 + 40000 + 800 + 3000 + 2000 + 1500 + 20000 + 300 + 900 + 1200  # 159,700
    total_10 = c29_10 + 92000 + 725000  # C10 and G47 of the same ten regions
    assert c29["lq_base"] == pytest.approx((90000 / 159000) / (c29_10 / total_10))
    assert c29["lq_now"] == pytest.approx(c29["lq_base"]) and c29["stars_change"] == 0
    assert c29["employment_change"] == 0
    assert profile.changes_note.startswith("Compared over the 10 regions with data in both 2014 and 2015 "
                                           "(2015 has 10, 2014 has 12)")
    # the portfolio above is the full 2015 analysis: N = 10 as well, and 2015 is a partial year
    assert profile.n_regions == 10 and "10 of 12 regions" in profile.year_warning


def test_flagged_cells_mark_their_changes(changing, tmp_path):
    base = base_analysis(changing, 2014)
    profile = build_profile(changing, "DE11", base)
    ch = profile.changes.set_index("category")
    assert (ch.loc["C29", "flags_base"], ch.loc["C29", "flags_now"], bool(ch.loc["C29", "quality_flagged"])) == (
        "i", "", True)
    # "p" (provisional) is not a comparability flag; DE12's "b" is another region's cell
    assert not ch.loc["G47", "quality_flagged"] and not ch.loc["C10", "quality_flagged"]
    assert profile.flag_legend == {"i": "see Eurostat metadata"}
    html = render_profile(changing, "DE11", tmp_path / "DE11.html", base=base, annex=True).read_text(encoding="utf-8")
    assert "‡ <span class=\"small\">(2014: i)</span>" in html and "i = see Eurostat metadata" in html
    assert html.count("‡") == 2  # the C29 row and the footnote
    text = pdf_text(render_profile(changing, "DE11", tmp_path / "DE11.pdf", base=base, annex=True))
    assert squash("C29 Manufacture of motor vehicles, trailers and semi-trailers ‡ (2014: i)") in squash(text)
    assert squash("i = see Eurostat metadata") in squash(text)


def test_partial_year_is_stated_in_both_documents(changing, tmp_path):
    html = render_profile(changing, "DE11", tmp_path / "DE11.html").read_text(encoding="utf-8")
    assert "2015 is a partial year: only 10 of 12 regions have data" in html and "of 10 regions by size" in html
    text = squash(pdf_text(render_profile(changing, "DE11", tmp_path / "DE11.pdf")))
    assert squash("2015 is a partial year: only 10 of 12 regions have data") in text
    # the annex keeps the technical sentence naming the missing country
    annex = render_profile(changing, "DE11", tmp_path / "annex.html", annex=True).read_text(encoding="utf-8")
    assert "2015 is a partial year: 10 of 12 regions have data (2014 has 12); no data for IT (Italia)" in annex
    full = run_analysis(changing.spec.with_(year=2014), dataset=changing.dataset)
    html = render_profile(full, "DE11", tmp_path / "full.html").read_text(encoding="utf-8")
    assert "of 12 regions by size" in html and "2014 is a partial year" not in html


def test_category_flags_follow_the_taxonomy_cells(tmp_path):
    dataset_path = write_changing(tmp_path)
    sections = tmp_path / "sections.csv"
    sections.write_text("category,label,codes\nMAN,Manufacturing,C\nTRADE,Trade,G47\n", encoding="utf-8")
    flags = run_analysis(AnalysisSpec(data=str(dataset_path), year=2014, taxonomy=str(sections))).prepared.cells.flags
    # MAN sums C10 and C29: DE11's C29 "i" and DE12's C29 "b" reach it; TRADE has no flagged cell
    assert flags.loc["DE11", "MAN"] == "i" and flags.loc["DE12", "MAN"] == "b" and flags.loc["DE13", "MAN"] == ""
    assert set(flags["TRADE"]) == {""}
