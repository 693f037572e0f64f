"""Recognising the columns of a generic table: header names (case-insensitive synonyms or the user's
overrides), long layout (region, sector, year, value[, flag]) or wide layout (one column per year)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clustermapper.errors import InputError, quote
from clustermapper.io.options import ReadOptions

# Synonyms in order of preference: when two columns match a role, the earlier synonym wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "region": ("region", "nuts_id", "geo", "nuts", "nuts_code", "region_code", "geo_code", "nuts2", "nuts_2",
               "nuts_region", "code"),
    "sector": ("sector", "nace_r2", "nace", "nace_r1", "nace_code", "nace_rev2", "activity", "sector_code",
               "industry", "category"),
    "year": ("year", "time_period", "time", "period", "yr"),
    "value": ("value", "obs_value", "persons_employed", "employment", "employees", "employed", "jobs", "emp"),
    "flag": ("flag", "flags", "obs_flag", "obs_status"),
    "indicator": ("indicator", "indic_sbs", "indic_sb", "indic"),
}
OPTION_OF = {"region": "region_col", "sector": "sector_col", "year": "year_col", "value": "value_col"}
# A wide-layout year column: 2015, 2015.0, y2015/Y2015, n2015 (Eurostat), X2015 (R's names), "2015 ".
_YEAR_HEADER = re.compile(r"^(?:[yYnNxX]_?)?(\d{4})(?:\.0+)?$")
# A header that names a year but not in a way we can trust (FY2010, 2015Q1, 2010/11): refused or skipped.
_YEARISH = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def normalise_name(name: object) -> str:
    """``" Persons employed "`` -> ``persons_employed``; ``geo\\time`` -> ``geo``; ``freq:Time frequency`` -> ``freq``."""
    text = header_text(name).strip().strip('"').strip().lower()
    text = re.split(r"[\\:]", text, maxsplit=1)[0]
    return re.sub(r"[\s\-./]+", "_", text.strip()).strip("_")


def header_text(name: object) -> str:
    """A header cell as the user sees it (spreadsheet numbers without ``.0``)."""
    if name is None:
        return ""
    if isinstance(name, float) and name.is_integer():
        return str(int(name))
    if isinstance(name, dt.datetime):
        return name.date().isoformat()
    return str(name)


def header_year(name: object) -> int | None:
    """The year a wide-layout header names (``2015``, ``2015.0``, ``y2015``, ``n2015``, a date), else ``None``."""
    if isinstance(name, (dt.date, dt.datetime)):
        return name.year
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        return int(name) if float(name).is_integer() and 1900 <= name <= 2100 else None
    m = _YEAR_HEADER.match(header_text(name).strip())
    if m and 1900 <= int(m[1]) <= 2100:
        return int(m[1])
    m = re.match(r"^(\d{4})-\d{2}-\d{2}", header_text(name).strip())
    return int(m[1]) if m else None


@dataclass
class Layout:
    """Column positions (0-based) of each role; ``years`` maps wide-layout columns to their year."""

    region: int
    sector: int
    year: int | None = None
    value: int | None = None
    flag: int | None = None
    indicator: int | None = None
    years: dict[int, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    fixed_year: int | None = None  # a long table without year column: the year the user gave (year_label)

    @property
    def wide(self) -> bool:
        return self.value is None


def find_role(header: Sequence[object], role: str, options: ReadOptions) -> int | None:
    """Position of the column for ``role``: the user's override if given, else the best synonym."""
    names = [normalise_name(h) for h in header]
    option = OPTION_OF.get(role)
    wanted = getattr(options, option) if option else None
    if wanted is not None:
        key = normalise_name(wanted)
        if key in names:
            return names.index(key)
        if key.isdigit() and 1 <= int(key) <= len(header):
            return int(key) - 1
        return None
    for synonym in SYNONYMS[role]:
        if synonym in names:
            return names.index(synonym)
    return None


def looks_like_header(header: Sequence[object], options: ReadOptions) -> bool:
    return find_role(header, "region", options) is not None and find_role(header, "sector", options) is not None


def layout_of(path: str | Path, header: Sequence[object], line: int, options: ReadOptions) -> Layout:
    """Decide long or wide layout from the header row (at ``line``), or explain what is missing."""
    named = [quote(header_text(h)) for h in header if header_text(h).strip()]
    shown = ", ".join(named[:12]) + (f" … ({len(named)} columns)" if len(named) > 12 else "") or "(empty)"
    for role in ("region", "sector", "year", "value"):
        option = OPTION_OF[role]
        if getattr(options, option) is not None and find_role(header, role, options) is None:
            raise InputError(path, f"no column named {quote(getattr(options, option))} (--{option.replace('_', '-')}); "
                             f"the header has {shown}", line=line, column=getattr(options, option),
                             hint="check the spelling, or give the column number")
    positions = {role: find_role(header, role, options) for role in SYNONYMS}
    for role in ("region", "sector"):
        if positions[role] is None:
            raise InputError(path, f"no {role} column (expected one of {', '.join(SYNONYMS[role][:6])}…); "
                             f"the header has {shown}", line=line, column=role,
                             hint=f"name it with --{OPTION_OF[role].replace('_', '-')}")
    region, sector = positions["region"], positions["sector"]
    assert region is not None and sector is not None  # the loop above raised otherwise
    taken = {p for p in positions.values() if p is not None}
    layout = Layout(region=region, sector=sector, flag=positions["flag"],
                    indicator=positions["indicator"])
    if positions["year"] is not None and positions["value"] is not None:
        layout.year, layout.value = positions["year"], positions["value"]
        return layout
    years = {i: y for i, h in enumerate(header) if i not in taken and (y := header_year(h)) is not None}
    if positions["year"] is None and positions["value"] is None:
        _check_year_labels(path, header, line, taken | set(years), options, layout)
    if positions["year"] is None and positions["value"] is None and years:
        if len(set(years.values())) < len(years) and options.duplicates == "error":
            dup = next(y for y in years.values() if list(years.values()).count(y) > 1)
            cols = [i + 1 for i, y in years.items() if y == dup]
            raise InputError(path, f"columns {cols[0]} and {cols[1]} both name the year {dup}", line=line,
                             column=header_text(header[cols[1] - 1]).strip(),
                             hint="remove or rename one of them, or keep the first or last with "
                                  "--duplicates first|last")
        layout.years = years
        return layout
    if positions["year"] is None and positions["value"] is not None and not years:
        if options.year_label is not None:
            layout.value, layout.fixed_year = positions["value"], int(options.year_label)
            layout.notes.append(f"the file has no year column: its values were read as {layout.fixed_year} "
                                "(the year given with --year / year_label)")
            return layout
        raise InputError(path, "the file says nothing about the year: no year column and no columns named by "
                         f"year (2015, y2015…); the header has {shown}", line=line, column="year",
                         hint="give the year of the data with --year YEAR (in the app: 'Year of the data' when "
                              "mapping columns), or name the year column with --year-col")
    missing = "value" if positions["value"] is None else "year"
    raise InputError(path, f"no {missing} column (expected one of {', '.join(SYNONYMS[missing][:5])}…, "
                     "or one column per year); " + f"the header has {shown}", line=line, column=missing,
                     hint=f"name it with --{OPTION_OF[missing].replace('_', '-')}")


def _check_year_labels(path: str | Path, header: Sequence[object], line: int, taken: set[int],
                       options: ReadOptions, layout: Layout) -> None:
    """Headers that mention a year we cannot read (FY2010): an error, or skipped with a note."""
    odd = [header_text(h).strip() for i, h in enumerate(header)
           if i not in taken and _YEARISH.search(header_text(h))]
    if not odd:
        return
    if options.bad_years != "skip":
        raise InputError(path, f"column header {quote(odd[0])} is not a year that ClusterMapper can read"
                         + (f" ({len(odd)} such columns)" if len(odd) > 1 else ""), line=line, column=odd[0],
                         hint="name year columns 2015 or y2015, or skip such columns with --bad-years skip")
    layout.notes.append(f"{len(odd)} column{'s' if len(odd) > 1 else ''} whose header is not a year skipped "
                        f"({', '.join(map(quote, odd[:5]))}; --bad-years skip)")
