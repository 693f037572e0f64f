"""Static maps: real files checked for size, DPI, vector content and texts; layout helpers."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from pypdf import PdfReader
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.layers import build_layer
from clustermapper.render.static_map import build_figure, figure_inches, fit_aspect, nice_length, parse_size, render_map


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp))))


def test_page_sizes():
    assert figure_inches("A4-landscape", 300) == pytest.approx((297 / 25.4, 210 / 25.4))
    assert figure_inches("A5-portrait", 100) == pytest.approx((148 / 25.4, 210 / 25.4))
    assert figure_inches((1600, 1000), 200) == (8.0, 5.0)
    assert parse_size("1600x1000") == (1600, 1000) and parse_size("A4-portrait") == "A4-portrait"
    with pytest.raises(UsageError):
        figure_inches("B7-sideways", 300)
    with pytest.raises(UsageError):
        figure_inches((10, 10), 300)


def test_nice_length_and_aspect():
    assert nice_length(1_234_000) == 1_000_000
    assert nice_length(480_000) == 200_000
    assert nice_length(99_000) == 50_000
    x0, y0, x1, y1 = fit_aspect((0, 0, 100, 100), 2.0, 1.0)
    assert (x1 - x0, y1 - y0) == (200, 100) and (x0 + x1) / 2 == 50


def test_png_size_dpi_and_scale_bar(tiny, tmp_path):
    out = render_map(tiny, "stars", "C29", out=tmp_path / "m.png", dpi=300)
    with Image.open(out) as img:
        w, h = img.size
        assert abs(w - 297 / 25.4 * 300) <= 1 and abs(h - 210 / 25.4 * 300) <= 1
        assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    out = render_map(tiny, "lq", "C29", out=tmp_path / "px.png", size=(1200, 800), dpi=150)
    with Image.open(out) as img:
        assert img.size == (1200, 800)
    # the scale bar: two segments whose total width in EPSG:3035 metres is the labelled length
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), dpi=100)
    fig.canvas.draw()
    map_ax = fig.axes[0]
    (bar,) = [a for a in fig.axes if a.get_gid() == "scale-bar"]
    segs = [p for p in bar.patches if p.get_zorder() == 21]
    label = [t.get_text() for t in bar.texts if t.get_text().endswith(" km")][0]
    metres = sum(p.get_width() for p in segs)
    assert metres == pytest.approx(float(label.split()[0]) * 1000)
    # on paper, the bar is as long as that distance on the map (both in display pixels)
    bar_px = bar.transData.transform((metres, 0))[0] - bar.transData.transform((0, 0))[0]
    map_px = map_ax.transData.transform((metres, 0))[0] - map_ax.transData.transform((0, 0))[0]
    assert bar_px == pytest.approx(map_px, rel=1e-6)


def test_svg_is_vector_with_texts(tiny, tmp_path):
    out = render_map(tiny, "stars", "C29", out=tmp_path / "m.svg", title="Motor vehicles 2015")
    svg = out.read_text(encoding="utf-8")
    assert svg.count("<path") > 50
    assert "<image" not in svg  # no embedded raster
    for text in ("Motor vehicles 2015", "3 stars", "No data", "EuroGeographics", "Source: tiny"):  # not "Eurostat"
        assert text in svg


def test_pdf_text_searchable(tiny, tmp_path):
    out = render_map(tiny, "lq", "C29", out=tmp_path / "m.pdf", size="A5-portrait", extent="DE")
    text = PdfReader(out).pages[0].extract_text()
    squash = re.sub(r"\s+", "", text)
    for needle in ("Location quotient", "≥ 3", "1 – 2", "No data", "EuroGeographics for the administrative boundaries"):
        assert re.sub(r"\s+", "", needle) in squash


def test_region_zoom_and_highlight(tiny, tmp_path):
    out = render_map(tiny, "stars", "C29", out=tmp_path / "z.png", extent=("region", "DE11"), highlight=["DE11"],
                     size=(900, 600), dpi=100)
    assert out.exists()
    with pytest.raises(UsageError):
        render_map(tiny, "stars", "C29", out=tmp_path / "bad.png", highlight=["XX99"])
    with pytest.raises(UsageError):
        render_map(tiny, "stars", "C29", out=tmp_path / "bad.gif")
    assert not list(tmp_path.glob("bad*")) and not list(tmp_path.glob(".*"))


@pytest.mark.shared
def test_real_c29_europe_2010(eurostat_file, tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2010))
    out = render_map(analysis, "stars", "C29", out=tmp_path / "c29.pdf")
    text = PdfReader(out).pages[0].extract_text()
    assert "Manufacture of motor vehicles" in text and "Eurostat, sbs_r_nuts06_r2" in text and "2010" in text
    png = render_map(analysis, "stars", "C29", out=tmp_path / "c29.png", dpi=150)
    with Image.open(png) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 20  # a drawn map, not a blank page


def test_the_page_is_drawn_once_when_saved_not_once_per_layer(tiny, monkeypatch):
    """geopandas asks the canvas to redraw after every layer it plots: on an Agg canvas each of those was a
    whole render of the page (47 at 300 dpi, three quarters of an export's time)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    draws = []
    draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self, *a, **k: (draws.append(1), draw(self, *a, **k))[1])
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), size="A5-landscape", dpi=72, extent="europe")
    assert draws == []  # the layers, insets, legend and labels were laid out without rendering the page
    fig.savefig(io.BytesIO(), format="png")
    assert len(draws) == 1
