"""Options shared by every command that runs the analysis (stars, portfolio, map, profile, gui)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clustermapper.analysis import Analysis, AnalysisSpec
from clustermapper.defaults import (
    DEFAULT_INDICATOR,
    DEFAULT_INDICATOR_TEXT,
    DEFAULT_LEVEL,
    DEFAULT_SUPPRESSED,
    DEFAULT_TAXONOMY,
    PERSONS_EMPLOYED,
    SUPPRESSED_POLICIES,
)
from clustermapper.errors import UsageError
from clustermapper.io.options import BAD_YEARS, DUPLICATES
from clustermapper.io.table import ReadResult
from clustermapper.metrics.params import StarParams
from clustermapper.regions.levels import parse_overrides

# (argparse dest, reader keyword); --input-format keeps "format" free for output formats.
READER_OPTIONS = ("input_format", "region_col", "sector_col", "value_col", "year_col", "sep", "decimal", "sheet",
                  "duplicates", "bad_years")
GENERIC_OPTIONS = READER_OPTIONS[1:8]  # only for generic CSV/TSV/XLSX files
ALL_YEARS = "all"  # --year all (commands that write one table for every year)


def _year_or_all(text: str) -> int | str:
    if text.strip().lower() == ALL_YEARS:
        return ALL_YEARS
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither a year such as 2014 nor 'all'") from None


def add_analysis_args(parser: argparse.ArgumentParser, *, data_required: bool = False,
                      all_years: bool = False) -> None:
    """Add the data / year / level / taxonomy / threshold options to ``parser``; ``all_years``: ``--year all``
    is accepted (the command then writes every year in one table with a ``year`` column)."""
    src = parser.add_argument_group("data")
    group = src.add_mutually_exclusive_group(required=data_required)
    group.add_argument("--data", metavar="PATH", help="employment file: Eurostat TSV(.gz), SDMX-CSV, CSV/TSV/XLSX")
    group.add_argument("--demo", action="store_true",
                       help="use the embedded demo, an extract of Eurostat's sbs_r_nuts06_r2 (default without --data)")
    src.add_argument("--indicator", default=DEFAULT_INDICATOR,
                     help=f"Eurostat indicator (default {DEFAULT_INDICATOR_TEXT}: persons employed in whichever "
                          f"coding the file uses, {' or '.join(PERSONS_EMPLOYED)}; the choice is reported)")
    src.add_argument("--year", type=_year_or_all if all_years else int,
                     help="reference year (default: the year with the most regions with data, ties the latest); "
                          "also the year of a file that has no year column or year columns"
                          + ("; 'all': every year with data, the file read once" if all_years else ""))
    src.add_argument("--level", type=int, default=DEFAULT_LEVEL, choices=(0, 1, 2, 3), help="NUTS level (default 2)")
    src.add_argument("--level-override", default="", metavar="CC=L,...", help="per-country level, e.g. BE=1,EL=1,NL=1")
    src.add_argument("--taxonomy", default=DEFAULT_TAXONOMY, help="nace-divisions | industrial-ecosystems | emerging-industries | FILE (taxonomy or group file, CSV/YAML)")
    src.add_argument("--input-format", choices=("eurostat-tsv", "sdmx-csv", "csv", "xlsx"),
                     help="reader for the data file (default: detected from its content)")
    for opt in GENERIC_OPTIONS:
        src.add_argument(f"--{opt.replace('_', '-')}", dest=opt, help=f"generic files: {opt.replace('_', ' ')}")
    src.add_argument("--duplicates", choices=DUPLICATES,
                     help="two different values for one region, sector and year (or a year named twice in a "
                          "header): error (default: the file is refused, naming both places), or keep the first "
                          "or the last in file order; identical repeats are always dropped with a note")
    src.add_argument("--bad-years", choices=BAD_YEARS,
                     help="year labels that are not years (FY2010, 2015Q1): error (default), or skip those "
                          "rows or columns with a note")
    geo = parser.add_argument_group("boundaries (maps)")
    geo.add_argument("--boundaries", metavar="FILE", help="GeoJSON/GeoPackage/Shapefile replacing the embedded NUTS polygons")
    geo.add_argument("--boundaries-id", default="NUTS_ID", metavar="COL", help="its column with the region codes")
    src.add_argument("--suppressed", choices=SUPPRESSED_POLICIES, default=DEFAULT_SUPPRESSED,
                     help="confidential cells: zero (count as 0, published cells only) | exclude (leave the "
                          "categories they touch out of the ranking) | eco-split (the Observatory's NACE gap "
                          "filling) | estimate (both hierarchies, with bounds and star certainty; default)")
    thr = parser.add_argument_group("star thresholds (eco2008)")
    thr.add_argument("--top-share", type=float, default=0.10, help="size/focus: top share of regions (default 0.10)")
    thr.add_argument("--lq-min", type=float, default=2.0, help="specialisation: LQ at least (default 2)")
    thr.add_argument("--min-employment", type=float, default=1000.0, help="no star below (default 1000)")


def spec_from_args(args: argparse.Namespace) -> AnalysisSpec:
    """Build the AnalysisSpec the options describe; a missing data file is a usage error (exit 2)."""
    if args.data is not None and not Path(args.data).exists():
        raise UsageError(f"data file not found: {args.data}")
    if args.boundaries is not None and not Path(args.boundaries).exists():
        raise UsageError(f"boundary file not found: {args.boundaries}")
    _refuse_overwriting_inputs(args)
    reader = tuple(
        ("format" if k == "input_format" else k, getattr(args, k))
        for k in READER_OPTIONS
        if getattr(args, k, None) is not None
    )
    year = None if args.year == ALL_YEARS else args.year
    if year is not None and args.data is not None:  # labels a file without years; others ignore it
        reader += (("year_label", str(year)),)
    return AnalysisSpec(
        data=args.data,
        demo=bool(args.demo) or args.data is None,
        year=year,
        level=args.level,
        level_override=tuple(parse_overrides(args.level_override).items()),
        taxonomy=args.taxonomy,
        indicator=args.indicator,
        params=StarParams(top_share=args.top_share, lq_min=args.lq_min, min_employment=args.min_employment),
        reader_options=reader,
        boundaries=args.boundaries,
        boundaries_id=args.boundaries_id,
        suppressed=getattr(args, "suppressed", DEFAULT_SUPPRESSED),
    )


def _refuse_overwriting_inputs(args: argparse.Namespace) -> None:
    """``--out`` must never name an input (data, boundary or taxonomy file): an output never replaces one."""
    out = getattr(args, "out", None)
    if not out or out == "-":
        return
    from clustermapper.fileutil import check_output_target

    # a device, a pipe or a file where a folder should be: refused before the analysis runs (a folder is
    # refused by the writer: `profile --out` may name one)
    target = check_output_target(out, make_folder=False, folder_ok=True)
    for option, given in (("--data", args.data), ("--boundaries", args.boundaries), ("--taxonomy", args.taxonomy)):
        if not given or not Path(given).is_file():
            continue
        same = target.exists() and os.path.samefile(target, given)
        if same or target.resolve() == Path(given).resolve():
            raise UsageError(f"--out {out} is the {option} input file; choose another output name "
                             "(inputs are never overwritten)")


def report(message: str) -> None:
    """Progress and summaries go to stderr so stdout can carry a table."""
    print(message, file=sys.stderr)


def report_reading(dataset: ReadResult) -> None:
    """What the reader saw, on stderr: the cell counts, then every note (duplicates dropped, indicator
    chosen, rows or columns skipped...), so a CLI user learns all that the app's data check shows."""
    report(dataset.report.summary())
    for note in dataset.report.notes:
        report(f"  note: {note}")


def warn_partial_year(analysis: Analysis) -> None:
    """On stderr, when the analysed year is partial: how many regions, and which countries have no data."""
    from clustermapper.regions.year_coverage import year_details

    coverage = year_details(analysis.dataset, analysis.spec.level, analysis.spec.level_override).get(analysis.year)
    if coverage is not None and coverage.partial:
        report(f"warning: {coverage.warning()}")


def category_before_reading(taxonomy: str, text: str | None, layer: str | None = None) -> str | None:
    """``--category`` resolved against the taxonomy before the data are read: the id as given, else the one
    equal ignoring case (user ids may be lower case); an unknown one is refused, and so is none when ``layer``
    needs one. After the analysis, a typo cost the whole run first (~7 s on a NUTS-3 × 4-digit file)."""
    from clustermapper.taxonomy import load_taxonomy

    categories = list(load_taxonomy(taxonomy).categories)
    if not text or not text.strip():
        from clustermapper.layers import LAYERS

        if layer is not None and LAYERS[layer].needs_category:
            raise UsageError(f"the {layer!r} layer needs a category (--category); choose one of: {', '.join(categories)}")
        return None
    text = text.strip()
    folded = [c for c in categories if c.casefold() == text.casefold()]
    if text in categories:
        return text
    if len(folded) == 1:
        return folded[0]
    raise UsageError(f"unknown category {text!r} in taxonomy {taxonomy}; choose one of: {', '.join(categories)}")


# formats a CSV table must not be named as: the file would hold CSV text under a name that promises another
NOT_CSV_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".tsv", ".html", ".htm", ".pdf", ".png", ".svg", ".json", ".gpkg",
                    ".geojson", ".parquet", ".zip", ".gz")


def refuse_non_csv_name(out: str | None, option: str = "--out") -> None:
    """A CSV output named ``x.xlsx`` (or .html, .pdf...) was written as CSV text under that name, exit 0."""
    if not out or out == "-":
        return
    suffix = Path(out).suffix.lower()
    if suffix in NOT_CSV_SUFFIXES:
        hint = " (export-tables writes .xlsx workbooks)" if suffix in (".xlsx", ".xlsm", ".xls", ".ods") else ""
        raise UsageError(f"{option} {out}: this command writes a CSV table; name the file .csv{hint}")
