"""Dialogs: column mapping for generic files, validation report before computing."""
