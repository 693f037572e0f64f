"""Qt-free compute steps the app runs off the UI thread (start-up runs them before Qt has loaded)."""

from __future__ import annotations

from clustermapper.analysis import Analysis, AnalysisSpec, run_analysis


def prebuild_layer(analysis: Analysis, layer: str, category: str | None):
    """The first map layer, built off the UI thread (classification can take a moment); None on error."""
    from clustermapper.errors import ClusterMapperError
    from clustermapper.layers import LAYERS, build_layer
    from clustermapper_ui.state import resolve_category

    analysis.portfolio  # noqa: B018  (made on first use: here, not in the UI thread's tables and docks)
    spec = LAYERS.get(layer)
    if spec is None:
        return None
    category = resolve_category(analysis, category) if spec.needs_category else None
    try:
        return build_layer(analysis, layer, category)
    except ClusterMapperError:
        return None  # the UI thread builds it again and shows the message


def compute_first(spec: AnalysisSpec, layer: str, category: str | None) -> tuple[Analysis, object]:
    """Read, compute and build the first layer, and prepare the map's polygons (cached for the page the UI
    thread then builds: simplifying them took ~0.9 s of the UI thread at start-up)."""
    analysis = run_analysis(spec)  # reads the file: its companion indicators then share the opening
    first = prebuild_layer(analysis, layer, category)
    if first is not None:
        from clustermapper.render.web_map import warm_geometries

        warm_geometries(analysis, first.values.index)
    return analysis, first
