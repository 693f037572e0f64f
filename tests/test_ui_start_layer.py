"""The app opened on a layer built in a worker (change, sensitivity, density, typology) dresses its new page
like any other: the selection outlined and the label option honoured (it showed labels with the box off and
no selection)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()

from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui.app import MainWindow  # noqa: E402

pytestmark = pytest.mark.gui
WAIT_MS = 120_000


def test_opened_on_the_change_layer(qtbot, qapp):
    w = MainWindow()
    try:
        w.state.preset_view("C29", "DE11")
        w.state.layer = "change"
        w.show()
        w.controller.open_spec(AnalysisSpec(demo=True, year=2014))
        qtbot.waitUntil(lambda: w.map.is_rendered and w.map.state().get("layer") == "change", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: w.map.state().get("selected") == "DE11", timeout=10_000)
        assert w.map.state().get("labels") is False and not w.layers_dock.labels.isChecked()
    finally:
        w.controller.shutdown()
        w.close()
