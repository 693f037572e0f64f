"""Every star of 2010 on the real file (policy ``zero``: published cells only) equals a naive re-implementation
read straight from the raw text.

The reference shares no code with the pipeline: its own parser (regex on the TSV lines), its own region and
division filters, exact integer arithmetic, and the rules exactly as the method states them. One fact of
the file is written out by hand: 2010 has Finland under NUTS 2006 and 2010 codes (FI1B, FI1C, FI1D cover
FI18, FI13 + FI1A) and Merseyside as UKD5 and, with construction only, UKD7; the same land counts once.
"""

from __future__ import annotations

import gzip
import math
import re
from fractions import Fraction

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis

pytestmark = pytest.mark.shared
YEAR = 2010
SAME_LAND_AGAIN = {2010: {"FI1B", "FI1C", "FI1D", "UKD7"}}  # left out, as the pipeline must


def reference_stars(path, year: int) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(region, division) -> (size, focus, specialisation) stars, NUTS 2, persons employed (V16110)."""
    cells: dict[tuple[str, str], int | None] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        years = [h.strip() for h in fh.readline().rstrip("\n").split("\t")[1:]]
        col = years.index(str(year)) + 1
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            nace, indicator, geo = parts[0].split(",")
            if indicator != "V16110" or len(geo) != 4 or geo.endswith("Z") or not re.fullmatch(r"[A-Z]\d\d", nace) \
                    or geo in SAME_LAND_AGAIN.get(year, ()):
                continue
            number = re.match(r"\d+", parts[col].strip())
            cells[(geo, nace)] = int(number.group()) if number else None  # ":" with or without flags
    total = {}
    for (geo, _), value in cells.items():
        total[geo] = total.get(geo, 0) + (value or 0)
    regions = sorted(r for r, t in total.items() if t > 0)
    k = math.ceil(Fraction(1, 10) * len(regions))
    europe = sum(total[r] for r in regions)
    stars = {}
    for division in sorted({d for _, d in cells}):
        if all(cells.get((r, division)) is None for r in regions):
            continue  # no number anywhere: not a category of the result
        e = {r: cells.get((r, division)) or 0 for r in regions}
        e_i = sum(e.values())
        for r in regions:
            if e[r] < 1000:
                stars[(r, division)] = (0, 0, 0)
                continue
            larger = sum(e[s] > e[r] for s in regions)
            more_focused = sum(e[s] * total[r] > e[r] * total[s] for s in regions)  # e_s/E_s > e_r/E_r
            specialised = e[r] * europe >= 2 * total[r] * e_i  # LQ >= 2, exactly
            stars[(r, division)] = (int(larger < k), int(more_focused < k), int(specialised))
    return stars


def test_every_star_of_2010_matches_the_reference(eurostat_file):
    expected = reference_stars(eurostat_file, YEAR)
    result = run_analysis(AnalysisSpec(data=str(eurostat_file), year=YEAR, suppressed="zero")).stars
    got = {
        (r.region, r.category): (int(r.size_star), int(r.focus_star), int(r.specialisation_star))
        for r in result.itertuples()
    }
    assert len(got) == len(expected) == 278 * 68
    wrong = {key: (got[key], expected.get(key)) for key in got if got[key] != expected.get(key)}
    assert wrong == {}
    counts = pd.Series([sum(v) for v in got.values()]).value_counts().to_dict()
    assert counts[3] > 0 and counts[2] > 0 and counts[1] > 0
