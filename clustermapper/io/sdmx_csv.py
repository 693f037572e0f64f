"""Eurostat SDMX-CSV (the current API format): one row per observation.

Header ``DATAFLOW,LAST UPDATE,freq,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG[,CONF_STATUS]``
(SDMX-CSV 2.0 starts ``STRUCTURE,STRUCTURE_ID,ACTION``; with ``labels=both`` codes read ``A:Annual``).
Confidential cells have an empty value and a CONF_STATUS other than ``F`` (free): they get flag ``c``.
"""

from __future__ import annotations

import io
import re
from typing import NoReturn

import numpy as np
import pandas as pd

from clustermapper.errors import InputError, UsageError, quote
from clustermapper.io.cells import CONFIDENTIAL, MISSING, UNREADABLE, map_unique, parse_cells, refuse_long
from clustermapper.io.dims import fix_dimension
from clustermapper.io.options import ReadOptions, indicator_note, no_indicator_message
from clustermapper.io.registry import Reader, register
from clustermapper.io.source import MAX_CELL_CHARS, MAX_FLAG_CHARS, Source
from clustermapper.io.table import ReadReport, ReadResult
from clustermapper.io.tidy import finish

NAME = "sdmx-csv"
METADATA = {"dataflow", "last update", "structure", "structure_id", "structure_name", "action"}
REQUIRED = ("TIME_PERIOD", "OBS_VALUE")
FREE = {"", "F"}  # SDMX CL_CONF_STATUS: F = free; C, D, N, S, A, O, T, G, M are all kinds of confidential


def _split_header(line: str) -> tuple[str, list[str]] | None:
    for sep in (",", ";", "\t"):
        cells = [c.strip().strip('"').split(":")[0].strip() for c in line.split(sep)]
        if all(name in cells for name in REQUIRED):
            return sep, cells
    return None


def detect(source: Source) -> bool:
    return bool(source.head_lines) and _split_header(source.head_lines[0]) is not None


def read(source: Source, options: ReadOptions) -> ReadResult:
    lines = source.lines
    split = _split_header(lines[0])
    if split is None:
        raise InputError(source.path, "header lacks TIME_PERIOD and OBS_VALUE", line=1, column=1,
                         hint="this is not an SDMX-CSV file: try --format csv")
    sep, names = split
    lower = [n.lower() for n in names]
    geo, sector, indicator = _col(lower, "geo"), _col(lower, "nace"), _col(lower, "indic")
    if geo is None or sector is None:
        missing = "geo" if geo is None else "a NACE column (nace_r2)"
        raise InputError(source.path, f"header has no {missing} column", line=1, column=1,
                         hint="ClusterMapper reads regional data by NACE sector")
    report = ReadReport(path=str(source.path), format=NAME)
    report.notes += options.ignored_note("SDMX-CSV", "region_col", "sector_col", "value_col", "year_col",
                                         "decimal", "sheet")
    if indicator is None:
        frame = _parse(source, lines, _candidate_lines(lines, None), sep, names)
        chosen = None
        report.notes.append("the file has no indicator column: all rows were read")
    else:
        frame, chosen = _indicator_rows(source, lines, sep, names, indicator, options, report)
    for pos in (geo, sector):
        frame[names[pos]] = _codes(frame[names[pos]])
        refuse_long(source.path, frame[names[pos]], frame["_line"].to_numpy(), names[pos], MAX_CELL_CHARS,
                    f"{names[pos]} code")
    if "OBS_FLAG" in frame:
        refuse_long(source.path, frame["OBS_FLAG"], frame["_line"].to_numpy(), "OBS_FLAG", MAX_FLAG_CHARS, "flag")
    frame = _fix_dimensions(source, frame, names, lower, {geo, sector, indicator}, report)
    frame, years = _years(source, frame, options, report)
    parsed = parse_cells(frame["OBS_VALUE"], decimal=".")
    flags = parsed.flags.to_numpy(dtype=object)
    if "OBS_FLAG" in frame:
        obs = map_unique(frame["OBS_FLAG"], str.strip).to_numpy(dtype=object)
        flags = obs + flags
    status = parsed.status.to_numpy().copy()
    if "CONF_STATUS" in frame:
        secret = ~map_unique(frame["CONF_STATUS"], lambda c: c.strip().upper()).isin(FREE).to_numpy()
        lacks_c = np.char.find(flags.astype(str), "c") < 0
        flags = np.where(secret & lacks_c, flags + "c", flags)
    has_c = np.char.find(flags.astype(str), "c") >= 0
    empty = status != UNREADABLE
    empty &= np.isnan(parsed.values.to_numpy())
    status[empty] = np.where(has_c[empty], CONFIDENTIAL, MISSING)
    cells = pd.DataFrame({
        "region": frame[names[geo]].to_numpy(), "sector": frame[names[sector]].to_numpy(), "year": years,
        "value": parsed.values.to_numpy(), "flag": flags.astype(str), "status": status,
        "line": frame["_line"].to_numpy(), "column": "OBS_VALUE", "text": frame["OBS_VALUE"].to_numpy(),
    })
    return finish(cells, report, indicator=chosen, key_columns={"region": names[geo], "sector": names[sector]},
                  hint="OBS_VALUE must hold numbers with a '.' decimal mark", duplicates=options.duplicates)


def _indicator_rows(source: Source, lines: list[str], sep: str, names: list[str], pos: int, options: ReadOptions,
                    report: ReadReport) -> tuple[pd.DataFrame, str]:
    """The rows of the first wanted indicator code the file has (the user's, or persons employed)."""
    for code in options.wanted_indicators:
        numbers = _candidate_lines(lines, code)
        if not numbers:
            continue
        frame = _parse(source, lines, numbers, sep, names)
        frame[names[pos]] = _codes(frame[names[pos]])
        keep = map_unique(frame[names[pos]], str.upper) == code
        if keep.any():
            if options.auto_indicator:
                report.notes.append(indicator_note(code))
            return frame[keep.to_numpy()].reset_index(drop=True), code
    _unknown_indicator(source, lines, sep, names, pos, options)


def _col(lower: list[str], prefix: str) -> int | None:
    return next((i for i, n in enumerate(lower) if n.startswith(prefix)), None)


def _codes(column: pd.Series) -> pd.Series:
    """``A:Annual`` -> ``A`` (labels=both extracts); plain codes pass unchanged."""
    return map_unique(column, lambda c: c.split(":", 1)[0].strip())


def _candidate_lines(lines: list[str], indicator: str | None) -> list[int]:
    """Line indexes worth parsing: a substring test drops other indicators' rows before pandas sees them."""
    if indicator is None:
        return [i for i in range(1, len(lines)) if lines[i].strip()]
    needle = indicator.upper()
    return [i for i in range(1, len(lines)) if needle in lines[i].upper()]


def _parse(source: Source, lines: list[str], numbers: list[int], sep: str, names: list[str]) -> pd.DataFrame:
    for i in numbers:  # quoted fields may hold the separator: pandas checks those lines
        if '"' not in lines[i] and lines[i].count(sep) != len(names) - 1:
            raise _ragged(source, lines, [i], sep, len(names), None)
    body = "\n".join([lines[0]] + [lines[i] for i in numbers])
    try:
        frame = pd.read_csv(io.StringIO(body), sep=sep, header=0, names=names, dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=False, engine="c", on_bad_lines="error")
    except pd.errors.ParserError as exc:
        raise _ragged(source, lines, numbers, sep, len(names), exc) from None
    if len(frame) != len(numbers):  # a quote left open swallowed the line break: rows no longer match lines
        raise _open_quote(source, lines, numbers)
    frame["_line"] = np.asarray(numbers, dtype="int64") + 1
    return frame


def _open_quote(source: Source, lines: list[str], numbers: list[int]) -> InputError:
    i = next((i for i in numbers if lines[i].count('"') % 2), numbers[0])
    return InputError(source.path, "a quoted field does not close on its line", line=i + 1,
                      column=lines[i].find('"') + 1,
                      hint="remove the stray '\"' or close the quote (fields may not span lines)")


def _ragged(source: Source, lines: list[str], numbers: list[int], sep: str, expected: int,
            exc: Exception | None) -> InputError:
    for i in numbers:
        found = len(lines[i].split(sep))
        if found != expected and '"' not in lines[i]:
            return InputError(source.path, f"row has {found} fields, the header has {expected}", line=i + 1,
                              column=min(found, expected) + 1, hint="the file is damaged: download it again")
    if any(lines[i].count('"') % 2 for i in numbers):
        return _open_quote(source, lines, numbers)
    return InputError(source.path, f"rows cannot be split into the header's columns ({exc})", line=1,
                      column=1, hint="the file is damaged: download it again")


def _unknown_indicator(source: Source, lines: list[str], sep: str, names: list[str], pos: int,
                       options: ReadOptions) -> NoReturn:
    frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=sep, header=0, names=names, dtype=str,
                        keep_default_na=False, usecols=[pos])
    present = sorted(set(_codes(frame.iloc[:, 0])) - {""})
    raise UsageError(no_indicator_message(source.path, options, names[pos], present))


def _fix_dimensions(source: Source, frame: pd.DataFrame, names: list[str], lower: list[str],
                    used: set[int | None], report: ReadReport) -> pd.DataFrame:
    """Other dimensions (freq, unit, sizeclas...) hold one value, or are fixed to TOTAL (see ``io.dims``)."""
    skip = METADATA | {"time_period", "obs_value", "obs_flag", "conf_status", "obs_status"}
    for pos, name in enumerate(names):
        if pos in used or lower[pos] in skip or frame.empty:
            continue
        keep, note = fix_dimension(source.path, name, _codes(frame[name]), frame["_line"].to_numpy(), name)
        if keep is not None:
            frame = frame[keep].reset_index(drop=True)
        if note:
            report.notes.append(note)
    return frame


def _years(source: Source, frame: pd.DataFrame, options: ReadOptions,
           report: ReadReport) -> tuple[pd.DataFrame, np.ndarray]:
    """TIME_PERIOD as years; other periods are an error, or skipped with a note (``bad_years="skip"``)."""
    text = map_unique(frame["TIME_PERIOD"], str.strip)
    bad = (map_unique(text, lambda t: "" if re.fullmatch(r"\d{4}", t) else "x") != "").to_numpy()
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        line = int(frame["_line"].iloc[first])
        if options.bad_years != "skip" or bad.all():
            raise InputError(source.path, f"TIME_PERIOD {quote(text.iloc[first])} is not a year"
                             + (f" ({int(bad.sum())} such rows)" if bad.sum() > 1 else ""),
                             line=line, column="TIME_PERIOD",
                             hint="only annual data (freq A) is supported"
                             + ("" if bad.all() else "; skip these rows with --bad-years skip"))
        report.notes.append(f"{int(bad.sum())} rows skipped because TIME_PERIOD is not a year "
                            f"(first on line {line}: {quote(text.iloc[first])}; --bad-years skip)")
        frame, text = frame[~bad].reset_index(drop=True), text[~bad].reset_index(drop=True)
    return frame, text.astype("int64").to_numpy()


register(Reader(NAME, "Eurostat SDMX-CSV (one row per observation)", detect, read, priority=20))
