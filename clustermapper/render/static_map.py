"""Report-ready static maps (PNG, SVG, PDF) of one map layer, drawn with matplotlib in EPSG:3035.

Every map carries a title, the classed legend of its :class:`~clustermapper.layers.LayerData`, a scale
bar in EPSG:3035 metres, the data source line (file, year, indicator, taxonomy, star thresholds) and the
boundary credit. SVG and PDF stay vector: regions are paths and texts are real text (``svg.fonttype
'none'``, PDF TrueType fonts), so they can be searched and edited.

The geometry and its drawing (main map, outermost-region insets, country outlines, grey land of the
countries outside the data on a pale sea) come from :mod:`clustermapper.regions.cartography`; page sizes,
margins, measured wrapping and the legend from :mod:`clustermapper.render.map_page`; region labels from
:mod:`clustermapper.render.map_labels`. This module assembles the page. On a country map the country's
outermost regions get insets in a strip beside (landscape) or under (portrait) the map, and the other
countries' regions are drawn in one ``CONTEXT_COLOUR``, named in the legend.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely.geometry import box

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path
from clustermapper.regions.cartography import CREDIT
from clustermapper.regions.land import OTHER_LAND_COLOUR, OTHER_LAND_LABEL
from clustermapper.render.map_page import (  # noqa: F401  (figure_inches, parse_size: public here too)
    HATCH_COLOUR,
    HIGHLIGHT_COLOUR,
    MUTED,
    TEXT_COLOUR,
    draw_scale_bar,
    figure_inches,
    fit_aspect,
    fit_lines,
    legend,
    margin,
    nice_length,
    parse_size,
    scale,
)
from clustermapper.render.tables import region_label

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: one colour for the regions of other countries on a country map (they are context, not data)
CONTEXT_COLOUR = "#ede6d4"
CONTEXT_LABEL = "Neighbouring regions (context)"


# ------------------------------------------------------------------------------------------------ texts


#: what each confidential-cell policy did, in a reader's words (footers, compare notes)
CONFIDENTIAL_WORDS = {"estimate": "estimated from the published totals", "zero": "counted as 0",
                      "exclude": "left out of the rankings", "eco-split": "split equally, as the ECO did"}


def source_line(analysis: Analysis) -> str:
    """Where the numbers come from and how the stars were computed, in words a report reader follows
    (no internal codes; the exported metadata keeps the technical provenance)."""
    from clustermapper.render.profile_words import indicator_words, method_words, taxonomy_words
    from clustermapper.render.profile_words import source_line as source
    from clustermapper.suppressed import POLICY_LABELS

    policy = analysis.spec.suppressed
    cells = {k: f"{v} (hatched)" for k, v in CONFIDENTIAL_WORDS.items()}
    from clustermapper.render.tables import data_source

    # the demo's citation carries Eurostat's reuse licence; a file is named by its dataset code
    who = data_source(analysis) if analysis.spec.uses_demo else source(analysis).split(";")[0].removeprefix("Source: ")
    return (f"Source: {who} — {indicator_words(analysis)}; NUTS {analysis.spec.level} regions "
            f"({boundary_note(analysis)} boundaries); {taxonomy_words(analysis)}. European Cluster Observatory "
            f"stars: {method_words(analysis.params)}. Confidential cells: "
            f"{cells.get(policy, POLICY_LABELS.get(policy, policy))}.")


def _count_hatches_in(layer_data, country: str):
    """The layer with hatches (drawn and counted) on ``country``'s regions only: the neighbours are faded context."""
    from dataclasses import replace

    hatched = layer_data.hatched
    return replace(layer_data, hatched=hatched[[str(c).startswith(country) for c in hatched.index]])


def suppressed_phrase(analysis: Analysis) -> str:
    from clustermapper.suppressed import POLICY_LABELS

    return f"{analysis.spec.suppressed} ({POLICY_LABELS[analysis.spec.suppressed]})"


def boundary_note(analysis: Analysis) -> str:
    """Short form of the NUTS version match for the map footer (the metadata keeps the full text)."""
    boundaries = getattr(analysis.spec, "boundaries", None)
    if boundaries:
        return f"{Path(boundaries).name} (user file)"
    match = analysis.nuts
    version = getattr(match, "version", None)
    if version is None:
        return "NUTS version not determined"
    text = f"NUTS {version}"
    fallback = getattr(match, "fallback", {}) or {}
    if fallback:
        text += f" ({len(fallback)} codes drawn from other NUTS versions)"
    unknown = getattr(match, "unknown", []) or []
    if unknown:
        text += f"; {len(unknown)} codes without boundaries not shown"
    return text


def default_title(analysis: Analysis, layer_data, extent) -> str:
    where = "Europe"
    if isinstance(extent, str) and extent.lower() != "europe":
        where = region_label(analysis, extent.upper()) or extent.upper()
    elif isinstance(extent, (tuple, list)) and len(extent) == 4:
        where = "selected area"
    elif isinstance(extent, (tuple, list)):
        code = str(extent[1]).upper()
        where = f"{region_label(analysis, code) or code} ({code}) and neighbours"
    return f"{layer_data.title} — {where}, {analysis.year}"


# ---------------------------------------------------------------------------------------------- extent


def extent_bounds(regions, extent) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:3035 for ``"europe"``, a country code, ``("region", code)`` or a
    box ``(xmin, ymin, xmax, ymax)`` in EPSG:3035 metres (e.g. the app's current view).

    ``regions`` comes from :func:`clustermapper.regions.cartography.regions_3035`; countries are zoomed to
    their European part, a region to itself plus the regions touching it.
    """
    from clustermapper.regions import cartography

    if isinstance(extent, str) and extent.strip().lower() == "europe":
        return cartography.EUROPE_BOUNDS
    if isinstance(extent, str):
        return cartography.country_bounds(regions, extent.strip().upper())
    if isinstance(extent, (tuple, list)) and len(extent) == 2 and extent[0] == "region":
        return cartography.neighbour_bounds(regions, str(extent[1]).strip().upper())
    if isinstance(extent, (tuple, list)) and len(extent) == 4:
        x0, y0, x1, y1 = (float(v) for v in extent)
        if x1 - x0 < 1000 or y1 - y0 < 1000:
            raise UsageError(f"map extent {extent!r}: give (xmin, ymin, xmax, ymax) in EPSG:3035 metres")
        return x0, y0, x1, y1
    raise UsageError(f"unknown map extent {extent!r}: use 'europe', a country code, ('region', CODE) or a box")


# ---------------------------------------------------------------------------------------------- layout


def _layout(w: float, h: float, landscape: bool, s: float, top_in: float, foot_lines: int) -> tuple:
    """Axes rectangles (figure fractions) for map and legend; margins in inches, scaled with the page."""
    m = margin(s)
    top = top_in / h
    bottom = ((0.39 + 0.125 * foot_lines) * s) / h  # source lines (as many as they wrap to) and the credit
    if landscape:
        legend_w = min(2.5 * s, 0.28 * w) / w
        map_rect = (m / w, bottom, 1 - 2 * m / w - legend_w - 0.1 * s / w, 1 - top - bottom)
        legend_rect = (1 - m / w - legend_w, bottom, legend_w, 1 - top - bottom)
    else:
        legend_h = min(1.45 * s, 0.24 * h) / h
        map_rect = (m / w, bottom + legend_h, 1 - 2 * m / w, 1 - top - bottom - legend_h)
        legend_rect = (m / w, bottom, 1 - 2 * m / w, legend_h)
    return map_rect, legend_rect


def _check_room(map_rect, legend_rect, landscape: bool, s: float, w_in: float, h_in: float) -> None:
    """A page too elongated for the title, legend and credit beside the map: a UsageError saying so, not
    matplotlib's "width and height must be non-negative" from inside the layout (sizes are checked first)."""
    legend_h = legend_rect[3] * h_in - ((0.42 + 0.1) * s if landscape else 0.0)  # less the scale bar
    if min(map_rect[2] * w_in, map_rect[3] * h_in) >= 1.5 and legend_rect[2] * w_in >= 1.0 and legend_h >= 0.5:
        return
    raise UsageError(f"a map page of {w_in:.1f} × {h_in:.1f} inches leaves no room for the map beside its title, "
                     "legend and credit: give a larger or less elongated --size, or a shorter --title")


def _inset_strip(map_rect, n: int, landscape: bool, w: float, h: float, s: float) -> tuple[tuple, list[tuple]]:
    """Shrink ``map_rect`` for a strip of ``n`` inset cells (right column on landscape, bottom row on portrait)."""
    x, y, mw, mh = map_rect
    gap = 0.08 * s
    if landscape:
        strip = min(1.5 * s / w, mw * 0.2)
        cell_h = (mh - (n - 1) * gap / h) / n
        cells = [(x + mw - strip, y + mh - (i + 1) * cell_h - i * gap / h, strip, cell_h) for i in range(n)]
        return (x, y, mw - strip - gap / w, mh), cells
    strip = min(1.25 * s / h, mh * 0.2)
    cell_w = (mw - (n - 1) * gap / w) / n
    cells = [(x + i * (cell_w + gap / w), y, cell_w, strip) for i in range(n)]
    return (x, y + strip + gap / h, mw, mh - strip - gap / h), cells


def reading_note(analysis: Analysis, layer_data) -> str:
    """How to read the layer, with the thresholds actually used."""
    p = analysis.spec.params
    top = f"top {p.top_share:.0%}"
    if layer_data.layer == "stars":
        return (f"One star each for size ({top} of regions by employees), specialisation (LQ ≥ {p.lq_min:g}) "
                f"and focus ({top} by share of the region's employment). No star below "
                f"{p.min_employment:,.0f} employees.")
    if layer_data.layer == "lq":
        return ("LQ = the category's share of regional employment divided by its share across all regions; "
                "above 1 the region is more specialised than average. Classes include their lower bound.")
    return layer_data.description


def _title_height(s: float, title_lines: int, subtitle_lines: int = 1) -> float:
    """Inches from the top edge to the map: margin, title lines (15 pt), subtitle lines (9 pt), gap."""
    return (0.3 + 0.27 * title_lines + 0.16 * subtitle_lines + 0.22) * s


def _frame(ax, bounds, width_in: float, height_in: float) -> None:
    """Final extent (fitted to the axes ratio), no ticks or axis labels, a thin grey frame."""
    x0, y0, x1, y1 = fit_aspect(bounds, width_in, height_in)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)


def label_priority(layer_data) -> pd.Series:
    """Stars per region for label order: the layer's ``Stars`` (or ``Total stars``) column, else none."""
    tip = layer_data.tooltip
    for col in ("Stars", "Total stars"):
        if col in tip:
            return pd.to_numeric(tip[col], errors="coerce").fillna(0).astype(float)
    return pd.Series(0.0, index=layer_data.values.index)


def map_colours(regions, layer_data, country: str | None) -> dict:
    """Fill per drawn region: the layer's colour; countries without data in grey (``OTHER_LAND_COLOUR``);
    on a country map the other countries' regions in ``CONTEXT_COLOUR``."""
    data_countries = {regions.at[c, "CNTR_CODE"] for c in layer_data.values.index if c in regions.index}
    colours = {}
    for code, cntr in zip(regions.index, regions["CNTR_CODE"]):
        if cntr not in data_countries:
            colours[code] = OTHER_LAND_COLOUR
        elif country and cntr != country:
            colours[code] = CONTEXT_COLOUR
        else:
            colours[code] = layer_data.colours.get(code, layer_data.no_data_colour)
    return colours


class _BuildCanvas(FigureCanvasAgg):
    """An Agg canvas that ignores ``draw_idle``: geopandas asks for one after every layer it plots, and on
    an Agg canvas that is a whole render of the page (47 at 300 dpi: 11 of the 14 s of an A4 export). The
    figure is drawn once, when it is saved."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def build_figure(analysis: Analysis, layer_data, *, size="A4-landscape", dpi: int = 300, extent="europe",
                 highlight: Iterable[str] = (), title: str | None = None, labels: str = "none") -> Figure:
    """The complete map page as a matplotlib Figure (nothing written)."""
    from clustermapper.regions import cartography
    from clustermapper.render.map_labels import check_mode, label_regions

    check_mode(labels)
    w_in, h_in = figure_inches(size, dpi)
    landscape = w_in >= h_in
    s = scale(w_in, h_in)
    highlight = [c.strip().upper() for c in highlight if c and c.strip()]
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    _BuildCanvas(fig)  # the renderer measures texts for wrapping and labels
    m = margin(s)
    title = fit_lines(fig, title or default_title(analysis, layer_data, extent), w_in - 2 * m, 15 * s, "bold")
    subtitle = fit_lines(fig, layer_data.subtitle, w_in - 2 * m, 9 * s)
    foot = fit_lines(fig, source_line(analysis), w_in - 2 * m, 6.8 * s)
    n_title, n_sub = title.count("\n") + 1, subtitle.count("\n") + 1
    map_rect, legend_rect = _layout(w_in, h_in, landscape, s, _title_height(s, n_title, n_sub), foot.count("\n") + 1)
    _check_room(map_rect, legend_rect, landscape, s, w_in, h_in)
    regions = cartography.regions_3035(analysis.prepared.geometry_key)
    bounds = extent_bounds(regions, extent)
    europe = isinstance(extent, str) and extent.lower() == "europe"
    country = extent.strip().upper() if isinstance(extent, str) and not europe else None
    inset_todo = cartography.insets_for(regions, country) if country else []
    cells: list[tuple] = []
    if inset_todo:
        map_rect, cells = _inset_strip(map_rect, len(inset_todo), landscape, w_in, h_in, s)
    if country:
        layer_data = _count_hatches_in(layer_data, country)
    colours = map_colours(regions, layer_data, country)
    ax = fig.add_axes(map_rect)
    insets = cartography.draw(ax, regions, colours, no_data_colour=layer_data.no_data_colour, bounds=bounds,
                              insets=europe)
    if inset_todo:
        background = cartography.background_for(regions)
        outlines = cartography.outlines_for(regions.attrs["nuts_version"]) if "nuts_version" in regions.attrs else None
        for rect, (inset, hit) in zip(cells, inset_todo):
            sub = fig.add_axes(rect)
            cartography.draw_inset(sub, inset, hit, colours, layer_data.no_data_colour, outlines,
                                   background=background, fontsize=6.5 * s)
            insets.append(sub)
    _hatch(ax, regions, layer_data, colours)
    missing = [c for c in highlight if c not in regions.index]
    if missing:
        raise UsageError(f"cannot highlight {', '.join(missing)}: no boundary in this NUTS version")
    if highlight:
        regions.loc[highlight].boundary.plot(ax=ax, color=HIGHLIGHT_COLOUR, linewidth=1.6 * s, zorder=15)
    _frame(ax, bounds, w_in * map_rect[2], h_in * map_rect[3])
    if labels != "none":
        shown = regions[regions["CNTR_CODE"] == country] if country else regions
        shown = shown[[c in layer_data.values.index for c in shown.index]]
        renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()
        label_regions(ax, shown, dict(zip(regions.index, regions["NAME_LATN"])), label_priority(layer_data), labels,
                      fontsize=5.6 * s, avoid=[sub.get_window_extent(renderer) for sub in insets])
    bar_h = 0.42 * s / h_in
    if landscape:  # bottom of the legend column, under the reading note
        bar_rect = (legend_rect[0], legend_rect[1], min(legend_rect[2], 2.0 * s / w_in), bar_h)
        legend_rect = (legend_rect[0], legend_rect[1] + bar_h + 0.1 * s / h_in, legend_rect[2],
                       legend_rect[3] - bar_h - 0.1 * s / h_in)
    else:  # bottom right of the legend band
        bar_w = min(2.0 * s / w_in, legend_rect[2] * 0.35)
        bar_rect = (legend_rect[0] + legend_rect[2] - bar_w - 0.15 * s / w_in, legend_rect[1], bar_w, bar_h)
    draw_scale_bar(fig, ax, bar_rect, fontsize=7 * s)
    extra: tuple[tuple[str, str], ...] = ((CONTEXT_LABEL, CONTEXT_COLOUR),) if country else ()
    if _other_land_shown(regions, colours, bounds):
        extra += ((OTHER_LAND_LABEL, OTHER_LAND_COLOUR),)
    legend(fig.add_axes(legend_rect), layer_data, highlight, s, landscape, w_in * legend_rect[2],
           reading_note(analysis, layer_data) if landscape else "", extra)

    fig.text(m / w_in, 1 - 0.3 * s / h_in, title, fontsize=15 * s, fontweight="bold", color=TEXT_COLOUR,
             va="top", ha="left", linespacing=1.15, gid="title")
    sub_y = 1 - (_title_height(s, n_title, n_sub) - 0.1 * s) / h_in
    fig.text(m / w_in, sub_y, subtitle, fontsize=9 * s, color=MUTED, va="bottom", ha="left", gid="subtitle")
    fig.text(m / w_in, (0.18 * s + 0.14 * s) / h_in, foot, fontsize=6.8 * s, color=MUTED, va="bottom", ha="left",
             linespacing=1.3)
    fig.text(m / w_in, 0.14 * s / h_in, CREDIT, fontsize=6.8 * s, color=MUTED, va="bottom", ha="left")
    return fig


def _hatch(ax, regions, layer_data, colours: dict) -> None:
    """Confidential values are never shown as plain facts: such regions carry their status's hatch."""
    from matplotlib.colors import to_rgb

    from clustermapper.layers import HATCH_PATTERNS

    for code in (c for c in layer_data.hatched.index if c in regions.index):  # light hatch on dark fills
        r, g, b = to_rgb(colours.get(code, layer_data.no_data_colour))
        ink = "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else HATCH_COLOUR
        pattern = HATCH_PATTERNS.get(str(layer_data.hatched[code]), "////")
        regions.loc[[code]].plot(ax=ax, facecolor="none", edgecolor=ink, hatch=pattern, linewidth=0.0, zorder=4)


def _other_land_shown(regions, colours: dict, bounds) -> bool:
    """Whether land of countries outside the data (grey) is visible in ``bounds``."""
    from clustermapper.regions import cartography

    view = box(*bounds)
    if any(colours.get(c) == OTHER_LAND_COLOUR for c in regions.index[regions.geometry.intersects(view)]):
        return True
    return bool(cartography.background_for(regions).to_crs(cartography.CRS).intersects(view).any())


def save_figure(fig: Figure, out: Path, dpi: int) -> Path:
    """Save by extension, atomically; SVG text as text, PDF fonts as TrueType (searchable)."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(f"{out}: a static map is written as .png, .svg or .pdf")
    rc: dict[RcKeyType, Any] = {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "clustermapper"}
    meta = {"png": {"Software": "ClusterMapper"}, "svg": {"Creator": "ClusterMapper"},
            "pdf": {"Creator": "ClusterMapper"}}[fmt]
    with matplotlib.rc_context(rc), atomic_path(out) as tmp:
        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=meta)
    return out


def render_map(analysis: Analysis, layer: str, category: str | None = None, *, out: str | Path,
               size: str | tuple[int, int] = "A4-landscape", dpi: int = 300, extent="europe",
               highlight: Iterable[str] = (), title: str | None = None, layer_data=None,
               labels: str = "none") -> Path:
    """Render ``layer`` (see :data:`clustermapper.layers.LAYERS`) of ``analysis`` to ``out`` (.png/.svg/.pdf).

    Parameters
    ----------
    size : paper name (``"A4-landscape"``, ``"A5-portrait"``, ``"A3-landscape"`` …) or ``(w_px, h_px)``.
    extent : ``"europe"``, a country code (``"DE"``, with its outermost-region insets), ``("region", "DE11")``
        (region and its neighbours) or ``(xmin, ymin, xmax, ymax)`` in EPSG:3035 metres.
    highlight : region codes outlined in red.
    labels : ``"none"``, ``"starred"`` or ``"all"`` (:mod:`clustermapper.render.map_labels`).
    layer_data : a prebuilt :class:`~clustermapper.layers.LayerData` (else built from layer/category).
    """
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"{out}: a static map is written as .png, .svg or .pdf")
    if layer_data is None:
        from clustermapper.layers import build_layer

        layer_data = build_layer(analysis, layer, category)
    fig = build_figure(analysis, layer_data, size=size, dpi=dpi, extent=extent, highlight=highlight, title=title,
                       labels=labels)
    return save_figure(fig, out, dpi)


def locator_png(analysis: Analysis, region: str, width_in: float = 3.2, height_in: float = 3.0,
                dpi: int = 200) -> bytes:
    """Small map of ``region`` (highlighted) within its country, for profiles; PNG bytes."""
    from clustermapper.regions import cartography

    regions = cartography.regions_3035(analysis.prepared.geometry_key)
    if region not in regions.index:
        return b""
    country = str(regions.loc[region, "CNTR_CODE"])
    colours = {code: ("#0072b2" if code == region else "#e3e3e3" if str(code).startswith(country) else "#f4f4f4")
               for code in regions.index}
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    bounds = extent_bounds(regions, country)
    cartography.draw(ax, regions, colours, no_data_colour="#f4f4f4", bounds=bounds, insets=False)
    _frame(ax, bounds, width_in * 0.98, height_in * 0.98)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
