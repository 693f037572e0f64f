"""Dock widgets of the main window; each observes :class:`clustermapper_ui.state.AppState`."""
