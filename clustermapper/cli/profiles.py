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
    g.add_argument("--out", metavar="FILE|DIR", help="one profile: DE11.pdf or DE11.html; with --country or "
                   "several regions: the folder (as --out-dir)")
    g.add_argument("--out-dir", metavar="DIR", help="several profiles: DIR/<REGION>.<format> (with --country also "
                   "DIR/<CC>_summary.pdf and .html: the regions ranked, their 3-star clusters, a country map)")
    g.add_argument("--format", choices=("pdf", "html"), default="pdf", help="format with --out-dir (default pdf)")
    g.add_argument("--base-year", type=int, help="year to compare with (default: earliest year in the data)")
    g.add_argument("--peers", metavar="CODE[,CODE...]", help="peer regions to compare with (default: the 5 most "
                   "similar in sector mix and size, see `clustermapper peers`)")
    g.add_argument("--annex", action="store_true", help="add the annex: every category with its star "
                   "explanations, the changes table and the technical provenance")
    p.set_defaults(func=_profile)

    text = "suggest peer regions: most similar sector mix (cosine of employment shares) among regions of similar size"
    q = sub.add_parser("peers", help=text, description=text)
    add_analysis_args(q)
    h = q.add_argument_group("peers")
    h.add_argument("--region", required=True, metavar="CODE", help="the region to find peers for")
    h.add_argument("--n", type=int, default=5, help="how many peers (default 5)")
    h.add_argument("--country", metavar="CC", help="only peers of this country")
    h.add_argument("--peer-level", type=int, choices=(0, 1, 2, 3), metavar="LEVEL",
                   help="only peers at this NUTS level (with --level-override data mixing levels)")
    h.add_argument("--size-ratio", type=float, default=3.0, help="peers' employment within ×/÷ this (default 3)")
    h.add_argument("--out", default="-", metavar="FILE.csv", help="output CSV (default: standard output)")
    q.set_defaults(func=_peers)

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
    if args.out and args.out_dir:
        raise UsageError("give --out or --out-dir, not both")
    out_dir = None if single else (args.out_dir or args.out)
    if not single and not out_dir:
        raise UsageError("several profiles need --out-dir DIR (or --out DIR)")
    if out_dir and Path(out_dir).suffix.lower() in (".pdf", ".html", ".htm"):
        raise UsageError(f"--out {out_dir}: a country or a list of regions is written into a folder; give a folder "
                         "name (DIR/<REGION>.<format>)")
    peers = [c.strip().upper() for c in (args.peers or "").split(",") if c.strip()] or None
    if peers and not single:
        raise UsageError("--peers applies to one profile (--region CODE --out FILE)")
    spec = spec_from_args(args)
    analysis = run_analysis(spec, dataset=_read_for_profiles(spec))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    if single:
        path = render_profile(analysis, regions[0], args.out, base_year=args.base_year, peers=peers,
                              annex=args.annex)
        report(f"wrote {path}")
        return 0
    assert out_dir is not None
    if args.country:
        regions = regions_of(analysis, args.country)
    written = render_profiles(analysis, regions, out_dir, args.format, base_year=args.base_year,
                              progress=lambda f, msg: report(msg), annex=args.annex)
    report(f"wrote {len(written)} profiles to {out_dir}")
    if args.country:
        from clustermapper.render.profile_summary import render_country_summary

        for path in render_country_summary(analysis, args.country, regions, out_dir):
            report(f"wrote {path}")
    return 0


def _read_for_profiles(spec):
    """The data file, and its companion indicators for every year at once: a profile analyses its year, a base
    year, every year of its trends and the ecosystems, and each read its own years' companions (~0.5 s)."""
    from clustermapper.analysis import read_spec_data
    from clustermapper.io.source import sharing_sources
    from clustermapper.suppressed.companions import read_for_every_year

    with sharing_sources():
        dataset = read_spec_data(spec)
        read_for_every_year(spec, dataset)
    return dataset


def _peers(args: argparse.Namespace) -> int:
    from clustermapper.analytics.peers import suggest_peers
    from clustermapper.cli.stars import write_csv

    analysis = run_analysis(spec_from_args(args))
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    table = suggest_peers(analysis, args.region, n=args.n, country=args.country, level=args.peer_level,
                          size_ratio=args.size_ratio)
    report(f"{len(table)} peers of {args.region.strip().upper()} in {analysis.year} (employment within ×/÷ "
           f"{args.size_ratio:g}{', country ' + args.country.upper() if args.country else ''})")
    write_csv(table, args.out)
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
