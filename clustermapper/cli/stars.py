"""``clustermapper stars`` and ``clustermapper portfolio``: the star table and the per-region portfolio.

``--year all`` writes every year with data in one table, a ``year`` column first (the file is read once).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from clustermapper.analysis import Analysis, AnalysisSpec, empty_reason, run_analysis
from clustermapper.analytics.methods import MethodResult, score_method
from clustermapper.cli.common import (
    ALL_YEARS,
    add_analysis_args,
    refuse_non_csv_name,
    report,
    report_reading,
    spec_from_args,
    warn_partial_year,
)
from clustermapper.cli.method_tables import (
    add_method_args,
    method_from_args,
    method_portfolio_table,
    method_stars_table,
)
from clustermapper.cli.results import refuse_empty
from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_write
from clustermapper.metrics.methods.preset import MethodParams
from clustermapper.metrics.methods.scoring import star_params
from clustermapper.render.tables import portfolio_table, stars_table


def register(sub: argparse._SubParsersAction) -> None:
    for name, func, text in (
        ("stars", _stars, "one row per region × category: employment, LQ, the three stars and why"),
        ("portfolio", _portfolio, "one row per region: total stars, 1/2/3-star clusters, strong-cluster share"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        add_analysis_args(p, all_years=True)
        add_method_args(p)
        p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
        p.set_defaults(func=func)


def _spec(args: argparse.Namespace) -> tuple[AnalysisSpec, MethodParams]:
    """The analysis spec and the method of the options (eco2008's thresholds go into the spec)."""
    method = method_from_args(args)
    spec = spec_from_args(args)
    if method.name == "eco2008":
        spec = spec.with_(params=star_params(method))
    return spec, method


def _describe(analysis: Analysis, method: MethodParams) -> None:
    warn_partial_year(analysis)
    described = analysis.spec.params.describe() if method.name == "eco2008" else method.describe()
    report(f"year {analysis.year}; {analysis.stars['region'].nunique()} regions; "
           f"{analysis.stars['category'].nunique()} categories; {described}")
    report(analysis.coverage.summary())
    if analysis.nuts is not None:
        report(analysis.nuts.describe())
    for note in analysis.notes:
        report(note)


def _run(args: argparse.Namespace) -> Analysis:
    spec, method = _spec(args)
    analysis = run_analysis(spec)
    report_reading(analysis.dataset)
    _describe(analysis, method)
    refuse_empty(analysis)
    return analysis


def _run_years(args: argparse.Namespace) -> list[Analysis]:
    """Every year with data; a year without rows is reported and left out, all years empty is an error."""
    from clustermapper.analytics.all_years import analyse_years

    spec, method = _spec(args)
    analyses = analyse_years(spec)
    report_reading(analyses[0].dataset)
    kept = []
    for analysis in analyses:
        _describe(analysis, method)
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
    from clustermapper.render.csv_text import write_csv_text

    refuse_non_csv_name(out)

    if out == "-":
        write_csv_text(table, sys.stdout)
        return
    with atomic_write(out, newline="") as fh:
        write_csv_text(table, fh)
    report(f"wrote {len(table)} rows to {out}")


def _method(args: argparse.Namespace, analysis: Analysis) -> MethodResult | None:
    """The ``--method`` result, or None for eco2008 (today's tables, unchanged)."""
    if args.method == "eco2008":
        return None
    result = score_method(analysis.prepared, method_from_args(args), args.from_year)
    for note in result.notes:
        report(note)
    return result


def _table(args: argparse.Namespace, analysis: Analysis, kind: str) -> pd.DataFrame:
    result = _method(args, analysis)
    if kind == "stars":
        return stars_table(analysis) if result is None else method_stars_table(analysis, result)
    return portfolio_table(analysis) if result is None else method_portfolio_table(analysis, result)


def _write(args: argparse.Namespace, kind: str) -> int:
    refuse_non_csv_name(args.out)  # before the analysis
    if args.year == ALL_YEARS:
        write_csv(by_year([(a.year, _table(args, a, kind)) for a in _run_years(args)]), args.out)
    else:
        write_csv(_table(args, _run(args), kind), args.out)
    return 0


def _stars(args: argparse.Namespace) -> int:
    return _write(args, "stars")


def _portfolio(args: argparse.Namespace) -> int:
    return _write(args, "portfolio")
