"""Dock widgets of the main window; each observes :class:`ui.state.AppState`."""
