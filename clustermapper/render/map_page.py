"""Page geometry of the print maps: paper sizes, margins, measured text wrapping, scale bar, legend.

Sizes: ``A3``/``A4``/``A5`` with ``-landscape`` or ``-portrait``, ``WxHmm`` (custom paper, 105–1000 mm a
side) or ``(w_px, h_px)`` (pixels at the given dpi, each side at least 105 mm at that dpi). The margin is ``0.3 in × s`` on every side, ``s``
the font scale of the page (:func:`scale`); every text is wrapped by its measured width
(:func:`fit_lines`, the renderer's own font metrics), so none reaches into the margin.
"""

from __future__ import annotations

import math
import re
from typing import cast

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, Rectangle

from clustermapper.errors import UsageError

PAPER_MM = {"A3": (420.0, 297.0), "A4": (297.0, 210.0), "A5": (210.0, 148.0)}
TEXT_COLOUR = "#222222"
MUTED = "#555555"
HATCH_COLOUR = "#4d4d4d"
HIGHLIGHT_COLOUR = "#d62728"
_MM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*mm\s*$", re.I)


MIN_SIDE_MM = 105.0  # A6's short side: the least that holds the map with its title, legend and credit
MAX_MEGAPIXELS = 150  # A4 at 1,200 dpi is 139; drawing costs ~5 MB a megapixel (20000 × 20000 px took 1.8 GB)


def figure_inches(size: str | tuple[int, int], dpi: int) -> tuple[float, float]:
    """Figure size in inches for a paper name, ``WxHmm`` or ``(w_px, h_px)`` (see the module docstring); a
    page with a side under ``MIN_SIDE_MM`` or above ``MAX_MEGAPIXELS`` at ``dpi`` is refused."""
    if isinstance(size, (tuple, list)):
        w_px, h_px = (int(v) for v in size)
        if not (200 <= w_px <= 20000 and 200 <= h_px <= 20000):
            raise UsageError(f"map size {w_px}×{h_px} px: each side must be 200–20000 pixels")
        if min(w_px, h_px) / dpi < MIN_SIDE_MM / 25.4:
            most = math.floor(min(w_px, h_px) / (MIN_SIDE_MM / 25.4))
            raise UsageError(f"map size {w_px}×{h_px} px at {dpi} dpi is a page of {w_px / dpi:.1f} × {h_px / dpi:.1f} "
                             f"inches; each side needs at least {MIN_SIDE_MM:.0f} mm ({MIN_SIDE_MM / 25.4:.2f} in) for "
                             "the map with its title, legend and credit: "
                             + (f"give --dpi {most} or less" if most >= 50 else "give more pixels a side"))
        w_in, h_in = w_px / dpi, h_px / dpi
    elif mm := _MM.match(str(size)):
        w, h = float(mm.group(1)), float(mm.group(2))
        if not (MIN_SIDE_MM <= w <= 1000 and MIN_SIDE_MM <= h <= 1000):
            raise UsageError(f"map size {size!r}: each side must be {MIN_SIDE_MM:.0f}–1000 mm (the least holds the map "
                             "with its title, legend and credit)")
        w_in, h_in = w / 25.4, h / 25.4
    else:
        name, _, orientation = str(size).partition("-")
        paper = PAPER_MM.get(name.upper())
        if paper is None or orientation.lower() not in ("landscape", "portrait", ""):
            raise UsageError(f"unknown map size {size!r}; use A3/A4/A5 with -landscape or -portrait, WxHmm "
                             "(e.g. 250x180mm) or WxH pixels (e.g. 1600x1000)")
        w, h = paper if orientation.lower() != "portrait" else paper[::-1]
        w_in, h_in = w / 25.4, h / 25.4
    megapixels = w_in * h_in * dpi * dpi / 1e6
    if megapixels > MAX_MEGAPIXELS:
        most = math.floor(dpi * math.sqrt(MAX_MEGAPIXELS / megapixels))
        raise UsageError(f"a map of {round(w_in * dpi)} × {round(h_in * dpi)} px is {megapixels:,.0f} megapixels, above the "
                         f"{MAX_MEGAPIXELS} a map may have (A4 at 1,200 dpi is 139): "
                         + ("give fewer pixels a side" if isinstance(size, (tuple, list)) else f"give --dpi {most} or less"))
    return w_in, h_in


def parse_size(text: str) -> str | tuple[int, int]:
    """CLI form: ``A4-landscape``, ``250x180mm`` (kept as text) or ``1600x1000`` (pixels)."""
    w, sep, h = text.lower().replace("×", "x").partition("x")
    if sep and w.strip().isdigit() and h.strip().isdigit():
        return int(w), int(h)
    return text


def scale(w_in: float, h_in: float) -> float:
    """Font scale relative to an A4 page (8.27 in short side), bounded so tiny or huge pages stay legible."""
    return min(max(min(w_in, h_in) / 8.27, 0.6), 1.5)


def margin(s: float) -> float:
    return 0.3 * s


def fit_lines(fig: Figure, text: str, width_in: float, fontsize: float, weight: str = "normal") -> str:
    """``text`` broken at spaces into lines whose rendered width is at most ``width_in`` inches."""
    renderer = cast(FigureCanvasAgg, fig.canvas).get_renderer()  # build_figure attaches an Agg canvas
    prop = FontProperties(size=fontsize, weight=weight)
    limit = width_in * fig.dpi

    def width(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and width(trial) > limit:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


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
                fontsize=fontsize, color=TEXT_COLOUR, ma="center")
    ax.set_gid("scale-bar")
    return length


def fit_aspect(bounds, width: float, height: float) -> tuple[float, float, float, float]:
    """Grow ``bounds`` around its centre to the width/height ratio of the axes, so the map fills its box."""
    x0, y0, x1, y1 = bounds
    cx, cy, dx, dy = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    if dx / dy < width / height:
        dx = dy * width / height
    else:
        dy = dx * height / width
    return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2


def legend(ax, layer_data, highlight: list[str], s: float, landscape: bool, width_in: float,
           note: str = "", extra: tuple[tuple[str, str], ...] = ()) -> None:
    """Classed legend of ``layer_data`` (+ hatches, ``extra`` (label, colour) entries, highlight) in ``ax``."""
    fig = ax.figure
    ax.set_axis_off()
    ncol = 1 if landscape else 3
    item_w = width_in / ncol - 0.75 * s  # handle, padding and column gap
    size = 8.5 * s

    def wrap(label: str) -> str:
        return fit_lines(fig, label, item_w, size)

    handles = [Patch(facecolor=colour, edgecolor="#666666", linewidth=0.4, label=wrap(label))
               for label, colour in layer_data.legend]
    handles += [Patch(facecolor=colour, edgecolor="#666666", linewidth=0.4, label=wrap(label))
                for label, colour in extra]
    from clustermapper.layers import HATCH_PATTERNS

    for key, label, count in layer_data.hatch_items:
        handles.append(Patch(facecolor="white", edgecolor=HATCH_COLOUR, hatch=HATCH_PATTERNS[key], linewidth=0.4,
                             label=wrap(f"{label} ({count})")))
    if highlight:
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT_COLOUR, linewidth=1.6,
                             label=wrap(", ".join(highlight[:4]) + (" …" if len(highlight) > 4 else ""))))
    title = layer_data.title.split(" — ")[0]
    if layer_data.category_label:
        title += "\n" + fit_lines(fig, f"{layer_data.category} {layer_data.category_label}", width_in - 0.2 * s,
                                  9.5 * s, "bold")
    leg = ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=size, title=title,
                    title_fontsize=9.5 * s, alignment="left", handlelength=1.6, handleheight=1.1,
                    labelspacing=0.55, ncols=min(ncol, len(handles)), borderaxespad=0.2, columnspacing=1.0)
    if note:
        ax.text(0.0, 0.0, fit_lines(fig, note, width_in - 0.1 * s, 7.2 * s), transform=ax.transAxes,
                fontsize=7.2 * s, color=MUTED, va="bottom", ha="left", linespacing=1.35)
    leg.get_title().set_fontweight("bold")
    leg.get_title().set_color(TEXT_COLOUR)
    for text in leg.get_texts():
        text.set_color(TEXT_COLOUR)
