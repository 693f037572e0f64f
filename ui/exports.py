"""Export menu handlers: each asks for a path, then runs the core exporter in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog

if TYPE_CHECKING:
    from clustermapper_ui.app import MainWindow


def _run(window: MainWindow, title: str, task: Callable, done_text: Callable[[object], str]) -> None:
    """Run ``task(progress, cancel)`` off the UI thread; report in the status bar or an error dialog."""
    def ok(result: object) -> None:
        window.statusBar().showMessage(done_text(result), 8000)
        window.exportFinished.emit(result)

    window.controller.export_runner.start(task, ok, lambda msg, user: window.controller.show_error(title, msg, user))


def export_map_image(window: MainWindow, path: str | Path, *, size: str = "A4-landscape", dpi: int = 300,
                     title: str | None = None, extent: object = "europe", labels: str = "none") -> None:
    """Static report map of the current layer/category (PNG/SVG/PDF), selection outlined; the options are
    those of :func:`clustermapper.render.static_map.render_map` (``extent``: "europe", a country code or an
    EPSG:3035 box such as the interactive map's current view)."""
    from clustermapper.render.static_map import render_map

    analysis, layer_data = window.state.analysis, window.layer_data
    highlight = [window.state.selection] if window.state.selection else []

    def task(progress, cancel):
        progress(0.1, f"Rendering {Path(path).name}…")
        return render_map(analysis, layer_data.layer, layer_data.category, out=path, highlight=highlight,
                          layer_data=layer_data, size=size, dpi=dpi, title=title, extent=extent, labels=labels)

    _run(window, "Cannot export the map", task, lambda p: f"Map saved: {p}")


def export_html(window: MainWindow, path: str | Path) -> None:
    from clustermapper.render.web_map import export_html as write

    analysis, layer_data = window.state.analysis, window.layer_data
    _run(window, "Cannot export the interactive map",
         lambda progress, cancel: write(analysis, layer_data, path), lambda p: f"Interactive map saved: {p}")


def export_gis(window: MainWindow, path: str | Path) -> None:
    """The current layer as a GeoPackage/GeoJSON with its QGIS and SLD styles beside it."""
    from clustermapper.render.gis import export_gis as write

    analysis, layer_data = window.state.analysis, window.layer_data
    _run(window, "Cannot export the GIS layer", lambda progress, cancel: write(analysis, layer_data, path),
         lambda paths: f"GIS layer saved: {', '.join(Path(p).name for p in paths)}")


def export_profile(window: MainWindow, region: str, path: str | Path) -> None:
    from clustermapper.render.profile import render_profile

    analysis = window.state.analysis
    peers = window.state.peers.get(region) or None  # the saved peers; else the profile suggests some

    def task(progress, cancel):
        progress(0.1, f"Profile of {region}…")
        return render_profile(analysis, region, path, peers=peers)

    _run(window, "Cannot write the profile", task, lambda p: f"Profile saved: {p}")


def export_batch(window: MainWindow, country: str, out_dir: str | Path, fmt: str = "pdf") -> None:
    """One profile per region of ``country``, with progress and Cancel."""
    from clustermapper.render.profile import regions_of, render_profiles

    analysis = window.state.analysis

    peers = dict(window.state.peers)

    def task(progress, cancel):
        from clustermapper.render.profile_summary import render_country_summary

        regions = regions_of(analysis, country)
        paths = render_profiles(analysis, regions, out_dir, fmt, progress=progress, cancel=cancel, peers=peers)
        progress(0.98, f"Summary of {country}")
        return paths + render_country_summary(analysis, country, regions, out_dir, formats=(fmt,))

    _run(window, "Cannot write the profiles", task,
         lambda paths: f"{len(paths) - 1} profiles and the {country} summary saved in {out_dir}")


def export_tables(window: MainWindow, path: str | Path) -> None:
    from clustermapper.render.tables import export_tables as write

    analysis = window.state.analysis
    _run(window, "Cannot export the tables", lambda progress, cancel: write(analysis, path),
         lambda paths: f"Tables saved: {', '.join(str(p) for p in paths)}")


# menu entries ------------------------------------------------------------------------------------
def _stem(window: MainWindow) -> str:
    s = window.state
    parts = ["clustermapper", s.layer, s.category or "", str(s.analysis.year) if s.analysis else ""]
    return "_".join(p for p in parts if p)


def map_image_dialog(window: MainWindow):
    """The Export → Map image dialog for the current analysis (not shown; tests and screenshots use it)."""
    from clustermapper_ui.dialogs.map_image import MapImageDialog, current_view

    analysis = window.state.analysis
    countries = sorted({str(r)[:2] for r in analysis.portfolio["region"]}) if analysis is not None else []
    country = (window.state.selection or "")[:2]
    return MapImageDialog(window, f"{_stem(window)}.png", countries, country, current_view(window),
                          default_title=getattr(window.layer_data, "title", ""))


def ask_map_image(window: MainWindow) -> None:
    dialog = map_image_dialog(window)
    accepted, options = dialog.exec(), dialog.options()
    dialog.deleteLater()
    path = options.pop("path")
    if accepted and str(path).strip():
        export_map_image(window, path, **options)


def ask_html(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Export interactive map", f"{_stem(window)}.html",
                                          "Web page (*.html)")
    if path:
        export_html(window, path)


def ask_gis(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Export GIS layer", f"{_stem(window)}.gpkg",
                                          "GeoPackage (*.gpkg);;GeoJSON (*.geojson)")
    if path:
        export_gis(window, path)


def ask_profile(window: MainWindow) -> None:
    region = window.state.selection
    if not region:
        window.statusBar().showMessage("Select a region first (click it on the map or search for it).", 6000)
        return
    path, _ = QFileDialog.getSaveFileName(window, f"Profile of {region}", f"profile_{region}.pdf",
                                          "PDF (*.pdf);;Web page (*.html)")
    if path:
        export_profile(window, region, path)


def ask_batch(window: MainWindow) -> None:
    analysis = window.state.analysis
    countries = sorted({str(r)[:2] for r in analysis.portfolio["region"]})
    current = (window.state.selection or countries[0])[:2] if countries else ""
    country, ok = QInputDialog.getItem(window, "Batch profiles", "Country:", countries,
                                       max(countries.index(current), 0) if current in countries else 0, False)
    if not ok:
        return
    fmt, ok = QInputDialog.getItem(window, "Batch profiles", "Format:", ["pdf", "html"], 0, False)
    if not ok:
        return
    out_dir = QFileDialog.getExistingDirectory(window, f"Folder for the {country} profiles")
    if out_dir:
        export_batch(window, country, out_dir, fmt)


def ask_tables(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Export tables", f"clustermapper_{window.state.analysis.year}.xlsx",
                                          "Excel workbook (*.xlsx);;CSV (*.csv)")
    if path:
        export_tables(window, path)
