"""``clustermapper map``: one map layer to PNG/SVG/PDF (static, report-ready) or HTML (interactive)."""

from __future__ import annotations

import argparse
from pathlib import Path

from clustermapper.analysis import run_analysis
from clustermapper.cli.common import (
    add_analysis_args,
    category_before_reading,
    report,
    report_reading,
    spec_from_args,
    warn_partial_year,
)
from clustermapper.cli.results import refuse_categories_without_data, refuse_empty
from clustermapper.errors import UsageError

OUT_SUFFIXES = (".png", ".svg", ".pdf", ".html", ".htm", ".gpkg", ".geojson")


def register(sub: argparse._SubParsersAction) -> None:
    text = ("draw one map layer to PNG, SVG or PDF (static, for reports), HTML (interactive, offline) or a GIS layer "
            "(GeoPackage/GeoJSON with a QGIS .qml and an SLD style beside it)")
    p = sub.add_parser("map", help=text, description=text)
    add_analysis_args(p)
    m = p.add_argument_group("map")
    from clustermapper.layers import LAYERS

    m.add_argument("--from", dest="from_year", type=int, metavar="YEAR",
                   help="base year of the change layer (default: 4 years before --year, or the nearest earlier year)")
    m.add_argument("--layer", required=True, choices=tuple(LAYERS),
                   help="what the regions are coloured by")
    m.add_argument("--category", help="category code (needed for stars, lq and employment), e.g. C29")
    where = m.add_mutually_exclusive_group()
    where.add_argument("--country", metavar="CC", help="zoom to one country, e.g. DE")
    where.add_argument("--region", metavar="CODE", help="zoom to a region and its neighbours; it is highlighted")
    m.add_argument("--highlight", metavar="CODE,...", help="outline these regions")
    m.add_argument("--title", help="map title (default: layer, category, area and year)")
    m.add_argument("--size",
                   help="A3/A4/A5-landscape|portrait, WxHmm (paper, e.g. 250x180mm) or WxH pixels, e.g. 1600x1000 "
                        "(default A4-landscape)")
    m.add_argument("--labels", choices=("none", "starred", "all"),
                   help="region names on static maps: none, the starred regions, or all that fit (starred first; "
                        "labels never overlap, those that do not fit are left out)")
    m.add_argument("--dpi", type=int, help="resolution of PNG output (default 300)")
    m.add_argument("--out", required=True, metavar="FILE", help="map.png | map.svg | map.pdf | map.html | stars.gpkg | stars.geojson")
    p.set_defaults(func=_map)


def _map(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in OUT_SUFFIXES:
        raise UsageError(f"--out {out}: the file name must end in {', '.join(OUT_SUFFIXES)}")
    _refuse_print_options(args, out)
    args.size, args.labels = args.size or "A4-landscape", args.labels or "none"
    args.dpi, args.highlight = 300 if args.dpi is None else args.dpi, args.highlight or ""
    if not 50 <= args.dpi <= 1200:
        raise UsageError("--dpi must be between 50 and 1200")
    from clustermapper.render.static_map import figure_inches, parse_size

    size = parse_size(args.size)
    figure_inches(size, args.dpi)  # a bad --size fails before the data is read
    spec = spec_from_args(args)
    category = category_before_reading(spec.taxonomy, args.category, layer=args.layer)
    analysis = run_analysis(spec)
    report_reading(analysis.dataset)
    warn_partial_year(analysis)
    refuse_empty(analysis)
    if category is not None:
        refuse_categories_without_data(analysis, [category])
    from clustermapper.layers import LAYERS, build_layer

    base = _base(analysis, args.from_year) if LAYERS[args.layer].needs_base else None
    layer_data = build_layer(analysis, args.layer, category, base=base)
    if out.suffix.lower() in (".html", ".htm"):
        from clustermapper.render.web_map import export_html

        export_html(analysis, layer_data, out, title=args.title)
    elif out.suffix.lower() in (".gpkg", ".geojson"):
        from clustermapper.render.gis import export_gis

        for path in export_gis(analysis, layer_data, out)[1:]:
            report(f"wrote {path}")
    else:
        from clustermapper.render.static_map import render_map

        extent: object = "europe"
        highlight = [c.strip().upper() for c in args.highlight.split(",") if c.strip()]
        if args.country:
            extent = args.country.strip().upper()
        elif args.region:
            extent = ("region", args.region.strip().upper())
            highlight = [args.region.strip().upper()] + highlight
        render_map(analysis, args.layer, category, out=out, size=size, dpi=args.dpi,
                   extent=extent, highlight=highlight, title=args.title, layer_data=layer_data, labels=args.labels)
    report(f"wrote {out}")
    return 0


def _refuse_print_options(args: argparse.Namespace, out: Path) -> None:
    """Options of printed maps given for an HTML page or a GIS layer: they were ignored without a word."""
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".gpkg", ".geojson"):
        return
    names = ["--country", "--region", "--highlight", "--size", "--labels", "--dpi"]
    if suffix in (".gpkg", ".geojson"):
        names.append("--title")  # a GIS layer has no title; the page shows it
    given = [n for n in names if getattr(args, n[2:]) is not None]
    if given:
        kind = "an HTML map (pan, zoom and search it instead)" if suffix in (".html", ".htm") else "a GIS layer"
        one = len(given) == 1
        raise UsageError(f"{', '.join(given)} {'does' if one else 'do'} not apply to {kind}; "
                         f"{'it shapes' if one else 'they shape'} PNG, SVG and PDF maps — drop "
                         f"{'it' if one else 'them'} or write one of those")


def _base(analysis, year: int | None):
    """The analysis of the base year (``--from``, else the default span) for layers that compare years."""
    from clustermapper.analytics.changes import base_analysis, default_base_year

    year = default_base_year(analysis.years, analysis.year) if year is None else year
    if year is None:
        raise UsageError(f"the change layer needs a year before {analysis.year}; the data have none")
    if year not in analysis.years:
        raise UsageError(f"--from {year} has no data; years with data: {', '.join(map(str, analysis.years))}")
    report(f"changes since {year}")
    return base_analysis(analysis, year)
