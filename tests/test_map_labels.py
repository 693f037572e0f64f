"""Region labels of print maps: starred first, inside the frame, never overlapping (measured on the page)."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.layers import build_layer
from clustermapper.render.map_labels import short_name
from clustermapper.render.static_map import build_figure


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path_factory.mktemp("tiny")))))


def placed(fig):
    renderer = fig.canvas.get_renderer()
    return {t.get_gid()[len("label-"):]: t.get_window_extent(renderer) for t in fig.axes[0].texts
            if str(t.get_gid()).startswith("label-")}


def assert_no_overlap(fig, boxes):
    items = list(boxes.items())
    for i, (a, ba) in enumerate(items):
        for b, bb in items[i + 1:]:
            assert not ba.overlaps(bb), (a, b)
    frame = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    for code, bb in items:
        assert frame.x0 <= bb.x0 and bb.x1 <= frame.x1 and frame.y0 <= bb.y0 and bb.y1 <= frame.y1, code


def test_short_name():
    assert short_name("Stuttgart") == "Stuttgart"
    assert short_name("Provence-Alpes-Côte d'Azur") == "Provence-Alpes-\nCôte d'Azur"
    assert short_name("Région de Bruxelles-Capitale/Brussels Hoofdstedelijk Gewest").count("\n") == 1


def test_modes(tiny):
    data = build_layer(tiny, "stars", "C29")
    stars = data.values.dropna()
    fig = build_figure(tiny, data, size="A4-landscape", dpi=100, extent="DE", labels="starred")
    fig.canvas.draw()
    boxes = placed(fig)
    starred = set(stars[stars > 0].index) & {c for c in stars.index if c.startswith("DE")}
    assert starred and set(boxes) == starred  # every starred German region, nothing else
    fig = build_figure(tiny, data, size="A4-landscape", dpi=100, extent="DE", labels="none")
    assert placed(fig) == {}
    with pytest.raises(UsageError):
        build_figure(tiny, data, labels="some")


def test_all_labels_do_not_overlap_and_halo(tiny):
    data = build_layer(tiny, "stars", "C29")
    fig = build_figure(tiny, data, size="A5-landscape", dpi=100, extent="europe", labels="all")
    fig.canvas.draw()
    boxes = placed(fig)
    assert len(boxes) >= 6
    assert_no_overlap(fig, boxes)
    label = next(t for t in fig.axes[0].texts if str(t.get_gid()).startswith("label-"))
    assert label.get_path_effects(), "labels carry a white halo"


@pytest.mark.shared
def test_real_europe_c29_starred_labels(eurostat_file):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    data = build_layer(analysis, "stars", "C29")
    fig = build_figure(analysis, data, size="A4-landscape", dpi=150, labels="starred")
    fig.canvas.draw()
    boxes = placed(fig)
    assert_no_overlap(fig, boxes)
    insets = [a.get_window_extent(fig.canvas.get_renderer()) for a in fig.axes if str(a.get_gid()).startswith("inset-")]
    assert all(not b.overlaps(i) for b in boxes.values() for i in insets)
    stars = data.values
    assert all(stars[c] > 0 for c in boxes)
    # crowded centre: a 3-star region is never dropped for a 1-star one placed before it
    three = {c for c in stars.index if stars[c] == 3}
    assert len(boxes) >= 30 and len(three & set(boxes)) >= 0.75 * len(three)
    fig_all = build_figure(analysis, data, size="A4-landscape", dpi=150, labels="all")
    fig_all.canvas.draw()
    everything = placed(fig_all)
    assert_no_overlap(fig_all, everything)
    assert len(everything) > len(boxes)
    ranked = pd.Series({c: stars.get(c, 0) for c in everything})
    assert (ranked > 0).sum() >= len(boxes) * 0.9  # starred still placed first when all are labelled
