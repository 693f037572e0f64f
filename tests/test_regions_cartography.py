"""Cartography: the Europe frame, insets for the outermost regions, colours where they belong."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from shapely.geometry import box

from clustermapper.errors import UsageError
from clustermapper.regions import cartography
from clustermapper.regions.shapes import load_regions

RED, BLUE, GREY = "#d62728", "#1f77b4", "#e6e6e6"


def render(version, level=2, colours=None, insets=True, bounds=cartography.EUROPE_BOUNDS):
    regions = cartography.to_3035(load_regions(version, level))
    regions.attrs["nuts_version"] = version
    fig = Figure(figsize=(10, 7), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    subs = cartography.draw(ax, regions, colours or {}, no_data_colour=GREY, bounds=bounds, insets=insets)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255.0
    return fig, ax, subs, regions, pixels


def colour_at(fig, pixels, ax, xy):
    x, y = ax.transData.transform(xy)
    row = int(round(fig.bbox.height - y))
    return tuple(np.round(pixels[row, int(round(x))], 2))


def test_frame_and_projection():
    regions = cartography.to_3035(load_regions(2021, 2))
    assert regions.crs.to_epsg() == 3035  # ETRS89-LAEA, the equal-area projection of Eurostat's maps
    inside = regions.geometry.representative_point().within(box(*cartography.EUROPE_BOUNDS))
    outside = sorted(regions.index[~inside])
    # Only the outermost regions (in insets) and Svalbard og Jan Mayen (cut, like Eurostat's maps) fall
    # outside the main frame.
    assert outside == ["ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5", "NO0B", "PT20", "PT30"]


@pytest.mark.parametrize("version, n_insets", [(2021, 8), (2010, 7)])
def test_insets_for_every_version(version, n_insets):
    fig, ax, subs, regions, _ = render(version)
    assert len(subs) == n_insets  # Mayotte became a NUTS region in 2013
    assert ax.get_xlim() == (cartography.EUROPE_BOUNDS[0], cartography.EUROPE_BOUNDS[2])
    labels = [t.get_text() for s in subs for t in s.texts]
    assert "Canarias (ES)" in labels and "Madeira (PT)" in labels and "Guyane (FR)" in labels
    boxes = [s.get_position().bounds for s in subs]
    for i, a in enumerate(boxes):  # no two insets overlap
        for b in boxes[i + 1:]:
            assert a[0] + a[2] <= b[0] + 1e-9 or b[0] + b[2] <= a[0] + 1e-9 or \
                a[1] + a[3] <= b[1] + 1e-9 or b[1] + b[3] <= a[1] + 1e-9


def test_insets_do_not_cover_any_region_of_the_main_map():
    fig, ax, subs, regions, _ = render(2021)
    inv = ax.transData.inverted()
    for sub in subs:
        (x0, y0), (x1, y1) = inv.transform(sub.get_window_extent().get_points())
        covered = regions[regions.geometry.intersects(box(x0, y0, x1, y1))]
        assert covered.empty, (sub.texts[0].get_text(), list(covered.index))


def test_colours_land_on_their_regions_in_main_map_and_insets():
    colours = {"DE11": RED, "ES70": BLUE, "FRY4": RED}
    fig, ax, subs, regions, pixels = render(2021, colours=colours)
    point = regions.geometry["DE11"].representative_point()
    assert colour_at(fig, pixels, ax, (point.x, point.y)) == tuple(round(c, 2) for c in to_rgb(RED))
    point = regions.geometry["FR10"].representative_point()
    assert colour_at(fig, pixels, ax, (point.x, point.y)) == tuple(round(c, 2) for c in to_rgb(GREY))
    by_name = {s.texts[0].get_text(): s for s in subs}
    for name, code, colour in (("Canarias (ES)", "ES70", BLUE), ("Réunion (FR)", "FRY4", RED)):
        inset = next(i for i in cartography.INSETS if f"{i.name} ({i.country})" == name)
        local = gpd.GeoSeries([regions.geometry[code]], crs=cartography.CRS).to_crs(inset.crs)
        biggest = max(local.iloc[0].geoms, key=lambda p: p.area).representative_point()
        assert colour_at(fig, pixels, by_name[name], (biggest.x, biggest.y)) == \
            tuple(round(c, 2) for c in to_rgb(colour))


def test_zoom_extents():
    regions = cartography.to_3035(load_regions(2021, 2))
    x0, y0, x1, y1 = cartography.country_bounds(regions, "FR")
    assert x1 - x0 < 1_200_000  # metropolitan France only, overseas regions left out
    assert cartography.neighbours(regions, "DE11")[0] == "DE11"
    assert set(cartography.neighbours(regions, "DE11")) == {"DE11", "DE12", "DE14", "DE25", "DE26", "DE27"}
    nb = cartography.neighbour_bounds(regions, "DE11")
    assert nb[0] < regions.geometry["DE11"].bounds[0]
    with pytest.raises(UsageError):
        cartography.country_bounds(regions, "XX")
    with pytest.raises(UsageError):
        cartography.neighbours(regions, "XX11")


def test_country_zoom_without_insets():
    regions = cartography.to_3035(load_regions(2021, 2))
    bounds = cartography.country_bounds(regions, "PT")
    fig, ax, subs, _, _ = render(2021, insets=False, bounds=bounds)
    assert subs == [] and ax.get_xlim() == (bounds[0], bounds[2])


def _analysis(rows, year=2010):
    import pandas as pd

    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.io.table import ReadReport, ReadResult

    table = pd.DataFrame([(r, s, year, float(v), "") for r, s, v in rows],
                         columns=["region", "sector", "year", "value", "flag"])
    dataset = ReadResult(table=table, report=ReadReport(path="hand-made", format="test"))
    return run_analysis(AnalysisSpec(year=year), dataset=dataset)


def test_regions_3035_follows_the_match_and_fills_the_rest_without_overlap():
    rows = [(code, sector, value) for code in ("DE41", "DE11", "EL11", "EL30")
            for sector, value in (("C10", 1500), ("C29", 2500))]
    analysis = _analysis(rows)
    regions = cartography.regions_3035(analysis.prepared.geometry_key)
    assert regions.crs.to_epsg() == 3035 and regions.attrs["nuts_version"] == analysis.nuts.version
    assert {"DE41", "DE11", "EL11", "EL30"} <= set(regions.index)
    assert regions.loc["EL11", "version"] == 2010 and regions.loc["DE41", "version"] == 2006
    # NUTS 2006 Greek regions (GR11 …) lie under EL11/EL30: they must not be drawn over them.
    assert not any(code.startswith("GR") for code in regions.index)
    assert analysis.nuts.version == 2010  # 2010 lacks DE41 only; 2006 lacks EL11 and EL30
    assert "FR10" in regions.index  # filler, drawn as no data
    # DE40 (Brandenburg, NUTS 2010) is the filler for what DE41 (NUTS 2006) leaves: the old DE42.
    de42 = load_regions(2006, 2).set_index("NUTS_ID").to_crs(3035).geometry["DE42"]
    assert regions.geometry["DE40"].area == pytest.approx(de42.area, rel=0.01)
    assert regions.index.is_unique
    for code in ("EL11", "DE41"):
        others = regions.drop(index=code)
        overlap = others.geometry.intersection(regions.geometry[code]).area.max()
        assert overlap < 1e6, code  # < 1 km²: shared borders only
