"""Colour-vision deficiency simulation and colour differences, to check that map palettes stay readable.

``simulate(hex, kind)`` applies the Machado, Oliveira & Fernandes (2009) matrices at full severity (1.0) to
linear sRGB — ``kind`` is ``"protanopia"``, ``"deuteranopia"`` or ``"tritanopia"`` (``"normal"`` returns the
colour unchanged) — and returns the simulated colour as sRGB values in 0–1. ``lab(rgb)`` converts sRGB to
CIELAB (D65 white, the sRGB primaries of IEC 61966-2-1); ``delta_e(a, b)`` is the CIE 1976 distance in it.
``palette_report(colours)`` gives, per simulation, the L* of every colour and the smallest pairwise ΔE.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# Machado et al. 2009, Table 1 at severity 1.0; rows sum to 1, so white and greys stay unchanged.
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
KINDS = ("normal", *MACHADO)
_XYZ = ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))  # linear sRGB -> XYZ
_WHITE = (0.9505, 1.0, 1.089)  # D65, the XYZ of sRGB white with the matrix above


def hex_rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def from_linear(c: float) -> float:
    c = min(max(c, 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def simulate(colour: str | Sequence[float], kind: str) -> tuple[float, float, float]:
    """``colour`` as seen with ``kind`` (see the module docstring); sRGB 0–1, clipped to the gamut."""
    rgb = hex_rgb(colour) if isinstance(colour, str) else tuple(float(c) for c in colour)
    if kind == "normal":
        return rgb[0], rgb[1], rgb[2]
    if kind not in MACHADO:
        raise ValueError(f"unknown colour-vision deficiency {kind!r}; use one of {', '.join(KINDS)}")
    lin = [to_linear(c) for c in rgb]
    out = [from_linear(sum(m * c for m, c in zip(row, lin))) for row in MACHADO[kind]]
    return out[0], out[1], out[2]


def lab(rgb: Sequence[float]) -> tuple[float, float, float]:
    """CIELAB (L*, a*, b*) of an sRGB colour given as 0–1 values."""
    lin = [to_linear(c) for c in rgb]
    x, y, z = (sum(m * c for m, c in zip(row, lin)) / w for row, w in zip(_XYZ, _WHITE))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: Sequence[float], b: Sequence[float]) -> float:
    """CIE 1976 ΔE between two sRGB colours (0–1 values); about 2.3 is a just noticeable difference."""
    return math.dist(lab(a), lab(b))


def palette_report(colours: Sequence[str]) -> dict[str, dict]:
    """Per simulation: ``lightness`` (L* of each colour, in order) and ``min_delta_e`` over all pairs."""
    report = {}
    for kind in KINDS:
        seen = [simulate(c, kind) for c in colours]
        pairs = [delta_e(seen[i], seen[j]) for i in range(len(seen)) for j in range(i + 1, len(seen))]
        report[kind] = {"lightness": [lab(s)[0] for s in seen], "min_delta_e": min(pairs) if pairs else math.inf}
    return report
