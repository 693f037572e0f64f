"""NACE code handling: normalisation and prefix semantics (a code covers every finer code below it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from clustermapper.errors import quote
from clustermapper.sector_codes import normalise_sector

# A NACE Rev. 2 code as ClusterMapper stores it: section letter plus 0-4 digits (C, C29, C291, C2910).
_NACE = re.compile(r"^[A-Z][0-9]{0,4}$")

TOTAL = "TOTAL"


# One rule for readers, totals and taxonomies (see clustermapper.sector_codes).
normalise_code = normalise_sector


def is_nace_code(code: str) -> bool:
    """True for a normalised NACE code: a section letter plus up to four digits."""
    return bool(_NACE.match(code))


def is_division(code: str) -> bool:
    """True for a NACE division (letter + 2 digits), the level ``region_totals`` sums."""
    return len(code) == 3 and is_nace_code(code)


def covers(coarse: str, fine: str) -> bool:
    """True when ``coarse`` is ``fine`` or a coarser code above it (``C`` covers ``C29`` and ``C291``)."""
    return fine.startswith(coarse)


def expand_range(text: str) -> list[str]:
    """``C10-C12`` → ``[C10, C11, C12]`` (same letter and digit count); a single code → ``[code]``.

    Raises ``ValueError`` with a readable message for an ill-formed range.
    """
    if "-" not in text:
        return [normalise_code(text)]
    left, _, right = text.partition("-")
    a, b = normalise_code(left), normalise_code(right)
    if not (is_nace_code(a) and is_nace_code(b)) or a[0] != b[0] or len(a) != len(b) or len(a) < 2:
        raise ValueError(f"range {quote(text)} must join two codes of one section and one level, like C10-C12")
    lo, hi = int(a[1:]), int(b[1:])
    if lo > hi:
        raise ValueError(f"range {quote(text)} runs backwards")
    width = len(a) - 1
    return [f"{a[0]}{n:0{width}d}" for n in range(lo, hi + 1)]


def outermost(codes: Iterable[str]) -> list[str]:
    """Codes not covered by another code of the set (so that summing them never double counts), sorted."""
    unique = sorted(set(codes))
    out: list[str] = []
    for code in unique:  # sorted order puts a prefix right before the codes it covers
        if out and covers(out[-1], code):
            continue
        out.append(code)
    return out


def leaves(codes: Iterable[str]) -> list[str]:
    """Codes that are not a prefix of another code of the set (the finest level present), sorted."""
    unique = sorted(set(codes))
    return [c for i, c in enumerate(unique) if not (i + 1 < len(unique) and covers(c, unique[i + 1]))]
