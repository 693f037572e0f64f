"""``clustermapper stars`` and ``clustermapper portfolio``: the star table and the per-region portfolio.

``--year all`` writes every year with data in one table, a ``year`` column first (the file is read once).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from clustermapper.analysis import Analysis, empty_reason, run_analysis
from clustermapper.cli.common import (
    ALL_YEARS,
    add_analysis_args,
    report,
    report_reading,
    spec_from_args,
    warn_partial_year,
)
from clustermapper.cli.results import refuse_empty
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_write
from clustermapper.render.tables import portfolio_table, stars_table


def register(sub: argparse._SubParsersAction) -> None:
    for name, func, text in (
        ("stars", _stars, "one row per region × category: employment, LQ, the three stars and why"),
        ("portfolio", _portfolio, "one row per region: total stars, 1/2/3-star clusters, strong-cluster share"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        add_analysis_args(p, all_years=True)
        p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
        p.set_defaults(func=func)


def _describe(analysis: Analysis) -> None:
    warn_partial_year(analysis)
    report(f"year {analysis.year}; {analysis.stars['region'].nunique()} regions; "
           f"{analysis.stars['category'].nunique()} categories; {analysis.spec.params.describe()}")
    report(analysis.coverage.summary())
    if analysis.nuts is not None:
        report(analysis.nuts.describe())
    for note in analysis.notes:
        report(note)


def _run(args: argparse.Namespace) -> Analysis:
    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    _describe(analysis)
    refuse_empty(analysis)
    return analysis


def _run_years(args: argparse.Namespace) -> list[Analysis]:
    """Every year with data; a year without rows is reported and left out, all years empty is an error."""
    from clustermapper.analytics.all_years import analyse_years

    analyses = analyse_years(spec_from_args(args))
    report_reading(analyses[0].dataset)
    kept = []
    for analysis in analyses:
        _describe(analysis)
        reason = empty_reason(analysis)
        if reason is None:
            kept.append(analysis)
        else:
            report(f"warning: {analysis.year} left out: {reason}")
    if not kept:
        raise UsageError(f"every year is empty; {empty_reason(analyses[-1])}")
    return kept


def by_year(tables: list[tuple[int, pd.DataFrame]]) -> pd.DataFrame:
    """One table of several years, a ``year`` column first."""
    return pd.concat([t.assign(year=year)[["year", *t.columns]] for year, t in tables], ignore_index=True)


def write_csv(table: pd.DataFrame, out: str) -> None:
    if out == "-":
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    with atomic_write(out, newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n")
    report(f"wrote {len(table)} rows to {out}")


def _stars(args: argparse.Namespace) -> int:
    if args.year == ALL_YEARS:
        write_csv(by_year([(a.year, stars_table(a)) for a in _run_years(args)]), args.out)
    else:
        write_csv(stars_table(_run(args)), args.out)
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    if args.year == ALL_YEARS:
        write_csv(by_year([(a.year, portfolio_table(a)) for a in _run_years(args)]), args.out)
    else:
        write_csv(portfolio_table(_run(args)), args.out)
    return 0
