"""A result with no rows is an error (exit 2) that says why, never "wrote 0 rows" and exit 0."""

from __future__ import annotations

from clustermapper.analysis import Analysis
from clustermapper.errors import UsageError
from clustermapper.regions.codes import nuts_level


def refuse_empty(analysis: Analysis) -> None:
    """Raise :class:`UsageError` naming the reason when ``analysis`` has no region × category row."""
    if len(analysis.stars) > 0:
        return
    prepared = analysis.prepared
    year, level = prepared.year, prepared.spec.level
    rows = prepared.dataset.table
    year_rows = rows[rows["year"] == year] if "year" in rows.columns else rows
    if prepared.table.empty or not len(prepared.region_total):
        levels = sorted({lv for lv in (nuts_level(str(r)) for r in year_rows["region"].unique()) if lv is not None})
        if not levels:
            raise UsageError(f"no rows: none of the region codes in {year} is a NUTS code (e.g. DE11) — the "
                             "region column must hold NUTS codes, not names")
        raise UsageError(f"no rows: the data of {year} has no NUTS-{level} regions (it has NUTS level(s) "
                         f"{', '.join(map(str, levels))}); choose --level {levels[-1]}")
    if not prepared.coverage.category_employment or not any(prepared.coverage.category_employment.values()):
        values = year_rows["value"] if "value" in year_rows.columns else None
        if values is not None and len(values) and not (values.fillna(0) != 0).any():
            raise UsageError(f"no rows: every employment value of {year} in the data is 0 (or empty)")
        raise UsageError(f"no rows: none of the codes of taxonomy {prepared.taxonomy.name!r} occurs in the data "
                         f"of {year} at NUTS level {level} — check the taxonomy's sector codes")
    if not (prepared.region_total > 0).any():
        raise UsageError(f"no rows: every region's total employment in {year} is 0 at NUTS level {level}")
    raise UsageError(f"no rows: no region of NUTS level {level} has employment in a category of the taxonomy "
                     f"in {year}")
