"""``clustermapper`` command line: one module per command, each exposing ``register(subparsers)``."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import signal
import sys
import threading
from typing import NoReturn

from clustermapper import __version__
from clustermapper.errors import ClusterMapperError

# Command modules in the order `--help` lists them; each registers its own sub-commands.
COMMAND_MODULES = ("stars", "maps", "profiles", "compare", "changes", "indices", "linkages", "sensitivity", "regions_cmd", "gui",
                   "explain")


# Which module registers each command: a command imports only its own module (importing all of them,
# with pandas, matplotlib and folium, took ~0.5 s of every run). tests/test_cli.py checks it against
# what the modules register.
COMMANDS = {"stars": "stars", "portfolio": "stars", "map": "maps", "profile": "profiles", "peers": "profiles",
            "export-tables": "profiles", "compare": "compare", "changes": "changes", "indices": "indices",
            "shift-share": "indices", "related": "linkages", "density": "linkages", "typology": "linkages",
            "sensitivity": "sensitivity", "regions": "regions_cmd", "gui": "gui", "explain-method": "explain"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of ``command`` (a key of ``COMMANDS``)."""
    parser = argparse.ArgumentParser(prog="clustermapper", description="European cluster star ratings and maps.")
    parser.add_argument("--version", action="version", version=f"clustermapper {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES:
        try:
            module = importlib.import_module(f"clustermapper.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"clustermapper.cli.{name}":
                raise
            continue  # command not part of this build; tests/test_cli.py checks the full set
        module.register(sub)
    return parser


#: exit codes: 0 success, 2 the input or request cannot be answered (ClusterMapperError, including empty
#: results), 3 internal error (a bug: one line on stderr, the traceback in the log), 130 interrupted (Ctrl-C)
EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 2, 3, 130


def main(argv: list[str] | None = None) -> int:
    with _terminate_cleanly():
        return _main(argv)


def run() -> NoReturn:
    """The ``clustermapper`` program: :func:`main`, then the exit without the interpreter's teardown.

    Freeing every object of a run one by one took ~70 ms after the work was done (a quarter of the time
    ``stars`` spends beyond plain pandas); outputs are written and closed by then. The exit handlers
    (logging, temporary resource copies, matplotlib) still run and the streams are flushed. The app
    (``gui``) exits normally: Qt shuts its threads down itself; so does a run under a profiler or coverage.
    """
    code = main()
    if sys.argv[1:2] == ["gui"] or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage writes its data at the normal exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (``| head``): nothing left to tell it
            stream.flush()
    os._exit(code)


@contextlib.contextmanager
def _terminate_cleanly():
    """SIGTERM (``kill``, a closing terminal, a CI timeout) unwinds like Ctrl-C, so half-written outputs
    remove their temporary files instead of leaving ``.tmp`` files beside the target."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
        args = parser.parse_args(words)
        return int(args.func(args) or 0)
    except ClusterMapperError as exc:
        print(f"clustermapper: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError as exc:  # the environment, not the data: a full disk, an unwritable --out folder
        print(f"clustermapper: error: {_os_error_text(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: never a raw traceback on stderr, always the log that holds it
        return internal_error(exc)


def internal_error(exc: BaseException) -> int:
    """Report an unexpected exception as one line naming the log with its traceback; the exit code."""
    from clustermapper import crashlog

    log = crashlog.record(exc, context="command line: " + " ".join(sys.argv[1:]))
    print(f"clustermapper: internal error: {crashlog.summary(exc, log)}", file=sys.stderr)
    return EXIT_INTERNAL


def _os_error_text(exc: OSError) -> str:
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    reason = exc.strerror or str(exc)
    return f"{' → '.join(names)}: {reason}" if names else reason


if __name__ == "__main__":
    run()
