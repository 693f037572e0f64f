"""Report-ready static maps (PNG, SVG, PDF) of one map layer, drawn with matplotlib in EPSG:3035.

Every map carries a title, the classed legend of its :class:`~clustermapper.layers.LayerData`, a scale
bar in EPSG:3035 metres, the data source line (file, year, indicator, taxonomy, star thresholds) and the
boundary credit. SVG and PDF stay vector: regions are paths and texts are real text (``svg.fonttype
'none'``, PDF TrueType fonts), so they can be searched and edited.

The geometry and its drawing (main map, outermost-region insets, country outlines) come from
:mod:`clustermapper.regions.cartography`; this module does the page layout around it.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path
from clustermapper.regions.cartography import CREDIT
from clustermapper.render.tables import analysis_metadata, region_label

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

PAPER_MM = {"A3": (420.0, 297.0), "A4": (297.0, 210.0), "A5": (210.0, 148.0)}
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
HIGHLIGHT_COLOUR = "#d62728"
TEXT_COLOUR = "#222222"
MUTED = "#555555"


# ----------------------------------------------------------------------------------------- page geometry


def figure_inches(size: str | tuple[int, int], dpi: int) -> tuple[float, float]:
    """Figure size in inches for a paper name (``A4-landscape``, ``A5-portrait`` …) or ``(w_px, h_px)``."""
    if isinstance(size, (tuple, list)):
        w_px, h_px = (int(v) for v in size)
        if not (200 <= w_px <= 20000 and 200 <= h_px <= 20000):
            raise UsageError(f"map size {w_px}×{h_px} px: each side must be 200–20000 pixels")
        return w_px / dpi, h_px / dpi
    name, _, orientation = str(size).partition("-")
    paper = PAPER_MM.get(name.upper())
    if paper is None or orientation.lower() not in ("landscape", "portrait", ""):
        raise UsageError(f"unknown map size {size!r}; use A3/A4/A5 with -landscape or -portrait, or W×H pixels")
    w, h = paper if orientation.lower() != "portrait" else paper[::-1]
    return w / 25.4, h / 25.4


def parse_size(text: str) -> str | tuple[int, int]:
    """CLI form: ``A4-landscape`` or ``1600x1000`` (pixels)."""
    w, sep, h = text.lower().replace("×", "x").partition("x")
    if sep and w.isdigit() and h.isdigit():
        return int(w), int(h)
    return text


# ------------------------------------------------------------------------------------------------ texts


def source_line(analysis: Analysis) -> str:
    """One line saying where the numbers come from and how stars were computed."""
    meta = analysis_metadata(analysis)
    return (f"Data: {meta['data_source']}. Indicator {meta['indicator']}, {meta['year']}; NUTS level "
            f"{meta['nuts_level']}; taxonomy {meta['taxonomy']}; stars {meta['method']}. "
            f"Confidential cells: {suppressed_phrase(analysis)}. Boundaries: {boundary_note(analysis)}. Map: {meta['software']}.")


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
    elif isinstance(extent, tuple):
        code = extent[1].upper()
        where = f"{region_label(analysis, code) or code} ({code}) and neighbours"
    return f"{layer_data.title} — {where}, {analysis.year}"


# ------------------------------------------------------------------------------------------- scale bar


def nice_length(max_metres: float) -> float:
    """Largest 1/2/5 × 10^n metres not above ``max_metres``."""
    exp = 10 ** math.floor(math.log10(max_metres))
    for step in (5, 2, 1):
        if step * exp <= max_metres:
            return step * exp
    return exp


def draw_scale_bar(fig: Figure, map_ax, rect: tuple[float, float, float, float], fontsize: float) -> float:
    """Black/white two-segment scale bar in its own axes at ``rect`` (figure fractions), outside the map.

    The bar axes gets the map's metres per inch (EPSG:3035), so its length is true at the map's scale
    wherever it sits; nothing on the map is covered. Returns the bar length in metres.
    """
    map_ax.apply_aspect()
    x0, x1 = map_ax.get_xlim()
    fig_w = fig.get_size_inches()[0]
    metres_per_inch = (x1 - x0) / (map_ax.get_position().width * fig_w)
    width_m = rect[2] * fig_w * metres_per_inch
    length = nice_length(width_m * 0.8)
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    ax.set_xlim(0, width_m)
    ax.set_ylim(0, 1)
    for i in range(2):
        ax.add_patch(Rectangle((i * length / 2, 0.08), length / 2, 0.16, lw=0.5, zorder=21,
                               facecolor="black" if i == 0 else "white", edgecolor="black"))
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    for i, pos in enumerate((0.0, length / 2, length)):
        ax.text(pos, 0.34, f"{pos / div:g}" + (f" {unit}" if i == 2 else ""), ha="center", va="bottom",
                fontsize=fontsize, color=TEXT_COLOUR)
    ax.set_gid("scale-bar")
    return length


# ---------------------------------------------------------------------------------------------- extent


def extent_bounds(regions, extent) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:3035 for ``"europe"``, a country code or ``("region", code)``.

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
    raise UsageError(f"unknown map extent {extent!r}: use 'europe', a country code or ('region', CODE)")


def fit_aspect(bounds, width: float, height: float) -> tuple[float, float, float, float]:
    """Grow ``bounds`` around its centre to the width/height ratio of the axes, so the map fills its box."""
    x0, y0, x1, y1 = bounds
    cx, cy, dx, dy = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    if dx / dy < width / height:
        dx = dy * width / height
    else:
        dy = dx * height / width
    return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2


# ---------------------------------------------------------------------------------------------- layout


def _scale(w_in: float, h_in: float) -> float:
    """Font scale relative to an A4 page (8.27 in short side), bounded so tiny or huge pages stay legible."""
    return min(max(min(w_in, h_in) / 8.27, 0.6), 1.5)


def _wrap(text: str, width_in: float, fontsize: float) -> str:
    """Wrap ``text`` to about ``width_in`` inches (average DejaVu Sans glyph ≈ 0.55 em)."""
    chars = max(int(width_in * 72 / (fontsize * 0.55)), 20)
    return "\n".join(textwrap.wrap(text, chars))


def _layout(fig: Figure, landscape: bool, s: float, title_lines: int, foot_lines: int = 2) -> tuple:
    """Axes rectangles (figure fractions) for map and legend; margins in inches, scaled with the page."""
    w, h = fig.get_size_inches()
    m = 0.3 * s
    top = _title_height(s, title_lines) / h
    bottom = ((0.39 + 0.115 * foot_lines) * s) / h  # source lines (as many as they wrap to) and the credit
    if landscape:
        legend_w = min(2.5 * s, 0.28 * w) / w
        map_rect = (m / w, bottom, 1 - 2 * m / w - legend_w - 0.1 * s / w, 1 - top - bottom)
        legend_rect = (1 - m / w - legend_w, bottom, legend_w, 1 - top - bottom)
    else:
        legend_h = min(1.3 * s, 0.22 * h) / h
        map_rect = (m / w, bottom + legend_h, 1 - 2 * m / w, 1 - top - bottom - legend_h)
        legend_rect = (m / w, bottom, 1 - 2 * m / w, legend_h)
    return map_rect, legend_rect


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


def faded(colour: str, amount: float = 0.6) -> str:
    """``colour`` mixed with white (for context regions outside the zoomed country)."""
    from matplotlib.colors import to_hex, to_rgb

    r, g, b = (c + (1 - c) * amount for c in to_rgb(colour))
    return to_hex((r, g, b))


def _title_height(s: float, title_lines: int) -> float:
    """Inches from the top edge to the map: margin, title lines (15 pt), subtitle line (9 pt), gap."""
    return (0.3 + 0.27 * title_lines + 0.38) * s


HATCH_COLOUR = "#4d4d4d"


def _legend(ax, layer_data, highlight: list[str], s: float, landscape: bool, width_in: float,
            note: str = "") -> None:
    ax.set_axis_off()
    ncol_guess = 1 if landscape else 3
    chars = max(int((width_in / ncol_guess - 0.45 * s) * 72 / (8.5 * s * 0.55)), 12)
    handles = [Patch(facecolor=colour, edgecolor="#666666", linewidth=0.4, label="\n".join(textwrap.wrap(label, chars)))
               for label, colour in layer_data.legend]
    for label, count in layer_data.hatch_legend:
        handles.append(Patch(facecolor="white", edgecolor=HATCH_COLOUR, hatch="////", linewidth=0.4,
                             label="\n".join(textwrap.wrap(f"{label} ({count})", chars))))
    if highlight:
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT_COLOUR, linewidth=1.6,
                             label=", ".join(highlight[:4]) + (" …" if len(highlight) > 4 else "")))
    title = layer_data.title.split(" — ")[0]
    if layer_data.category_label:
        title_chars = int((width_in - 0.2 * s) * 72 / (9.5 * s * 0.6))  # bold title font is wider
        title += "\n" + "\n".join(textwrap.wrap(f"{layer_data.category} {layer_data.category_label}", title_chars))
    ncol = 1 if landscape else min(ncol_guess, len(handles))
    leg = ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=8.5 * s, title=title,
                    title_fontsize=9.5 * s, alignment="left", handlelength=1.6, handleheight=1.1,
                    labelspacing=0.55, ncols=ncol, borderaxespad=0.2)
    if note:
        ax.text(0.0, 0.0, "\n".join(textwrap.wrap(note, chars + 6)), transform=ax.transAxes, fontsize=7.2 * s,
                color=MUTED, va="bottom", ha="left", linespacing=1.35)
    leg.get_title().set_fontweight("bold")
    leg.get_title().set_color(TEXT_COLOUR)
    for text in leg.get_texts():
        text.set_color(TEXT_COLOUR)


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


def build_figure(analysis: Analysis, layer_data, *, size="A4-landscape", dpi: int = 300, extent="europe",
                 highlight: Iterable[str] = (), title: str | None = None) -> Figure:
    """The complete map page as a matplotlib Figure (nothing written)."""
    from clustermapper.regions import cartography

    w_in, h_in = figure_inches(size, dpi)
    landscape = w_in >= h_in
    s = _scale(w_in, h_in)
    highlight = [c.strip().upper() for c in highlight if c and c.strip()]
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    m = 0.3 * s
    title = _wrap(title or default_title(analysis, layer_data, extent), w_in - 2 * m, 15 * s)
    foot = _wrap(source_line(analysis), w_in - 2 * m, 6.8 * s)
    map_rect, legend_rect = _layout(fig, landscape, s, title.count("\n") + 1, foot.count("\n") + 1)
    ax = fig.add_axes(map_rect)
    regions = cartography.regions_3035(analysis.prepared.geometry_key)
    bounds = extent_bounds(regions, extent)
    europe = isinstance(extent, str) and extent.lower() == "europe"
    colours = layer_data.colours
    if isinstance(extent, str) and not europe:  # country zoom: the neighbours recede, same hues
        country = extent.strip().upper()
        layer_data = _count_hatches_in(layer_data, country)
        colours = {code: (c if str(code).startswith(country) else faded(c)) for code, c in colours.items()}
        colours.update({code: faded(layer_data.no_data_colour) for code in regions.index
                        if code not in colours and not str(code).startswith(country)})
    cartography.draw(ax, regions, colours, no_data_colour=layer_data.no_data_colour, bounds=bounds,
                     insets=europe)
    hatched = [c for c in layer_data.hatched.index if c in regions.index]
    if hatched:  # confidential values are never shown as plain facts: estimated regions carry a hatch
        from matplotlib.colors import to_rgb

        for code in hatched:  # light hatch on dark fills, dark on light ones
            r, g, b = to_rgb(colours.get(code, layer_data.no_data_colour))
            ink = "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else HATCH_COLOUR
            regions.loc[[code]].plot(ax=ax, facecolor="none", edgecolor=ink, hatch="////", linewidth=0.0, zorder=4)
    missing = [c for c in highlight if c not in regions.index]
    if missing:
        raise UsageError(f"cannot highlight {', '.join(missing)}: no boundary in this NUTS version")
    if highlight:
        regions.loc[highlight].boundary.plot(ax=ax, color=HIGHLIGHT_COLOUR, linewidth=1.6 * s, zorder=15)
    _frame(ax, bounds, w_in * map_rect[2], h_in * map_rect[3])
    bar_h = 0.42 * s / h_in
    if landscape:  # bottom of the legend column, under the reading note
        bar_rect = (legend_rect[0], legend_rect[1], min(legend_rect[2], 2.0 * s / w_in), bar_h)
        legend_rect = (legend_rect[0], legend_rect[1] + bar_h + 0.1 * s / h_in, legend_rect[2],
                       legend_rect[3] - bar_h - 0.1 * s / h_in)
    else:  # bottom right of the legend band
        bar_w = min(2.0 * s / w_in, legend_rect[2] * 0.35)
        bar_rect = (legend_rect[0] + legend_rect[2] - bar_w, legend_rect[1], bar_w, bar_h)
    draw_scale_bar(fig, ax, bar_rect, fontsize=7 * s)
    _legend(fig.add_axes(legend_rect), layer_data, highlight, s, landscape, w_in * legend_rect[2],
            reading_note(analysis, layer_data) if landscape else "")

    fig.text(m / w_in, 1 - 0.3 * s / h_in, title, fontsize=15 * s, fontweight="bold", color=TEXT_COLOUR,
             va="top", ha="left", linespacing=1.15)
    sub_y = 1 - (_title_height(s, title.count("\n") + 1) - 0.1 * s) / h_in
    fig.text(m / w_in, sub_y, layer_data.subtitle, fontsize=9 * s, color=MUTED, va="bottom", ha="left")
    fig.text(m / w_in, (0.18 * s + 0.14 * s) / h_in, foot, fontsize=6.8 * s, color=MUTED, va="bottom", ha="left",
             linespacing=1.3)
    fig.text(m / w_in, 0.14 * s / h_in, CREDIT, fontsize=6.8 * s, color=MUTED, va="bottom", ha="left")
    return fig


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
               highlight: Iterable[str] = (), title: str | None = None, layer_data=None) -> Path:
    """Render ``layer`` (see :data:`clustermapper.layers.LAYERS`) of ``analysis`` to ``out`` (.png/.svg/.pdf).

    Parameters
    ----------
    size : paper name (``"A4-landscape"``, ``"A5-portrait"``, ``"A3-landscape"`` …) or ``(w_px, h_px)``.
    extent : ``"europe"``, a country code (``"DE"``) or ``("region", "DE11")`` (region and its neighbours).
    highlight : region codes outlined in red.
    layer_data : a prebuilt :class:`~clustermapper.layers.LayerData` (else built from layer/category).
    """
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"{out}: a static map is written as .png, .svg or .pdf")
    if layer_data is None:
        from clustermapper.layers import build_layer

        layer_data = build_layer(analysis, layer, category)
    fig = build_figure(analysis, layer_data, size=size, dpi=dpi, extent=extent, highlight=highlight, title=title)
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
