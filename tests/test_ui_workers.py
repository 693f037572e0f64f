"""TaskRunner under churn: hundreds of tasks started back to back (each cancels the one before).

The old runner used ``sender()`` in queued slots and ``deleteLater`` on finished threads; CI segfaulted
intermittently when a slot ran after Qt had freed the thread. This test starts tasks faster than they end,
so stale signals from finished and cancelled threads arrive interleaved with fresh ones.
"""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

WAIT_MS = 60_000


def _task(value, delay):
    def run(progress, cancelled):
        progress(0.5, f"task {value}")
        end = time.monotonic() + delay
        while time.monotonic() < end:
            if cancelled():
                break
            time.sleep(0.0005)
        return value
    return run


def test_churn_reports_only_the_latest_task(qtbot):
    from clustermapper_ui.workers import TaskRunner

    runner = TaskRunner()
    successes, failures, cancels, busy = [], [], [], []
    runner.busyChanged.connect(busy.append)
    for i in range(300):
        runner.start(_task(i, 0.002 * (i % 3)), successes.append, lambda m, u: failures.append(m),
                     lambda i=i: cancels.append(i))
        if i % 7 == 0:
            qtbot.wait(1)  # let some queued signals through mid-churn
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not runner._threads, timeout=WAIT_MS)  # every thread joined and dropped
    assert successes[-1] == 299 and successes.count(299) == 1
    assert not failures and not cancels  # a cancel is reported only for the latest task, which succeeded
    assert busy[-1] is False
    runner.wait_all()


def test_failure_and_cancel_reach_their_callbacks(qtbot):
    from clustermapper.errors import ClusterMapperError
    from clustermapper_ui.workers import TaskRunner

    runner = TaskRunner()
    failures, cancels = [], []

    def bad(progress, cancelled):
        raise ClusterMapperError("file x.csv, row 3: not a number")

    runner.start(bad, lambda r: None, lambda m, u: failures.append((m, u)))
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert failures == [("file x.csv, row 3: not a number", True)]

    runner.start(_task("slow", 30), lambda r: None, lambda m, u: None, lambda: cancels.append(1))
    runner.cancel()
    qtbot.waitUntil(lambda: bool(cancels), timeout=WAIT_MS)  # the latest task's cancel is reported
    qtbot.waitUntil(lambda: not runner._threads, timeout=WAIT_MS)
    runner.wait_all()
