"""Number formats and the annex's helpers shared by the PDF and HTML profiles (one wording for both)."""

from __future__ import annotations

import math
from typing import SupportsFloat

from clustermapper.metrics.explain import star_string
from clustermapper.render.profile_data import RegionProfile

CHANGES_NOTE = ("† a confidential cell (estimated, or counted as 0) or a missing one lies behind this category in "
                "one of the years, so its change rests on an estimate or a data gap, not on published numbers alone.")


FLAG_NOTE = ("‡ Eurostat flags a cell behind this row (year: flag), so the change may reflect a change in how "
             "the data were collected rather than in employment: ")


def flags(row, profile: RegionProfile) -> str:
    """``2008: i`` — the quality flags of one changes row, by year."""
    parts = [f"{year}: {letters}" for year, letters in ((profile.base_year, row.flags_base), (profile.year, row.flags_now))
             if letters]
    return "; ".join(parts)


def flag_note(profile: RegionProfile) -> str:
    """The footnote of ‡: what each flag marked in the changes means ("" when none is)."""
    if not profile.flag_legend:
        return ""
    return FLAG_NOTE + "; ".join(f"{k} = {v}" for k, v in profile.flag_legend.items()) + "."


def changes_rows(profile: RegionProfile) -> tuple:
    """Rows worth showing (largest now first) and the categories with no employees in either year."""
    ch = profile.changes
    assert ch is not None  # callers check profile.changes first (None: no base year)
    empty = (ch["employment_now"].fillna(0) == 0) & (ch["employment_base"].fillna(0) == 0)
    shown = ch[~empty].sort_values(["employment_now", "employment_base"], ascending=False)
    return shown, sorted(ch.loc[empty, "category"])


def _number(x: SupportsFloat | None) -> float | None:
    """``x`` as a float; None when it is missing (None or a float NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def num(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:,.0f}"


def dec(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:.2f}"


def pct(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{100 * v:.1f}%"


def signed(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{v:+,.0f}"


def signed_pct(x: SupportsFloat | None) -> str:
    v = _number(x)
    return "–" if v is None else f"{100 * v:+.1f}%"


def stars(x: SupportsFloat | None) -> str:
    v = _number(x)
    if v is None:
        return "–"
    return star_string(int(v))


HIDDEN_META = ("source_path",)  # a local path means nothing to a reader of the document


def annex_metadata(profile: RegionProfile) -> dict[str, str]:
    """The technical provenance the annex lists (no local path)."""
    return {k: v for k, v in profile.metadata.items() if k not in HIDDEN_META}
