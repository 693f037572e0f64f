"""Errors that reach the user: each says which file, where, what was expected and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

QUOTE_CHARS = 60


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """``repr`` of a text from a file, cut to ``limit`` characters: a message quoting a 200,000-character cell
    (or a stranger's whole first line) is no message. ``quote("x" * 5000)`` -> ``'xxx…' (5,000 characters)``."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else repr(value)
    return f"{text[:limit]!r}… ({len(text):,} characters)"


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` (a code from a file, shown without quotes) cut to ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


class ClusterMapperError(Exception):
    """Base class for errors shown to users as a message (never as a traceback)."""


@dataclass
class InputError(ClusterMapperError):
    """A file cannot be understood.

    ``line`` is 1-based as a text editor shows it (for spreadsheets: the sheet row);
    ``column`` is the header name or a 1-based column number.
    """

    path: str | Path
    message: str
    line: int | None = None
    column: str | int | None = None
    hint: str = ""

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {quote(self.column)}" if isinstance(self.column, str) else f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class UsageError(ClusterMapperError):
    """A request that the data cannot answer (unknown year, indicator, category...). CLI exit code 2."""
