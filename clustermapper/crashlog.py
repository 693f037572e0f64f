"""Unexpected exceptions (bugs): one line for the user, the full traceback in a log file.

CLI and app share this so a crash report always names the same file. The log lives in the user cache
(``CLUSTERMAPPER_CACHE``, else ``$XDG_CACHE_HOME/clustermapper`` or ``~/.cache/clustermapper``;
``%LOCALAPPDATA%\\clustermapper`` on Windows — the base ``regions.download.cache_dir`` uses) as ``errors.log``.
"""

from __future__ import annotations

import datetime
import os
import tempfile
import traceback
from pathlib import Path

from clustermapper import __version__

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1 << 20  # the log is rotated once it grows past 1 MiB: it never fills a disk


def user_cache_base() -> Path:
    env = os.environ.get("CLUSTERMAPPER_CACHE")
    if env:
        return Path(env)
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "clustermapper"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clustermapper"


def log_path() -> Path:
    return user_cache_base() / LOG_NAME


def record(exc: BaseException, context: str = "") -> Path | None:
    """Append ``exc``'s traceback to the log; the path written, or None if no log could be written.

    Falls back to the temp folder when the cache is not writable; never raises (it runs while handling a bug).
    """
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    entry = f"--- {stamp} clustermapper {__version__}{' ' + context if context else ''}\n{text}\n"
    for target in (log_path(), Path(tempfile.gettempdir()) / f"clustermapper-{LOG_NAME}"):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_file() and target.stat().st_size > MAX_LOG_BYTES:
                os.replace(target, target.with_suffix(".log.1"))
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(entry)
            return target
        except OSError:
            continue
    return None


def summary(exc: BaseException, log: Path | None) -> str:
    """``<type>: <message> (details in <log>)``, on one line (a message with line breaks is joined)."""
    message = " ".join(str(exc).split()) or "(no message)"
    if len(message) > 300:
        message = message[:297] + "..."
    where = f"details in {log}" if log is not None else "no log file could be written"
    return f"{type(exc).__name__}: {message} ({where})"
