"""``clustermapper profile`` (region profiles, PDF/HTML) and ``clustermapper export-tables`` (CSV/XLSX)."""

from __future__ import annotations

import argparse
from pathlib import Path

from clustermapper.analysis import run_analysis
from clustermapper.cli.common import add_analysis_args, report, report_reading, spec_from_args, warn_partial_year
from clustermapper.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    text = "write region profiles (portfolio, star explanations, comparisons, changes) as PDF or HTML"
    p = sub.add_parser("profile", help=text, description=text)
    add_analysis_args(p)
    g = p.add_argument_group("profile")
    which = g.add_mutually_exclusive_group(required=True)
    which.add_argument("--region", metavar="CODE[,CODE...]", help="one region (with --out) or a list (with --out-dir)")
    which.add_argument("--country", metavar="CC", help="every region of a country with data (with --out-dir)")
    g.add_argument("--out", metavar="FILE", help="one profile: DE11.pdf or DE11.html")
    g.add_argument("--out-dir", metavar="DIR", help="several profiles: DIR/<REGION>.<format>")
    g.add_argument("--format", choices=("pdf", "html"), default="pdf", help="format with --out-dir (default pdf)")
    g.add_argument("--base-year", type=int, help="year to compare with (default: earliest year in the data)")
    p.set_defaults(func=_profile)

    text = "export the stars, portfolio and category rankings tables to XLSX (with a metadata sheet) or CSV"
    t = sub.add_parser("export-tables", help=text, description=text)
    add_analysis_args(t)
    t.add_argument("--out", required=True, metavar="FILE", help="tables.xlsx, or stars.csv (+ .metadata.json)")
    t.add_argument("--table", default="", metavar="NAME,...",
                   help="stars,portfolio,rankings (default: all in XLSX; stars only in CSV; several CSVs get "
                        "_<table> suffixes)")
    t.set_defaults(func=_export_tables)


def _profile(args: argparse.Namespace) -> int:
    from clustermapper.render.profile import regions_of, render_profile, render_profiles

    regions = [r.strip().upper() for r in (args.region or "").split(",") if r.strip()]
    single = len(regions) == 1 and args.out_dir is None
    if single and not args.out:
        raise UsageError("profile --region CODE needs --out FILE.pdf|html (or --out-dir DIR)")
    if not single and not args.out_dir:
        raise UsageError("several profiles need --out-dir DIR")
    if args.out and not single:
        raise UsageError("--out writes one profile; use --out-dir for a country or a list of regions")
    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    if single:
        path = render_profile(analysis, regions[0], args.out, base_year=args.base_year)
        report(f"wrote {path}")
        return 0
    if args.country:
        regions = regions_of(analysis, args.country)
    written = render_profiles(analysis, regions, args.out_dir, args.format, base_year=args.base_year,
                              progress=lambda f, msg: report(msg))
    report(f"wrote {len(written)} profiles to {args.out_dir}")
    return 0


def _export_tables(args: argparse.Namespace) -> int:
    from clustermapper.render.tables import TABLES, export_tables

    out = Path(args.out)
    names = [n.strip().lower() for n in args.table.split(",") if n.strip()]
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise UsageError(f"--table: unknown {', '.join(unknown)}; choose from {', '.join(TABLES)}")
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(f"--out {out}: use a .xlsx or .csv file name")
    if not names:
        names = list(TABLES) if out.suffix.lower() == ".xlsx" else ["stars"]
    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    for path in export_tables(analysis, out, names):
        report(f"wrote {path}")
    return 0
