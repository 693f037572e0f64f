"""Workspace files: a small JSON document that reopens an analysis exactly as it was left.

It records the analysis spec (data path + sha256, year, level, taxonomy, thresholds, reader
options) and the view (category, layer, selection, compared regions, layer toggles). Saved
atomically; read with ``json`` only (never pickle); every problem raises :class:`InputError`.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from clustermapper import __version__
from clustermapper.analysis import AnalysisSpec, read_spec_data
from clustermapper.defaults import DEFAULT_INDICATOR, DEFAULT_TAXONOMY, SUPPRESSED_POLICIES
from clustermapper.errors import ClusterMapperError, InputError, UsageError, clip, quote
from clustermapper.fileutil import atomic_write, file_sha256
from clustermapper.io.options import PLAUSIBLE_YEARS, ReadOptions
from clustermapper.io.registry import READERS
from clustermapper.io.table import ReadResult
from clustermapper.layers import LAYERS
from clustermapper.metrics.params import StarParams

Step = Callable[[int, int], None]  # (bytes hashed, bytes in all); may raise to stop the hash

SCHEMA_VERSION = 1
SUFFIX = ".cmws.json"
MAX_WORKSPACE_BYTES = 10 << 20  # a saved workspace is a few kB; anything this big is not one
MAX_DEPTH = 64  # saved workspaces nest 3 deep; a cap keeps json (recursive) from blowing the stack
MAX_HASH_BYTES = 4 << 30  # checksums of bigger files would take minutes: skipped with a warning
# reader options a workspace may carry: the read_dataset keywords except the indicator (its own field)
READER_KEYS = ("format", *(f.name for f in fields(ReadOptions) if f.name != "indicator"))


@dataclass
class Workspace:
    """What a workspace holds: the analysis spec and the view state."""

    spec: AnalysisSpec
    category: str | None = None
    layer: str = "stars"
    selection: list[str] = field(default_factory=list)
    compare: list[str] = field(default_factory=list)
    layer_options: dict[str, bool] = field(default_factory=dict)  # e.g. {"borders": True, "labels": False}
    peers: dict[str, list[str]] = field(default_factory=dict)  # region -> its chosen peer regions


@dataclass
class LoadedWorkspace:
    """A workspace read from disk plus warnings to show the user (changed or missing data file)."""

    workspace: Workspace
    warnings: list[str] = field(default_factory=list)
    data_sha256: str | None = None


def _optional_str(path: Path, value: Any, field: str) -> str | None:
    return None if value is None else _expect(path, value, str, field)


def to_dict(ws: Workspace, base_dir: Path | None = None, step: Step | None = None) -> dict[str, Any]:
    """The JSON document for ``ws``; the data file's checksum is computed now (``step``: see :func:`checksum`)."""
    spec = ws.spec
    data: dict[str, Any] = {"demo": bool(spec.demo), "indicator": spec.indicator,
                            "reader_options": dict(spec.reader_options)}
    if not spec.demo and spec.data:
        path = Path(spec.data).resolve()
        data["path"] = str(path)
        if base_dir is not None:
            data["relative_path"] = os.path.relpath(path, base_dir.resolve())
        data["sha256"] = checksum(path, step)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"clustermapper {__version__}",
        "data": data,
        "analysis": {
            "year": spec.year,
            "level": spec.level,
            "level_override": dict(spec.level_override),
            "taxonomy": spec.taxonomy,
            "params": spec.params.to_dict(),
            "boundaries": spec.boundaries,
            "boundaries_id": spec.boundaries_id,
            "suppressed": spec.suppressed,
        },
        "view": {
            "category": ws.category,
            "layer": ws.layer,
            "selection": list(ws.selection),
            "compare": list(ws.compare),
            "layer_options": dict(ws.layer_options),
            "peers": {region: list(codes) for region, codes in ws.peers.items()},
        },
    }


def save_workspace(path: str | Path, ws: Workspace, step: Step | None = None) -> Path:
    """Write ``ws`` to ``path`` atomically (temp file + os.replace) and return the path. Hashes the data file:
    the app runs it in a worker (``step`` for progress and Cancel)."""
    target = Path(path)
    doc = to_dict(ws, base_dir=target.parent, step=step)
    with atomic_write(target) as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return target


def checksum(path: Path, step: Step | None = None) -> str | None:
    """SHA-256 of a regular file of at most MAX_HASH_BYTES; None for anything else (a FIFO or /dev/zero
    would block or never end: the hash runs when a workspace is opened or saved). ``step``: see
    :func:`clustermapper.fileutil.file_sha256` (the app's progress and Cancel)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_HASH_BYTES:
        return None
    return file_sha256(path, step)


def _exists(path: Path) -> bool:
    """``path.exists()`` that is False for names the system refuses (ENAMETOOLONG for a 100,000-letter path
    raised OSError out of pathlib)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _inside(folder: Path, candidate: Path) -> bool:
    """``candidate`` (symlinks resolved) lies in ``folder``'s tree."""
    try:
        candidate.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _expect(path: Path, value: Any, kinds: type | tuple[type, ...], where: str) -> Any:
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    # bool is an int subclass in Python: accept it only where a bool is expected
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise InputError(path, f"'{where}' should be {names}, found {type(value).__name__} {quote(value)}",
                         hint="fix the value or save the workspace again from the app")
    return value


def _section(path: Path, doc: dict, name: str) -> dict:
    return _expect(path, doc.get(name, {}), dict, name)


def _reader_options(path: Path, options: dict) -> tuple[tuple[str, str], ...]:
    """Known reader options with string values, checked as the reader would check them."""
    unknown = sorted(set(options) - set(READER_KEYS))
    if unknown:
        raise InputError(path, f"unknown reader option(s) {', '.join(map(quote, unknown))} in 'data.reader_options'",
                         hint=f"known: {', '.join(READER_KEYS)}")
    for key, value in options.items():
        _expect(path, value, str, f"data.reader_options.{key}")
    if "format" in options and options["format"] not in READERS:
        raise InputError(path, f"data.reader_options.format {quote(options['format'])} is not a reader",
                         hint=f"known: {', '.join(READERS)}")
    try:
        ReadOptions(**{k: v for k, v in options.items() if k != "format"})
    except UsageError as exc:
        raise InputError(path, f"'data.reader_options': {exc}", hint="fix the value in the workspace file") from None
    return tuple(options.items())


#: the fields ``to_dict`` writes; others are ignored with a warning (a typo must not pass for a setting)
KNOWN_FIELDS = {
    "": ("schema_version", "generator", "data", "analysis", "view"),
    "data": ("demo", "indicator", "reader_options", "path", "relative_path", "sha256"),
    "analysis": ("year", "level", "level_override", "taxonomy", "params", "boundaries", "boundaries_id", "suppressed"),
    "view": ("category", "layer", "selection", "compare", "layer_options", "peers"),
}


def _unknown_fields(doc: dict, sections: dict[str, dict]) -> list[str]:
    found = [str(k) for k in doc if k not in KNOWN_FIELDS[""]]
    found += [f"{name}.{k}" for name, section in sections.items() for k in section if k not in KNOWN_FIELDS[name]]
    if not found:
        return []
    shown = ", ".join(quote(f[:60]) for f in found[:8]) + (" …" if len(found) > 8 else "")
    return [f"ignored {len(found)} unknown field{'s' if len(found) > 1 else ''} ({shown}): not settings this "
            "version knows; the workspace opens without them"]


def from_dict(doc: Any, path: str | Path = "<workspace>", step: Step | None = None) -> LoadedWorkspace:
    """Validate a parsed document and build the workspace; raises :class:`InputError`. ``step`` follows the
    data file's checksum (:func:`checksum`)."""
    path = Path(path)
    if not isinstance(doc, dict):
        raise InputError(path, "not a ClusterMapper workspace (the JSON is not an object)")
    version = doc.get("schema_version")
    if version is None:
        raise InputError(path, "not a ClusterMapper workspace (no 'schema_version')")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(path, f"invalid schema_version {quote(version)}")
    if version > SCHEMA_VERSION:
        raise InputError(path, f"workspace schema_version {version} is newer than this ClusterMapper supports "
                         f"({SCHEMA_VERSION})", hint="update ClusterMapper")
    data, analysis, view = (_section(path, doc, k) for k in ("data", "analysis", "view"))
    warnings: list[str] = _unknown_fields(doc, {"data": data, "analysis": analysis, "view": view})
    demo = bool(_expect(path, data.get("demo", False), bool, "data.demo"))
    data_path: str | None = None
    sha = data.get("sha256")
    if not demo:
        raw = data.get("path")
        if raw is None:
            raise InputError(path, "'data.path' is missing and the workspace is not the demo",
                             hint="open the data file in the app and save the workspace again")
        candidates = [Path(_expect(path, raw, str, "data.path"))]
        relative = _optional_str(path, data.get("relative_path"), "data.relative_path")
        if relative is not None:
            # only within the workspace's folder tree: a shared workspace must not make the app open
            # (and quote in its errors) files elsewhere, e.g. ../../../../etc/passwd
            if _inside(path.parent, path.parent / relative):
                candidates.append(path.parent / relative)
            else:
                warnings.append(f"data.relative_path {relative!r} points outside the workspace's folder: ignored")
        if sha is not None:
            _expect(path, sha, str, "data.sha256")
        found = next((c for c in candidates if _exists(c)), None)
        if found is None:
            warnings.append(f"data file not found: {clip(raw, 300)} — choose it again with File → Open")
            data_path = str(raw)
        else:
            data_path = str(found.resolve())
            if not found.is_file():
                raise InputError(path, f"'data.path' {str(found)!r} is not a regular file (a device, folder or "
                                 "pipe cannot be a data file)", hint="open the data file in the app and save "
                                 "the workspace again")
            digest = checksum(found, step)
            if sha and digest is None:
                warnings.append(f"data file {found} is too large to verify its checksum: results may differ "
                                "if it has changed")
            elif sha and digest != sha:
                warnings.append(f"data file {found} has changed since the workspace was saved "
                                "(checksum differs): results may differ")
    options = _reader_options(path, _expect(path, data.get("reader_options", {}), dict, "data.reader_options"))
    params_doc = _expect(path, analysis.get("params", {}), dict, "analysis.params")
    known = set(StarParams.__dataclass_fields__)
    unknown = sorted(set(params_doc) - known)
    if unknown:
        raise InputError(path, f"unknown star parameter(s) {', '.join(unknown)} in 'analysis.params'",
                         hint=f"known: {', '.join(sorted(known))}")
    for key in ("top_share", "lq_min", "min_employment", "strong_lq"):
        if key in params_doc:
            _expect(path, params_doc[key], (int, float), f"analysis.params.{key}")  # StarParams: finite
    try:
        params = StarParams(**params_doc)  # one validation for CLI, app and workspaces (finite, in range)
    except UsageError as exc:
        raise InputError(path, f"'analysis.params': {exc}", hint="fix the value in the workspace file") from None
    year = analysis.get("year")
    if year is not None:
        _expect(path, year, int, "analysis.year")
        if year not in PLAUSIBLE_YEARS:
            raise InputError(path, f"analysis.year must be a year such as 2015, found {year:.3g}",
                             hint="fix the value in the workspace file")
    level = _expect(path, analysis.get("level", 2), int, "analysis.level")
    if level not in (0, 1, 2, 3):
        raise InputError(path, f"analysis.level must be 0-3, found {level}")
    override = _expect(path, analysis.get("level_override", {}), dict, "analysis.level_override")
    for country, value in override.items():
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise InputError(path, f"'analysis.level_override' key {quote(country)} is not a 2-letter country code",
                             hint='write e.g. {"BE": 1, "NL": 1}')
        _expect(path, value, int, f"analysis.level_override.{country}")
        if value not in (0, 1, 2, 3):
            raise InputError(path, f"analysis.level_override.{country} must be a NUTS level 0-3, found {value}")
    if "suppressed" in analysis:
        suppressed = _expect(path, analysis["suppressed"], str, "analysis.suppressed")
        if suppressed not in SUPPRESSED_POLICIES:
            raise InputError(path, f"analysis.suppressed must be one of {', '.join(SUPPRESSED_POLICIES)}, "
                             f"found {quote(suppressed)}", hint="fix the value in the workspace file")
    else:  # saved before policies existed: confidential cells counted as 0 then, so reproduce that
        suppressed = "zero"
        warnings.append("workspace saved before confidential-cell policies: opened with 'zero' (as saved); "
                        "choose 'estimate' for estimates of confidential cells")
    spec = AnalysisSpec(
        data=data_path, demo=demo, year=year, level=level,
        level_override=tuple((k.upper(), v) for k, v in override.items()),
        taxonomy=_expect(path, analysis.get("taxonomy", DEFAULT_TAXONOMY), str, "analysis.taxonomy"),
        indicator=_expect(path, data.get("indicator", DEFAULT_INDICATOR), str, "data.indicator"),
        params=params,
        reader_options=options,
        boundaries=_optional_str(path, analysis.get("boundaries"), "analysis.boundaries"),
        boundaries_id=_expect(path, analysis.get("boundaries_id", "NUTS_ID"), str, "analysis.boundaries_id"),
        suppressed=suppressed,
    )
    if spec.boundaries and not _exists(Path(spec.boundaries)):
        warnings.append(f"boundary file not found: {clip(spec.boundaries, 300)} — the embedded NUTS boundaries are used")
        spec = spec.with_(boundaries=None)
    category = view.get("category")
    if category is not None:
        _expect(path, category, str, "view.category")
    layer = _expect(path, view.get("layer", "stars"), str, "view.layer")
    if layer not in LAYERS:
        raise InputError(path, f"unknown layer {quote(layer)} in 'view.layer'", hint=f"known: {', '.join(LAYERS)}")
    lists = {}
    for key in ("selection", "compare"):
        items = _expect(path, view.get(key, []), list, f"view.{key}")
        lists[key] = [_expect(path, c, str, f"view.{key}[{i}]") for i, c in enumerate(items)]
    toggles = _expect(path, view.get("layer_options", {}), dict, "view.layer_options")
    peers = _peers(path, view.get("peers", {}))  # absent in workspaces saved before peers: none chosen
    ws = Workspace(
        spec=spec,
        category=category,
        layer=layer,
        selection=lists["selection"],
        compare=lists["compare"],
        layer_options={k: _expect(path, v, bool, f"view.layer_options.{k}") for k, v in toggles.items()},
        peers=peers,
    )
    return LoadedWorkspace(ws, warnings, sha if isinstance(sha, str) else None)


def _peers(path: Path, value: Any) -> dict[str, list[str]]:
    """``view.peers``: region code → list of peer region codes (strings, region codes, no duplicates)."""
    from clustermapper.regions.codes import is_region_code

    doc = _expect(path, value, dict, "view.peers")
    out: dict[str, list[str]] = {}
    for region, codes in doc.items():
        if not is_region_code(region):
            raise InputError(path, f"'view.peers' key {quote(region)} is not a NUTS region code",
                             hint='write e.g. {"DE11": ["DE21", "ITC1"]}')
        items = _expect(path, codes, list, f"view.peers.{region}")
        peers = [_expect(path, c, str, f"view.peers.{region}[{i}]") for i, c in enumerate(items)]
        bad = [c for c in peers if not is_region_code(c)]
        if bad:
            raise InputError(path, f"view.peers.{region}: {quote(bad[0])} is not a NUTS region code",
                             hint="fix the value or choose the peers again in the app")
        out[region.upper()] = list(dict.fromkeys(c.upper() for c in peers if c.upper() != region.upper()))
    return out


def _too_deep(text: str) -> int | None:
    """The 1-based line where nesting first exceeds MAX_DEPTH (brackets in strings do not count), else None.
    Checked before json.loads, whose recursion a file nested 100,000 deep would exhaust."""
    depth, in_string, escaped, line = 0, False, False, 1
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif ch in "]}":
            depth -= 1
        if ch == "\n":
            line += 1
    return None


def load_workspace(path: str | Path, step: Step | None = None) -> LoadedWorkspace:
    """Read a workspace file; a bad file raises :class:`InputError` saying what is wrong and where.

    Reads the file and hashes the data file it names: run it off the UI thread (the app's worker passes
    ``step`` for progress and Cancel)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "workspace file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot open the workspace: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file (a folder, device or pipe cannot be a workspace)",
                         hint="choose a .cmws.json workspace")
    if info.st_size > MAX_WORKSPACE_BYTES:
        raise InputError(path, f"{info.st_size:,} bytes is too large for a workspace "
                         f"(at most {MAX_WORKSPACE_BYTES >> 20} MB)", hint="choose a .cmws.json workspace")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_WORKSPACE_BYTES + 1)
        text = raw.decode("utf-8-sig")  # Windows editors save with a byte order mark
    except OSError as exc:
        raise InputError(path, f"cannot read the workspace: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not a text file ({exc.reason})", hint="choose a .cmws.json workspace") from None
    deep = _too_deep(text)
    if deep is not None:
        raise InputError(path, f"JSON nested more than {MAX_DEPTH} levels deep", line=deep,
                         hint="not a ClusterMapper workspace; save the workspace again")
    try:
        # NaN, Infinity and 1e999 parse to floats: from_dict refuses them in every field, naming it
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno,
                         hint="the file is damaged; save the workspace again") from None
    except RecursionError:  # cannot happen below MAX_DEPTH, but never let it out as a traceback
        raise InputError(path, "JSON nested too deeply", hint="save the workspace again") from None
    except ValueError as exc:  # a number of more than 4,300 digits (Python's limit on int conversion)
        raise InputError(path, f"invalid JSON: {str(exc).split(':')[0]}",
                         hint="the file is damaged; save the workspace again") from None
    return from_dict(doc, path, step)


def read_workspace_data(spec: AnalysisSpec) -> ReadResult:
    """Read the data of a workspace's spec. A workspace from someone else may name any file on this machine
    (``/etc/passwd``, a private key), so a refusal names the file and the place, never its content: the reader's
    full message (which quotes cells and headers) comes when the user opens the file himself."""
    try:
        return read_spec_data(spec)
    except ClusterMapperError as exc:
        if spec.uses_demo:
            raise
        line = exc.line if isinstance(exc, InputError) else None
        column = exc.column if isinstance(exc, InputError) and isinstance(exc.column, int) else None
        raise InputError(str(spec.data), "the data file this workspace names cannot be read as employment data",
                         line=line, column=column,
                         hint="open it with File → Open data… to see why, or choose the right file there "
                              "and save the workspace again") from None
