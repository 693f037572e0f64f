"""``clustermapper related``, ``density`` and ``typology``: linkages between categories and region types.

Emerging industries are group files given to ``--taxonomy`` (``--taxonomy emerging-industries`` is the
built-in example); every command, ``stars`` and ``map`` included, then rates the groups.
"""

from __future__ import annotations

import argparse

import pandas as pd

from clustermapper.analytics.linkages import density_table, related_categories
from clustermapper.analytics.typology import ECOSYSTEMS, type_counts, typology, typology_cells
from clustermapper.cli.common import add_analysis_args, report
from clustermapper.cli.stars import _run, write_csv
from clustermapper.errors import UsageError
from clustermapper.metrics.relatedness import DEFAULT_MEASURE, MEASURES
from clustermapper.metrics.typology import TypologyParams

_MEASURE_HELP = ("min-conditional (default: the smaller of the two conditional probabilities of LQ ≥ 1, Hidalgo "
                 "et al. 2007) | lq-correlation ((1 + Pearson correlation of the LQs) / 2)")


def register(sub: argparse._SubParsersAction) -> None:
    text = ("categories related to a category by co-location across regions (LQ ≥ 1 in the same regions), "
            "with both measures; every pair when --category is not given")
    p = sub.add_parser("related", help=text, description=text)
    add_analysis_args(p)
    p.add_argument("--category", help="the category whose related categories to list (e.g. C29)")
    p.add_argument("--top", type=int, default=None, metavar="N",
                   help="only the N most related (default: all; with --category and no --top: 10)")
    p.add_argument("--measure", choices=MEASURES, default=DEFAULT_MEASURE, help=_MEASURE_HELP)
    p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    p.set_defaults(func=_related)

    text = "relatedness density of regions around categories: Σ_j M_rj φ_ij / Σ_j φ_ij over the other categories j"
    p = sub.add_parser("density", help=text, description=text)
    add_analysis_args(p)
    p.add_argument("--region", action="append", metavar="CODE", help="only this region (repeat for several)")
    p.add_argument("--category", action="append", metavar="ID", help="only this category (repeat for several)")
    p.add_argument("--measure", choices=MEASURES, default=DEFAULT_MEASURE, help=_MEASURE_HELP)
    p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    p.set_defaults(func=_density)

    defaults = TypologyParams()
    text = ("region typology by industrial ecosystem: the ecosystems a region is specialised in (LQ ≥ "
            f"{defaults.lq_min:g} and at least {100 * defaults.min_share:g}%% of its employment); --taxonomy "
            f"defaults to {ECOSYSTEMS} here (any taxonomy or group file works)")
    p = sub.add_parser("typology", help=text, description=text)
    add_analysis_args(p)
    p.set_defaults(taxonomy=ECOSYSTEMS)
    p.add_argument("--type-lq-min", type=float, default=defaults.lq_min,
                   help=f"specialisation: LQ at least (default {defaults.lq_min:g})")
    p.add_argument("--min-share", type=float, default=defaults.min_share,
                   help=f"relevance: share of regional employment at least (default {defaults.min_share:g})")
    p.add_argument("--cells", action="store_true",
                   help="one row per region × ecosystem (LQ, share, both tests) instead of one row per region")
    p.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    p.set_defaults(func=_typology)


def _related(args: argparse.Namespace) -> int:
    if args.top is not None and args.top < 1:
        raise UsageError(f"--top {args.top} is not allowed: give a number of categories, 1 or more")
    analysis = _run(args)
    if args.category:
        table = related_categories(analysis, args.category, args.top or 10, args.measure)
    else:
        frames = [related_categories(analysis, c, args.top, args.measure) for c in analysis.stars["category"].unique()]
        table = pd.concat(frames, ignore_index=True)
    report(f"relatedness: {args.measure}; {int(table['on_estimates'].sum())} of {len(table)} pairs rest partly on "
           "estimated, confidential or missing cells (column regions_on_estimates)")
    write_csv(table, args.out)
    return 0


def _density(args: argparse.Namespace) -> int:
    analysis = _run(args)
    table = density_table(analysis, args.measure, regions=args.region, categories=args.category)
    write_csv(table, args.out)
    return 0


def _typology(args: argparse.Namespace) -> int:
    params = TypologyParams(lq_min=args.type_lq_min, min_share=args.min_share)
    analysis = _run(args)
    report(params.describe())
    if args.cells:
        table = typology_cells(analysis, params, analysis.spec.taxonomy)
    else:
        table = typology(analysis, params, analysis.spec.taxonomy)
        counts = type_counts(table)
        report("regions per type: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    write_csv(table, args.out)
    return 0

