"""Export → Map image: page size, orientation or custom millimetres, dpi, title, labels and the extent.

The extent is Europe, one country (with its outermost-region insets) or the interactive map's current
view: ``view_extent_3035`` turns the Leaflet bounds of the page (``cm._map().getBounds()``) into an
EPSG:3035 box for :func:`clustermapper.render.static_map.render_map`. The page draws EPSG:3035 metres with
Leaflet latlng = [y, x]; bounds in degrees (a Web Mercator page) are projected from EPSG:4326.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clustermapper.render.map_page import MIN_SIDE_MM

BOUNDS_JS = ("(function(){var m=window.cm&&cm._map&&cm._map(); if(!m) return ''; var b=m.getBounds();"
             "return JSON.stringify([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);})()")
PAPERS = ("A3", "A4", "A5", "Custom (mm)")
LABELS = (("No region labels", "none"), ("Starred regions", "starred"), ("All regions that fit", "all"))


def view_extent_3035(values) -> tuple[float, float, float, float] | None:
    """``[west, south, east, north]`` of the Leaflet view as (xmin, ymin, xmax, ymax) in EPSG:3035 metres."""
    if isinstance(values, str):
        values = json.loads(values) if values else None
    if not values or len(values) != 4:
        return None
    west, south, east, north = (float(v) for v in values)
    if max(abs(west), abs(east)) > 360 or max(abs(south), abs(north)) > 90:  # already metres (simple CRS)
        return west, south, east, north
    from pyproj import Transformer

    to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    south, north = max(south, -85.0), min(north, 85.0)
    xs, ys = to_laea.transform([west, east, west, east, (west + east) / 2, (west + east) / 2],
                               [south, south, north, north, south, north])
    return min(xs), min(ys), max(xs), max(ys)


def current_view(window) -> tuple[float, float, float, float] | None:
    """The interactive map's current extent, or None when the page cannot tell (not loaded yet)."""
    try:
        return view_extent_3035(window.map.evaluate(BOUNDS_JS, timeout=3.0))
    except (TimeoutError, ValueError, TypeError, AttributeError):
        return None


class MapImageDialog(QDialog):
    """Options of a print map; :meth:`options` gives the keywords of ``exports.export_map_image``."""

    def __init__(self, parent: QWidget | None, default_path: str, countries: list[str], country: str = "",
                 view: tuple[float, float, float, float] | None = None, default_title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("mapImageDialog")
        self.setWindowTitle("Export map image")
        self.view = view
        form = QFormLayout()
        self.path = QLineEdit(default_path, objectName="mapPath")
        browse = QPushButton("Browse…", objectName="mapBrowse")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        self.paper = QComboBox(objectName="mapPaper")
        self.paper.addItems(PAPERS)
        self.paper.setCurrentText("A4")
        self.orientation = QComboBox(objectName="mapOrientation")
        self.orientation.addItems(["Landscape", "Portrait"])
        self.width_mm = QDoubleSpinBox(objectName="mapWidthMm", minimum=MIN_SIDE_MM, maximum=1000, value=250, suffix=" mm")
        self.height_mm = QDoubleSpinBox(objectName="mapHeightMm", minimum=MIN_SIDE_MM, maximum=1000, value=180, suffix=" mm")
        size_row = QHBoxLayout()
        for w in (self.paper, self.orientation, self.width_mm, self.height_mm):
            size_row.addWidget(w)
        form.addRow("Size:", size_row)
        self.dpi = QSpinBox(objectName="mapDpi", minimum=50, maximum=1200, value=300, suffix=" dpi")
        form.addRow("Resolution (PNG):", self.dpi)
        self.title = QLineEdit(objectName="mapTitle", placeholderText=default_title or "Default title")
        form.addRow("Title:", self.title)
        self.labels = QComboBox(objectName="mapLabels")
        for text, value in LABELS:
            self.labels.addItem(text, value)
        self.labels.setCurrentIndex(1)
        form.addRow("Labels:", self.labels)
        self.europe = QRadioButton("Europe", objectName="extentEurope", checked=True)
        self.by_country = QRadioButton("Country", objectName="extentCountry")
        self.country = QComboBox(objectName="mapCountry")
        self.country.addItems(countries)
        if country in countries:
            self.country.setCurrentText(country)
        self.current = QRadioButton("Current view of the map", objectName="extentView")
        self.current.setEnabled(view is not None)
        if view is None:
            self.current.setToolTip("The interactive map has not reported its view yet.")
        group = QButtonGroup(self)
        extent = QVBoxLayout()
        country_row = QHBoxLayout()
        country_row.addWidget(self.by_country)
        country_row.addWidget(self.country, 1)
        for b in (self.europe, self.by_country, self.current):
            group.addButton(b)
        extent.addWidget(self.europe)
        extent.addLayout(country_row)
        extent.addWidget(self.current)
        form.addRow("Extent:", extent)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.paper.currentTextChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        custom = self.paper.currentText().startswith("Custom")
        self.orientation.setEnabled(not custom)
        self.width_mm.setEnabled(custom)
        self.height_mm.setEnabled(custom)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export map image", self.path.text(),
                                              "PNG image (*.png);;SVG vector (*.svg);;PDF document (*.pdf)")
        if path:
            self.path.setText(path)

    def size_text(self) -> str:
        if self.paper.currentText().startswith("Custom"):
            return f"{self.width_mm.value():g}x{self.height_mm.value():g}mm"
        return f"{self.paper.currentText()}-{self.orientation.currentText().lower()}"

    def extent(self):
        if self.current.isChecked() and self.view is not None:
            return tuple(self.view)
        if self.by_country.isChecked() and self.country.currentText():
            return self.country.currentText()
        return "europe"

    def options(self) -> dict:
        return {"path": Path(self.path.text()), "size": self.size_text(), "dpi": self.dpi.value(),
                "title": self.title.text().strip() or None, "extent": self.extent(),
                "labels": self.labels.currentData()}
