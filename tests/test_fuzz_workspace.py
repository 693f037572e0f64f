"""Fuzzing workspace loading: saved workspaces changed field by field (hostile values at any place, missing
and unknown keys, deep nesting, paths to devices, FIFOs and files outside the folder) and as text (cuts,
encodings, BOMs). Every case is a valid workspace or one clear error naming the workspace file."""

from __future__ import annotations

import copy
import json
import math
import os
import tempfile
from pathlib import Path

import fuzz_support as fz
from hypothesis import given
from hypothesis import strategies as st

from clustermapper.analysis import AnalysisSpec
from clustermapper.errors import ClusterMapperError
from clustermapper.layers import LAYERS
from clustermapper.workspace import Workspace, load_workspace, read_workspace_data, to_dict

SECRET = "SECRET-FIRST-LINE"
HOSTILE = [None, True, 0, -1, 2.5, 10**30, 1e308, math.inf, -math.inf, math.nan, "", "x", "x" * 100_000, "\u0000",
           "../../../../etc/passwd", "/dev/zero", "/etc/passwd", "__FIFO__", "__SECRET__", [], {}, [[[]]], {"a": {"b": 1}},
           "C29", "DE11", "lq", "estimate", "V16110", "2015", 2015, 3, {"DE": "x"}, {"DE": 1}, ["DE11", 5]]
path_part = st.lists(st.integers(0, 50), min_size=1, max_size=4)
json_op = st.one_of(
    st.tuples(st.just("set"), path_part, st.sampled_from(HOSTILE)),
    st.tuples(st.just("delete"), path_part),
    st.tuples(st.just("unknown"), path_part, st.sampled_from(HOSTILE)),
    st.tuples(st.just("deep"), path_part, st.integers(30, 200)),
)


def _base(folder: Path) -> dict:
    data = folder / "data" / "tiny.csv"
    data.parent.mkdir()
    data.write_text("region,sector,year,value\nDE11,C29,2015,1000\nDE12,C29,2015,500\n", encoding="utf-8")
    spec = AnalysisSpec(data=str(data), year=2015, level=2)
    ws = Workspace(spec=spec, category="C29", layer="lq", selection=["DE11"], compare=["DE11", "DE12"],
                   layer_options={"borders": True})
    return to_dict(ws, base_dir=folder)


def _walk(doc: dict, indexes: list[int]) -> tuple[dict | list, str | int] | None:
    """The container and key that ``indexes`` pick (each index wraps around the keys at its depth)."""
    node: object = doc
    parent, key = None, None
    for i in indexes:
        if isinstance(node, dict) and node:
            parent, key = node, list(node)[i % len(node)]
        elif isinstance(node, list) and node:
            parent, key = node, i % len(node)
        else:
            break
        node = parent[key]  # type: ignore[index]
    return None if parent is None else (parent, key)  # type: ignore[return-value]


def _apply(doc: dict, op: tuple, folder: Path) -> None:
    picked = _walk(doc, op[1])
    if picked is None:
        return
    parent, key = picked
    if op[0] == "set":
        value = op[2]
        value = {"__FIFO__": str(folder / "pipe"), "__SECRET__": str(folder.parent / "secret.txt")}.get(value, value) \
            if isinstance(value, str) else value
        parent[key] = copy.deepcopy(value)  # type: ignore[index]
    elif op[0] == "delete":
        del parent[key]  # type: ignore[arg-type]
    elif op[0] == "unknown" and isinstance(parent, dict):
        parent[f"unknown_{key}"] = copy.deepcopy(op[2])
    elif op[0] == "deep":
        parent[key] = json.loads("[" * op[2] + "]" * op[2])  # type: ignore[index]


def _check_loaded(loaded, path: Path) -> None:
    ws = loaded.workspace
    assert ws.layer in LAYERS and ws.spec.level in (0, 1, 2, 3)
    params = ws.spec.params
    assert all(math.isfinite(getattr(params, f)) for f in ("top_share", "lq_min", "min_employment", "strong_lq"))
    assert all(isinstance(c, str) for c in ws.selection + ws.compare)
    assert all(isinstance(v, bool) for v in ws.layer_options.values())
    for warning in loaded.warnings:
        assert SECRET not in warning and "root:" not in warning and len(warning) <= fz.MAX_MESSAGE, warning[:300]
    if not ws.spec.uses_demo and Path(str(ws.spec.data)).is_file():  # what the app reads next
        try:
            read_workspace_data(ws.spec)
        except ClusterMapperError as exc:
            text = str(exc)
            assert SECRET not in text and "root:" not in text, text[:300]
            assert str(ws.spec.data) in text


@fz.fuzz_settings(120)
@given(ops=st.lists(json_op, min_size=1, max_size=4), text=st.booleans(), case=st.data())
def test_fuzz_workspace(ops: list[tuple], text: bool, case: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-ws-") as root:
        folder = Path(root) / "project"
        folder.mkdir()
        (Path(root) / "secret.txt").write_text(SECRET + "\nmore\n", encoding="utf-8")
        os.mkfifo(folder / "pipe")
        doc = _base(folder)
        for op in ops:
            _apply(doc, op, folder)
        raw = json.dumps(doc, allow_nan=True)  # NaN/Infinity tokens, as a hand-edited file may hold
        data = case.draw(fz.mutated_text(raw, max_ops=2))[0] if text else raw.encode()
        path = folder / "w.cmws.json"
        path.write_bytes(data)
        try:
            loaded = load_workspace(path)
        except ClusterMapperError as exc:
            fz.check_error(exc, path)
            assert SECRET not in str(exc)
            return
        _check_loaded(loaded, path)
