"""``clustermapper regions …``: NUTS versions of a data file, the available boundaries, code look-ups and
the explicit download of newer GISCO versions."""

from __future__ import annotations

import argparse
from pathlib import Path

from clustermapper.defaults import DEFAULT_INDICATOR, DEFAULT_INDICATOR_TEXT
from clustermapper.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("regions", help="NUTS boundaries: version detection, look-ups, optional download",
                       description="NUTS boundaries: which version a data file uses, region look-ups, and "
                                   "the optional download of versions that are not embedded.")
    cmds = p.add_subparsers(dest="regions_command", required=True, metavar="SUBCOMMAND")

    d = cmds.add_parser("detect", help="per year, the NUTS version the region codes with data match")
    d.add_argument("--data", required=True, metavar="PATH", help="data file (Eurostat TSV, SDMX-CSV, CSV/XLSX)")
    d.add_argument("--indicator", default=DEFAULT_INDICATOR, help=f"Eurostat indicator (default {DEFAULT_INDICATOR_TEXT})")
    d.add_argument("--level", type=int, choices=(0, 1, 2, 3), help="only codes of this NUTS level")
    d.set_defaults(func=_detect)

    v = cmds.add_parser("versions", help="NUTS versions available offline (embedded and downloaded)")
    v.set_defaults(func=_versions)

    s = cmds.add_parser("show", help="name, level, parent, children and versions of region codes")
    s.add_argument("codes", nargs="+", metavar="CODE")
    s.set_defaults(func=_show)

    g = cmds.add_parser("download", help="download a NUTS version from GISCO into the user cache (online)")
    g.add_argument("--version", dest="nuts_version", type=int, required=True, help="NUTS version, e.g. 2024")
    g.add_argument("--level", type=int, action="append", choices=(0, 1, 2, 3),
                   help="level to fetch (repeatable; default all four)")
    g.add_argument("--url", help="base URL of the GISCO distribution (default: the official one)")
    g.set_defaults(func=_download)


def _detect(args: argparse.Namespace) -> int:
    from clustermapper.io import read_dataset
    from clustermapper.regions.codes import nuts_level
    from clustermapper.regions.versions import detect_versions

    if not Path(args.data).exists():
        raise UsageError(f"data file not found: {args.data}")
    result = read_dataset(Path(args.data), indicator=args.indicator)
    table = result.table
    if args.level is not None:
        table = table[table["region"].map(nuts_level) == args.level]
    matches = detect_versions(table)
    if not matches:
        print(f"{args.data}: no region codes with values")
        return 0
    for year in sorted(matches):
        print(matches[year].describe())
    return 0


def _versions(args: argparse.Namespace) -> int:
    from clustermapper.regions.download import cache_dir, cached_versions
    from clustermapper.regions.shapes import EMBEDDED_VERSIONS, codes_of

    for version in EMBEDDED_VERSIONS:
        counts = ", ".join(f"L{lv} {len(codes_of(version, lv))}" for lv in range(4))
        print(f"NUTS {version}  embedded   {counts}")
    for version in cached_versions():
        print(f"NUTS {version}  downloaded ({cache_dir()})")
    return 0


def _show(args: argparse.Namespace) -> int:
    from clustermapper.regions.codes import is_region_code, nuts_level
    from clustermapper.regions.shapes import EMBEDDED_VERSIONS, children, code_table, parent, region_name

    table = code_table()
    for code in (c.strip().upper() for c in args.codes):
        if not is_region_code(code):
            print(f"{code}: not a NUTS region code (extra-regio, aggregate or malformed)")
            continue
        if code not in table.index:  # well-formed but unknown: a typo, or a code of a later NUTS version
            print(f"{code}: no such region in the embedded NUTS versions {EMBEDDED_VERSIONS[0]}–"
                  f"{EMBEDDED_VERSIONS[-1]} (check the code; a later version: regions download)")
            continue
        versions = " ".join(map(str, table.at[code, "versions"]))
        up = parent(code) or "-"
        down = ", ".join(children(code)) or "-"
        print(f"{code}  {region_name(code)}  (NUTS {nuts_level(code)}; versions {versions}; parent {up}; "
              f"children {down})")
    return 0


def _download(args: argparse.Namespace) -> int:
    from clustermapper.regions.download import download_gisco
    from clustermapper.regions.shapes import EMBEDDED_VERSIONS

    if args.nuts_version in EMBEDDED_VERSIONS:
        print(f"NUTS {args.nuts_version} is embedded; nothing to download")
        return 0
    for level in args.level or [0, 1, 2, 3]:
        path = download_gisco(args.nuts_version, level, base_url=args.url)
        print(f"NUTS {args.nuts_version} level {level}: {path}")
    return 0
