"""``clustermapper compare``: up to ten regions side by side (stars, employees, LQ, change) to XLSX, PDF or CSV."""

from __future__ import annotations

import argparse

from clustermapper.analysis import run_analysis
from clustermapper.analytics.changes import base_analysis
from clustermapper.analytics.compare import MAX_REGIONS, compare_table, parse_regions
from clustermapper.cli.common import add_analysis_args, report, report_reading, spec_from_args, warn_partial_year
from clustermapper.cli.results import refuse_empty
from clustermapper.errors import UsageError
from clustermapper.render.compare_tables import FORMATS, write_comparison

TEXT = (f"compare up to {MAX_REGIONS} regions: stars, employees (≈ where estimated), LQ and, with --from, the "
        "change since that year, per category (strongest first); XLSX (a sheet per measure and notes), PDF "
        "(landscape A4, tables and charts) or CSV (long form)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help=TEXT.split(":")[0], description=TEXT)
    add_analysis_args(p)
    p.add_argument("--regions", required=True, metavar="R1,R2,...",
                   help=f"region codes in the order wanted, at most {MAX_REGIONS}, e.g. DE11,DE21,ITC1")
    p.add_argument("--from", dest="year_from", type=int, metavar="Y",
                   help="base year of the change columns (an earlier year of the data; default: no change)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="categories in the PDF's tables (default 15)")
    p.add_argument("--out", required=True, metavar="FILE", help=f"output file: {' | '.join(FORMATS)}")
    p.set_defaults(func=_compare)


def _compare(args: argparse.Namespace) -> int:
    if not args.out.lower().endswith(FORMATS):
        raise UsageError(f"--out {args.out}: name a {', '.join(FORMATS)} file")
    if args.top < 1:
        raise UsageError(f"--top {args.top}: give at least 1 category")
    regions = parse_regions(args.regions)  # refuses more than MAX_REGIONS before any reading
    spec = spec_from_args(args)  # refuses an --out naming an input
    analysis = run_analysis(spec)
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    refuse_empty(analysis)
    base = None
    if args.year_from is not None:
        if args.year_from not in analysis.years:
            raise UsageError(f"--from {args.year_from}: the data have {', '.join(map(str, analysis.years))}")
        base = base_analysis(analysis, args.year_from)
        warn_partial_year(base)
    comparison = compare_table(analysis, regions, base)
    report(f"year {analysis.year}; {len(comparison.regions)} regions compared; "
           f"{len(comparison.categories)} categories; {analysis.params.describe()}")
    for note in comparison.notes:
        report(f"note: {note}")
    for path in write_comparison(comparison, args.out, top=args.top):
        report(f"wrote {path}")
    return 0
