"""Run reading and computing off the UI thread, with progress and cancel (one QThread per task).

Why no ``sender()`` and no ``deleteLater`` on threads: both segfaulted intermittently in CI. A queued slot
could run after Qt had deleted the finished thread (``sender()`` then pointed at freed memory), and a
QThread object could be deleted while its native thread was still leaving ``run``. Every signal now
carries the task's id, and a thread object is dropped only after ``wait()`` has joined it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from clustermapper.analysis import Cancelled
from clustermapper.errors import ClusterMapperError

#: a task gets ``progress(fraction, message)`` and ``cancel() -> bool`` and returns its result
Task = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]

_IDS = itertools.count(1)


class TaskThread(QThread):
    """Runs one task in ``run``; its signals are emitted from that thread and queued to the runner."""

    progress = Signal(int, float, str)
    succeeded = Signal(int, object)
    failed = Signal(int, str, bool)  # id, message, is_user_error (False: a bug; the message names the log)
    cancelled = Signal(int)
    done = Signal(int)

    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task_id = next(_IDS)
        self._task = task
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        tid = self.task_id
        try:
            result = self._task(lambda f, m: self.progress.emit(tid, float(f), str(m)), self._cancel.is_set)
            if self._cancel.is_set():
                self.cancelled.emit(tid)
            else:
                self.succeeded.emit(tid, result)
        except Cancelled:
            self.cancelled.emit(tid)
        except ClusterMapperError as exc:
            self.failed.emit(tid, str(exc), True)
        except Exception as exc:  # a bug: one line in a dialog, the traceback in the log it names
            from clustermapper_ui.crash import report_text

            self.failed.emit(tid, report_text(exc, context="app worker"), False)
        finally:
            self.done.emit(tid)


class TaskRunner(QObject):
    """Starts tasks on a fresh thread each; one at a time (a new task cancels the running one)."""

    progress = Signal(float, str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._current: int | None = None  # id of the task whose results count
        self._latest: int | None = None  # the last task started (its cancel is the one worth reporting)
        self._threads: dict[int, TaskThread] = {}
        self._callbacks: dict[int, tuple] = {}

    @property
    def busy(self) -> bool:
        return self._current is not None

    def start(self, task: Task, on_success: Callable[[Any], None], on_failure: Callable[[str, bool], None],
              on_cancel: Callable[[], None] | None = None) -> TaskThread:
        self.cancel()
        thread = TaskThread(task)
        tid = thread.task_id
        self._callbacks[tid] = (on_success, on_failure, on_cancel)
        # bound slots of this UI-thread object: Qt queues the calls into the UI thread
        thread.progress.connect(self._on_progress)
        thread.succeeded.connect(self._on_success)
        thread.failed.connect(self._on_failure)
        thread.cancelled.connect(self._on_cancel)
        thread.done.connect(self._on_done)
        self._threads[tid] = thread
        self._current = self._latest = tid
        self.busyChanged.emit(True)
        thread.start()
        return thread

    def cancel(self) -> None:
        if self._current is not None:
            thread = self._threads.get(self._current)
            if thread is not None:
                thread.cancel()
            self._current = None
            self.busyChanged.emit(False)

    def wait_all(self, ms: int = 10_000) -> None:
        """Cancel and join every thread (window close, test teardown)."""
        self.cancel()
        for thread in list(self._threads.values()):
            thread.cancel()
            thread.wait(ms)
        self._threads.clear()
        self._callbacks.clear()

    @Slot(int, float, str)
    def _on_progress(self, tid: int, fraction: float, message: str) -> None:
        if tid == self._current:
            self.progress.emit(fraction, message)

    @Slot(int, object)
    def _on_success(self, tid: int, result: object) -> None:
        if tid == self._current and tid in self._callbacks:
            self._callbacks[tid][0](result)

    @Slot(int, str, bool)
    def _on_failure(self, tid: int, message: str, user_error: bool) -> None:
        if tid == self._current and tid in self._callbacks:
            self._callbacks[tid][1](message, user_error)

    @Slot(int)
    def _on_cancel(self, tid: int) -> None:
        if tid != self._latest:
            return  # a newer task started since: a stale "Cancelled" must not overwrite what it reports
        callback = self._callbacks.get(tid, (None, None, None))[2]
        if callback is not None:
            callback()

    @Slot(int)
    def _on_done(self, tid: int) -> None:
        self._callbacks.pop(tid, None)
        if tid == self._current:
            self._current = None
            self.busyChanged.emit(False)
        # join outside this slot: ``done`` is run()'s last act, so the wait is short; the object is
        # dropped (and deleted) only once its native thread has ended
        QTimer.singleShot(0, self, lambda: self._join(tid))

    def _join(self, tid: int) -> None:
        thread = self._threads.pop(tid, None)
        if thread is not None:
            thread.wait()
