"""Errors that reach the user: each says which file, where, what was expected and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
            where.append(f"column {self.column!r}" if isinstance(self.column, str) else f"column {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class UsageError(ClusterMapperError):
    """A request that the data cannot answer (unknown year, indicator, category...). CLI exit code 2."""
