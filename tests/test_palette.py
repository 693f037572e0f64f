"""The star palette and the map's neutral fills stay apart under colour-vision deficiency simulations.

Simulation: Machado, Oliveira & Fernandes (2009), severity 1.0, on linear sRGB
(clustermapper.metrics.colour_vision); distances: CIE 1976 ΔE in CIELAB (D65).
"""

from __future__ import annotations

import pytest

from clustermapper.layers import NO_DATA_COLOUR, STAR_PALETTE
from clustermapper.metrics.colour_vision import KINDS, delta_e, lab, palette_report, simulate
from clustermapper.regions.land import OTHER_LAND_COLOUR, SEA_COLOUR
from clustermapper.render.static_map import CONTEXT_COLOUR


def test_lab_of_known_colours():
    assert lab((1, 1, 1)) == pytest.approx((100, 0, 0), abs=0.01)
    assert lab((0, 0, 0)) == pytest.approx((0, 0, 0), abs=0.01)
    assert lab((1, 0, 0)) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)  # sRGB red, textbook value
    assert lab((0.5, 0.5, 0.5))[0] == pytest.approx(53.39, abs=0.05)  # #808080: Y = 0.2140


def test_machado_by_hand():
    # rows sum to 1: greys are unchanged
    assert simulate("#808080", "deuteranopia") == pytest.approx((128 / 255,) * 3, abs=1e-4)
    # pure red, deuteranopia: linear (0.367322, 0.280085, -0.011820 -> 0), back to sRGB by the sRGB curve:
    # 1.055 * 0.367322 ** (1 / 2.4) - 0.055 = 0.6401; 1.055 * 0.280085 ** (1 / 2.4) - 0.055 = 0.5658
    assert simulate("#ff0000", "deuteranopia") == pytest.approx((0.6401, 0.5658, 0.0), abs=2e-4)
    assert simulate("#ff0000", "normal") == (1.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        simulate("#ff0000", "achromatopsia")


def test_red_green_fails_the_check():
    # the check can fail: red and green of equal lightness collapse for deuteranopes
    red_green = ["#d9534f", "#5cb85c"]
    assert palette_report(red_green)["normal"]["min_delta_e"] > 50
    assert palette_report(red_green)["deuteranopia"]["min_delta_e"] < 20


@pytest.mark.parametrize("kind", KINDS)
def test_star_palette_keeps_its_order_and_distances(kind):
    report = palette_report(STAR_PALETTE)[kind]
    lightness = report["lightness"]
    assert all(a - b >= 12 for a, b in zip(lightness, lightness[1:])), lightness  # 0 → 3 stars: darker each step
    assert report["min_delta_e"] >= 20


@pytest.mark.parametrize("kind", KINDS)
def test_neutral_fills_are_apart_from_each_other_and_the_stars(kind):
    fills = {"sea": SEA_COLOUR, "other land": OTHER_LAND_COLOUR, "context": CONTEXT_COLOUR, "no data": NO_DATA_COLOUR}
    everything = {**fills, **{f"{i} stars": c for i, c in enumerate(STAR_PALETTE)}}
    names = list(everything)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if a in fills or b in fills:
                d = delta_e(simulate(everything[a], kind), simulate(everything[b], kind))
                assert d >= 6.5, (kind, a, b, round(d, 1))
