"""Run one benchmark case in a fresh process and measure it: wall time and peak memory.

Peak memory is the child's peak resident set size as the kernel reports it to ``os.wait4`` (``ru_maxrss``):
the process itself, or the largest of it and the helper processes it reaped — never a sum (the app's
QtWebEngine renderer processes are not included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MEMORY_METHOD = "peak RSS of the process (os.wait4 ru_maxrss)"


@dataclass
class Run:
    wall: float  # seconds, spawn to exit
    peak_mb: float
    cpu: float  # user + system CPU seconds of the process (and the helpers it reaped): load-independent
    returncode: int
    stdout: str
    stderr: str
    reported: dict = field(default_factory=dict)  # the child's ``BENCH {json}`` line, if any

    @property
    def seconds(self) -> float:
        """The child's own measurement when it made one, else the whole process."""
        return float(self.reported.get("seconds", self.wall))


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(REPO), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env.update(extra)
    return env


def run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900.0) -> Run:
    """Run ``cmd`` (stdout/stderr to temporary files, so the process is reaped here with its rusage)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env or child_env(), text=True)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    reported = {}
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            reported = json.loads(line[6:])
    return Run(wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, proc.returncode, stdout, stderr,
               reported)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def check(result: Run, what: str) -> Run:
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return result
