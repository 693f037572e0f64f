"""Layer and legend dock: choose what the map shows, toggle borders/labels, read the classed legend."""

from __future__ import annotations

import contextlib
import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDockWidget,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clustermapper_ui.state import AppState


class LayerDock(QDockWidget):
    """Radio buttons bound to ``state.layer``, toggles bound to ``state.layer_options``, a legend view."""

    def __init__(self, state: AppState, parent=None) -> None:
        from clustermapper.layers import LAYERS

        super().__init__("Layers and legend", parent)
        self.setObjectName("layerDock")
        self.state = state
        self.buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        box = QGroupBox("Map layer")
        box_layout = QVBoxLayout(box)
        for spec in LAYERS.values():
            button = QRadioButton(spec.title + (" (category)" if spec.needs_category else ""))
            button.setToolTip(spec.description)
            button.setObjectName(f"layer_{spec.id}")
            group.addButton(button)
            box_layout.addWidget(button)
            button.toggled.connect(lambda on, lid=spec.id: self._choose(lid, on))
            self.buttons[spec.id] = button
        self.borders = QCheckBox("Country borders")
        self.labels = QCheckBox("Region labels")
        for name, box_ in (("borders", self.borders), ("labels", self.labels)):
            box_.toggled.connect(lambda on, n=name: self._set_option(n, on))
            box_layout.addWidget(box_)
        self.legend_box = QGroupBox("Legend")
        self.legend_grid = QGridLayout(self.legend_box)
        self.legend_grid.setColumnStretch(1, 1)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(box)
        layout.addWidget(self.legend_box)
        layout.addWidget(self.description)
        layout.addStretch(1)
        self.setWidget(body)
        self.setMaximumWidth(300)
        state.observe("layer", self._show_layer)
        state.observe("layer_options", self._show_options)
        self._show_layer(state.layer)
        self._show_options(state.layer_options)

    def _choose(self, layer: str, on: bool) -> None:
        if on:
            self.state.layer = layer

    def _set_option(self, name: str, on: bool) -> None:
        if self.state.layer_options.get(name) != on:
            self.state.layer_options = {**self.state.layer_options, name: on}

    def _show_layer(self, layer: str) -> None:
        button = self.buttons.get(layer)
        if button is not None and not button.isChecked():
            button.setChecked(True)

    def _show_options(self, options: dict) -> None:
        for name, box in (("borders", self.borders), ("labels", self.labels)):
            box.blockSignals(True)
            box.setChecked(bool(options.get(name)))
            box.blockSignals(False)

    def show_legend(self, layer_data) -> None:
        """Draw the classed legend of a ``clustermapper.layers.LayerData``."""
        while self.legend_grid.count():
            item = self.legend_grid.takeAt(0)
            if item.widget() is not None:
                # hidden at once: deleteLater alone left the old legend painted under the new one until the
                # event loop ran (two legends on top of each other after a category change)
                item.widget().hide()
                item.widget().deleteLater()
        title = QLabel(f"<b>{html.escape(layer_data.title)}</b>"
                       + (f"<br>{html.escape(layer_data.subtitle)}" if layer_data.subtitle else ""))
        title.setWordWrap(True)
        self.legend_grid.addWidget(title, 0, 0, 1, 2)
        counts = layer_data.classes.value_counts()
        analysis = self.state.analysis
        if analysis is not None:  # grey on the map = every drawn region without a class, not only analysed ones
            with contextlib.suppress(Exception):  # a legend without the count is still a legend
                drawn = set(map(str, analysis.drawn_regions()["NUTS_ID"]))
                classed = set(map(str, layer_data.classes.index[layer_data.classes != -1]))
                counts.loc[-1] = len(drawn - classed)
        for i, (label, colour) in enumerate(layer_data.legend):
            swatch = QLabel()
            pix = QPixmap(22, 14)
            pix.fill(QColor(colour))
            swatch.setPixmap(pix)
            k = i if i < layer_data.n_classes else -1
            text = QLabel(f"{html.escape(label)}  <span style='color:#888'>({int(counts.get(k, 0))})</span>")
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)  # long category names wrap instead of widening the dock
            self.legend_grid.addWidget(swatch, i + 1, 0)
            self.legend_grid.addWidget(text, i + 1, 1)
        row = len(layer_data.legend) + 1
        from clustermapper.layers import HATCH_COLOURS

        for key, label, count in layer_data.hatch_items:
            pix = QPixmap(22, 14)
            pix.fill(QColor("#ffffff"))
            painter = QPainter(pix)
            painter.setPen(QPen(QColor(HATCH_COLOURS[key]), 2, Qt.PenStyle.DotLine))
            painter.drawRect(1, 1, 20, 12)
            painter.end()
            swatch = QLabel()
            swatch.setPixmap(pix)
            hue = {"estimated": "orange", "partly": "orange", "confidential": "purple", "flagged": "green"}.get(key, "")
            text = QLabel(f"{html.escape(label)}  <span style='color:#888'>({count}; dotted {hue} outline on the map; hatched in print)</span>")
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            self.legend_grid.addWidget(swatch, row, 0)
            self.legend_grid.addWidget(text, row, 1)
            row += 1
        self.description.setText(layer_data.description)
