"""Sector-code normalisation: the one rule readers, regional totals and taxonomies all apply.

Users and Eurostat write the same NACE code many ways (``C29.1``, ``C 29.1``, ``C_29_1``, ``c291``); every
code is upper-cased and stripped of spaces, dots and underscores once, when read, so that totals, the
taxonomy and the stars all see ``C291``. Hyphens stay: they join ranges and Eurostat aggregates (``B-E``).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s._]")


def normalise_sector(text: object) -> str:
    """``C29.1`` / ``C 29.1`` / ``C_29_1`` / ``c291`` → ``C291`` (no validation)."""
    return _SEPARATORS.sub("", str(text)).upper()
