"""A result with no rows is an error (exit 2) that says why, never "wrote 0 rows" and exit 0."""

from __future__ import annotations

from pathlib import Path

from clustermapper.analysis import Analysis, empty_reason
from clustermapper.errors import UsageError


def refuse_empty(analysis: Analysis) -> None:
    """Raise :class:`UsageError` naming the reason when ``analysis`` has no region × category row."""
    reason = empty_reason(analysis)
    if reason is not None:  # named by the file: the reader's own errors are, and several may be in play
        raise UsageError(f"{Path(analysis.prepared.dataset.report.path).name}: {reason}")


def refuse_categories_without_data(analysis: Analysis, categories: list[str]) -> None:
    """A taxonomy category with no employment in the year has no row: its map was drawn empty, exit 0."""
    known = set(analysis.stars["category"])
    taxonomy = analysis.prepared.taxonomy
    example = f"{', '.join(sorted(known)[:8])}{' …' if len(known) > 8 else ''}"
    unknown = [c for c in categories if c not in taxonomy.categories]
    if unknown:
        raise UsageError(f"--category {','.join(unknown)}: not a category of taxonomy {taxonomy.name!r} "
                         f"(e.g. {example})")
    missing = [c for c in categories if c not in known]
    if missing:
        raise UsageError(f"--category {','.join(missing)}: no employment in the data of {analysis.year} at NUTS level "
                         f"{analysis.prepared.spec.level}; categories with data: {example}")
