"""Print-map pages: margins at every size, country insets, context and other-land colours where they belong."""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Text
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.layers import build_layer
from clustermapper.regions.land import OTHER_LAND_COLOUR, OTHER_LAND_LABEL, SEA_COLOUR, background_land
from clustermapper.render.map_page import figure_inches, fit_lines, margin, parse_size, scale
from clustermapper.render.static_map import CONTEXT_COLOUR, CONTEXT_LABEL, build_figure

SIZES = ["A3-landscape", "A3-portrait", "A4-landscape", "A4-portrait", "A5-landscape", "A5-portrait",
         "180x260mm", "300x120mm"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path_factory.mktemp("tiny")))))


def text_boxes(fig):
    renderer = fig.canvas.get_renderer()
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            yield t, t.get_window_extent(renderer)


def pixel(fig, ax, xy):
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
    x, y = ax.transData.transform(xy)
    return tuple(np.round(pixels[int(round(fig.bbox.height - y)), int(round(x))], 2))


def rgb(colour):
    return tuple(round(c, 2) for c in to_rgb(colour))


def test_custom_mm_sizes():
    assert figure_inches("250x180mm", 300) == pytest.approx((250 / 25.4, 180 / 25.4))
    assert parse_size("250x180mm") == "250x180mm" and parse_size("1600x1000") == (1600, 1000)
    with pytest.raises(UsageError):
        figure_inches("20x180mm", 300)


def test_fit_lines_measures_widths(tiny):
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), size="A5-portrait", dpi=100)
    text = "word " * 60
    lines = fit_lines(fig, text, 2.0, 10).split("\n")
    renderer = fig.canvas.get_renderer()
    from matplotlib.font_manager import FontProperties

    widths = [renderer.get_text_width_height_descent(line, FontProperties(size=10), ismath=False)[0] for line in lines]
    assert max(widths) <= 2.0 * 100 and len(lines) > 5
    # one more word would not have fitted on each line but the last: no line is broken too early
    assert all(renderer.get_text_width_height_descent(a + " word", FontProperties(size=10), ismath=False)[0] > 200
               for a in lines[:-1])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("extent", ["europe", "FR"])
def test_every_text_keeps_the_margin(tiny, size, extent):
    title = "A deliberately long map title that has to wrap on the narrow pages — France and its neighbours, 2015"
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), size=size, dpi=72, extent=extent, title=title,
                       labels="all")
    fig.canvas.draw()
    w, h = fig.bbox.width, fig.bbox.height
    w_in, h_in = fig.get_size_inches()
    m = margin(scale(w_in, h_in)) * fig.dpi * 0.95  # 5 % for antialiasing / font hinting
    for t, bb in text_boxes(fig):
        assert bb.x0 >= m and bb.x1 <= w - m and bb.y0 >= m * 0.4 and bb.y1 <= h - m, (size, t.get_text()[:40], bb)
    (title_text,) = [t for t in fig.texts if t.get_gid() == "title"]
    assert "\n" in title_text.get_text() or w_in > 10  # wrapped where it would not fit


def test_country_map_keeps_insets_and_explains_context(tiny):
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), size="A4-landscape", dpi=80, extent="FR")
    fig.canvas.draw()
    names = sorted(a.get_gid() for a in fig.axes if str(a.get_gid()).startswith("inset-"))
    assert names == ["inset-Guadeloupe", "inset-Guyane", "inset-Martinique", "inset-Mayotte", "inset-Réunion"]
    ax = fig.axes[0]
    legend_texts = [t.get_text().replace("\n", " ") for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
    assert CONTEXT_LABEL in legend_texts and OTHER_LAND_LABEL in legend_texts
    (leg,) = [a.get_legend() for a in fig.axes if a.get_legend()]
    handle = leg.legend_handles[[t.get_text().replace("\n", " ") for t in leg.get_texts()].index(CONTEXT_LABEL)]
    assert rgb(handle.get_facecolor()) == rgb(CONTEXT_COLOUR)
    from clustermapper.regions import cartography

    regions = cartography.regions_3035(tiny.prepared.geometry_key)
    for code, colour in (("DE11", CONTEXT_COLOUR), ("ITC1", CONTEXT_COLOUR), ("CH01", OTHER_LAND_COLOUR)):
        p = regions.geometry[code].representative_point()
        assert pixel(fig, ax, (p.x, p.y)) == rgb(colour), code
    assert pixel(fig, ax, (3_300_000, 2_600_000)) == rgb(SEA_COLOUR)  # Bay of Biscay


def test_land_outside_nuts_is_grey_and_sea_is_not(tiny):
    fig = build_figure(tiny, build_layer(tiny, "stars", "C29"), size="A4-landscape", dpi=100)
    fig.canvas.draw()
    ax = fig.axes[0]
    from pyproj import Transformer

    to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    # Kyiv (UA), Minsk (BY), Sarajevo (BA), Chisinau (MD), Tunis (TN): Natural Earth; Belgrade (RS): NUTS 2016+
    for lon, lat in ((30.52, 50.45), (27.56, 53.9), (18.41, 43.86), (28.86, 47.01), (10.1, 36.7), (20.46, 44.79)):
        assert pixel(fig, ax, to_laea.transform(lon, lat)) == rgb(OTHER_LAND_COLOUR), (lon, lat)
    for lon, lat in ((-8.0, 45.0), (18.0, 35.0), (33.0, 43.5)):  # Bay of Biscay, Ionian Sea, Black Sea
        assert pixel(fig, ax, to_laea.transform(lon, lat)) == rgb(SEA_COLOUR), (lon, lat)


def test_background_land_takes_nuts_level0_where_it_exists():
    land = background_land({"DE", "FR"})
    assert land["iso_a2"].is_unique  # Greece once (EL in 2010+, GR before)
    assert "GR" not in set(background_land({"EL"})["iso_a2"]) and "GB" not in set(background_land({"UK"})["iso_a2"])
    sources = dict(zip(land["iso_a2"], land["source"]))
    assert sources["RS"] == "NUTS 2021" and sources["GR"] == "NUTS 2021" and sources["UA"] == "Natural Earth"
    assert "DE" not in sources and "FR" not in sources
    assert {"BY", "BA", "MD", "RU", "MA", "DZ", "TN", "LY", "EG", "XK"} <= {k for k, v in sources.items()
                                                                          if v == "Natural Earth"}


@pytest.mark.shared
def test_real_employment_legend_whole_employees_without_shared_endpoints(eurostat_file):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    data = build_layer(analysis, "employment", "C29")
    ranges = []
    for label, _ in data.legend[:-1]:
        assert "." not in label, label  # no "0.00 – 9,004"
        low, _, high = label.partition(" – ")
        ranges.append((int(low.replace(",", "")), int((high or low).replace(",", ""))))
    for (_, high), (low, _) in zip(ranges, ranges[1:]):
        assert low == high + 1  # the next class starts just above: no endpoint in two classes
    for code, k in data.classes.items():  # every region lies in the range its whole number reads in
        if k >= 0:
            value = round(float(data.values[code]))
            assert ranges[k][0] <= value <= ranges[k][1], (code, value, ranges[k])


@pytest.mark.parametrize("size, dpi, says", [
    ((800, 600), 300, "give --dpi 145 or less"),  # 2.7 × 2.0 in: matplotlib failed inside the layout (exit 3)
    ((20000, 200), 300, "give more pixels a side"),
    ("50x50mm", 300, "each side must be 105–1000 mm"),
    ((20000, 20000), 100, "400 megapixels, above the 150"),  # 1.8 GB to draw
    ("A3-landscape", 1200, "give --dpi 880 or less"),
])
def test_pages_too_small_or_too_big_are_refused_with_what_to_give(size, dpi, says):
    with pytest.raises(UsageError, match=re.escape(says)):
        figure_inches(size, dpi)


def test_the_smallest_and_largest_pages_allowed_draw(tiny):
    for size, dpi in (("105x105mm", 72), ((640, 640), 150), ("A4-portrait", 72)):
        build_figure(tiny, build_layer(tiny, "stars", "C29"), size=size, dpi=dpi)
    assert figure_inches("A4-landscape", 1200) == pytest.approx((297 / 25.4, 210 / 25.4))  # 139 megapixels


def test_a_title_that_leaves_no_room_is_refused_before_drawing(tiny):
    """A long --title wraps to so many lines that the map's height is negative: matplotlib failed (exit 3)."""
    with pytest.raises(UsageError, match="no room for the map"):
        build_figure(tiny, build_layer(tiny, "stars", "C29"), size="105x105mm", dpi=72, title="Cars " * 120)
