"""Reader options, validated once so every reader can trust them."""

from __future__ import annotations

from dataclasses import dataclass, fields

from clustermapper.defaults import DEFAULT_INDICATOR, DEFAULT_INDICATOR_TEXT, PERSONS_EMPLOYED
from clustermapper.errors import UsageError, clip, quote

SEPARATORS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "|": "|", "comma": ",",
              "semicolon": ";", "pipe": "|"}
DECIMALS = {".": ".", ",": ",", "dot": ".", "point": ".", "comma": ","}
# What to do with two cells for one region, sector and year that differ (identical repeats are always
# dropped with a note): refuse the file, or keep the first / last one in file order.
DUPLICATES = ("error", "first", "last")
PLAUSIBLE_YEARS = range(1900, 2101)  # a year a data file or a workspace may name

# What to do with year labels that are not years (FY2010, 2015Q1): refuse the file, or skip them.
BAD_YEARS = ("error", "skip")
# Names shown in the note of an automatically chosen indicator.
INDICATOR_NAMES = {"V16110": "persons employed", "EMP_LOC_NR": "persons employed in local units",
                   "V11210": "local units", "LOC_NR": "local units", "V13320": "wages and salaries"}


@dataclass(frozen=True)
class ReadOptions:
    """What the user told us about the file; ``None`` means "detect it".

    ``indicator`` ``None`` (or the default code) means "persons employed in whichever coding the file
    uses": the first code of :data:`clustermapper.defaults.PERSONS_EMPLOYED` that the file has.
    ``year_label`` is the year of a file that has no year information at all (no year column, no year
    columns); files with years ignore it. ``years``: keep only these years (``None``: all).
    """

    indicator: str | None = None
    region_col: str | None = None
    sector_col: str | None = None
    value_col: str | None = None
    year_col: str | None = None
    sep: str | None = None
    decimal: str | None = None
    sheet: str | int | None = None
    duplicates: str = "error"
    bad_years: str = "error"
    year_label: int | str | None = None
    years: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.sep is not None:
            if self.sep.lower() not in SEPARATORS:
                raise UsageError(f"unknown separator {quote(self.sep)}; use one of , ; tab |")
            object.__setattr__(self, "sep", SEPARATORS[self.sep.lower()])
        if self.decimal is not None:
            if self.decimal.lower() not in DECIMALS:
                raise UsageError(f"unknown decimal mark {quote(self.decimal)}; use '.' or ','")
            object.__setattr__(self, "decimal", DECIMALS[self.decimal.lower()])
        if self.indicator is not None:
            if not str(self.indicator).strip():
                raise UsageError(f"the indicator code is empty; the default is {DEFAULT_INDICATOR_TEXT}")
            object.__setattr__(self, "indicator", str(self.indicator).strip().upper())
        for name, allowed in (("duplicates", DUPLICATES), ("bad_years", BAD_YEARS)):
            value = str(getattr(self, name)).strip().lower()
            if value not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}, not {quote(getattr(self, name))}")
            object.__setattr__(self, name, value)
        if self.year_label is not None:
            text = str(self.year_label).strip()
            if not text.isdigit() or int(text) not in PLAUSIBLE_YEARS:
                raise UsageError(f"the year of the data must be a year such as 2015, not {quote(self.year_label)}")
            object.__setattr__(self, "year_label", int(text))

    @property
    def auto_indicator(self) -> bool:
        """True when the user did not choose an indicator (the default code counts as not chosen)."""
        return self.indicator is None or self.indicator == DEFAULT_INDICATOR

    @property
    def wanted_indicators(self) -> tuple[str, ...]:
        """The indicator codes to look for, in order of preference."""
        if self.auto_indicator:
            return PERSONS_EMPLOYED
        assert self.indicator is not None
        return (self.indicator,)

    def given(self, *names: str) -> list[str]:
        """Names of options among ``names`` that the user set."""
        return [n for n in names if getattr(self, n) is not None]

    def ignored_note(self, reader: str, *names: str) -> list[str]:
        """A note for options a reader does not use (they are about another format)."""
        unused = self.given(*names)
        if not unused:
            return []
        return [f"options {', '.join(unused)} do not apply to {reader} files and were ignored"]


def indicator_note(code: str) -> str:
    """The note of an indicator the reader chose because the user named none."""
    name = INDICATOR_NAMES.get(code)
    return f"indicator: {code}{f' ({name})' if name else ''}, chosen automatically"


def no_indicator_message(path: object, options: ReadOptions, column: str, present: list[str]) -> str:
    """The UsageError text when none of the wanted indicator codes is in the file."""
    shown = ", ".join(clip(c, 30) for c in present[:20]) or "(none)"
    shown += f" … ({len(present)} codes)" if len(present) > 20 else ""
    if options.auto_indicator:
        return (f"{path}: no persons-employed indicator ({', '.join(PERSONS_EMPLOYED)}) in this file; "
                f"{column} has: {shown} — choose one with --indicator")
    return f"{path}: indicator {options.indicator} is not in this file; {column} has: {shown}"


OPTION_NAMES = tuple(f.name for f in fields(ReadOptions))
