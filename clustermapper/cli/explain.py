"""``clustermapper explain-method``: the star method and the confidential-data policies in plain language."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    text = "explain the three stars, the thresholds and how confidential data are handled"
    p = sub.add_parser("explain-method", help=text, description=text)
    p.add_argument("--format", choices=("text", "html"), default="text", help="output format (default text)")
    p.set_defaults(func=_explain)


def _explain(args: argparse.Namespace) -> int:
    from clustermapper import help_text

    sys.stdout.write(help_text.as_html() + "\n" if args.format == "html" else help_text.as_text())
    return 0
