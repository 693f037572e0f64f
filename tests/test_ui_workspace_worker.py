"""Opening a workspace in the app: reading it, hashing its data file and reading the data run in the worker
(progress, Cancel), so a huge file, a FIFO or /dev/zero never freezes the window, and an error about the data
file a workspace names never shows that file's content."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

WAIT_MS = 90_000


def _dialog(name: str):
    from PySide6.QtWidgets import QApplication

    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def _workspace(folder: Path, data: str, **extra) -> Path:
    path = folder / "w.cmws.json"
    doc = {"schema_version": 1, "data": {"path": data, **extra}, "analysis": {"suppressed": "zero"}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_opening_returns_at_once_and_cancel_stops_the_checksum(qtbot, main_window, tmp_path: Path) -> None:
    from clustermapper_ui.menus import open_workspace

    data = tmp_path / "huge.csv"
    with open(data, "wb") as fh:  # 3 GiB, sparse: hashing it takes seconds, on the UI thread it froze the app
        fh.truncate(3 << 30)
    path = _workspace(tmp_path, str(data), sha256="0" * 64)
    before = main_window.state.spec
    messages: list[str] = []
    main_window.controller.progress.connect(lambda _f, m: messages.append(m))
    open_workspace(main_window, path)
    assert main_window.controller.runner.busy and main_window.state.spec == before  # nothing done yet
    qtbot.waitUntil(lambda: any(m.startswith("Checking the data file") for m in messages), timeout=WAIT_MS)
    main_window.controller.cancel()
    qtbot.waitUntil(lambda: not main_window.controller.runner.busy, timeout=WAIT_MS)
    qtbot.wait(200)  # a late 'failed' from the worker would show its dialog now
    assert _dialog("errorDialog") is None and _dialog("workspaceWarning") is None
    assert main_window.state.spec == before  # the cancelled workspace was not applied
    assert messages[-1] == "Cancelled"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_dev_zero_as_data_is_an_error_not_a_freeze(qtbot, main_window, tmp_path: Path, kind: str) -> None:
    from clustermapper_ui.menus import open_workspace

    target = tmp_path / "pipe.csv"
    if kind == "fifo":
        os.mkfifo(target)
    path = _workspace(tmp_path, str(target) if kind == "fifo" else "/dev/zero")
    open_workspace(main_window, path)
    qtbot.waitUntil(lambda: _dialog("errorDialog") is not None, timeout=WAIT_MS)
    text = _dialog("errorDialog").text()
    assert str(path) in text and "not a regular file" in text and "data.path" in text
    assert main_window.state.analysis is None


def test_a_non_data_file_is_named_but_not_quoted(qtbot, main_window, tmp_path: Path) -> None:
    from clustermapper_ui.menus import open_workspace

    secret = tmp_path / "elsewhere" / "id_rsa"
    secret.parent.mkdir()
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n", encoding="utf-8")
    folder = tmp_path / "shared"
    folder.mkdir()
    path = _workspace(folder, str(secret))  # absolute, outside the workspace's folder
    open_workspace(main_window, path)
    qtbot.waitUntil(lambda: _dialog("errorDialog") is not None, timeout=WAIT_MS)
    text = _dialog("errorDialog").text()
    assert str(secret) in text and "cannot be read as employment data" in text and "File → Open data" in text
    assert "OPENSSH" not in text and "b3Bl" not in text  # the reader's own message quoted the first line
    assert main_window.state.analysis is None


def test_saving_hashes_in_the_worker_and_cancel_writes_nothing(qtbot, main_window, tmp_path: Path) -> None:
    from clustermapper.analysis import AnalysisSpec
    from clustermapper_ui.menus import save_workspace

    data = tmp_path / "huge.csv"
    with open(data, "wb") as fh:
        fh.truncate(3 << 30)
    main_window.state.spec = AnalysisSpec(data=str(data))
    target = tmp_path / "w.cmws.json"
    messages: list[str] = []
    main_window.controller.progress.connect(lambda _f, m: messages.append(m))
    save_workspace(main_window, target)
    assert main_window.controller.export_runner.busy  # returned at once: the hash runs in the worker
    qtbot.waitUntil(lambda: any(m.startswith("Checking the data file") for m in messages), timeout=WAIT_MS)
    main_window.controller.cancel()
    qtbot.waitUntil(lambda: not main_window.controller.export_runner.busy, timeout=WAIT_MS)
    assert not target.exists() and _dialog("errorDialog") is None
    small = tmp_path / "small.csv"
    small.write_text("region,sector,year,value\nDE11,C29,2015,5\n", encoding="utf-8")
    main_window.state.spec = AnalysisSpec(data=str(small))
    save_workspace(main_window, target)
    qtbot.waitUntil(lambda: not main_window.controller.export_runner.busy, timeout=WAIT_MS)
    assert json.loads(target.read_text(encoding="utf-8"))["data"]["sha256"] is not None
    assert main_window.statusBar().currentMessage() == f"Workspace saved: {target}"
