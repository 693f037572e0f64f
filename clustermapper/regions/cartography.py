"""Static Europe maps, Eurostat style: ETRS89-LAEA, a fixed European frame, outermost regions in insets.

API
---
``CREDIT``
    The boundary credit every map must show.
``CRS`` / ``EUROPE_BOUNDS``
    ``"EPSG:3035"`` and the main-map frame ``(xmin, ymin, xmax, ymax)`` in metres (Iceland to Cyprus,
    Canarias, Madeira, Açores and the French overseas regions fall outside and go to insets).
``INSETS``
    The outermost-region insets: name, country and a lon/lat box each (independent of the NUTS version:
    FR91…FR94 in 2003–2010, FRA1…FRA5 in 2013, FRY1…FRY5 from 2016 all fall in the same boxes).
``regions_3035(geometry_key)``
    The regions of an :class:`~clustermapper.analysis.Analysis` in EPSG:3035, indexed by code, following its
    NUTS version match (``analysis.nuts``), plus the other regions of the analysis level as filler (drawn as no
    data). ``attrs["nuts_version"]`` names the main version.
``to_3035(gdf)``
    Any region GeoDataFrame (e.g. ``load_regions(2021, 2)``) projected and indexed by ``NUTS_ID``.
``draw(ax, regions, colours, no_data_colour=..., bounds=EUROPE_BOUNDS, insets=True, outlines=None)``
    Fill each region with ``colours[code]`` (else ``no_data_colour``), draw country outlines (level 0 of the
    same version) and, with ``insets``, add inset axes for the outermost regions in the empty top-right
    corner of the frame (Russia). Returns the list of inset axes. The caller sets the final extent, title,
    legend, scale bar, source line and ``CREDIT`` (``clustermapper.render.static_map``).
``country_bounds(regions, country)`` / ``neighbour_bounds(regions, code)`` / ``neighbours(regions, code)``
    Zoom extents: one country's European part, or a region with the regions touching it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
from shapely.geometry import box

from clustermapper.regions.land import OTHER_LAND_COLOUR, OTHER_LAND_EDGE, SEA_COLOUR, background_land

CREDIT = "© EuroGeographics for the administrative boundaries"
CRS = "EPSG:3035"
EUROPE_BOUNDS = (2_500_000.0, 1_350_000.0, 7_400_000.0, 5_450_000.0)
REGION_EDGE = "#ffffff"
COUNTRY_EDGE = "#4d4d4d"
FRAME_EDGE = "#9a9a9a"


@dataclass(frozen=True)
class Inset:
    """One outermost-region inset: a lon/lat box drawn in its own equal-area projection."""

    name: str
    country: str
    lon: tuple[float, float]
    lat: tuple[float, float]

    @property
    def crs(self) -> str:
        lon0, lat0 = sum(self.lon) / 2, sum(self.lat) / 2
        return f"+proj=laea +lat_0={lat0:.3f} +lon_0={lon0:.3f} +ellps=GRS80 +units=m +no_defs"

    @property
    def wide(self) -> bool:
        """Wider than 1.6:1 on the ground: gets a double-width cell."""
        import math

        dx = (self.lon[1] - self.lon[0]) * math.cos(math.radians(sum(self.lat) / 2))
        return dx / (self.lat[1] - self.lat[0]) > 1.6

    def box_4326(self):
        return box(self.lon[0], self.lat[0], self.lon[1], self.lat[1])


INSETS = (  # drawn in this order, two per row
    Inset("Canarias", "ES", (-18.4, -13.3), (27.55, 29.5)),
    Inset("Açores", "PT", (-31.4, -24.9), (36.85, 39.8)),
    Inset("Madeira", "PT", (-17.35, -16.2), (32.35, 33.15)),
    Inset("Guadeloupe", "FR", (-61.85, -60.95), (15.8, 16.55)),
    Inset("Martinique", "FR", (-61.28, -60.78), (14.37, 14.9)),
    Inset("Guyane", "FR", (-54.7, -51.5), (2.05, 5.85)),
    Inset("Réunion", "FR", (55.15, 55.9), (-21.42, -20.85)),
    Inset("Mayotte", "FR", (44.95, 45.35), (-13.05, -12.6)),
)
# Inset cells (axes fractions) in the frame's empty top-right corner (Russia), two columns wide.
_CELL_W, _CELL_H, _GAP = 0.105, 0.125, 0.008
_RIGHT, _TOP = 0.992, 0.992


def to_3035(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to EPSG:3035 and index by ``NUTS_ID`` (the form :func:`draw` expects)."""
    out = gdf.to_crs(CRS)
    if "NUTS_ID" in out.columns:
        out = out.set_index("NUTS_ID", drop=False)
        out.index.name = "code"
    out.attrs.update(gdf.attrs)
    return out


@functools.lru_cache(maxsize=16)
def _outlines(version: int) -> gpd.GeoDataFrame:
    from clustermapper.regions.shapes import load_regions

    return load_regions(version, 0)


def outlines_for(version: int) -> gpd.GeoDataFrame:
    """Country outlines (NUTS level 0 of ``version``) in EPSG:4326."""
    return _outlines(int(version)).copy()


def regions_3035(geometry_key: tuple) -> gpd.GeoDataFrame:
    """The drawn regions of ``Prepared.geometry_key`` (plus no-data filler) in EPSG:3035; see module docs."""
    from clustermapper.regions.drawing import drawn_regions

    return to_3035(drawn_regions(geometry_key))  # projecting is ~0.05 s; the placement is cached


# ----------------------------------------------------------------------------------------------- drawing


def _fill(ax, gdf: gpd.GeoDataFrame, colours: dict, no_data_colour: str, lw: float) -> None:
    if gdf.empty:
        return
    fills = [colours.get(code, no_data_colour) or no_data_colour for code in gdf.index]
    gdf.plot(ax=ax, color=fills, edgecolor=REGION_EDGE, linewidth=lw, zorder=2)


def _stroke(ax, outlines: gpd.GeoDataFrame | None, lw: float) -> None:
    if outlines is not None and not outlines.empty:
        outlines.boundary.plot(ax=ax, color=COUNTRY_EDGE, linewidth=lw, zorder=3)


def draw(ax, regions: gpd.GeoDataFrame, colours: dict, no_data_colour: str = "#e6e6e6",
         bounds: tuple[float, float, float, float] = EUROPE_BOUNDS, insets: bool | str = True,
         outlines: gpd.GeoDataFrame | None = None, region_lw: float = 0.25,
         country_lw: float = 0.55, land: bool = True) -> list:
    """Draw ``regions`` (EPSG:3035, indexed by code) on ``ax``; see the module docstring.

    ``outlines``: country polygons (any CRS); default level 0 of ``regions.attrs["nuts_version"]`` when set.
    ``insets``: True for every outermost region in the frame's top-right corner, a country code for that
    country's only (the caller places them with :func:`draw_inset`, see :func:`insets_for`), False for none.
    ``land``: the sea in ``SEA_COLOUR`` and the countries without regions on the map in ``OTHER_LAND_COLOUR``.
    """
    if outlines is None and regions.attrs.get("nuts_version") is not None:
        outlines = outlines_for(regions.attrs["nuts_version"])
    outlines_3035 = outlines.to_crs(CRS) if outlines is not None else None
    view = box(*bounds).buffer(max(bounds[2] - bounds[0], bounds[3] - bounds[1]) * 0.5)
    background = None
    if land:
        background = background_for(regions)
        ax.set_facecolor(SEA_COLOUR)
        _background(ax, background.to_crs(CRS).clip(view), region_lw)
    visible = regions[regions.geometry.intersects(view)]
    _fill(ax, visible, colours, no_data_colour, region_lw)
    if outlines_3035 is not None:
        _stroke(ax, outlines_3035[outlines_3035.geometry.intersects(view)], country_lw)
    ax.set_xlim(bounds[0], bounds[2])
    ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect("equal")
    ax.set_xlabel("")  # geopandas labels projected axes "Easting [metre]"; a map needs none
    ax.set_ylabel("")
    if insets is not True:
        return []
    todo = insets_for(regions)
    ax.apply_aspect()  # the map's final box: the insets sit in it, and their labels are fitted to them
    axes = [ax.inset_axes(rect) for rect in _inset_cells([t[0] for t in todo])]
    for sub, (inset, hit) in zip(axes, todo):
        draw_inset(sub, inset, hit, colours, no_data_colour, outlines, region_lw, country_lw, background)
    return axes


def background_for(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Land of the countries with no region in ``regions`` (EPSG:4326; :mod:`clustermapper.regions.land`)."""
    countries = set(regions["CNTR_CODE"]) if "CNTR_CODE" in regions else set()
    return background_land(countries)


def _background(ax, land_3035: gpd.GeoDataFrame, lw: float) -> None:
    land_3035 = land_3035[~land_3035.geometry.is_empty]
    if not land_3035.empty:
        land_3035.plot(ax=ax, color=OTHER_LAND_COLOUR, edgecolor=OTHER_LAND_EDGE, linewidth=lw * 1.6, zorder=1)


def _inset_cells(insets: list[Inset]) -> list[tuple[float, float, float, float]]:
    """Axes-fraction rectangles in the top-right corner, row by row: wide insets (Canarias, Açores)
    take a whole, lower row; the others share rows two by two."""
    cells = []
    y, col = _TOP, 0
    width2 = 2 * _CELL_W + _GAP
    for inset in insets:
        if inset.wide:
            if col:  # close a half-filled row
                y -= _CELL_H + _GAP
                col = 0
            h = _CELL_H * 0.72
            cells.append((_RIGHT - width2, y - h, width2, h))
            y -= h + _GAP
            continue
        x = _RIGHT - width2 + col * (_CELL_W + _GAP)
        cells.append((x, y - _CELL_H, _CELL_W, _CELL_H))
        col = 1 - col
        if col == 0:
            y -= _CELL_H + _GAP
    return cells


def insets_for(regions: gpd.GeoDataFrame, country: str | None = None) -> list[tuple[Inset, gpd.GeoDataFrame]]:
    """(inset, its regions in EPSG:4326) for every inset with a region on the map, optionally of one country."""
    regions_4326 = regions.to_crs("EPSG:4326")
    todo = []
    for inset in INSETS:
        if country is not None and inset.country != country.strip().upper():
            continue
        hit = regions_4326[regions_4326.geometry.intersects(inset.box_4326())]
        if not hit.empty:
            todo.append((inset, hit))
    return todo


def draw_inset(sub, inset: Inset, hit: gpd.GeoDataFrame, colours: dict, no_data_colour: str,
               outlines: gpd.GeoDataFrame | None, region_lw: float = 0.25, country_lw: float = 0.55,
               background: gpd.GeoDataFrame | None = None, fontsize: float = 5.5) -> None:
    """Draw one outermost-region inset (``hit`` from :func:`insets_for`) into the axes ``sub``."""
    local = hit.to_crs(inset.crs)
    clip = gpd.GeoSeries([inset.box_4326()], crs="EPSG:4326").to_crs(inset.crs).iloc[0]
    local = local.set_geometry(local.geometry.intersection(clip))
    if background is not None:
        near = background[background.geometry.intersects(inset.box_4326())].to_crs(inset.crs)
        _background(sub, near.set_geometry(near.geometry.intersection(clip)), region_lw * 0.8)
    _fill(sub, local, colours, no_data_colour, region_lw * 0.8)
    if outlines is not None:
        out = outlines.to_crs("EPSG:4326")
        out = out[out.geometry.intersects(inset.box_4326())].to_crs(inset.crs)
        out = out.set_geometry(out.geometry.intersection(clip))
        _stroke(sub, out, country_lw * 0.8)
    x0, y0, x1, y1 = local.total_bounds
    # Extend the data limits (not fixed limits) with head room for the label, so that the equal
    # aspect can still widen them to the cell's shape whatever size the caller gives the main axes.
    sub.plot([x0, x1], [y0, y1 + (y1 - y0) * 0.22], alpha=0)
    sub.set_xmargin(0.08)
    sub.set_ymargin(0.06)
    sub.autoscale(True)
    sub.set_aspect("equal", adjustable="datalim")
    sub.set_xlabel("")
    sub.set_ylabel("")
    sub.set_xticks([])
    sub.set_yticks([])
    sub.set_facecolor(SEA_COLOUR if background is not None else "white")
    for spine in sub.spines.values():
        spine.set_edgecolor(FRAME_EDGE)
        spine.set_linewidth(0.5)
    label = sub.text(0.04, 0.96, f"{inset.name} ({inset.country})", transform=sub.transAxes, ha="left", va="top",
                     fontsize=fontsize, color="#333333", zorder=5)
    _fit_label(sub, label)
    sub.set_gid(f"inset-{inset.name}")


def _fit_label(sub, label) -> None:
    """Shrink an inset's label until it fits the inset's width (small pages make small insets)."""
    canvas = getattr(sub.figure, "canvas", None)
    if canvas is None or not hasattr(canvas, "get_renderer"):
        return
    renderer = canvas.get_renderer()
    locator = sub.get_axes_locator()  # an inset's box follows its parent's, as drawing will place it
    if locator is not None:
        sub.apply_aspect(locator(sub, renderer))
    room = sub.get_window_extent(renderer).width * 0.92
    width = label.get_window_extent(renderer).width
    if width > room > 0:
        label.set_fontsize(label.get_fontsize() * room / width)


# ----------------------------------------------------------------------------------------------- extents


def _pad(bounds, frac: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * frac, (y1 - y0) * frac
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def country_bounds(regions: gpd.GeoDataFrame, country: str, pad: float = 0.04) -> tuple:
    """Extent (EPSG:3035) of a country's regions inside the European frame (no overseas parts)."""
    from clustermapper.errors import UsageError

    shapes = regions[regions["CNTR_CODE"] == country.strip().upper()]
    if shapes.empty:
        raise UsageError(f"no boundaries for country {country!r}")
    geom = shapes.geometry.union_all().intersection(box(*EUROPE_BOUNDS))
    return _pad(geom.bounds if not geom.is_empty else shapes.total_bounds, pad)


def neighbours(regions: gpd.GeoDataFrame, code: str, tolerance: float = 1000.0) -> list[str]:
    """``code`` and the regions touching it (within ``tolerance`` metres), ``code`` first."""
    from clustermapper.errors import UsageError

    if code not in regions.index:
        raise UsageError(f"no boundary for region {code!r} in this NUTS version")
    near = regions.geometry.loc[code].buffer(tolerance)
    hits = regions.index[regions.geometry.intersects(near)]
    return [code] + sorted(c for c in hits if c != code)


def neighbour_bounds(regions: gpd.GeoDataFrame, code: str, pad: float = 0.06) -> tuple:
    """Extent (EPSG:3035) of a region and its neighbours."""
    return _pad(tuple(regions.loc[neighbours(regions, code)].total_bounds), pad)
