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

from clustermapper.errors import UsageError


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None) -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and move it into place only when the block succeeds."""
    target = check_output_target(path)
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
        target = check_output_target(path)
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


def check_output_target(path: str | Path, *, make_folder: bool = True, folder_ok: bool = False) -> Path:
    """``path`` as a file an output may replace (its folder made unless ``make_folder`` is false); refused
    (UsageError) when it is a folder (unless ``folder_ok``), a device, a named pipe or a socket, which the
    atomic replace would swap a regular file in for (as root, ``/dev/null`` itself), or when a folder on
    the way is a file. A symbolic link is replaced, never followed."""
    target = Path(path)
    try:
        kind = os.lstat(target).st_mode
    except (FileNotFoundError, NotADirectoryError):  # new, or a file on the way (refused below)
        kind = None
    except OSError as exc:  # e.g. a file where a folder of the path should be
        raise UsageError(f"cannot write {target}: {exc.strerror}; choose another output name") from None
    if kind is not None and not (stat.S_ISREG(kind) or stat.S_ISLNK(kind) or (folder_ok and stat.S_ISDIR(kind))):
        what = ("a folder" if stat.S_ISDIR(kind) else "a named pipe" if stat.S_ISFIFO(kind)
                else "a socket" if stat.S_ISSOCK(kind) else "a device")
        raise UsageError(f"cannot write {target}: it is {what}, not a file; give the name of a file "
                         "(outputs are written to a file and moved into place)")
    blocker = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    try:
        if blocker is None and make_folder:
            target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = target.parent
    if blocker is not None:
        raise UsageError(f"cannot write {target}: {blocker} is a file, not a folder; choose another output name") \
            from None
    return target


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
