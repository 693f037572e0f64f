"""The app's view state as a plain Python object that emits changes (no Qt here).

Widgets receive the :class:`AppState` and subscribe with ``state.observe(name, callback)``; they change
it by assigning attributes. The state never knows the widgets (napari/glue style), so it is testable
without a display and a workspace file can round-trip it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from clustermapper.analysis import Analysis, AnalysisSpec
from clustermapper.layers import LayerData
from clustermapper.workspace import Workspace

Callback = Callable[[Any], None]

#: observable fields and their defaults
FIELDS: dict[str, Any] = {
    "spec": None,  # AnalysisSpec of the current (or requested) analysis
    "analysis": None,  # Analysis, once computed
    "layer_data": None,  # clustermapper.layers.LayerData on the map (of ``analysis``), or None
    "category": None,  # category code shown by category layers and the drill-down
    "layer": "stars",  # clustermapper.layers.LAYERS id
    "selection": None,  # selected region code
    "compare": (),  # region codes compared side by side
    "layer_options": None,  # {"borders": bool, "labels": bool}
    "busy": False,  # a worker is reading / computing
    "peers": {},  # region -> its chosen peer regions (saved in the workspace; profiles and the compare view)
    "base_year": None,  # year the change layer and panels compare with (None: analytics.changes.default_base_year)
    "base_analysis": None,  # Analysis of base_year with the current spec, once computed (None: stale or not yet)
}


class AppState:
    """Observable view state. Assigning an attribute notifies observers when the value changes."""

    def __init__(self) -> None:
        object.__setattr__(self, "_observers", defaultdict(list))
        object.__setattr__(self, "_values", dict(FIELDS))
        self._values["layer_options"] = {"borders": True, "labels": False}

    def observe(self, name: str, callback: Callback) -> None:
        """Call ``callback(new_value)`` whenever field ``name`` changes."""
        if name not in FIELDS:
            raise AttributeError(f"AppState has no field {name!r}")
        self._observers[name].append(callback)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in FIELDS:
            raise AttributeError(f"AppState has no field {name!r}")
        old = self._values[name]
        if old is value or (_comparable(old, value) and old == value):
            return
        self._values[name] = value
        for callback in list(self._observers[name]):
            callback(value)

    def set_analysis(self, analysis: Analysis, layer_data: LayerData | None = None) -> None:
        """Install a fresh result (and its first layer, built off the UI thread, if any); keep category /
        selection when they still exist in it."""
        self._values["spec"] = analysis.spec
        self._values["layer_data"] = layer_data  # a layer of the previous analysis is stale now
        self._values["category"] = resolve_category(analysis, self.category)
        regions = set(analysis.stars["region"])
        if self.selection not in regions:
            self._values["selection"] = None
        self._values["compare"] = tuple(c for c in self.compare if c in regions)
        self._values["base_analysis"] = None  # of the previous spec: recomputed when a view needs it
        self.analysis = analysis
        for name in ("category", "selection", "compare"):
            for callback in list(self._observers[name]):
                callback(self._values[name])

    def preset_view(self, category: str | None, selection: str | None) -> None:
        """What the next analysis opens on; :meth:`set_analysis` keeps them when it has them and only then
        tells the observers (no restyle of the map that is still showing)."""
        self._values["category"] = category
        self._values["selection"] = selection

    def toggle_compare(self, code: str) -> None:
        self.compare = tuple(c for c in self.compare if c != code) if code in self.compare else (*self.compare, code)

    def to_workspace(self) -> Workspace:
        spec = self.spec if self.spec is not None else AnalysisSpec(demo=True)
        if self.analysis is not None and spec.year is None:
            spec = spec.with_(year=self.analysis.year)  # pin the year the user saw
        return Workspace(spec=spec, category=self.category, layer=self.layer,
                         selection=[self.selection] if self.selection else [], compare=list(self.compare),
                         layer_options=dict(self.layer_options),
                         peers={r: list(p) for r, p in self.peers.items()})

    def apply_workspace(self, ws: Workspace) -> None:
        """Take the view part of a workspace; the caller then runs ``ws.spec``."""
        self.layer = ws.layer
        self.layer_options = {**self.layer_options, **ws.layer_options}
        self._values["category"] = ws.category
        self._values["selection"] = ws.selection[0] if ws.selection else None
        self._values["compare"] = tuple(ws.compare)
        self.peers = {r: list(p) for r, p in ws.peers.items()}
        self.spec = ws.spec


def _comparable(a: Any, b: Any) -> bool:
    # pandas objects do not compare to a bool; only compare plain values
    return isinstance(a, (str, int, float, tuple, dict, type(None), AnalysisSpec)) and type(a) is type(b)


def categories_with_data(analysis: Analysis) -> list[str]:
    """Taxonomy categories that have employment in the analysis, in taxonomy order."""
    present = set(analysis.stars.loc[analysis.stars["employment"] > 0, "category"].astype(str))
    return [c for c in analysis.categories if c in present]


def resolve_category(analysis: Analysis, current: str | None) -> str | None:
    """``current`` when the analysis has it, else a telling default (workers use this to prebuild layers)."""
    return current if current in analysis.categories else _default_category(analysis)


def _default_category(analysis: Analysis) -> str | None:
    """Category with the most 3-star regions (a telling first map), else the first category."""
    stars = analysis.stars
    if stars.empty:
        return analysis.categories[0] if analysis.categories else None
    counts = stars[stars["stars"] == 3].groupby("category").size()
    if len(counts):
        return str(counts.sort_values(ascending=False, kind="stable").index[0])
    return str(stars["category"].iloc[0])
