"""``clustermapper stars`` and ``clustermapper portfolio``: the star table and the per-region portfolio."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from clustermapper.analysis import Analysis, run_analysis
from clustermapper.analytics.methods import MethodResult, score_method
from clustermapper.cli.common import add_analysis_args, report, report_reading, spec_from_args, warn_partial_year
from clustermapper.cli.method_tables import (
    add_method_args,
    method_from_args,
    method_portfolio_table,
    method_stars_table,
)
from clustermapper.cli.results import refuse_empty
from clustermapper.fileutil import atomic_write
from clustermapper.metrics.methods.scoring import star_params
from clustermapper.render.tables import portfolio_table, stars_table


def register(sub: argparse._SubParsersAction) -> None:
    for name, func, text in (
        ("stars", _stars, "one row per region × category: employment, LQ, the three stars and why"),
        ("portfolio", _portfolio, "one row per region: total stars, 1/2/3-star clusters, strong-cluster share"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        add_analysis_args(p)
        add_method_args(p)
        p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
        p.set_defaults(func=func)


def _run(args: argparse.Namespace) -> Analysis:
    method = method_from_args(args)
    spec = spec_from_args(args)
    if method.name == "eco2008":
        spec = spec.with_(params=star_params(method))
    analysis = run_analysis(spec)
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    described = analysis.spec.params.describe() if method.name == "eco2008" else method.describe()
    report(f"year {analysis.year}; {analysis.stars['region'].nunique()} regions; "
           f"{analysis.stars['category'].nunique()} categories; {described}")
    report(analysis.coverage.summary())
    if analysis.nuts is not None:
        report(analysis.nuts.describe())
    for note in analysis.notes:
        report(note)
    refuse_empty(analysis)
    return analysis


def write_csv(table: pd.DataFrame, out: str) -> None:
    if out == "-":
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    with atomic_write(out, newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n")
    report(f"wrote {len(table)} rows to {out}")


def _method(args: argparse.Namespace, analysis: Analysis) -> MethodResult | None:
    """The ``--method`` result, or None for eco2008 (today's tables, unchanged)."""
    if args.method == "eco2008":
        return None
    result = score_method(analysis.prepared, method_from_args(args), args.from_year)
    for note in result.notes:
        report(note)
    return result


def _stars(args: argparse.Namespace) -> int:
    analysis = _run(args)
    result = _method(args, analysis)
    write_csv(stars_table(analysis) if result is None else method_stars_table(analysis, result), args.out)
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    analysis = _run(args)
    result = _method(args, analysis)
    write_csv(portfolio_table(analysis) if result is None else method_portfolio_table(analysis, result), args.out)
    return 0
