"""``clustermapper changes``: change over time between two years, per region × category (and per region)."""

from __future__ import annotations

import argparse

import pandas as pd

from clustermapper.analytics.changes import change_analyses, change_table, region_summary
from clustermapper.analytics.common_basis import common_basis
from clustermapper.cli.common import (
    _refuse_overwriting_inputs,
    add_analysis_args,
    report,
    report_reading,
    spec_from_args,
    warn_partial_year,
)
from clustermapper.cli.results import refuse_empty
from clustermapper.cli.stars import write_csv
from clustermapper.errors import UsageError
from clustermapper.metrics.change_classes import CLASSES, ChangeRules
from clustermapper.render.tables import category_labels, region_names

TEXT = ("change over time between two years: per region × category employment in both years, absolute change, "
        "CAGR, LQ change, stars in both years, stars gained/lost (which rule, with the values) and a class "
        f"({' / '.join(CLASSES)}); both years scored over the regions with data in both")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("changes", help=TEXT.split(":")[0], description=TEXT + ". Classes: " + ChangeRules().describe()
                       + ". See docs/analytics.md, 'Change over time'.")
    add_analysis_args(p)
    p.add_argument("--from", dest="year_from", type=int, required=True, metavar="Y1", help="base year")
    p.add_argument("--to", dest="year_to", type=int, required=True, metavar="Y2", help="later year")
    p.add_argument("--min-stars", type=int, default=ChangeRules.min_stars,
                   help=f"a cell is a cluster with at least this many stars (default {ChangeRules.min_stars})")
    p.add_argument("--stable-band", type=float, default=ChangeRules.stable_band,
                   help="clusters in both years with |CAGR| below this yearly rate are stable "
                        f"(default {ChangeRules.stable_band:g} = {100 * ChangeRules.stable_band:g} %%)")
    p.add_argument("--category", default="", metavar="C,...", help="only these categories (default: all)")
    p.add_argument("--summary-out", metavar="FILE.csv", help="also write one row per region (totals, CAGR, stars "
                                                             "gained and lost, cells per class)")
    p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    p.set_defaults(func=_changes)


def _changes(args: argparse.Namespace) -> int:
    if args.year is not None:
        raise UsageError("changes compares --from and --to; --year is not used here (drop it)")
    spec = spec_from_args(args)  # refuses an --out naming an input
    if args.summary_out:
        _refuse_overwriting_inputs(argparse.Namespace(**{**vars(args), "out": args.summary_out}))
        if args.out != "-" and args.summary_out == args.out:
            raise UsageError("--summary-out and --out name the same file; choose two names")
    rules = ChangeRules(min_stars=args.min_stars, stable_band=args.stable_band)
    base, now = change_analyses(spec, args.year_from, args.year_to)
    report_reading(now.dataset)
    for analysis in (base, now):
        warn_partial_year(analysis)
        refuse_empty(analysis)
    categories = _categories(args.category, now.categories)
    basis = common_basis(base, now)
    if not basis.regions:
        raise UsageError(f"no region has data in both {base.year} and {now.year} at NUTS level {spec.level}; "
                         "choose other years (clustermapper regions detect lists the codes of each year)")
    report(basis.describe())
    report(f"LQs, ranks and stars here are computed again over these {len(basis.regions)} regions, so they can "
           f"differ from 'clustermapper stars --year'; {now.spec.params.describe()}")
    table = change_table(basis, rules)
    if categories is not None:
        table = table[table["category"].isin(categories)].reset_index(drop=True)
    counts = table["class"].value_counts()
    report(f"classes ({rules.describe()}): " + ", ".join(f"{c} {int(counts.get(c, 0))}" for c in CLASSES)
           + f", no class {int(counts.get('', 0))}")
    report(f"{int(table['caution'].ne('').sum())} of {len(table)} rows rest on confidential, estimated or "
           "Eurostat-flagged cells or on stars confidential cells could change: see the 'caution' column")
    write_csv(_labelled(table, now), args.out)
    if args.summary_out:
        summary = region_summary(table)
        summary.insert(1, "region_name", region_names(now, summary["region"]))
        write_csv(summary, args.summary_out)
    return 0


def _categories(given: str, known: list[str]) -> list[str] | None:
    wanted = [c.strip() for c in given.split(",") if c.strip()]
    if not wanted:
        return None
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise UsageError(f"--category: {', '.join(unknown)} not in the taxonomy; e.g. {', '.join(known[:8])}")
    return wanted


def _labelled(table: pd.DataFrame, now) -> pd.DataFrame:
    out = table.copy()
    out.insert(1, "region_name", region_names(now, out["region"]))
    out.insert(3, "category_label", category_labels(now, out["category"]))
    return out
