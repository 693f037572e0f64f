"""The one pipeline every front end calls, in two typed stages.

``prepare(spec, dataset)`` does everything that depends on the data, the year, the NUTS level and the
taxonomy (read → regions → taxonomy): a :class:`Prepared`. ``score(prepared, params)`` applies the star
thresholds (metrics): an :class:`Analysis`. Threshold changes call ``score`` only; the app's data check
shows ``prepare``'s own output, so it can never disagree with the stars. ``run_analysis`` runs both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from clustermapper.defaults import (
    DEFAULT_INDICATOR,
    DEFAULT_LEVEL,
    DEFAULT_SUPPRESSED,
    DEFAULT_TAXONOMY,
    OVERFLOW,
)
from clustermapper.errors import InputError, UsageError
from clustermapper.io.table import ReadResult
from clustermapper.metrics.params import StarParams
from clustermapper.regions.versions import YearMatch
from clustermapper.taxonomy.cell_status import CellStatus
from clustermapper.taxonomy.coverage import Coverage
from clustermapper.taxonomy.model import Taxonomy

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


class Cancelled(Exception):
    """Raised when the caller's ``cancel()`` returns True between pipeline steps."""


@dataclass(frozen=True)
class AnalysisSpec:
    """Everything that determines a result (a workspace saves exactly this)."""

    data: str | None = None  # path; None with demo=True means the embedded demo (a real Eurostat extract)
    demo: bool = False
    year: int | None = None  # None: the year with the most regions with data (ties: the latest)
    level: int = DEFAULT_LEVEL
    level_override: tuple[tuple[str, int], ...] = ()  # (("BE", 1), ("NL", 1))
    taxonomy: str = DEFAULT_TAXONOMY
    indicator: str = DEFAULT_INDICATOR
    params: StarParams = field(default_factory=StarParams)
    reader_options: tuple[tuple[str, str], ...] = ()  # region_col, sector_col, value_col, year_col, sep, sheet
    boundaries: str | None = None  # a GeoJSON/GeoPackage/Shapefile replacing the embedded NUTS polygons
    boundaries_id: str = "NUTS_ID"  # its column holding the region codes of the data
    suppressed: str = DEFAULT_SUPPRESSED  # confidential cells: zero | exclude | eco-split | estimate

    def with_(self, **changes) -> AnalysisSpec:
        return replace(self, **changes)

    @property
    def uses_demo(self) -> bool:
        return self.demo or self.data is None

    def data_key(self) -> tuple:
        """What decides the file read: equal keys, the same :class:`ReadResult`."""
        return (self.uses_demo, None if self.uses_demo else self.data, self.indicator, self.reader_options)


@dataclass(frozen=True)
class Prepared:
    """Stage 1: the data of one year at the chosen level, aggregated to the taxonomy (no thresholds yet).

    ``spec.year`` may be None (latest year); ``year`` is the year actually used.
    """

    spec: AnalysisSpec
    dataset: ReadResult
    year: int
    table: pd.DataFrame  # tidy rows of ``year`` after NUTS level selection (region, sector, value, flags…)
    notes: tuple[str, ...]  # what level selection did (aggregations, overrides, left-out codes)
    nuts: YearMatch  # NUTS version match of the regions analysed
    taxonomy: Taxonomy
    coverage: Coverage
    region_total: pd.Series  # E_r by region
    employment: pd.DataFrame  # e_ir: region × category
    flagged: pd.DataFrame  # missing/confidential cells behind each e_ir: region × category
    geometry_key: tuple  # equal keys draw identical polygons (regions.drawing.regions_key)
    cells: CellStatus | None = None  # status, bounds and flags of each e_ir (suppressed-cell policy)
    fill_note: str = ""  # what the suppressed-cell policy did

    @property
    def years(self) -> list[int]:
        return self.dataset.years

    @property
    def regions(self) -> list[str]:
        return [str(r) for r in self.region_total.index]


@dataclass(frozen=True)
class Analysis:
    """Stage 2: a :class:`Prepared` scored with star thresholds; the tables plus what explains and maps them."""

    prepared: Prepared
    params: StarParams
    stars: pd.DataFrame  # docs/architecture.md "Stars table"

    @cached_property
    def portfolio(self) -> pd.DataFrame:
        """docs/architecture.md "Portfolio table", made on first use: the stars table, its CSV and most map
        layers need none of it (~35 ms a year of an 8-year run). The app makes it in its worker thread."""
        from clustermapper.metrics.portfolio import compute_portfolio

        return compute_portfolio(self.stars, self.params)

    @property
    def spec(self) -> AnalysisSpec:
        return self.prepared.spec.with_(params=self.params)

    @property
    def dataset(self) -> ReadResult:
        return self.prepared.dataset

    @property
    def year(self) -> int:
        return self.prepared.year

    @property
    def taxonomy(self) -> Taxonomy:
        return self.prepared.taxonomy

    @property
    def coverage(self) -> Coverage:
        return self.prepared.coverage

    @property
    def region_total(self) -> pd.Series:
        return self.prepared.region_total

    @property
    def nuts(self) -> YearMatch:
        return self.prepared.nuts

    @property
    def notes(self) -> list[str]:
        return list(self.prepared.notes)

    @property
    def years(self) -> list[int]:
        return self.dataset.years

    @property
    def categories(self) -> list[str]:
        return list(self.taxonomy.categories)

    def category_label(self, category: str) -> str:
        return self.taxonomy.label(category)

    def region_name(self, code: str) -> str:
        from clustermapper.regions.shapes import region_name

        return region_name(code)

    def region_names(self, codes) -> list[str]:
        """:meth:`region_name` of each code, looked up at once."""
        from clustermapper.regions.shapes import region_names_of

        return region_names_of(codes)

    def drawn_regions(self):
        """The polygons every map of this analysis draws (EPSG:4326; cached, do not modify)."""
        from clustermapper.regions.drawing import drawn_regions

        return drawn_regions(self.prepared.geometry_key)

    def region_stars(self, region: str) -> pd.DataFrame:
        """The region's rows of the stars table in :func:`metrics.ordering.order_categories` order."""
        from clustermapper.metrics.ordering import order_categories

        return order_categories(self.stars[self.stars["region"] == region])

    def category_stars(self, category: str) -> pd.DataFrame:
        """The category's rows of the stars table in :func:`metrics.ordering.order_regions` order."""
        from clustermapper.metrics.ordering import order_regions

        return order_regions(self.stars[self.stars["category"] == category])


def empty_reason(analysis: Analysis) -> str | None:
    """Why ``analysis`` has no region × category row, or None when it has rows (CLI exit 2; app message)."""
    from clustermapper.regions.codes import nuts_level

    if len(analysis.stars) > 0:
        return None
    prepared = analysis.prepared
    year, level = prepared.year, prepared.spec.level
    rows = prepared.dataset.table
    year_rows = rows[rows["year"] == year] if "year" in rows.columns else rows
    if prepared.table.empty or not len(prepared.region_total):
        levels = sorted({lv for lv in (nuts_level(str(r)) for r in year_rows["region"].unique()) if lv is not None})
        if not levels:
            return (f"no rows: none of the region codes in {year} is a NUTS code (e.g. DE11) — the region column "
                    "must hold NUTS codes, not names")
        return (f"no rows: the data of {year} has no NUTS-{level} regions (it has NUTS level(s) "
                f"{', '.join(map(str, levels))}); choose --level {levels[-1]} (the NUTS picker in the app)")
    if not prepared.coverage.category_employment or not any(prepared.coverage.category_employment.values()):
        values = year_rows["value"] if "value" in year_rows.columns else None
        if values is not None and len(values) and not (values.fillna(0) != 0).any():
            return f"no rows: every employment value of {year} in the data is 0 (or empty)"
        return (f"no rows: none of the codes of taxonomy {prepared.taxonomy.name!r} occurs in the data of {year} "
                f"at NUTS level {level} — check the taxonomy's sector codes")
    if not (prepared.region_total > 0).any():
        return f"no rows: every region's total employment in {year} is 0 at NUTS level {level}"
    return f"no rows: no region of NUTS level {level} has employment in a category of the taxonomy in {year}"


def demo_data_path() -> Path:
    """The embedded demo: a reduced Eurostat extract (made by ``resources/demo/make_real_demo.py``)."""
    from clustermapper.resources import DEMO, resource_path

    return resource_path(*DEMO)


def read_spec_data(spec: AnalysisSpec) -> ReadResult:
    from clustermapper.io import read_dataset

    path = demo_data_path() if spec.uses_demo else Path(str(spec.data))
    options: dict[str, Any] = dict(spec.reader_options)
    return read_dataset(path, indicator=spec.indicator, **options)


def _stepper(progress: Progress | None, cancel: Cancel | None, start: float, span: float) -> Progress:
    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            raise Cancelled(message)
        if progress is not None:
            progress(start + span * fraction, message)

    return step


def choose_year(spec: AnalysisSpec, dataset: ReadResult) -> int:
    """The year the analysis uses: ``spec.year``, else the year with the most regions with data at the
    analysis level (ties: the latest; see :mod:`clustermapper.regions.year_coverage`). Not simply the latest:
    the real file's 2015 covers 167 regions against 282 in 2014."""
    from clustermapper.regions.year_coverage import default_year

    years = dataset.years
    if not years:
        raise UsageError(f"{dataset.report.path}: no numeric values for indicator {dataset.indicator or spec.indicator}")
    year = spec.year if spec.year is not None else (default_year(dataset, spec.level, spec.level_override) or years[-1])
    if year not in years:
        raise UsageError(f"year {year} has no data; years with data: {', '.join(map(str, years))}")
    return year


def prepare(
    spec: AnalysisSpec,
    dataset: ReadResult | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Prepared:
    """Stage 1 (read → regions → taxonomy). Pass ``dataset`` to reuse a file already read."""
    from clustermapper.io.source import sharing_sources
    from clustermapper.regions.drawing import regions_key
    from clustermapper.regions.levels import select_level
    from clustermapper.regions.overlaps import drop_double_counted
    from clustermapper.regions.versions import match_codes
    from clustermapper.suppressed import check_policy, fill
    from clustermapper.suppressed.companions import Companions
    from clustermapper.taxonomy import load_taxonomy, region_totals
    from clustermapper.taxonomy.cell_status import cell_status

    step = _stepper(progress, cancel, 0.0, 1.0)
    step(0.0, "Reading data")
    with sharing_sources():  # the estimate's companion indicators come from the same file: opened once
        if dataset is None:
            dataset = read_spec_data(spec)
        year = choose_year(spec, dataset)

        _refuse_overflowing(dataset, year)
        step(0.3, f"Confidential cells of {year}: {spec.suppressed}")
        rows, fill_summary = fill(dataset.table[dataset.table["year"] == year], check_policy(spec.suppressed),
                                  history=dataset.table,
                                  # only the estimate uses other indicators (priors): ~0.1 s each to parse
                                  companions=Companions(spec, dataset, year) if spec.suppressed == "estimate" else {})

    step(0.5, f"Selecting NUTS {spec.level} regions for {year}")
    table, level_notes = select_level(rows, spec.level, dict(spec.level_override))
    table, overlap_notes = drop_double_counted(table, year)
    level_notes += overlap_notes
    _refuse_negative(dataset, year, table)

    step(0.6, "Applying taxonomy")
    taxonomy = load_taxonomy(spec.taxonomy)
    totals = region_totals(table)
    employment, flagged, coverage = taxonomy.aggregate(table, region_total=totals)
    cells = cell_status(taxonomy, table, employment)

    step(0.9, "Matching NUTS version")
    # the regions analysed (after level selection) that carry a value, not every code in the file
    nuts = match_codes(table.loc[table["value"].notna(), "region"].astype(str).unique(), year)
    key = regions_key(totals.index, nuts, spec.level, spec.boundaries, spec.boundaries_id)
    return Prepared(spec=spec, dataset=dataset, year=year, table=table, notes=(fill_summary.note(), *(f"Implausible data: {w}." for w in fill_summary.warnings),
                           *level_notes), nuts=nuts,
                    taxonomy=taxonomy, coverage=coverage, region_total=totals, employment=employment,
                    flagged=flagged, geometry_key=key, cells=cells, fill_note=fill_summary.note())


def _refuse_overflowing(dataset: ReadResult, year: int) -> None:
    rows = dataset.table[(dataset.table["year"] == year) & (dataset.table["value"].abs() > OVERFLOW)]
    if len(rows):
        r = rows.iloc[0]
        line, column = dataset.report.marked_cells.get((str(r["region"]), str(r["sector"]), year), (None, None))
        raise InputError(dataset.report.path, f"{len(rows)} values of {year} are beyond any count of persons "
                         f"(first: {r['region']} {r['sector']} = {r['value']:.3g})", line=line, column=column,
                         hint="check the value column and its unit")


def _refuse_negative(dataset: ReadResult, year: int, table: pd.DataFrame) -> None:
    """No count of persons is negative: the first negative cell the analysis would use, at its line and column
    (the stars check, after aggregation, could only name a region and a category)."""
    from clustermapper.defaults import MONETARY_INDICATORS

    negative = table[table["value"] < 0]
    if negative.empty or (dataset.indicator or "") in MONETARY_INDICATORS:
        return
    r = negative.iloc[0]
    line, column = dataset.report.marked_cells.get((str(r["region"]), str(r["sector"]), year), (None, None))
    where = "" if line is not None else " (a sum of the file's cells)"
    raise InputError(dataset.report.path, f"negative employment {r['value']:g} for {r['region']} {r['sector']} "
                     f"{year}{where}" + (f"; {len(negative)} negative values in {year}" if len(negative) > 1 else ""),
                     line=line, column=column,
                     hint="employment counts cannot be negative: check the value column (--value-col) and the "
                          "indicator (--indicator)")


def excluded_cells(prepared: Prepared) -> pd.DataFrame | None:
    """The cells that leave their category's ranking (policy ``exclude``: those resting on confidential
    cells), or None: what ``score`` passes to ``compute_stars`` and to the gaps."""
    cells = prepared.cells
    return cells.hidden() if cells is not None and prepared.spec.suppressed == "exclude" else None


def bare_stars(prepared: Prepared, params: StarParams) -> pd.DataFrame:
    """``compute_stars`` of ``prepared`` under ``params``, as ``score`` calls it, without the cell, gap and
    certainty columns (for analyses that re-score many times, e.g. threshold sensitivity)."""
    from clustermapper.metrics.stars import compute_stars

    return compute_stars(prepared.employment, prepared.region_total, params, flagged=prepared.flagged,
                         excluded=excluded_cells(prepared))


def score(
    prepared: Prepared,
    params: StarParams | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Analysis:
    """Stage 2 (metrics): stars of ``prepared`` under ``params`` (default: its spec's); the portfolio follows
    on first use."""
    from clustermapper.metrics.cell_columns import with_cell_columns
    from clustermapper.metrics.gaps import with_gaps

    params = prepared.spec.params if params is None else params
    step = _stepper(progress, cancel, 0.0, 1.0)
    step(0.0, "Computing stars")
    cells = prepared.cells
    excluded = excluded_cells(prepared)
    stars = bare_stars(prepared, params)
    if cells is not None:
        stars = with_cell_columns(stars, cells, params)
    step(0.6, "Distance to the next star")
    stars = with_gaps(stars, params, excluded)
    step(1.0, "Stars computed")  # the front end says "Done" (or why there is no result)
    return Analysis(prepared=prepared, params=params, stars=stars)


def run_analysis(
    spec: AnalysisSpec,
    dataset: ReadResult | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Analysis:
    """Both stages: ``score(prepare(spec, dataset), spec.params)``."""
    prepared = prepare(spec, dataset, _stepper(progress, None, 0.0, 0.7), cancel)
    return score(prepared, spec.params, _stepper(progress, None, 0.7, 0.3), cancel)
