"""What a region code is: its NUTS level, and whether it names a region at all.

Eurostat files mix NUTS regions with extra-regio codes (``DEZ``, ``DEZZ``, ``CZZZ``: activity not
attributable to a region) and aggregates (``EU28``, ``EU27_2020``, ``EA19``, ``EEA``, ``EFTA``). Several
aggregates are four characters long and would pass as NUTS 2 codes by length alone, so they are listed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# NUTS country prefixes are two letters; the rest is digits/letters (e.g. FRY1, ITC4C in older versions).
_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
# Aggregates that look like NUTS codes by shape: EU/EA/EEA/EFTA with or without a member count.
_AGGREGATE = re.compile(r"^(EU|EA|EEA|EFTA|EU_|EA_|EMU|EZ)\d*$")
AGGREGATES = frozenset({"EU", "EU15", "EU25", "EU27", "EU28", "EA", "EA11", "EA12", "EA13", "EA15", "EA16",
                        "EA17", "EA18", "EA19", "EA20", "EEA", "EEA28", "EEA30", "EEA31", "EFTA"})


def normalise(code: object) -> str:
    """Upper case, no surrounding spaces."""
    return str(code).strip().upper()


def nuts_level(code: object) -> int | None:
    """NUTS level by code length (2→0, 3→1, 4→2, 5→3); None when the code cannot be a NUTS code."""
    c = normalise(code)
    if not _NUTS.match(c):
        return None
    return len(c) - 2


def is_extra_regio(code: object) -> bool:
    """Extra-regio codes: a country followed only by ``Z`` (``DEZ``, ``CZZZ``, ``ELZZZ``)."""
    c = normalise(code)
    return bool(_NUTS.match(c)) and len(c) > 2 and set(c[2:]) == {"Z"}


def is_aggregate(code: object) -> bool:
    """EU / euro area / EEA / EFTA aggregates, and any code with ``_`` (``EU27_2020``)."""
    c = normalise(code)
    return c in AGGREGATES or "_" in c or bool(_AGGREGATE.match(c))


def is_region_code(code: object) -> bool:
    """True for a NUTS region or country code; False for extra-regio codes, aggregates and anything else."""
    return _is_region_text(normalise(code))


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand codes are asked about for every year
def _is_region_text(code: str) -> bool:
    return nuts_level(code) is not None and not is_extra_regio(code) and not is_aggregate(code)


@dataclass(frozen=True)
class CodeTable:
    """A region column described per distinct code, spread to rows by ``codes``: a year has ~50,000 rows
    but ~1,200 codes (a NUTS-3 x 4-digit year 720,000 rows), and string tests per row took most of a second.

    ``codes[row]`` indexes ``names``; per name: ``is_region``, ``level`` (-1 where not a region) and
    ``country`` (the first two letters)."""

    codes: np.ndarray
    names: np.ndarray
    is_region: np.ndarray
    level: np.ndarray
    country: np.ndarray


def code_table(column: pd.Series) -> CodeTable:
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    names = np.array([str(c) for c in uniques], dtype=object)
    is_region = np.array([is_region_code(c) for c in names], dtype=bool)
    level = np.array([nuts_level(c) if ok else -1 for c, ok in zip(names, is_region)], dtype="int64")
    country = np.array([c[:2] for c in names], dtype=object)
    return CodeTable(codes, names, is_region, level, country)
