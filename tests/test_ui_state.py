"""The app's Qt-free view state: change notifications and the workspace round trip."""

from __future__ import annotations

import sys

import pytest

from clustermapper.analysis import AnalysisSpec
from clustermapper.metrics.params import StarParams
from clustermapper.workspace import Workspace
from clustermapper_ui.state import AppState


def test_state_module_is_qt_free() -> None:
    import subprocess

    code = "import clustermapper_ui.state, sys; print(any(m.startswith(('PySide6', 'shiboken')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_observers_fire_on_change_only() -> None:
    state = AppState()
    seen: list[object] = []
    state.observe("category", seen.append)
    state.category = "C29"
    state.category = "C29"  # unchanged: no event
    state.category = "C28"
    assert seen == ["C29", "C28"]


def test_unknown_fields_are_rejected() -> None:
    state = AppState()
    with pytest.raises(AttributeError):
        state.colour = "red"
    with pytest.raises(AttributeError):
        state.observe("colour", print)


def test_toggle_compare() -> None:
    state = AppState()
    events: list[tuple] = []
    state.observe("compare", events.append)
    state.toggle_compare("DE11")
    state.toggle_compare("ITC4")
    state.toggle_compare("DE11")
    assert events == [("DE11",), ("DE11", "ITC4"), ("ITC4",)]


def test_layer_options_notify_with_new_dict() -> None:
    state = AppState()
    seen: list[dict] = []
    state.observe("layer_options", seen.append)
    state.layer_options = {**state.layer_options, "labels": True}
    assert seen == [{"borders": True, "labels": True}]


def test_workspace_round_trip_of_view_state() -> None:
    spec = AnalysisSpec(data="/data/x.csv", year=2012, params=StarParams(lq_min=1.5))
    ws = Workspace(spec=spec, category="C21", layer="lq", selection=["DK01"], compare=["DK01", "BE24"],
                   layer_options={"borders": False, "labels": True})
    state = AppState()
    state.apply_workspace(ws)
    assert (state.category, state.layer, state.selection, state.compare) == ("C21", "lq", "DK01", ("DK01", "BE24"))
    assert state.to_workspace() == ws
