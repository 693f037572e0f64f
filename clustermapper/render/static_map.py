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
from pathlib import Path
from typing import Iterable

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path
from clustermapper.render.tables import analysis_metadata, region_label

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


def credit_text() -> str:
    from clustermapper.regions.cartography import CREDIT

    return CREDIT


def source_line(analysis: Analysis) -> str:
    """One line saying where the numbers come from and how stars were computed."""
    meta = analysis_metadata(analysis)
    return (f"Data: Eurostat, {meta['source_file']} ({meta['indicator']}), {meta['year']}; NUTS level "
            f"{meta['nuts_level']}; taxonomy {meta['taxonomy']}; stars {meta['method']}. "
            f"Boundaries: {meta['nuts_version']}. Map: {meta['software']}.")


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


def draw_scale_bar(ax, fontsize: float, fraction: float = 0.2) -> float:
    """Black/white two-segment scale bar at the lower left of ``ax`` (data units = EPSG:3035 metres).

    Returns the bar length in metres. Call after the extent and aspect are final.
    """
    ax.apply_aspect()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) * fraction)
    height = (y1 - y0) * 0.008
    left, bottom = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.045
    ax.add_patch(Rectangle((left - (x1 - x0) * 0.012, bottom - (y1 - y0) * 0.03), length + (x1 - x0) * 0.05,
                           (y1 - y0) * 0.075, facecolor="white", alpha=0.8, edgecolor="none", zorder=20))
    for i in range(2):
        ax.add_patch(Rectangle((left + i * length / 2, bottom), length / 2, height, zorder=21, lw=0.5,
                               facecolor="black" if i == 0 else "white", edgecolor="black"))
    unit, div = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    for i, pos in enumerate((0.0, length / 2, length)):
        text = f"{pos / div:g}" + (f" {unit}" if i == 2 else "")
        ax.text(left + pos, bottom + height * 1.6, text, ha="center", va="bottom", fontsize=fontsize,
                color=TEXT_COLOUR, zorder=22)
    return length


# ---------------------------------------------------------------------------------------------- extent


def extent_bounds(regions, extent, europe_bounds: tuple[float, float, float, float]) -> tuple:
    """(xmin, ymin, xmax, ymax) in EPSG:3035 for ``"europe"``, a country code or ``("region", code)``.

    ``regions`` is a GeoDataFrame in EPSG:3035 indexed by NUTS code with a ``CNTR_CODE`` column. Parts
    outside the European frame (outermost regions) are left out of a country's extent.
    """
    from shapely.geometry import box

    frame = box(*europe_bounds)
    if isinstance(extent, str) and extent.lower() == "europe":
        return europe_bounds
    if isinstance(extent, str):
        country = extent.strip().upper()
        shapes = regions[regions["CNTR_CODE"] == country]
        if shapes.empty:
            raise UsageError(f"no boundaries for country {country!r}")
        geom = shapes.geometry.union_all().intersection(frame)
        return _pad(geom.bounds if not geom.is_empty else shapes.total_bounds, 0.04)
    kind, code = extent
    if kind != "region":
        raise UsageError(f"unknown map extent {extent!r}")
    code = code.strip().upper()
    if code not in regions.index:
        raise UsageError(f"no boundary for region {code!r} in this NUTS version")
    return _pad(tuple(regions.loc[neighbours(regions, code)].total_bounds), 0.06)


def neighbours(regions, code: str) -> list[str]:
    """``code`` and the regions touching it (1 km tolerance: generalised borders do not meet exactly)."""
    geom = regions.geometry.loc[code].buffer(1000)
    hits = regions.index[regions.geometry.intersects(geom)]
    return [code] + sorted(c for c in hits if c != code)


def _pad(bounds, frac: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) * frac, (y1 - y0) * frac
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy
