"""Shared pieces of the fuzzers (tests/test_fuzz_*.py): structural mutations of valid files, and the one
rule every case must obey — a correct table, or one ClusterMapperError whose message names the file (and a
line inside the file when it gives one). Any other exception escapes and fails the test.

Time is bounded by ``max_examples`` (all fuzzers together stay well under a minute on the 2-core machine);
under CI (``CI=true``) the examples are derandomised so a red run can be repeated exactly.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from clustermapper.errors import ClusterMapperError, InputError
from clustermapper.io import TIDY_COLUMNS, read_dataset

DATA = Path(__file__).resolve().parent / "data"
MAX_MESSAGE = 2000  # one clear line; a message quoting a 10 MB cell is a defect too


def fuzz_settings(examples: int) -> settings:
    """``examples`` cases (times ``CLUSTERMAPPER_FUZZ_SCALE`` for a deeper run by hand, e.g. 20)."""
    scale = float(os.environ.get("CLUSTERMAPPER_FUZZ_SCALE", "1"))
    return settings(max_examples=max(1, int(examples * scale)), deadline=None, database=None, derandomize=os.environ.get("CI") == "true",
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@contextmanager
def written(name: str, data: bytes):
    """``data`` as a file called ``name`` in a fresh folder (hypothesis forbids function-scoped tmp_path)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


# --- mutations ---------------------------------------------------------------------------------------------

SEPARATORS = [",", ";", "\t", "|", " ", ""]
LONG = [40, 1001, 5000, 200_000]
ODD_NUMBERS = ["1e308", "1.7e308", "1e309", "9" * 400, "-12", "-0", "1e16", "NaN", "inf", "-inf", "0x1F", "1,5",
               "1.234.567", "\u0661\u0662\u0663", "\uff11\uff12", "1_000", "+7", ".5", "5.", "1e-400", "00000000012"]
INSERTS = ["", "#comment", ",,,,", "\t\t\t", "\ufeff", "\u2028", '"', '"""', "\\", ":", ": c", "NaN", "\x0c",
           "\x1b[31m", "\x7f", "\u200b", "e\u0301", "\u202e", "\ud7ff", "   "]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "utf-32-be", "cp1252", "latin-1"]
NEWLINES = ["\n", "\r\n", "\r"]

index = st.integers(0, 10**6)
fraction = st.floats(0, 1)
line_op = st.one_of(
    st.tuples(st.just("cut"), index, fraction),
    st.tuples(st.just("drop"), index),
    st.tuples(st.just("dup"), index),
    st.tuples(st.just("swap"), st.one_of(st.none(), index), st.sampled_from(SEPARATORS[:5]), st.sampled_from(SEPARATORS)),
    st.tuples(st.just("long"), index, fraction, st.sampled_from(LONG), st.sampled_from(["9", "x", "c", '"', " ", "é", ","])),
    st.tuples(st.just("nul"), index, fraction),
    st.tuples(st.just("number"), index, st.sampled_from(ODD_NUMBERS)),
    st.tuples(st.just("insert"), index, fraction, st.sampled_from(INSERTS)),
    st.tuples(st.just("line"), index, st.sampled_from(INSERTS)),
    st.tuples(st.just("lower"), index),
)


def apply_op(lines: list[str], op: tuple) -> list[str]:
    """One structural change to a copy of ``lines`` (line indexes wrap around)."""
    lines = list(lines) or [""]
    kind, i = op[0], (op[1] % len(lines) if isinstance(op[1], int) else None)
    if kind == "cut":
        lines[i] = lines[i][: int(len(lines[i]) * op[2])]
    elif kind == "drop" and len(lines) > 1:
        del lines[i]
    elif kind == "dup":
        lines.insert(i, lines[i])
    elif kind == "swap":
        targets = range(len(lines)) if i is None else [i]
        for j in targets:
            lines[j] = lines[j].replace(op[2], op[3])
    elif kind in ("long", "nul", "insert"):
        text = {"long": lambda: op[4] * op[3], "nul": lambda: "\x00", "insert": lambda: op[3]}[kind]()
        pos = int(len(lines[i]) * op[2])
        lines[i] = lines[i][:pos] + text + lines[i][pos:]
    elif kind == "number":
        lines[i] = re.sub(r"\d+(?:\.\d+)?", lambda m: op[2], lines[i], count=1)
    elif kind == "line":
        lines.insert(i, op[2])
    elif kind == "lower":
        lines[i] = lines[i].lower()
    return lines


def encode(lines: list[str], encoding: str, newline: str) -> bytes:
    return newline.join(lines).encode(encoding, errors="replace")


@st.composite
def mutated_text(draw, base: str, max_ops: int = 4) -> tuple[bytes, list]:
    """``base`` changed by 1..max_ops structural operations, then encoded (odd encodings and newlines too)."""
    ops = draw(st.lists(line_op, min_size=1, max_size=max_ops))
    lines = base.split("\n")
    for op in ops:
        lines = apply_op(lines, op)
    encoding, newline = draw(st.sampled_from(ENCODINGS)), draw(st.sampled_from(NEWLINES))
    data = encode(lines, encoding, newline)
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:  # now and then: cut the bytes too
        data = data[: int(len(data) * draw(fraction))]
    return data, ops + [("encoding", encoding, repr(newline))]


# --- the rule ----------------------------------------------------------------------------------------------

def check_error(exc: ClusterMapperError, path: Path, n_lines: int | None = None) -> str:
    """One clear message: names the file, fits on a screen, and a line it gives lies inside the file."""
    text = str(exc)
    assert str(path) in text, f"message does not name the file: {text[:300]!r}"
    assert len(text) <= MAX_MESSAGE, f"message of {len(text):,} characters: {text[:300]!r}…"
    assert "Traceback" not in text
    if isinstance(exc, InputError) and exc.line is not None and n_lines is not None:
        assert 1 <= exc.line <= n_lines + 1, f"line {exc.line} outside the file's {n_lines} lines: {text[:300]}"
    return text


def check_table(table: pd.DataFrame) -> None:
    """The tidy contract of ``clustermapper.io.table``."""
    assert tuple(table.columns) == TIDY_COLUMNS
    assert table["year"].dtype == "int64" and table["value"].dtype == "float64"
    values = table["value"].to_numpy()
    assert (np.isfinite(values) | np.isnan(values)).all(), "an infinite value reached the table"
    assert table["year"].between(1900, 2100).all(), f"years {sorted(set(table['year']))[:5]}"
    for column in ("region", "sector"):
        codes = table[column]
        assert codes.map(lambda c: isinstance(c, str) and c != "" and c == c.strip() and c == c.upper()).all(), \
            f"{column} codes not normalised: {codes.head().tolist()}"
    assert table["flag"].map(lambda f: isinstance(f, str)).all()
    assert not table.duplicated(["region", "sector", "year"]).any(), "two rows for one region, sector and year"


def count_lines(data: bytes) -> int:
    return max(data.count(b"\n"), data.count(b"\r")) + 1


def read_outcome(path: Path, data: bytes, read: Callable[[Path], object] | None = None) -> pd.DataFrame | None:
    """The table read from ``path``, checked; ``None`` when the reader refused it with a clear error."""
    try:
        result = read(path) if read is not None else read_dataset(path)
    except ClusterMapperError as exc:
        check_error(exc, path, None if data[:2] == b"\x1f\x8b" or data[:2] == b"PK" else count_lines(data) * 2)
        return None
    table = result.table  # type: ignore[attr-defined]
    check_table(table)
    return table


def same_table(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    key = ["region", "sector", "year"]
    a, b = a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    return a.equals(b)
