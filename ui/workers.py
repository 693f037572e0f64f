"""Run reading and computing off the UI thread, with progress and cancel (QThread + worker object)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from clustermapper.analysis import Cancelled
from clustermapper.errors import ClusterMapperError

#: a task gets ``progress(fraction, message)`` and ``cancel() -> bool`` and returns its result
Task = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class TaskWorker(QObject):
    """Runs one task in its thread; reports through signals (queued to the UI thread)."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(str, bool)  # message, is_user_error (False: a bug; the message names the log)
    cancelled = Signal()
    done = Signal()

    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._task(lambda f, m: self.progress.emit(float(f), str(m)), self._cancel.is_set)
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        except Cancelled:
            self.cancelled.emit()
        except ClusterMapperError as exc:
            self.failed.emit(str(exc), True)
        except Exception as exc:  # a bug: one line in a dialog, the traceback in the log it names
            from clustermapper_ui.crash import report_text

            self.failed.emit(report_text(exc, context="app worker"), False)
        finally:
            self.done.emit()


class TaskRunner(QObject):
    """Starts tasks on a fresh QThread each; one at a time (a new task cancels the running one)."""

    progress = Signal(float, str)
    busyChanged = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._current: tuple[QThread, TaskWorker] | None = None
        self._latest: TaskWorker | None = None  # the last task started (its cancel is the one worth reporting)
        self._threads: set[QThread] = set()
        self._callbacks: dict[TaskWorker, tuple] = {}

    @property
    def busy(self) -> bool:
        return self._current is not None

    def start(self, task: Task, on_success: Callable[[Any], None], on_failure: Callable[[str, bool], None],
              on_cancel: Callable[[], None] | None = None) -> TaskWorker:
        self.cancel()
        thread = QThread()
        worker = TaskWorker(task)
        worker.moveToThread(thread)
        self._callbacks[worker] = (on_success, on_failure, on_cancel)
        thread.started.connect(worker.run)
        # bound slots of this (UI-thread) object: Qt queues the calls into the UI thread
        worker.progress.connect(self._on_progress)
        worker.succeeded.connect(self._on_success)
        worker.failed.connect(self._on_failure)
        worker.cancelled.connect(self._on_cancel)
        worker.done.connect(self._on_done)
        worker.done.connect(thread.quit)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        thread.finished.connect(self._on_thread_finished)
        self._threads.add(thread)
        self._current = (thread, worker)
        self._latest = worker
        self.busyChanged.emit(True)
        thread.start()
        return worker

    def cancel(self) -> None:
        if self._current is not None:
            self._current[1].cancel()
            self._current = None
            self.busyChanged.emit(False)

    def wait_all(self, ms: int = 10_000) -> None:
        """Cancel and join every thread (window close, test teardown)."""
        self.cancel()
        for thread in list(self._threads):
            try:
                thread.quit()
                thread.wait(ms)
            except RuntimeError:  # already deleted by Qt
                pass
        self._threads.clear()

    def _is_current(self, worker: object) -> bool:
        return self._current is not None and self._current[1] is worker

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self._is_current(self.sender()):
            self.progress.emit(fraction, message)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        worker = self.sender()
        if self._is_current(worker):
            self._callbacks[worker][0](result)

    @Slot(str, bool)
    def _on_failure(self, message: str, user_error: bool) -> None:
        worker = self.sender()
        if self._is_current(worker):
            self._callbacks[worker][1](message, user_error)

    @Slot()
    def _on_cancel(self) -> None:
        if self.sender() is not self._latest:
            return  # a newer task started since: a stale "Cancelled" must not overwrite what it reports
        callback = self._callbacks.get(self.sender(), (None, None, None))[2]
        if callback is not None:
            callback()

    @Slot()
    def _on_done(self) -> None:
        worker = self.sender()
        self._callbacks.pop(worker, None)
        if self._is_current(worker):
            self._current = None
            self.busyChanged.emit(False)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._threads.discard(self.sender())
