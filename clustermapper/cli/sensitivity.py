"""``clustermapper sensitivity``: which stars move when one threshold moves (rules in docs/analytics.md)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from clustermapper.analytics.sensitivity import of_analysis
from clustermapper.cli.common import _refuse_overwriting_inputs, report
from clustermapper.cli.results import refuse_categories_without_data
from clustermapper.cli.stars import _run, write_csv
from clustermapper.defaults import SENSITIVITY_VARIANTS
from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.sensitivity import CLASSES

_OPTIONS = {"lq_min": "--lq-variants", "top_share": "--top-share-variants",
            "min_employment": "--min-employment-variants"}


def register(sub: argparse._SubParsersAction) -> None:
    from clustermapper.cli.common import add_analysis_args

    text = ("re-score with the LQ cut, the top share and the minimum moved one at a time: which stars hold, "
            "which are lost at stricter or gained at looser thresholds")
    p = sub.add_parser("sensitivity", help=text, description=text)
    add_analysis_args(p)
    g = p.add_argument_group("sensitivity")
    for parameter, option in _OPTIONS.items():
        default = ",".join(f"{v:g}" for v in SENSITIVITY_VARIANTS[parameter])
        g.add_argument(option, default=default, metavar="V,...",
                       help=f"values for {parameter} (default {default}; the value of the base is skipped)")
    g.add_argument("--category", default="", metavar="CODE,...", help="only these categories in --out, e.g. C29")
    g.add_argument("--all-rows", action="store_true",
                   help="also write the region × category × rule rows whose star is held under no setting")
    g.add_argument("--out", default="-", metavar="FILE.csv",
                   help="one row per region × category × rule (default: standard output)")
    g.add_argument("--regions-out", metavar="FILE.csv",
                   help="one row per region: how many of its stars (of --category, if given) depend on the thresholds")
    p.set_defaults(func=_sensitivity)


def parse_values(text: str, option: str, parameter: str) -> tuple[float, ...]:
    """``1.5,2,2.5`` → (1.5, 2.0, 2.5); each value must be a valid ``parameter`` of :class:`StarParams`."""
    try:
        values = tuple(float(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise UsageError(f"{option} {text!r}: give numbers separated by commas, e.g. 1.5,2,2.5") from None
    if not values:
        raise UsageError(f"{option} is empty: give at least one value, e.g. 1.5,2,2.5")
    for value in values:
        change: dict[str, Any] = {parameter: value}
        try:
            StarParams(**change)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc}") from None
    return values


def _check_outputs(args: argparse.Namespace) -> None:
    if args.regions_out is None:
        return
    _refuse_overwriting_inputs(argparse.Namespace(**{**vars(args), "out": args.regions_out}))
    if args.out != "-" and (Path(args.out).resolve() == Path(args.regions_out).resolve()
                            or (Path(args.out).exists() and Path(args.regions_out).exists()
                                and os.path.samefile(args.out, args.regions_out))):
        raise UsageError(f"--out and --regions-out both name {args.out}; give two different files")


def _sensitivity(args: argparse.Namespace) -> int:
    values = {p: parse_values(getattr(args, o[2:].replace("-", "_")), o, p) for p, o in _OPTIONS.items()}
    _check_outputs(args)
    analysis = _run(args)
    categories = [c.strip() for c in args.category.split(",") if c.strip()]
    refuse_categories_without_data(analysis, categories)
    result = of_analysis(analysis, values)
    report("variants: " + ", ".join(f"{v.label} ({v.relation})" for v in result.variants))
    rows = result.rows(categories or None, include_absent=args.all_rows)
    counts = rows["class"].value_counts()
    report("stars by class: " + ", ".join(f"{c} {int(counts.get(c, 0))}" for c in CLASSES if c != "absent"
                                          or args.all_rows))
    write_csv(rows, args.out)
    if args.regions_out:
        write_csv(result.region_counts(categories or None), args.regions_out)
    return 0
