"""CLI behaviour that needs no real data: usage errors exit 2 with one clear line."""

from __future__ import annotations

import subprocess
import sys

from clustermapper.cli import COMMAND_MODULES, build_parser


def test_every_command_module_is_present():
    import importlib

    for name in COMMAND_MODULES:
        assert hasattr(importlib.import_module(f"clustermapper.cli.{name}"), "register")
    commands = build_parser()._subparsers._group_actions[0].choices
    for expected in ("stars", "portfolio", "map", "profile", "gui", "regions"):
        assert expected in commands


def test_missing_data_file_exits_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "clustermapper", "stars", "--data", str(tmp_path / "nope.tsv"), "--out", "-"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "nope.tsv" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_level_override_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "clustermapper", "stars", "--demo", "--level-override", "BELGIUM", "--out", "-"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2 and "COUNTRY=LEVEL" in proc.stderr and "BELGIUM" in proc.stderr
