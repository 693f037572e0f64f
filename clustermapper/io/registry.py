"""Registry of readers: each says whether it recognises a file and how to read it.

``read_dataset`` asks the detectors in priority order (highest first) instead of an if-chain, so a new
format is one module plus one :func:`register` call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clustermapper.errors import InputError, UsageError, quote
from clustermapper.io.options import ReadOptions
from clustermapper.io.source import Source
from clustermapper.io.table import ReadResult

Detector = Callable[[Source], bool]
ReadFunction = Callable[[Source, ReadOptions], ReadResult]


@dataclass(frozen=True)
class Reader:
    """One input format: ``detect`` sniffs the first bytes/lines, ``read`` produces the tidy table."""

    name: str
    description: str
    detect: Detector
    read: ReadFunction
    priority: int = 0


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.name] = reader
    return reader


def readers_by_priority() -> list[Reader]:
    return sorted(READERS.values(), key=lambda r: -r.priority)


def choose_reader(source: Source, format: str | None) -> Reader:
    """The reader named by ``format``, else the first whose detector recognises the file."""
    if format:
        try:
            return READERS[format.lower()]
        except KeyError:
            names = ", ".join(sorted(READERS))
            raise UsageError(f"unknown format {quote(format)}; known formats: {names}") from None
    for reader in readers_by_priority():
        if reader.detect(source):
            return reader
    raise InputError(
        source.path, "format not recognised (not a Eurostat TSV, SDMX-CSV, CSV/TSV or .xlsx file)", line=1, column=1,
        hint="choose a data file, or name its format with --input-format",
    )
