"""The interactive web map: one self-contained, offline HTML page (folium + inlined Leaflet + ``cm`` API).

The page holds the regions as simplified GeoJSON, a country-borders layer, a toggleable region-labels
layer, a classed legend, tooltips, the EuroGeographics credit and ``window.cm`` (see ``js/cm_map.js``) so
a host can restyle it without reloading. No tile layer and no network: every asset is inlined.

Projection: ETRS89-CRS (EPSG:3035), like the print maps and Eurostat's own maps (Web Mercator stretches
Scandinavia). Without tiles Leaflet needs no web projection: the page uses ``L.CRS.Simple`` on projected
metres (GeoJSON ``[x, y]``, Leaflet's "lat" = northing), so the scale bar is true at the projection centre.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from clustermapper.fileutil import atomic_write
from clustermapper.layers import LayerData
from clustermapper.regions.cartography import CREDIT, CRS, EUROPE_BOUNDS
from clustermapper.render import web_assets

SIMPLIFY_METRES = 1000.0  # below what a Europe-wide 1:10M map shows, keeps the page ~1 MB
COORD_DECIMALS = -2  # coordinates rounded to 100 m
# Leaflet zoom z shows 2**-z metres per pixel: Europe (~5,000 km) fits ~1,000 px at -12.3
MIN_ZOOM, MAX_ZOOM = -15, -4
_CODE_COLUMNS = ("NUTS_ID", "code", "region")
_NAME_COLUMNS = ("NAME_LATN", "name", "NUTS_NAME")


class _CmInit(MacroElement):
    """Calls ``cm.init(<map>, data)`` after the map exists (children render after their parent)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "cm.init({{ this._parent.get_name() }}, JSON.parse(document.getElementById('cm-data').textContent));"
        "{% endmacro %}"
    )


def map_boundaries(analysis, codes=None) -> gpd.GeoDataFrame:
    """Region polygons of the analysis plus the surrounding regions (drawn as no data), EPSG:4326.

    One source for every renderer: :meth:`Analysis.drawn_regions` (codes placed per
    the NUTS version match, or the user's boundary file). Data codes without a polygon are listed in
    ``frame.attrs["missing"]``.
    """

    regions = analysis.drawn_regions().copy()
    regions.attrs["missing"] = list(regions.attrs.get("unknown", []))
    return regions


def map_credit(analysis) -> str:
    """The attribution line: where the numbers come from, then the required boundary credit."""
    from clustermapper.render.tables import data_source

    return f"Data: {data_source(analysis)} · {CREDIT}"


def build_web_map(
    analysis,
    layer_data: LayerData,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    labels: bool = True,
    borders: bool = True,
    legend: bool = True,
    title: str | None = None,
    popups: bool = False,
    label_zoom_in: float | None = None,
) -> str:
    """Build the page and return its HTML.

    Parameters
    ----------
    analysis : Analysis
        The run the layer belongs to (geometry version, names).
    layer_data : LayerData
        From :func:`clustermapper.layers.build_layer`.
    boundaries : GeoDataFrame, optional
        Region polygons with a ``NUTS_ID``/``code`` column; default: :func:`map_boundaries`.
    labels, borders : bool
        Whether the region-labels and country-borders layers start switched on.
    legend : bool
        Whether the page draws its own legend (the desktop app has a legend dock instead).
    popups : bool
        A click opens the region's portfolio (its starred categories) in a popup: the stand-alone page has
        no side panels (the app shows the portfolio in its dock instead).
    title : str, optional
        The page's title and a heading above the legend (``map --title``); default: the layer's title only.
    label_zoom_in : float, optional
        Labels appear only this many zoom levels in from the initial (Europe) view.
    """
    if boundaries is None:
        regions_fc, borders_fc, label_points, bounds = _default_geometries(analysis, layer_data.values.index)
    else:
        regions_fc, borders_fc, label_points, bounds = prepare_geometries(boundaries, layer_data.values.index)
    data = {
        "regions": regions_fc,
        "borders": borders_fc,
        "labels": label_points,
        "bounds": bounds,
        "zoom": [MIN_ZOOM, MAX_ZOOM],  # folium only passes min/max zoom to tile layers, and there are none
        "layer": layer_data.to_dict(),
        "credit": map_credit(analysis),
        "options": {"labels": bool(labels), "borders": bool(borders), "legend": bool(legend),
                    "labelZoomIn": label_zoom_in, "heading": title},
        "popups": portfolio_popups(analysis) if popups else None,
    }
    page_title = title or f"ClusterMapper — {layer_data.title}"
    (south, west), (north, east) = bounds
    fmap = folium.Map(location=[(south + north) / 2, (west + east) / 2], zoom_start=-12, crs="Simple",
                      tiles=None, control_scale=False,  # cm_map.js adds a metric-only one
                      zoom_snap=0.25, zoom_delta=0.5,
                      # one canvas, not 1,514 SVG paths: a NUTS-3 restyle repaints once instead of restyling
                      # every path element (half the page's restyle time)
                      prefer_canvas=True)
    # Folium's defaults point at CDNs (leaflet, jquery, bootstrap, awesome-markers, fontawesome): none of
    # them is used; Leaflet itself is inlined below.
    fmap.default_js = []
    fmap.default_css = []
    root = cast(Figure, fmap.get_root())  # a Map always sits in a Figure; branca types get_root() as Element
    root.title = html.escape(page_title)
    root.header.add_child(Element(f"<style>{web_assets.leaflet_css()}</style>"), name="leaflet_css")
    root.header.add_child(Element(f"<script>{_script_safe(web_assets.leaflet_js())}</script>"), name="leaflet_js")
    root.header.add_child(Element(f"<style>{web_assets.script('cm_map.css')}</style>"), name="cm_css")
    root.header.add_child(Element(f"<script>{_script_safe(web_assets.script('cm_map.js'))}</script>"),
                          name="cm_js")
    root.html.add_child(
        Element(f'<script type="application/json" id="cm-data">{json_for_script(data)}</script>'), name="cm_data"
    )
    fmap.add_child(_CmInit())
    return root.render()


#: the stand-alone page: a portfolio popup per region, labels on but only once zoomed in from Europe
EXPORT_OPTIONS = {"popups": True, "labels": True, "label_zoom_in": 1.0}
POPUP_CATEGORIES = 8


def export_html(analysis, layer_data: LayerData, path: str | os.PathLike, **options) -> Path:
    """Write the page to ``path`` as one self-contained file (atomic: temp file + ``os.replace``)."""
    path = Path(path)
    page = build_web_map(analysis, layer_data, **{**EXPORT_OPTIONS, **options})
    with atomic_write(path) as handle:
        handle.write(page)
    return path


def portfolio_popups(analysis) -> dict[str, dict]:
    """Per region: name, total stars (with how many are certain) and its strongest starred categories as
    ``[code, label, stars text, LQ text, employees text]`` (plain text; the page escapes it)."""
    from clustermapper.metrics.explain import add_display_text
    from clustermapper.metrics.ordering import order_categories

    stars = analysis.stars[analysis.stars["stars"] > 0]
    portfolio = analysis.portfolio.set_index("region")
    out: dict[str, dict] = {}
    for region, rows in stars.groupby("region", sort=False):
        rows = order_categories(rows).head(POPUP_CATEGORIES).copy()
        add_display_text(rows)
        p = portfolio.loc[region] if region in portfolio.index else None
        total = int(p["total_stars"]) if p is not None else int(rows["stars"].sum())
        certain = int(p["certain_stars"]) if p is not None and "certain_stars" in p and p["certain_stars"] == p["certain_stars"] else total
        out[str(region)] = {
            "name": analysis.region_name(str(region)),
            "total": f"{total} stars" + (f" ({certain} certain)" if certain < total else ""),
            "rows": [[str(r["category"]), analysis.category_label(str(r["category"])), str(r["stars_text"]),
                      str(r["lq_text"]), str(r["employees_text"])] for _, r in rows.iterrows()],
        }
    return out


_GEOMETRY_CACHE: dict[tuple, tuple] = {}


def geometry_key(analysis, codes) -> tuple:
    """What decides the page's geometry: equal keys mean a page can be restyled instead of rebuilt."""
    return analysis.prepared.geometry_key, tuple(sorted(map(str, codes)))  # codes set the initial view


def _default_geometries(analysis, codes) -> tuple:
    """``prepare_geometries(map_boundaries(...))``, cached: re-opening the same regions costs ~1 s otherwise."""
    key = geometry_key(analysis, codes)
    if key not in _GEOMETRY_CACHE:
        if len(_GEOMETRY_CACHE) >= 8:
            _GEOMETRY_CACHE.pop(next(iter(_GEOMETRY_CACHE)))
        _GEOMETRY_CACHE[key] = prepare_geometries(map_boundaries(analysis, codes), codes)
    return _GEOMETRY_CACHE[key]  # shared and read-only: build_web_map only serialises it


def warm_geometries(analysis, codes) -> None:
    """Prepare (and cache) the polygons a page of ``analysis`` showing ``codes`` will use, e.g. in a worker
    thread before the UI thread builds the page; errors are left for the page build to report."""
    import contextlib

    from clustermapper.errors import ClusterMapperError

    with contextlib.suppress(ClusterMapperError, OSError, ValueError):
        _default_geometries(analysis, codes)


def prepare_geometries(boundaries: gpd.GeoDataFrame, codes=None, tolerance: float = SIMPLIFY_METRES):
    """Simplified regions GeoJSON, country-borders GeoJSON, label points and the initial bounds, in
    EPSG:3035 metres (``[x, y]`` in GeoJSON; ``[y, x]`` for Leaflet's latlng of labels and bounds).

    Simplification is coverage-aware (``shapely.coverage_simplify``) so neighbouring regions keep a
    shared edge (no slivers or gaps); coordinates are rounded to 100 m (``COORD_DECIMALS``).
    Labels and bounds are ``[y, x]``, Leaflet's latlng order.
    """
    frame = _normalise(boundaries)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].reset_index(drop=True).to_crs(CRS)
    geoms = frame.geometry.values
    if tolerance > 0 and len(geoms):
        geoms = shapely.coverage_simplify(geoms, tolerance)
    # Rounding can pinch a thin ring: repair it, keeping polygons only (collapsed slivers would turn a
    # region into a GeometryCollection, which has no boundary for the country-borders layer).
    geoms = shapely.make_valid(_round_coords(geoms), method="structure", keep_collapsed=False)
    frame = frame.set_geometry(gpd.GeoSeries(geoms, crs=CRS))
    features = [
        {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": shapely.geometry.mapping(geom)}
        for code, name, geom in zip(frame["code"], frame["name"], frame.geometry)
    ]
    countries = frame.assign(country=frame["code"].str[:2]).dissolve("country")
    border_features = [
        {"type": "Feature", "properties": {"country": str(c)}, "geometry": shapely.geometry.mapping(g)}
        for c, g in zip(countries.index, _round_coords(countries.geometry.boundary.values))
    ]
    points = frame.geometry.representative_point()
    # label points with the region's area: the page labels big regions first when space is short
    areas = frame.geometry.area.to_numpy() / 1e6
    label_points = [[code, round(p.y, -2), round(p.x, -2), round(float(a))]
                    for code, p, a in zip(frame["code"], points, areas)]
    in_data = frame["code"].isin(set(map(str, codes))) if codes is not None else np.ones(len(frame), bool)
    box = frame[in_data].total_bounds if in_data.any() else frame.total_bounds
    w, s, e, n = EUROPE_BOUNDS  # the print maps' frame: the mainland; outermost regions stay drawn, pan to them
    bounds = [[max(box[1], s), max(box[0], w)], [min(box[3], n), min(box[2], e)]]
    if not (bounds[0][0] < bounds[1][0] and bounds[0][1] < bounds[1][1]):
        bounds = [[box[1], box[0]], [box[3], box[2]]]
    return (
        {"type": "FeatureCollection", "features": features},
        {"type": "FeatureCollection", "features": border_features},
        label_points,
        [[float(v) for v in corner] for corner in bounds],
    )


def json_for_script(data: object) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` become ``\\u`` escapes, so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def restyle_script(layer_data) -> str:
    """The JavaScript that restyles an open page with ``layer_data`` (a ``LayerData``) in place. The layer
    goes as one JSON string for ``JSON.parse``: V8 reads that faster than the same object literal (a NUTS-3
    restyle carries ~170 kB); run by the host, never inside ``<script>``, so no tag escapes are needed."""
    text = json.dumps(layer_data.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return f"cm.restyle({json.dumps(text, ensure_ascii=False)});"


def _script_safe(js: str) -> str:
    # a literal "</script" inside inlined code would end the tag early
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _round_coords(geoms):
    """Round every coordinate to ``COORD_DECIMALS`` (~100 m: plenty for a Europe map, a third of the bytes)."""
    return shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))


def _normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns ``code``, ``name``, ``geometry`` in EPSG:4326 from any NUTS-like GeoDataFrame."""
    code_col = next((c for c in _CODE_COLUMNS if c in frame.columns), None)
    if code_col is None:
        raise ValueError(f"boundaries need one of the columns {', '.join(_CODE_COLUMNS)}")
    name_col = next((c for c in _NAME_COLUMNS if c in frame.columns), code_col)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    out = gpd.GeoDataFrame(
        {"code": frame[code_col].astype(str).to_numpy(), "name": frame[name_col].astype(str).to_numpy()},
        geometry=frame.geometry.to_numpy(),
        crs="EPSG:4326",
    )
    return out
