"""Workspace files: round trip, checksum warning, relative paths, clear errors on bad files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from clustermapper.analysis import AnalysisSpec
from clustermapper.errors import InputError
from clustermapper.metrics.params import StarParams
from clustermapper.workspace import SCHEMA_VERSION, Workspace, load_workspace, save_workspace


@pytest.fixture()
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "employment.csv"
    path.parent.mkdir()
    path.write_text("region,sector,year,value\nDE11,C29,2020,1000\n", encoding="utf-8")
    return path


def _workspace(data: Path) -> Workspace:
    spec = AnalysisSpec(data=str(data), year=2020, level=2, level_override=(("BE", 1), ("NL", 1)),
                        taxonomy="industrial-ecosystems",
                        params=StarParams(top_share=0.2, lq_min=1.5, min_employment=500.0),
                        reader_options=(("sep", ";"), ("decimal", ",")))
    return Workspace(spec=spec, category="C29", layer="lq", selection=["DE11"], compare=["DE11", "ITC4"],
                     layer_options={"borders": True, "labels": False})


def test_round_trip_restores_everything(tmp_path: Path, data_file: Path) -> None:
    ws = _workspace(data_file)
    path = save_workspace(tmp_path / "a.cmws.json", ws)
    loaded = load_workspace(path)
    assert loaded.warnings == []
    assert loaded.workspace == Workspace(**{**ws.__dict__, "spec": ws.spec.with_(data=str(data_file.resolve()))})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["data"]["sha256"] == hashlib.sha256(data_file.read_bytes()).hexdigest()
    assert not list(tmp_path.glob(".a.cmws.json*"))  # no temp file left behind


def test_demo_workspace_has_no_path(tmp_path: Path) -> None:
    ws = Workspace(spec=AnalysisSpec(demo=True, year=2021), category="C29")
    loaded = load_workspace(save_workspace(tmp_path / "d.json", ws))
    assert loaded.workspace.spec.demo and loaded.workspace.spec.data is None
    assert loaded.workspace.spec.year == 2021


def test_boundary_file_round_trips_and_a_missing_one_warns(tmp_path: Path, data_file: Path) -> None:
    zones = tmp_path / "zones.geojson"
    zones.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    ws = _workspace(data_file)
    ws = Workspace(**{**ws.__dict__, "spec": ws.spec.with_(boundaries=str(zones), boundaries_id="code")})
    path = save_workspace(tmp_path / "b.json", ws)
    spec = load_workspace(path).workspace.spec
    assert (spec.boundaries, spec.boundaries_id) == (str(zones), "code")
    zones.unlink()
    loaded = load_workspace(path)
    assert loaded.workspace.spec.boundaries is None
    assert any("boundary file not found" in w for w in loaded.warnings)


def test_changed_data_file_warns(tmp_path: Path, data_file: Path) -> None:
    path = save_workspace(tmp_path / "a.json", _workspace(data_file))
    data_file.write_text("region,sector,year,value\nDE11,C29,2020,2000\n", encoding="utf-8")
    loaded = load_workspace(path)
    assert len(loaded.warnings) == 1 and "checksum differs" in loaded.warnings[0]


def test_moved_folder_uses_relative_path(tmp_path: Path, data_file: Path) -> None:
    save_workspace(tmp_path / "a.json", _workspace(data_file))
    moved = tmp_path.parent / (tmp_path.name + "_moved")
    tmp_path.rename(moved)
    loaded = load_workspace(moved / "a.json")
    assert loaded.warnings == []
    assert loaded.workspace.spec.data == str((moved / "data" / "employment.csv").resolve())


def test_missing_data_file_warns(tmp_path: Path, data_file: Path) -> None:
    path = save_workspace(tmp_path / "a.json", _workspace(data_file))
    data_file.unlink()
    assert "not found" in load_workspace(path).warnings[0]


def test_save_failure_keeps_old_file(tmp_path: Path, data_file: Path) -> None:
    path = save_workspace(tmp_path / "a.json", _workspace(data_file))
    before = path.read_text(encoding="utf-8")
    bad = _workspace(data_file)
    bad.layer_options = {"borders": object()}  # not JSON-serialisable: save must fail cleanly
    with pytest.raises(TypeError, match="not JSON serializable"):
        save_workspace(path, bad)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "data"]  # no temp file left behind


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "not an object"),
        ('{"data": {}}', "schema_version"),
        ('{"schema_version": 99}', "newer"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"year": "2020"}}', "analysis.year"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"lq_min": "2"}}}', "lq_min"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"magic": 1}}}', "magic"),
        # NaN / Infinity are valid JSON for Python's parser but would switch a star rule off
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"lq_min": NaN}}}', "--lq-min nan"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"min_employment": Infinity}}}',
         "--min-employment inf"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"params": {"top_share": 0}}}', "--top-share 0"),
        ('{"schema_version": 1, "data": {"demo": true}, "analysis": {"level": 7}}', "level"),
        ('{"schema_version": 1, "data": {"demo": false}}', "data.path"),
        ('{"schema_version": 1, "data": {"demo": true}, "view": {"selection": "DE11"}}', "view.selection"),
    ],
)
def test_bad_workspace_files_give_clear_errors(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_workspace(path)
    assert needle in str(info.value) and str(path) in str(info.value)


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(InputError, match="not a text file"):
        load_workspace(binary)
    with pytest.raises(InputError, match="not found"):
        load_workspace(tmp_path / "nope.json")


def test_unknown_fields_are_named_in_a_warning(tmp_path: Path, data_file: Path) -> None:
    path = save_workspace(tmp_path / "a.cmws.json", _workspace(data_file))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["analysis"]["lq_minimum"] = 3  # a typo for params.lq_min: must not pass silently for a setting
    doc["view"]["zoom"] = 7
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_workspace(path)
    assert len(loaded.warnings) == 1
    assert "'analysis.lq_minimum'" in loaded.warnings[0] and "'view.zoom'" in loaded.warnings[0]
    assert loaded.workspace.spec.params == _workspace(data_file).spec.params  # the rest opens as saved
