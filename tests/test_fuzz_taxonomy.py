"""Fuzzing taxonomy files (CSV and YAML) with valid files mutated structurally: every case is a valid
taxonomy or one clear error naming the file (fuzz_support)."""

from __future__ import annotations

import fuzz_support as fz
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clustermapper.errors import ClusterMapperError
from clustermapper.taxonomy.codes import is_nace_code
from clustermapper.taxonomy.loaders import MAX_CATEGORIES, load_taxonomy

BASES = {name: (fz.DATA / "taxonomy" / name).read_text(encoding="utf-8")
         for name in ("automotive.csv", "one_row_per_code.csv", "clusters.yaml")}
YAML_OPS = st.one_of(
    st.tuples(st.just("line"), fz.index, st.sampled_from(["  - &a {id: X, codes: [C29]}", "  - *a", "- [", "x: !!python/object:os.system ls",
                                                           "categories: {}", "  - {id: null, codes: []}", "\t- id: T",
                                                           "  - {id: BIG, codes: [C10-C33]}", "  - {id: [1], codes: {a: 1}}",
                                                           "%YAML 9.9", "---", "..."])),
    st.tuples(st.just("insert"), fz.index, fz.fraction, st.sampled_from([": ", "- ", "[", "{", "'", "#", "&x ", "*x", "|"])),
)


def _check(taxonomy) -> None:
    assert 1 <= len(taxonomy.items) <= MAX_CATEGORIES
    for category in taxonomy.items:
        assert isinstance(category.id, str) and category.id.strip() == category.id and category.id
        assert category.codes and all(is_nace_code(code) for code in category.codes)
        assert len(set(category.codes)) == len(category.codes)


def _outcome(name: str, data: bytes) -> None:
    with fz.written(name, data) as path:
        try:
            taxonomy = load_taxonomy(path)
        except ClusterMapperError as exc:
            fz.check_error(exc, path, fz.count_lines(data) * 2)
            return
        _check(taxonomy)


@pytest.mark.parametrize("name", sorted(BASES))
def test_bases_load(name: str) -> None:
    with fz.written(name, BASES[name].encode()) as path:
        _check(load_taxonomy(path))


@pytest.mark.parametrize("name", sorted(BASES))
@fz.fuzz_settings(100)
@given(case=st.data())
def test_fuzz_taxonomy_files(name: str, case: st.DataObject) -> None:
    data, _ops = case.draw(fz.mutated_text(BASES[name]))
    _outcome(name, data)


@fz.fuzz_settings(80)
@given(ops=st.lists(YAML_OPS, min_size=1, max_size=3))
def test_fuzz_yaml_structure(ops: list[tuple]) -> None:
    lines = BASES["clusters.yaml"].split("\n")
    for op in ops:
        lines = fz.apply_op(lines, op)
    _outcome("clusters.yaml", "\n".join(lines).encode())
