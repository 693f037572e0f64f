"""Every failure ends in one clear message: the CLI's catch-all (exit 3, traceback in the log), the app's
dialog for worker failures and uncaught exceptions, and exit 2 with the reason for empty results."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_data import REGIONS, SECTORS, write_tiny

from clustermapper import crashlog
from clustermapper.cli import EXIT_INTERNAL, main


def _cli(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    return subprocess.run([sys.executable, "-m", "clustermapper", *args], cwd=cwd, text=True, timeout=300,
                          **streams)


# --- the CLI catch-all -------------------------------------------------------------------------------------
def test_an_unexpected_exception_is_one_line_and_a_log(monkeypatch, capsys) -> None:
    # a real fault outside our code: standard output closed under the command (pandas raises ValueError)
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdout", closed)
    code = main(["stars", "--demo", "--out", "-"])
    err = capsys.readouterr().err
    log = Path(os.environ["CLUSTERMAPPER_CACHE"]) / "errors.log"  # conftest: a fresh temp cache per test
    assert code == EXIT_INTERNAL == 3
    last = err.strip().splitlines()[-1]
    assert last == f"clustermapper: internal error: ValueError: I/O operation on closed file (details in {log})"
    assert "Traceback" not in err
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "ValueError: I/O operation on closed file" in logged
    assert "command line:" in logged


def test_the_log_is_appended_and_rotated(tmp_path: Path) -> None:
    first = crashlog.record(RuntimeError("one"))
    second = crashlog.record(RuntimeError("two"))
    assert first == second == crashlog.log_path()
    text = second.read_text(encoding="utf-8")
    assert text.index("RuntimeError: one") < text.index("RuntimeError: two")
    second.write_text("x" * (crashlog.MAX_LOG_BYTES + 1), encoding="utf-8")
    crashlog.record(RuntimeError("three"))
    assert crashlog.log_path().with_suffix(".log.1").stat().st_size > crashlog.MAX_LOG_BYTES
    assert "three" in crashlog.log_path().read_text(encoding="utf-8")


def test_summary_is_one_line_even_for_a_multi_line_message() -> None:
    line = crashlog.summary(KeyError("a\nb"), Path("/x/errors.log"))
    assert "\n" not in line and line == "KeyError: 'a\\nb' (details in /x/errors.log)"
    assert "\n" not in crashlog.summary(ValueError("first\nsecond"), None)


def test_os_errors_are_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = _cli("portfolio", "--demo", "--out", str(blocker / "sub" / "out.csv"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("clustermapper: error: ") and f"{blocker} is a file, not a folder" in last
    with open("/dev/full", "w") as full:  # disk full while writing the table to standard output
        result = _cli("portfolio", "--demo", cwd=tmp_path, stdout=full)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "clustermapper: error: No space left on device"


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    # interrupted in the middle: after its first report on stderr the command writes every year's table
    # (37 MB) to a pipe nobody reads yet, so it is still writing when the signal comes, however fast the
    # machine (a fixed sleep, then "after the first report", were both outrun as the command got faster)
    proc = subprocess.Popen([sys.executable, "-m", "clustermapper", "stars", "--demo", "--year", "all", "--out", "-"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a job started in the background of a shell inherits SIGINT ignored (CI run
                            # as "cmd &" did): Ctrl-C reaches the command as it would in a terminal
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    first = proc.stderr.readline()
    assert first, "the command reported nothing before finishing"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in first + err


# --- empty results: exit 2 with the reason -------------------------------------------------------------
@pytest.fixture()
def empty_inputs(tmp_path: Path) -> Path:
    write_tiny(tmp_path)
    rows = ["region,sector,year,value"] + [f"{r},{s},2015,0" for s in SECTORS for r in REGIONS]
    (tmp_path / "zero.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "nothing.csv").write_text("category,label,codes\nX1,Nothing,U99\n", encoding="utf-8")
    (tmp_path / "half.csv").write_text(f"category,label,codes\nX1,Some,{next(iter(SECTORS))}\nX2,None,U99\n", encoding="utf-8")
    names = ["region,sector,year,value", "Stuttgart,C29,2015,90000", "Karlsruhe,C29,2015,40000"]
    (tmp_path / "names.csv").write_text("\n".join(names) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("command", "args", "reason"), [
    ("stars", ["--data", "zero.csv"], "zero.csv: no rows: every employment value of 2015 in the data is 0"),
    ("portfolio", ["--data", "tiny.csv", "--taxonomy", "nothing.csv"],
     "tiny.csv: no rows: none of the codes of taxonomy 'nothing' occurs in the data of 2015"),
    ("stars", ["--data", "tiny.csv", "--level", "3"],
     "tiny.csv: no rows: the data of 2015 has no NUTS-3 regions (it has NUTS level(s) 2); choose --level 2"),
    ("stars", ["--data", "names.csv"], "names.csv: no rows: none of the region codes in 2015 is a NUTS code"),
    ("map", ["--data", "zero.csv", "--layer", "strength", "--out", "m.png"], "zero.csv: no rows: every employment value"),
    # a taxonomy category without data was drawn as an empty map, exit 0
    ("map", ["--data", "tiny.csv", "--taxonomy", "half.csv", "--layer", "stars", "--category", "X2", "--out", "m.png"],
     "--category X2: no employment in the data of 2015 at NUTS level 2; categories with data: X1"),
])
def test_empty_results_exit_2_with_the_reason(empty_inputs: Path, command: str, args: list[str], reason: str) -> None:
    out = ["--out", "o.csv"] if command != "map" else []
    result = _cli(command, *args, *out, cwd=empty_inputs)
    assert result.returncode == 2, result.stderr
    assert reason in result.stderr.strip().splitlines()[-1]
    assert "wrote 0 rows" not in result.stderr and "nan%" not in result.stderr  # a share of 0 of 0
    assert not (empty_inputs / "o.csv").exists() and not (empty_inputs / "m.png").exists()


def test_a_result_with_rows_still_exits_0(empty_inputs: Path) -> None:
    result = _cli("stars", "--data", "tiny.csv", "--out", "o.csv", cwd=empty_inputs)
    assert result.returncode == 0, result.stderr
    assert "wrote 36 rows" in result.stderr


# --- the app: one dialog naming the log, never a silent failure ------------------------------------------
def _error_dialog():
    from PySide6.QtWidgets import QApplication

    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()),
                None)


@pytest.mark.gui
def test_a_bug_in_a_worker_is_one_dialog_naming_the_log(qtbot, main_window) -> None:
    w = main_window
    log = Path(os.environ["CLUSTERMAPPER_CACHE"]) / "errors.log"

    def task(progress, cancel):
        return {}["missing"]  # a bug in the computation (KeyError)

    w.controller.runner.start(task, lambda result: None,
                              lambda msg, user: w.controller.show_error("Cannot compute the stars", msg, user))
    qtbot.waitUntil(lambda: _error_dialog() is not None, timeout=10_000)
    box = _error_dialog()
    # was the exception plus six frames of traceback in the dialog, and no log
    assert box.text() == f"Unexpected error (please report it):\nKeyError: 'missing' (details in {log})"
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and 'return {}["missing"]' in logged
    box.close()


@pytest.mark.gui
@pytest.mark.qt_no_exception_capture  # the app's own hook is under test, not pytest-qt's
def test_an_exception_in_a_slot_shows_a_dialog_instead_of_vanishing(qtbot, main_window) -> None:
    from PySide6.QtCore import QTimer

    from clustermapper_ui.crash import install_excepthook

    log = Path(os.environ["CLUSTERMAPPER_CACHE"]) / "errors.log"
    before = sys.excepthook
    install_excepthook(main_window)  # as launch() does
    try:
        # PySide prints an exception raised in a slot to stderr and carries on: the user saw nothing
        QTimer.singleShot(0, lambda: int("not a number"))
        qtbot.waitUntil(lambda: _error_dialog() is not None, timeout=10_000)
        box = _error_dialog()
        assert box.windowTitle() == "Unexpected error"
        assert box.text() == ("Unexpected error (please report it):\nValueError: invalid literal for int() with "
                              f"base 10: 'not a number' (details in {log})")
        assert "int(\"not a number\")" in log.read_text(encoding="utf-8")
        box.close()
    finally:
        sys.excepthook = before
