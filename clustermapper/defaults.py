"""The defaults every front end shares (CLI options, workspace, app, readers): one place for each."""

from __future__ import annotations

DEFAULT_INDICATOR = "V16110"  # Eurostat SBS: persons employed
DEFAULT_INDICATOR_TEXT = f"{DEFAULT_INDICATOR} (persons employed)"
DEFAULT_LEVEL = 2  # NUTS level
DEFAULT_TAXONOMY = "nace-divisions"
