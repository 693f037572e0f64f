"""``clustermapper indices`` (concentration and specialisation indices of one year) and ``clustermapper
shift-share`` (Dunn and Esteban-Marquillas components between two years)."""

from __future__ import annotations

import argparse

from clustermapper.analysis import run_analysis
from clustermapper.analytics.indices import indices_long
from clustermapper.analytics.shift_share import BY, nation_note, shift_share
from clustermapper.cli.common import add_analysis_args, report, report_reading, spec_from_args, warn_partial_year
from clustermapper.cli.results import refuse_empty
from clustermapper.cli.stars import write_csv
from clustermapper.errors import UsageError

INDICES_TEXT = ("per category across regions (locational Gini, Hoover concentration) and per region across "
                "categories (Hoover and Krugman specialisation, entropy, Theil T), long format "
                "scope,id,index,variant,value with the status of the cells behind each value")
SHIFT_TEXT = ("shift-share of employment change between two years: growth = national_share + industry_mix + "
              "regional_share (Dunn), regional_share = em_competitive + em_allocation (Esteban-Marquillas)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("indices", help=INDICES_TEXT, description=INDICES_TEXT + "; formulas: docs/analytics.md")
    add_analysis_args(p)
    p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    p.set_defaults(func=_indices)

    s = sub.add_parser("shift-share", help=SHIFT_TEXT, description=SHIFT_TEXT + "; formulas: docs/analytics.md")
    add_analysis_args(s)
    s.add_argument("--from", dest="from_year", type=int, required=True, metavar="YEAR", help="base year")
    s.add_argument("--to", dest="to_year", type=int, required=True, metavar="YEAR", help="end year")
    s.add_argument("--by", choices=BY, default="region", help="one row per region (default) or per region × category")
    s.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    s.set_defaults(func=_shift_share)


def _indices(args: argparse.Namespace) -> int:
    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    refuse_empty(analysis)
    report(f"year {analysis.year}; {int(analysis.region_total.gt(0).sum())} regions with employment; "
           f"{analysis.prepared.employment.shape[1]} categories with data; {analysis.prepared.fill_note}")
    write_csv(indices_long(analysis), args.out)
    return 0


def _shift_share(args: argparse.Namespace) -> int:
    if args.year is not None:
        raise UsageError("shift-share takes its years from --from and --to, not --year")
    if args.from_year >= args.to_year:
        raise UsageError(f"--from {args.from_year} must be an earlier year than --to {args.to_year}")
    spec = spec_from_args(args)
    base = run_analysis(spec.with_(year=args.from_year))
    report_reading(base.dataset)
    now = run_analysis(spec.with_(year=args.to_year), dataset=base.dataset)
    for analysis in (base, now):
        warn_partial_year(analysis)
        refuse_empty(analysis)
    report(nation_note(base, now))
    table = shift_share(base, now, by=args.by)
    national = table["national_rate"].iloc[0]
    report(f"national growth {base.year}–{now.year}: {national:+.4%}; rows resting on estimated or confidential "
           f"cells: {int((table['n_hidden'] > 0).sum())} of {len(table)} (data_status, hidden_share)")
    write_csv(table, args.out)
    return 0
