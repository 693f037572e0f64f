"""Reading value cells: numbers with optional Eurostat flags, missing markers, decimal marks.

A cell is classified once per distinct text (files repeat texts a lot), then mapped back vectorised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, quote
from clustermapper.io.nace_list import division_sections
from clustermapper.sector_codes import normalise_sector

# Cell status codes carried through the readers into ReadReport counts.
NUMBER, MISSING, CONFIDENTIAL, UNREADABLE = 0, 1, 2, 3

# the flag letters at the end, after a colon or a space; searched from the end's side in linear time (a lazy
# "^(.*?)\s+flag$" backtracked quadratically: a fuzzed cell of 100,000 spaces took minutes)
_FLAG_END = re.compile(r"(?:(?<=:)|\s)(?P<flag>[a-z]{1,4})$")
_GROUP = "[ '\u00a0\u202f]"  # thousands separators valid with either decimal mark
_NUMBER = {
    ".": re.compile(rf"^[+-]?(?:\d{{1,3}}(?:(,|{_GROUP})\d{{3}})(?:\1\d{{3}})*|\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$"),
    ",": re.compile(rf"^[+-]?(?:\d{{1,3}}(?:(\.|{_GROUP})\d{{3}})(?:\1\d{{3}})*|\d*)(?:,\d+)?$"),
}
_HAS_DIGIT = re.compile(r"\d")
# Evidence for the decimal mark: a mark that cannot be a thousands separator.
_COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d{1,2}$|^[+-]?\d*,\d{4,}$|^[+-]?\d{4,},\d+$|\.\d{3},\d|^[+-]?,\d|\.\d{3}\.\d{3}$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d{1,2}$|^[+-]?\d*\.\d{4,}$|^[+-]?\d{4,}\.\d+$|,\d{3}\.\d|^[+-]?\.\d|,\d{3},\d{3}$|[eE][+-]?\d+$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")


def normalise_regions(codes: pd.Series) -> pd.Series:
    """Region codes upper case, surrounding spaces removed (``" de11 "`` -> ``DE11``), as a categorical."""
    return normalised_codes(codes, lambda c: c.strip().upper())


def normalise_sectors(codes: pd.Series) -> pd.Series:
    """:func:`clustermapper.sector_codes.normalise_sector` on every code (``C_29`` -> ``C29``), as a categorical."""
    return normalised_codes(codes, normalise_sector)


def add_section_letters(codes: pd.Series) -> tuple[pd.Series, str | None]:
    """Sector codes written without their NACE section letter (``2910``, ``29.10``, ``01.11``) get it from
    their division (``C2910``, ``A0111``), with a note; national tables often drop the letter, and no
    taxonomy matched them. Digits that start no NACE division stay as they are."""
    categories = codes.cat.categories
    section = division_sections()
    renamed = {c: section[c[:2]] + c for c in categories
               if 2 <= len(c) <= 4 and c.isdigit() and c.isascii() and c[:2] in section}
    if not renamed:
        return codes, None
    mapped = [renamed.get(c, c) for c in categories]
    inverse, merged = pd.factorize(np.array(mapped, dtype=object))  # "C29" and "29" in one file: one code
    out = pd.Series(pd.Categorical.from_codes(np.append(inverse, -1)[codes.cat.codes.to_numpy()], merged),
                    index=codes.index)
    first = next(iter(renamed.items()))
    more = f" and {len(renamed) - 1} more" if len(renamed) > 1 else ""
    return out, (f"sector codes without a NACE section letter were given theirs from the division: "
                 f"{quote(first[0])} → {first[1]}{more}")


def normalised_codes(codes: pd.Series, fn) -> pd.Series:
    """``fn`` once per distinct code, as a categorical Series (cheap to compare, group and de-duplicate;
    :func:`clustermapper.io.tidy.finish` turns it into text at the end)."""
    if isinstance(codes.dtype, pd.CategoricalDtype):  # the readers' categoricals: their codes, not re-hashed
        positions = codes.cat.codes.to_numpy()  # ~0.15 s saved per column of 7 million cells
        uniques = [*codes.cat.categories, None]  # position -1 (a missing cell) takes the last one
    else:
        positions, uniques = pd.factorize(codes, use_na_sentinel=False)
    mapped = np.array(["" if pd.isna(u) else fn(str(u)) for u in uniques], dtype=object)
    inverse, categories = pd.factorize(mapped)  # two texts may map to one code (" de11", "DE11")
    return pd.Series(pd.Categorical.from_codes(inverse[positions], categories), index=codes.index)


def map_unique(codes: pd.Series, fn) -> pd.Series:
    """Apply ``fn`` once per distinct code (tables repeat each code thousands of times)."""
    positions, uniques = pd.factorize(codes, use_na_sentinel=False)
    mapped = np.array(["" if pd.isna(u) else fn(str(u)) for u in uniques], dtype=object)
    return pd.Series(mapped[positions], index=codes.index, dtype=str)


def refuse_long(path: str | Path, values: np.ndarray | pd.Series, lines: np.ndarray, column: str, limit: int, what: str) -> None:
    """``InputError`` at the first text longer than ``limit``: numpy's ``astype(str)`` would make every cell
    as wide as the longest one (one 10 MB cell -> terabytes)."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype):  # a text grid's column: its distinct texts are the categories
        codes = pd.Series(values).cat.codes.to_numpy()
        # rows of other indicators were dropped: not every category is used (counted, not sorted: 7M codes)
        used = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(dtype.categories)))
        uniques = np.array(list(dtype.categories), dtype=object)[used]
    else:
        uniques = pd.unique(np.asarray(values, dtype=object))  # codes repeat: measure each distinct text once
    long = next((u for u in uniques if isinstance(u, str) and len(u) > limit), None)
    if long is None:
        return
    pos = int(np.flatnonzero(np.asarray(values, dtype=object) == long)[0])
    raise InputError(path, f"{what} of {len(long):,} characters ({quote(long[:20])}…), more than the {limit:,} allowed",
                     line=int(lines[pos]), column=column, hint="check that this is the right column and file")


def split_flag(text: str) -> tuple[str, str]:
    """``"1455 d"`` -> ``("1455", "d")``; ``": c"`` -> ``(":", "c")``; ``"12"`` -> ``("12", "")``."""
    text = text.strip()
    m = _FLAG_END.search(text)
    if m:
        num = text[: m.start()].strip()
        if num == ":" or _HAS_DIGIT.search(num):
            return num, m["flag"]
    return text, ""


def parse_number(text: str, decimal: str) -> float | None:
    """The number written in ``text`` with decimal mark ``decimal``; ``None`` if it is not one."""
    if not _HAS_DIGIT.search(text) or not _NUMBER[decimal].match(text):
        return None
    other = "," if decimal == "." else "."
    cleaned = re.sub(r"[ '\u00a0\u202f]", "", text).replace(other, "")
    return float(cleaned.replace(",", "."))


def detect_decimal(numbers: list[str], sep: str | None = None) -> tuple[str, str | None]:
    """Guess the decimal mark from number texts: ``(mark, note or None)``.

    Only texts where the mark cannot be a thousands separator count as evidence (``1,5`` or
    ``1.234,5``); ``1.234`` alone is ambiguous and follows the file's separator convention.
    """
    comma = sum(1 for t in numbers if _COMMA_DECIMAL.search(t))
    dot = sum(1 for t in numbers if _DOT_DECIMAL.search(t))
    if comma and dot:
        mark = "," if comma > dot else "."
        return mark, (f"decimal mark conflicting ({comma} cells look like '1,5', {dot} like '1.5'); "
                      f"used {quote(mark)} — set --decimal if that is wrong")
    if comma or dot:
        return ("," if comma else "."), None
    ambiguous = [t for t in numbers if _AMBIGUOUS.match(t)]
    if not ambiguous:
        return ".", None
    # Only "d.ddd"-like texts: real decimals would vary in length, so read the mark as thousands grouping
    # (employment counts are whole numbers).
    dots = sum(1 for t in ambiguous if "." in t)
    mark = "," if dots >= len(ambiguous) - dots else "."
    example = next(t for t in ambiguous if (mark == ",") == ("." in t))
    return mark, (f"decimal mark ambiguous: read {quote(example)} as {parse_number(example, mark):g} "
                  f"(thousands separator) — set --decimal if that is wrong")


@dataclass
class ParsedCells:
    """Per-cell results aligned with the input Series."""

    values: pd.Series  # float64
    flags: pd.Series  # str
    status: pd.Series  # int8 status codes
    decimal: str
    note: str | None = None


def parse_cells(texts: pd.Series, decimal: str | None = None, sep: str | None = None) -> ParsedCells:
    """Classify each text cell: number (with flags), missing (``""``/``:``), confidential (``: c``) or unreadable."""
    texts = texts.fillna("").astype(str)
    positions, uniques = pd.factorize(texts, use_na_sentinel=False)
    split = [split_flag(u) for u in uniques]
    note = None
    if decimal is None:
        candidates = [num for num, _ in split if num not in ("", ":")]
        decimal, note = detect_decimal(candidates, sep)
    values = np.empty(len(uniques), dtype="float64")
    flags = np.empty(len(uniques), dtype=object)
    status = np.empty(len(uniques), dtype="int8")
    for j, (num, flag) in enumerate(split):
        value = None if num in ("", ":") else parse_number(num, decimal)
        if value is not None and np.isfinite(value):
            values[j], flags[j], status[j] = value, flag, NUMBER
        elif num in ("", ":"):
            values[j], flags[j], status[j] = np.nan, flag, CONFIDENTIAL if "c" in flag else MISSING
        else:
            values[j], flags[j], status[j] = np.nan, "", UNREADABLE
    index = texts.index
    return ParsedCells(
        values=pd.Series(values[positions], index=index),
        flags=pd.Series(flags[positions], index=index, dtype=str),
        status=pd.Series(status[positions], index=index),
        decimal=decimal,
        note=note,
    )
