"""The Layers dock's legend shows one legend: redrawing it hides the previous one at once."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_layers import small_analysis

from clustermapper.layers import build_layer

pytestmark = pytest.mark.gui


def test_a_new_legend_replaces_the_old_one_without_overlap(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    from clustermapper_ui.docks.layers import LayerDock
    from clustermapper_ui.state import AppState

    analysis = small_analysis(tmp_path)
    dock = LayerDock(AppState())
    qtbot.addWidget(dock)
    dock.show()
    stars, lq = build_layer(analysis, "stars", "cars"), build_layer(analysis, "lq", "cars")
    dock.show_legend(stars)
    qtbot.wait(50)  # the stars legend is on screen
    dock.show_legend(lq)  # a category change: the stars legend must not stay painted under the new one

    def visible_texts():
        return [w.text() for w in dock.legend_box.findChildren(QLabel) if w.isVisible() and w.text()]

    # before the event loop runs (a grab, a paint): the old legend is already gone
    assert not any("<b>Stars" in t for t in visible_texts())
    qtbot.wait(50)
    texts = visible_texts()
    assert any("<b>Location quotient" in t for t in texts) and not any("<b>Stars" in t for t in texts)
