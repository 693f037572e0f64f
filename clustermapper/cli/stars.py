"""``clustermapper stars`` and ``clustermapper portfolio``: the star table and the per-region portfolio."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from clustermapper.analysis import Analysis, run_analysis
from clustermapper.cli.common import add_analysis_args, report, report_reading, spec_from_args, warn_partial_year
from clustermapper.cli.results import refuse_empty
from clustermapper.fileutil import atomic_write
from clustermapper.render.tables import portfolio_table, stars_table


def register(sub: argparse._SubParsersAction) -> None:
    for name, func, text in (
        ("stars", _stars, "one row per region × category: employment, LQ, the three stars and why"),
        ("portfolio", _portfolio, "one row per region: total stars, 1/2/3-star clusters, strong-cluster share"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        add_analysis_args(p)
        p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
        p.set_defaults(func=func)


def _run(args: argparse.Namespace) -> Analysis:
    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    report(f"year {analysis.year}; {analysis.stars['region'].nunique()} regions; "
           f"{analysis.stars['category'].nunique()} categories; {analysis.spec.params.describe()}")
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


def _stars(args: argparse.Namespace) -> int:
    write_csv(stars_table(_run(args)), args.out)
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    write_csv(portfolio_table(_run(args)), args.out)
    return 0
