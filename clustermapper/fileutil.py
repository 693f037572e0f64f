"""Atomic file writing: a save either fully replaces the target or leaves it untouched."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and move it into place only when the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    binary = "b" in mode
    try:
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _give_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_path(path: str | Path) -> contextlib.AbstractContextManager[Path]:
    """For libraries that want a file name (matplotlib, openpyxl): yield a temp path, then move it into place."""

    @contextlib.contextmanager
    def _ctx() -> Iterator[Path]:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
        os.close(fd)
        try:
            yield Path(tmp)
            if os.path.exists(tmp):  # a library may have replaced it (new file, default mode) or not
                _give_mode(tmp, target)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    return _ctx()


def _give_mode(tmp: str, target: Path) -> None:
    """The mode a plain ``open()`` would give: the target's own when it exists, else 0666 minus the umask.

    ``mkstemp`` creates 0600 files, which colleagues on a shared drive cannot open.
    """
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    os.chmod(tmp, mode)


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (``os.umask`` sets it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: read by setting (threads may briefly see 022)
    os.umask(mask)
    return mask


def file_sha256(path: str | Path, step: Callable[[int, int], None] | None = None) -> str:
    """SHA-256 of a file, read in 1 MiB chunks (data files can be large).

    ``step(bytes_done, bytes_total)`` runs after each chunk: progress for a caller, and its way to stop the
    hash (an exception it raises, e.g. the app's Cancel, ends the read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        total = os.fstat(fh.fileno()).st_size
        done = 0
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            done += len(chunk)
            if step is not None:
                step(done, total)
    return digest.hexdigest()
