"""Hostile workspace files: every bad field is an InputError naming the field, never a traceback, a hang or
a file's content; a BOM is accepted; relative paths stay inside the workspace's folder; devices and pipes
are never hashed."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from clustermapper.analysis import AnalysisSpec
from clustermapper.errors import InputError
from clustermapper.workspace import Workspace, checksum, load_workspace, save_workspace

DEMO = {"schema_version": 1, "data": {"demo": True}}


def _write(path: Path, doc: object) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_workspace(path)
    text = str(info.value)
    assert str(path) in text
    return text


@pytest.mark.parametrize(("analysis", "view", "data", "needle"), [
    ({"level_override": {"DE": "x"}}, {}, {}, "analysis.level_override.DE"),  # was ValueError: int('x')
    ({"level_override": None}, {}, {}, "analysis.level_override"),  # was AttributeError on None.items()
    ({"level_override": {"DE": 7}}, {}, {}, "analysis.level_override.DE must be a NUTS level 0-3"),
    ({"level_override": {"Germany": 1}}, {}, {}, "'Germany' is not a 2-letter country code"),
    ({"level_override": {"DE": 1.5}}, {}, {}, "analysis.level_override.DE"),  # int(1.5) silently gave 1
    ({}, {"layer": "nonsense"}, {}, "unknown layer 'nonsense' in 'view.layer'"),
    ({}, {"selection": [{"a": 1}]}, {}, "view.selection[0]"),
    ({}, {"layer_options": {"borders": "no"}}, {}, "view.layer_options.borders"),  # bool("no") was True
    ({}, {}, {"reader_options": {"delimiter": ";"}}, "unknown reader option(s) 'delimiter'"),
    ({}, {}, {"reader_options": {"sep": "#"}}, "unknown separator"),
    ({}, {}, {"reader_options": {"format": "pdf"}}, "data.reader_options.format 'pdf' is not a reader"),
    ({}, {}, {"reader_options": {"sep": None}}, "data.reader_options.sep"),  # str(None) was the option 'None'
])
def test_every_bad_field_is_named(tmp_path: Path, analysis: dict, view: dict, data: dict, needle: str) -> None:
    doc = {**DEMO, "data": {"demo": True, **data}, "analysis": analysis, "view": view}
    assert needle in _error(_write(tmp_path / "w.cmws.json", doc))


@pytest.mark.parametrize(("text", "needle"), [
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"lq_min": Infinity}}}', "--lq-min inf"),
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"top_share": NaN}}}', "--top-share nan"),
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"lq_min": 1e999}}}', "--lq-min inf"),
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"level": Infinity}}', "analysis.level"),
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"year": NaN}}', "analysis.year"),
])
def test_non_finite_numbers_are_refused_naming_the_field(tmp_path: Path, text: str, needle: str) -> None:
    assert needle in _error(_write(tmp_path / "w.json", text))


def test_json_nested_100000_deep_is_refused_quickly(tmp_path: Path) -> None:
    path = _write(tmp_path / "deep.json", '{"schema_version": 1, "view": ' + "[" * 100_000 + "]" * 100_000 + "}")
    text = _error(path)  # was RecursionError out of json.loads
    assert "nested more than 64 levels" in text
    # brackets inside strings are text, not nesting
    ok = _write(tmp_path / "ok.json", {**DEMO, "view": {"category": "[" * 200}})
    assert load_workspace(ok).workspace.category == "[" * 200


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    saved = save_workspace(tmp_path / "w.cmws.json", Workspace(spec=AnalysisSpec(demo=True, year=2013),
                                                                category="C29"))
    bom = tmp_path / "bom.cmws.json"
    bom.write_bytes(b"\xef\xbb\xbf" + saved.read_bytes())  # as Notepad saves "UTF-8"
    assert load_workspace(bom).workspace == load_workspace(saved).workspace


def test_relative_path_never_leaves_the_workspace_folder(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("region,sector,year,value\nSECRET-CONTENT,C29,2020,1\n", encoding="utf-8")
    folder = tmp_path / "shared" / "project"
    folder.mkdir(parents=True)
    escape = os.path.relpath(secret, folder)  # ../../secret.csv
    hostile = [escape, "../" * 20 + "etc/passwd"]
    for rel in hostile:
        doc = {"schema_version": 1, "data": {"path": "/nonexistent/employment.csv", "relative_path": rel}}
        loaded = load_workspace(_write(folder / "w.json", doc))
        assert loaded.workspace.spec.data == "/nonexistent/employment.csv"  # the escape was not followed
        assert any("outside the workspace's folder" in w for w in loaded.warnings)
        assert not any("SECRET-CONTENT" in w or "root:" in w for w in loaded.warnings)
    # a symlink inside the folder that points out of it does not get out either
    (folder / "link.csv").symlink_to(secret)
    doc = {"schema_version": 1, "data": {"path": "/nonexistent/employment.csv", "relative_path": "link.csv"}}
    assert load_workspace(_write(folder / "w.json", doc)).workspace.spec.data == "/nonexistent/employment.csv"
    # inside the tree it is followed: the folder was moved, the absolute path is stale
    (folder / "data").mkdir()
    inside = folder / "data" / "employment.csv"
    inside.write_text("region,sector,year,value\nDE11,C29,2020,1000\n", encoding="utf-8")
    doc = {"schema_version": 1, "data": {"path": "/nonexistent/employment.csv", "relative_path": "data/employment.csv"}}
    assert load_workspace(_write(folder / "w.json", doc)).workspace.spec.data == str(inside.resolve())


def _finishes(call, seconds: float = 10.0) -> object:
    """Run ``call`` in a daemon thread; fail (instead of hanging the suite) if it does not return in time."""
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = call()
        except Exception as exc:  # returned for the test to inspect
            result["value"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s (blocked on a device or pipe)"
    return result["value"]


def test_dev_zero_and_a_fifo_are_never_hashed(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo)):
        doc = {"schema_version": 1, "data": {"path": target, "sha256": "0" * 64}}
        path = _write(tmp_path / "w.json", doc)
        outcome = _finishes(lambda path=path: load_workspace(path))  # hashing /dev/zero never ended
        assert isinstance(outcome, InputError) and "not a regular file" in str(outcome) and "data.path" in str(outcome)
        assert _finishes(lambda target=target: checksum(Path(target))) is None
    # saving a workspace whose data is a pipe does not block either
    saved = _finishes(lambda: save_workspace(tmp_path / "s.json", Workspace(spec=AnalysisSpec(data=str(fifo)))))
    assert json.loads(Path(str(saved)).read_text(encoding="utf-8"))["data"]["sha256"] is None


def test_a_fifo_or_folder_as_the_workspace_itself_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "w.cmws.json"
    os.mkfifo(fifo)
    outcome = _finishes(lambda: load_workspace(fifo))
    assert isinstance(outcome, InputError) and "not a regular file" in str(outcome)
    assert "not a regular file" in _error(tmp_path)


@pytest.mark.parametrize(("text", "needle"), [
    # json.loads raised a bare ValueError: Python refuses to convert an integer of more than 4,300 digits
    ('{"schema_version": ' + "9" * 5000 + ', "data": {"demo": true}}', "invalid JSON: Exceeds the limit"),
    ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"year": ' + "1" + "0" * 30 + "}}",
     "analysis.year must be a year such as 2015"),  # was accepted
], ids=["5000-digit number", "year 10**30"])
def test_absurd_integers_are_refused_naming_the_file(tmp_path: Path, text: str, needle: str) -> None:
    assert needle in _error(_write(tmp_path / "w.json", text))
