"""``clustermapper gui``: open the desktop app (Qt is imported only when the command runs)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from clustermapper.cli.common import add_analysis_args, category_before_reading, spec_from_args


def register(sub: argparse._SubParsersAction) -> None:
    text = "open the desktop app (or, with --screenshot, save a verified screenshot and exit)"
    p = sub.add_parser("gui", help=text, description=text)
    add_analysis_args(p)
    view = p.add_argument_group("view")
    view.add_argument("--category", help="category shown on the map (e.g. C29)")
    view.add_argument("--select", metavar="REGION", help="region selected at start (e.g. DE11)")
    view.add_argument("--layer", help="map layer: stars, lq, employment, strength, strongest, change, sensitivity, "
                                      "density, typology")
    view.add_argument("--compare", default="", metavar="R1,R2,...", help="regions compared side by side")
    view.add_argument("--screenshot", type=Path, metavar="OUT.png",
                      help="render offscreen, save the whole window once the map has rendered, exit")
    view.add_argument("--timeout", type=float, default=60.0, help="screenshot: seconds to wait (default 60)")
    view.add_argument("--size", default="1600x980", help="screenshot: window size WxH (default 1600x980)")
    p.set_defaults(func=_gui)


def _gui(args: argparse.Namespace) -> int:
    from clustermapper.errors import UsageError

    spec = spec_from_args(args)
    try:
        width, height = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {args.size!r} is not WIDTHxHEIGHT (e.g. 1600x980)") from None
    # Qt only now: every other command works without PySide6 (it is the optional "gui" extra)
    try:
        missing = importlib.util.find_spec("PySide6.QtWebEngineWidgets") is None  # the app's map view
    except ImportError:
        missing = True
    if missing:
        raise UsageError('the desktop app needs PySide6 with Qt WebEngine: pip install "clustermapper[gui]"')
    from clustermapper_ui.launch import LaunchOptions, launch

    # resolved before the window opens: a typo no longer waits for the analysis, and lower-case ids stay usable
    category = category_before_reading(spec.taxonomy, args.category)
    options = LaunchOptions(category=category, select=args.select, layer=args.layer,
                            compare=tuple(c.strip().upper() for c in args.compare.split(",") if c.strip()),
                            screenshot=args.screenshot, timeout=args.timeout, size=(width, height))
    return launch(spec, options)
