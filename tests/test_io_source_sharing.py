"""``sharing_sources``: one opening of a file for several reads in a block, never a stale one."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from clustermapper.io import read_dataset
from clustermapper.io.source import open_source, sharing_sources

TSV = ("unit,indic_sb,nace_r2,geo\\time\t2014 \t2013 \n"
       "NR,V16110,C29,DE11\t1500 \t1400 \n"
       "NR,V11210,C29,DE11\t12 \t11 \n")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_same_file_is_opened_once_in_a_block_and_again_outside(tmp_path: Path):
    path = _write(tmp_path / "a.tsv", TSV)
    with sharing_sources():
        first = open_source(path)
        assert open_source(path) is first
        with sharing_sources():  # nested blocks share the outer one's
            assert open_source(path) is first
    assert open_source(path) is not first


def test_a_changed_file_is_read_again(tmp_path: Path):
    path = _write(tmp_path / "a.tsv", TSV)
    with sharing_sources():
        assert read_dataset(path).table["value"].max() == 1500
        _write(path, TSV.replace("1500 ", "2500 "))
        os.utime(path, ns=(1, 1))  # a changed modification time even on a coarse clock
        assert read_dataset(path).table["value"].max() == 2500


def test_two_indicators_of_one_file_in_a_block(tmp_path: Path):
    path = _write(tmp_path / "a.tsv", TSV)
    with sharing_sources():
        persons = read_dataset(path, indicator="V16110").table
        units = read_dataset(path, indicator="V11210").table
    assert sorted(persons["value"]) == [1400, 1500]
    assert sorted(units["value"]) == [11, 12]


def test_blocks_are_per_thread(tmp_path: Path):
    path = _write(tmp_path / "a.tsv", TSV)
    seen = []
    with sharing_sources():
        mine = open_source(path)
        worker = threading.Thread(target=lambda: seen.append(open_source(path)))
        worker.start()
        worker.join()
    assert seen and seen[0] is not mine
