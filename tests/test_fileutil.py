"""Saves are atomic and get the permissions a plain open() would (colleagues on a shared drive can read them)."""

from __future__ import annotations

import os
import stat

import pytest

from clustermapper.fileutil import atomic_path, atomic_write


@pytest.fixture
def umask():
    def set_mask(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    os.umask(old)
    yield set_mask
    os.umask(old)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_new_files_follow_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    with atomic_write(tmp_path / "a.csv") as fh:
        fh.write("x\n")
    with atomic_path(tmp_path / "b.png") as tmp:
        tmp.write_bytes(b"png")
    assert stat.S_IMODE(os.stat(tmp_path / "a.csv").st_mode) == expected
    assert stat.S_IMODE(os.stat(tmp_path / "b.png").st_mode) == expected


def test_replacing_a_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "shared.csv"
    target.write_text("old\n")
    target.chmod(0o664)
    with atomic_write(target) as fh:
        fh.write("new\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o664 and target.read_text() == "new\n"


def test_a_failed_write_leaves_no_temporary_file_and_the_old_content(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_terminated_command_leaves_no_temporary_file(tmp_path):
    """SIGTERM while the output is being written: the target is absent or whole, and no .tmp is left."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from clustermapper import cli\n"
        "from clustermapper.fileutil import atomic_write\n"
        "def slow(args):\n"
        "    with atomic_write(args.out) as fh:\n"
        "        fh.write('partial'); fh.flush(); print('writing', flush=True); time.sleep(30)\n"
        "cli._main = lambda argv: slow(type('A', (), {'out': sys.argv[1]}))\n"
        "sys.exit(cli.main([]))\n"
    )
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # the write was under way
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 128 + signal.SIGTERM
    time.sleep(0.1)
    assert list(tmp_path.iterdir()) == []


def _special_files(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    found = [(fifo, "a named pipe", stat.S_ISFIFO), (folder, "a folder", stat.S_ISDIR)]
    try:  # a device node needs root (CI runs as root); /dev/null itself was replaced before this check
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        found.append((tmp_path / "null", "a device", stat.S_ISCHR))
    except PermissionError:
        pass
    return found


@pytest.mark.parametrize("writer", ["atomic_write", "atomic_path"])
def test_a_device_pipe_or_folder_is_never_replaced_by_a_file(tmp_path, writer):
    from clustermapper.errors import UsageError

    for target, what, is_kind in _special_files(tmp_path):
        with pytest.raises(UsageError, match=f"it is {what}, not a file"), \
                (atomic_write(target) if writer == "atomic_write" else atomic_path(target)):
            pass
        assert is_kind(os.lstat(target).st_mode), target  # still what it was
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file


def test_a_file_on_the_way_is_named(tmp_path):
    from clustermapper.errors import UsageError

    (tmp_path / "data.csv").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="data.csv is a file, not a folder"), \
            atomic_write(tmp_path / "data.csv" / "sub" / "out.csv"):
        pass
    assert (tmp_path / "data.csv").read_text(encoding="utf-8") == "x"
