"""CLI behaviour that needs no real data: usage errors exit 2 with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from clustermapper.cli import COMMAND_MODULES, build_parser


def test_every_command_module_is_present():
    import importlib

    for name in COMMAND_MODULES:
        assert hasattr(importlib.import_module(f"clustermapper.cli.{name}"), "register")
    commands = build_parser()._subparsers._group_actions[0].choices
    for expected in ("stars", "portfolio", "map", "profile", "gui", "regions"):
        assert expected in commands


def test_commands_map_names_what_each_module_registers():
    import argparse
    import importlib

    from clustermapper.cli import COMMANDS

    registered = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"clustermapper.cli.{name}").register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMANDS  # a command missing here would fall back to importing every module


def test_a_command_imports_only_its_own_module():
    import json

    code = ("import json, sys; from clustermapper.cli import build_parser; build_parser('regions'); "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('clustermapper.cli.'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "clustermapper.cli.regions_cmd" in loaded and "clustermapper.cli.maps" not in loaded
    assert "clustermapper.cli.stars" not in loaded and "clustermapper.cli.profiles" not in loaded


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


def _cli(*argv: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clustermapper", *argv], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--lq-min", "nan", "--lq-min nan is not allowed"), ("--lq-min", "inf", "--lq-min inf is not allowed"),
    ("--lq-min", "0", "--lq-min 0.0 is not allowed"), ("--lq-min", "-1", "--lq-min -1.0 is not allowed"),
    ("--min-employment", "-1", "--min-employment -1.0 is not allowed"),
    ("--min-employment", "nan", "--min-employment nan is not allowed"),
    ("--top-share", "0", "--top-share 0.0 is not allowed"), ("--top-share", "1.5", "--top-share 1.5 is not allowed"),
])
def test_thresholds_that_switch_a_rule_off_are_refused(option, value, expected):
    proc = _cli("stars", "--demo", option, value, "--out", "-")
    assert proc.returncode == 2 and expected in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""  # nothing computed, nothing written


@pytest.mark.parametrize("command", [("stars",), ("portfolio",), ("export-tables",)])
def test_out_never_overwrites_the_input(tmp_path, command):
    from tiny_data import write_tiny

    data = write_tiny(tmp_path)
    before = data.read_bytes()
    proc = _cli(*command, "--data", str(data), "--out", "tiny.csv", cwd=tmp_path)  # same file, relative
    assert proc.returncode == 2 and "is the --data input file" in proc.stderr
    assert data.read_bytes() == before


def test_out_never_overwrites_the_taxonomy(tmp_path):
    taxonomy = tmp_path / "clusters.csv"
    taxonomy.write_text("category,label,codes\ncars,Cars,C29\n", encoding="utf-8")
    before = taxonomy.read_bytes()
    proc = _cli("stars", "--demo", "--taxonomy", str(taxonomy), "--out", str(taxonomy))
    assert proc.returncode == 2 and "is the --taxonomy input file" in proc.stderr
    assert taxonomy.read_bytes() == before


def test_lower_case_user_categories_can_be_mapped(tmp_path):
    from tiny_data import write_tiny

    taxonomy = tmp_path / "clusters.csv"
    taxonomy.write_text("category,label,codes\ncars,Cars,C29\nFOOD,Food,C10\n", encoding="utf-8")
    data = write_tiny(tmp_path)
    for given, expected_title in (("cars", "Cars"), ("food", "Food")):
        out = tmp_path / f"{given}.html"
        proc = _cli("map", "--data", str(data), "--taxonomy", str(taxonomy), "--layer", "stars",
                    "--category", given, "--out", str(out))
        assert proc.returncode == 0, proc.stderr[-1500:]
        assert f"Stars — {expected_title}" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [None, *sorted(build_parser()._subparsers._group_actions[0].choices)])
def test_every_help_text_formats(command, capsys):
    """argparse expands %-formats in help texts: a bare '1%' crashes --help (it did for typology)."""
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args([command, "--help"] if command else ["--help"])
    assert stop.value.code == 0 and "usage:" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["gui"])  # map's --layer lists its choices from LAYERS itself
def test_layer_help_names_every_layer(command, capsys):
    from clustermapper.layers import LAYERS

    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--layer LAYER ")  # the option's help, not the usage line
    assert all(layer in text[start:start + 400] for layer in LAYERS), text[start:start + 400]


def test_the_program_flushes_everything_before_its_fast_exit(tmp_path):
    """``python -m clustermapper`` ends with ``os._exit`` (no interpreter teardown): whatever is still
    buffered on stdout must be written first. A table larger than the pipe buffer leaves in one write; a
    short text (``explain-method``, ~3 KB) stays in the buffer until the flush (with PYTHONUNBUFFERED unset)."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    short = subprocess.run([sys.executable, "-m", "clustermapper", "explain-method"], capture_output=True, text=True,
                           timeout=120, env=buffered)
    assert short.returncode == 0, short.stderr
    assert "Specialisation" in short.stdout and short.stdout.endswith("\n") and len(short.stdout) > 1000
    out = tmp_path / "stars.csv"
    done = subprocess.run([sys.executable, "-m", "clustermapper", "stars", "--demo", "--year", "2014", "--out", "-"],
                          capture_output=True, text=True, timeout=120, env=buffered)
    assert done.returncode == 0, done.stderr
    written = subprocess.run([sys.executable, "-m", "clustermapper", "stars", "--demo", "--year", "2014", "--out",
                              str(out)], capture_output=True, text=True, timeout=120)
    assert written.returncode == 0 and f"wrote 19176 rows to {out}" in written.stderr
    assert done.stdout == out.read_text()


def test_a_profiled_run_still_writes_its_profile(tmp_path):
    """Under a profiler (or coverage) the program exits normally: cProfile writes its file at that exit."""
    out = tmp_path / "run.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "clustermapper", "explain-method"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000
