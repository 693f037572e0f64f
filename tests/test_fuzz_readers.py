"""Fuzzing the text readers (Eurostat TSV, SDMX-CSV, generic CSV/TSV, each plain and gzipped) with valid files
mutated structurally: every case is a correct tidy table or one clear error naming the file (fuzz_support)."""

from __future__ import annotations

import gzip

import fuzz_support as fz
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tiny_data import REGIONS, SECTORS

from clustermapper.io import read_dataset


def _tiny() -> str:
    rows = ["region,sector,year,value,flag"]
    rows += [f"{r},{s},2015,{v},{'c' if v < 1000 else ''}" for s, vs in SECTORS.items() for r, v in zip(REGIONS, vs)]
    return "\n".join(rows) + "\n"


BASES = {
    "eurostat.tsv": (fz.DATA / "io" / "eurostat_small.tsv").read_text(encoding="utf-8"),
    "sdmx.csv": (fz.DATA / "io" / "sdmx_small.csv").read_text(encoding="utf-8"),
    "long.csv": (fz.DATA / "io" / "long_semicolon.csv").read_text(encoding="utf-8"),
    "wide.tsv": (fz.DATA / "io" / "wide.tsv").read_text(encoding="utf-8"),
    "tiny.csv": _tiny(),
}


@pytest.mark.parametrize("name", sorted(BASES))
def test_bases_read(name: str) -> None:
    with fz.written(name, BASES[name].encode()) as path:
        assert len(read_dataset(path).table) > 0


@pytest.mark.parametrize("name", sorted(BASES))
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
@pytest.mark.parametrize("newline", fz.NEWLINES)
def test_encodings_with_a_byte_order_mark_and_any_newline_read_the_same(name: str, encoding: str, newline: str) -> None:
    with fz.written(name, BASES[name].encode()) as path:
        expected = read_dataset(path).table
    with fz.written(name, fz.encode(BASES[name].split("\n"), encoding, newline)) as path:
        assert fz.same_table(read_dataset(path).table, expected)


def _fuzz(name: str, data: bytes, gzipped: bool = False) -> None:
    payload = gzip.compress(data, mtime=0) if gzipped else data
    with fz.written(name + (".gz" if gzipped else ""), payload) as path:
        fz.read_outcome(path, data)


@pytest.mark.parametrize("name", sorted(BASES))
@fz.fuzz_settings(120)
@given(case=st.data())
def test_fuzz_text_readers(name: str, case: st.DataObject) -> None:
    data, _ops = case.draw(fz.mutated_text(BASES[name]))
    _fuzz(name, data)


@fz.fuzz_settings(80)
@given(name=st.sampled_from(sorted(BASES)), case=st.data(), cut=st.floats(0, 1))
def test_fuzz_gzip(name: str, case: st.DataObject, cut: float) -> None:
    data, _ops = case.draw(fz.mutated_text(BASES[name], max_ops=2))
    _fuzz(name, data, gzipped=True)
    broken = gzip.compress(data, mtime=0)  # a cut download: the reader must say the gzip is damaged
    with fz.written(name + ".gz", broken[: max(2, int(len(broken) * cut))]) as path:
        fz.read_outcome(path, data)


def test_encodings_are_all_covered() -> None:
    assert {"utf-16-le", "utf-32", "cp1252"} <= set(fz.ENCODINGS)
