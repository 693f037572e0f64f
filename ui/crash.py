"""Unexpected exceptions in the app: never silent, never a raw traceback. Each is logged with its traceback
(``clustermapper.crashlog``) and shown in one dialog with the message and the log's path."""

from __future__ import annotations

import sys
import weakref
from types import TracebackType

from clustermapper import crashlog

TITLE = "Unexpected error"


def report_text(exc: BaseException, context: str = "app") -> str:
    """Log ``exc`` and return the line to show: ``<type>: <message> (details in <log>)``."""
    return crashlog.summary(exc, crashlog.record(exc, context=context))


def install_excepthook(window) -> None:
    """Route exceptions that reach Qt's event loop (slots, timers, virtual methods: PySide prints them and
    carries on, so the user saw nothing) to a dialog on ``window``. Ctrl-C keeps Python's own handling."""
    ref = weakref.ref(window)
    showing = False

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt) or showing:
            sys.__excepthook__(kind, exc, tb)  # a failure while showing the dialog: print, do not loop
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        text = report_text(exc)
        target = ref()
        if target is None:
            print(f"clustermapper: internal error: {text}", file=sys.stderr)
            return
        showing = True
        try:
            target.controller.show_error(TITLE, text, user_error=False)
        finally:
            showing = False

    sys.excepthook = hook
