"""``clustermapper regions …`` through the real command-line entry point."""

from __future__ import annotations

import pytest

from clustermapper.cli import main


def test_versions_and_show(capsys):
    assert main(["regions", "versions"]) == 0
    out = capsys.readouterr().out
    assert "NUTS 2021  embedded   L0 37, L1 125, L2 334, L3 1514" in out
    assert main(["regions", "show", "DE41", "EU28", "ukn10", "ZZ99"]) == 0
    out = capsys.readouterr().out
    # a well-formed code of no region printed an entry ("ZZ99  ZZ99 (NUTS 2; versions none embedded; …)")
    assert "ZZ99: no such region in the embedded NUTS versions 2003–2021" in out and "ZZ99  " not in out
    assert "DE41  Brandenburg - Nordost" in out and "versions 2003 2006" in out
    assert "EU28: not a NUTS region code" in out
    assert "UKN10  Derry City and Strabane" in out and "parent UKN0" in out


def test_download_offline_exit_code_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CLUSTERMAPPER_CACHE", str(tmp_path))
    assert main(["regions", "download", "--version", "2024", "--level", "2", "--url", "http://127.0.0.1:9/"]) == 2
    assert "internet connection" in capsys.readouterr().err
    assert main(["regions", "download", "--version", "2021"]) == 0
    assert "embedded" in capsys.readouterr().out


def test_detect_missing_file(tmp_path, capsys):
    assert main(["regions", "detect", "--data", str(tmp_path / "nope.tsv")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.shared
def test_detect_real_file(eurostat_file, capsys):
    assert main(["regions", "detect", "--data", str(eurostat_file), "--level", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 8
    assert out[-1].startswith("2015: 167 region codes (NUTS level 2) match NUTS 2013 exactly")
    assert out[3].startswith("2011: 277 region codes (NUTS level 2) match NUTS 2010 exactly")
