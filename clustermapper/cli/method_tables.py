"""``--method`` for ``stars`` and ``portfolio``: the options, and the method's audit and portfolio tables."""

from __future__ import annotations

import argparse

import pandas as pd

from clustermapper.analysis import Analysis
from clustermapper.analytics.methods import MethodResult
from clustermapper.errors import UsageError
from clustermapper.metrics.methods import DEFAULT_METHOD, METHODS, MethodParams, method_params, parse_assignments
from clustermapper.metrics.params import StarParams
from clustermapper.render.tables import category_labels, region_names

# the eco2008 options of add_analysis_args and the eco2008 threshold each one sets
ECO_OPTIONS = (("top_share", "--top-share"), ("lq_min", "--lq-min"), ("min_employment", "--min-employment"))


def add_method_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("star method (docs/analytics.md, 'Method presets')")
    g.add_argument("--method", default=DEFAULT_METHOD, choices=tuple(METHODS),
                   help=f"star method preset (default {DEFAULT_METHOD}: today's stars, unchanged)")
    g.add_argument("--threshold", action="append", default=[], metavar="NAME=VALUE",
                   help="set one threshold of the method, e.g. --method eocic --threshold productivity_min=1.1 "
                        "(repeatable; unknown names are refused with the method's list)")
    g.add_argument("--from", dest="from_year", type=int, metavar="YEAR",
                   help="growth: base year of the span (default: 3 years before the analysed year)")


def method_from_args(args: argparse.Namespace) -> MethodParams:
    """The method and thresholds the options ask for; eco2008's own options (--top-share …) feed eco2008 only.
    Commands without the method options (sensitivity, related, …) use eco2008 with their star options."""
    if not hasattr(args, "method"):
        args = argparse.Namespace(**{**vars(args), "method": "eco2008", "threshold": [], "from_year": None})
    given = parse_assignments(args.threshold)
    if args.from_year is not None and "base_year" not in METHODS[args.method].inputs:
        raise UsageError(f"--from applies to --method growth only, not {args.method}")
    defaults = StarParams()
    changed = {name: getattr(args, name) for name, _ in ECO_OPTIONS if getattr(args, name) != getattr(defaults, name)}
    if args.method == "eco2008":
        StarParams(**changed)  # an eco2008 option is refused in the words of the option the user typed
        both = sorted(set(changed) & set(given))
        if both:
            raise UsageError(f"{both[0]} is given both as --threshold and as its own option; give it once")
        return method_params("eco2008", {**changed, **given})
    if changed:
        option = dict(ECO_OPTIONS)[next(iter(changed))]
        names = ", ".join(METHODS[args.method].defaults())
        raise UsageError(f"{option} is an eco2008 option; with --method {args.method} use --threshold NAME=VALUE "
                         f"(its thresholds: {names})")
    return method_params(args.method, given)


def method_stars_table(analysis: Analysis, result: MethodResult) -> pd.DataFrame:
    """The audit table with region names and category labels beside the codes."""
    table = result.stars.copy()
    table.insert(1, "region_name", region_names(analysis, table["region"]))
    table.insert(3, "category_label", category_labels(analysis, table["category"]))
    table.insert(4, "method", result.params.name)
    return table


def method_portfolio_table(analysis: Analysis, result: MethodResult) -> pd.DataFrame:
    table = result.portfolio.copy()
    table.insert(1, "region_name", region_names(analysis, table["region"]))
    table.insert(2, "method", result.params.name)
    return table
