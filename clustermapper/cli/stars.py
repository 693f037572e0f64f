"""``clustermapper stars`` and ``clustermapper portfolio``: the star table and the per-region portfolio."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from clustermapper.analysis import Analysis, run_analysis
from clustermapper.cli.common import add_analysis_args, report, spec_from_args
from clustermapper.fileutil import atomic_write

# The columns the issue promises first, then the explanation columns.
STAR_COLUMNS_FIRST = ["region", "category", "employment", "lq", "size_star", "specialisation_star", "focus_star", "stars"]


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
    report(analysis.dataset.report.summary())
    report(f"year {analysis.year}; {analysis.stars['region'].nunique()} regions; "
           f"{analysis.stars['category'].nunique()} categories; {analysis.spec.params.describe()}")
    report(analysis.coverage.summary())
    if analysis.nuts is not None:
        report(analysis.nuts.describe())
    for note in analysis.notes:
        report(note)
    return analysis


def star_table(analysis: Analysis) -> pd.DataFrame:
    """The stars table in output order, with region and category names added for readers of the CSV."""
    stars = analysis.stars
    rest = [c for c in stars.columns if c not in STAR_COLUMNS_FIRST]
    table = stars[STAR_COLUMNS_FIRST + rest].copy()
    table.insert(1, "region_name", table["region"].map(_names(analysis, table["region"])))
    table.insert(3, "category_label", table["category"].map({c: analysis.category_label(c) for c in table["category"].unique()}))
    return table


def portfolio_table(analysis: Analysis) -> pd.DataFrame:
    table = analysis.portfolio.copy()
    table.insert(1, "region_name", table["region"].map(_names(analysis, table["region"])))
    return table


def _names(analysis: Analysis, regions: pd.Series) -> dict[str, str]:
    return {r: analysis.region_name(r) for r in regions.unique()}


def write_csv(table: pd.DataFrame, out: str) -> None:
    if out == "-":
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
        return
    with atomic_write(out, newline="") as fh:
        table.to_csv(fh, index=False, lineterminator="\n")
    report(f"wrote {len(table)} rows to {out}")


def _stars(args: argparse.Namespace) -> int:
    write_csv(star_table(_run(args)), args.out)
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    write_csv(portfolio_table(_run(args)), args.out)
    return 0
