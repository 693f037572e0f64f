"""Help → Star method: the plain-language explanation of ``clustermapper.help_text`` (one text for app and CLI)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from clustermapper import help_text
from clustermapper.metrics.params import StarParams


class MethodDialog(QDialog):
    """The star method under the thresholds in use (``params``, default: the window's current ones)."""

    def __init__(self, parent: QWidget | None = None, params: StarParams | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("methodDialog")
        self.setWindowTitle("Star method")
        if params is None:
            spec = getattr(getattr(parent, "state", None), "spec", None)
            params = spec.params if spec is not None else StarParams()
        self.browser = QTextBrowser(objectName="methodText")
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet("h3 { margin-top: 14px; } p { margin-bottom: 6px; }")
        self.browser.setHtml(help_text.as_html(params))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(680, 720)
