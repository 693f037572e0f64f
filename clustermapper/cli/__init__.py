"""``clustermapper`` command line: one module per command, each exposing ``register(subparsers)``."""

from __future__ import annotations

import argparse
import importlib
import sys

from clustermapper import __version__
from clustermapper.errors import ClusterMapperError

# Command modules in the order `--help` lists them; each registers its own sub-commands.
COMMAND_MODULES = ("stars", "maps", "profiles", "regions_cmd", "gui", "explain")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clustermapper", description="European cluster star ratings and maps.")
    parser.add_argument("--version", action="version", version=f"clustermapper {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"clustermapper.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"clustermapper.cli.{name}":
                raise
            continue  # command not part of this build; tests/test_cli.py checks the full set
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ClusterMapperError as exc:
        print(f"clustermapper: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
