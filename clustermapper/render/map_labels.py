"""Region labels on print maps: starred regions first, white halo, no two labels overlapping.

``label_regions(ax, regions, names, priority, mode, fontsize, avoid=())`` places one label per region in
``regions`` (EPSG:3035, indexed by code) on the finished map axes ``ax`` (extent and aspect final) and
returns the placed ``Text`` artists (gid ``label-<code>``):

- ``mode`` ``"none"`` places nothing, ``"starred"`` only regions with ``priority > 0`` (stars), ``"all"``
  every region whose anchor is in view, the starred ones first;
- order: priority (stars) descending, then area descending, so the strongest clusters win a crowded spot;
- each label tries its name at the region's representative point, then shifted above, below, right and
  left, then its code at the point; a candidate is kept only if its text box (halo included) lies inside
  the axes, outside every box of ``avoid`` (display-coordinate ``Bbox`` es: insets) and overlaps no label
  already placed; otherwise the region is left unlabelled.

Boxes are measured with the figure's renderer (the texts' true extents), so the rule holds on the page.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

import pandas as pd
from matplotlib import patheffects
from matplotlib.transforms import Bbox

MODES = ("none", "starred", "all")
LABEL_COLOUR = "#1a1a1a"
HALO_COLOUR = "#ffffff"


def check_mode(mode: str) -> str:
    from clustermapper.errors import UsageError

    if mode not in MODES:
        raise UsageError(f"--labels {mode!r}: use one of {', '.join(MODES)}")
    return mode


def short_name(name: str, width: int = 16) -> str:
    """The name on at most two lines of about ``width`` characters (longer names are cut with '…')."""
    lines = textwrap.wrap(name.replace("/", "/ "), width, break_on_hyphens=True)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines).replace("/ ", "/")


def _order(regions, priority: pd.Series, mode: str) -> list[str]:
    codes = [c for c in regions.index if mode == "all" or priority.get(c, 0) > 0]
    area = regions.geometry.area
    return sorted(codes, key=lambda c: (-float(priority.get(c, 0) or 0), -float(area[c]), c))


def label_regions(ax, regions, names: Mapping[str, str], priority: pd.Series, mode: str, fontsize: float,
                  avoid: Iterable[Bbox] = ()) -> list:
    """See the module docstring."""
    check_mode(mode)
    if mode == "none" or regions.empty:
        return []
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    avoid = list(avoid)
    placed: list[Bbox] = []
    texts = []
    halo_px = fontsize * 0.18 * fig.dpi / 72  # half the stroke width, in pixels
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    priority = priority.fillna(0)
    for code in _order(regions, priority, mode):
        geom = regions.geometry[code]
        parts = getattr(geom, "geoms", [geom])
        point = max(parts, key=lambda p: p.area).representative_point()
        if not (x0 <= point.x <= x1 and y0 <= point.y <= y1):
            continue
        px, py = ax.transData.transform((point.x, point.y))
        step = fontsize * 0.9 * fig.dpi / 72
        offsets = [(0, 0), (0, step), (0, -step), (2 * step, 0), (-2 * step, 0)]
        candidates = [(short_name(str(names.get(code) or code)), dx, dy) for dx, dy in offsets] + [(code, 0, 0)]
        starred = float(priority.get(code, 0)) > 0
        for text, dx, dy in candidates:
            artist = ax.text(px + dx, py + dy, text, transform=None, ha="center", va="center", fontsize=fontsize,
                             color=LABEL_COLOUR, fontweight="bold" if starred else "normal", linespacing=1.0,
                             zorder=30, clip_on=False)
            bbox = artist.get_window_extent(renderer).expanded(1.0, 1.0)
            bbox = Bbox.from_extents(bbox.x0 - halo_px, bbox.y0 - halo_px, bbox.x1 + halo_px, bbox.y1 + halo_px)
            inside = frame.x0 <= bbox.x0 and bbox.x1 <= frame.x1 and frame.y0 <= bbox.y0 and bbox.y1 <= frame.y1
            if inside and not any(bbox.overlaps(b) for b in placed + avoid):
                # a data-space anchor, so a vector backend places the text where it was measured
                artist.set_transform(ax.transData)
                artist.set_position(tuple(ax.transData.inverted().transform((px + dx, py + dy))))
                artist.set_path_effects([patheffects.withStroke(linewidth=fontsize * 0.36, foreground=HALO_COLOUR)])
                artist.set_gid(f"label-{code}")
                placed.append(bbox)
                texts.append(artist)
                break
            artist.remove()
    return texts
