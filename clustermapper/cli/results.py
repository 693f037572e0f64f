"""A result with no rows is an error (exit 2) that says why, never "wrote 0 rows" and exit 0."""

from __future__ import annotations

from clustermapper.analysis import Analysis, empty_reason
from clustermapper.errors import UsageError


def refuse_empty(analysis: Analysis) -> None:
    """Raise :class:`UsageError` naming the reason when ``analysis`` has no region × category row."""
    reason = empty_reason(analysis)
    if reason is not None:
        raise UsageError(reason)
