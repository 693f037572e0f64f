"""Reader options, validated once so every reader can trust them."""

from __future__ import annotations

from dataclasses import dataclass, fields

from clustermapper.defaults import DEFAULT_INDICATOR, DEFAULT_INDICATOR_TEXT
from clustermapper.errors import UsageError

SEPARATORS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "|": "|", "comma": ",",
              "semicolon": ";", "pipe": "|"}
DECIMALS = {".": ".", ",": ",", "dot": ".", "point": ".", "comma": ","}


@dataclass(frozen=True)
class ReadOptions:
    """What the user told us about the file; ``None`` means "detect it"."""

    indicator: str = DEFAULT_INDICATOR
    region_col: str | None = None
    sector_col: str | None = None
    value_col: str | None = None
    year_col: str | None = None
    sep: str | None = None
    decimal: str | None = None
    sheet: str | int | None = None

    def __post_init__(self) -> None:
        if self.sep is not None:
            if self.sep.lower() not in SEPARATORS:
                raise UsageError(f"unknown separator {self.sep!r}; use one of , ; tab |")
            object.__setattr__(self, "sep", SEPARATORS[self.sep.lower()])
        if self.decimal is not None:
            if self.decimal.lower() not in DECIMALS:
                raise UsageError(f"unknown decimal mark {self.decimal!r}; use '.' or ','")
            object.__setattr__(self, "decimal", DECIMALS[self.decimal.lower()])
        if not self.indicator or not str(self.indicator).strip():
            raise UsageError(f"the indicator code is empty; the default is {DEFAULT_INDICATOR_TEXT}")
        object.__setattr__(self, "indicator", str(self.indicator).strip().upper())

    def given(self, *names: str) -> list[str]:
        """Names of options among ``names`` that the user set."""
        return [n for n in names if getattr(self, n) is not None]

    def ignored_note(self, reader: str, *names: str) -> list[str]:
        """A note for options a reader does not use (they are about another format)."""
        unused = self.given(*names)
        if not unused:
            return []
        return [f"options {', '.join(unused)} do not apply to {reader} files and were ignored"]


OPTION_NAMES = tuple(f.name for f in fields(ReadOptions))
