"""Region search box: type a name or a code, the completer offers ``CODE — Name`` entries."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from clustermapper_ui.state import AppState


class RegionSearch(QLineEdit):
    """Bound to ``state.selection``: choosing an entry selects the region; selections elsewhere show here."""

    def __init__(self, state: AppState, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("regionSearch")
        self.setPlaceholderText("Search region (name or code)…")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(240)
        self.state = state
        self._entries: dict[str, str] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "stutt" finds "DE11 — Stuttgart"
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self.choose)
        self.setCompleter(completer)
        self.returnPressed.connect(lambda: self.choose(self.text()))
        state.observe("analysis", self._fill)
        state.observe("selection", self._show)

    def _fill(self, analysis) -> None:
        if analysis is None:
            return
        codes = sorted(set(analysis.stars["region"].astype(str)))
        self._entries = {f"{c} — {analysis.region_name(c)}": c for c in codes}
        self._model.setStringList(list(self._entries))
        self._show(self.state.selection)

    def resolve(self, text: str) -> str | None:
        """Region code for an entry, a bare code or a unique name match; None if ambiguous/unknown."""
        text = text.strip()
        if text in self._entries:
            return self._entries[text]
        upper = text.upper()
        if upper in self._entries.values():
            return upper
        hits = [code for entry, code in self._entries.items() if text.lower() in entry.lower()] if text else []
        return hits[0] if len(hits) == 1 else None

    def choose(self, text: str) -> None:
        code = self.resolve(text)
        if code is not None:
            self.state.selection = code
            self._show(code)

    def _show(self, code: str | None) -> None:
        entry = next((e for e, c in self._entries.items() if c == code), "")
        if self.text() != entry:
            self.blockSignals(True)
            self.setText(entry)
            self.blockSignals(False)
