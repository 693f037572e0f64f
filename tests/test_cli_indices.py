"""``clustermapper indices`` and ``clustermapper shift-share`` end to end on the hand-computed 3 × 3 tables of
tests/test_metrics_indices.py and tests/test_metrics_shift_share.py (X = C10, Y = C29, Z = G47;
A = DE11, B = DE12, C = DE13; base year 2010, end year 2014)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

REGIONS = ("DE11", "DE12", "DE13")
BASE = {"C10": (60, 20, 20), "C29": (30, 50, 20), "G47": (10, 30, 160)}
END = {"C10": (69, 20, 21), "C29": (27, 60, 15), "G47": (12, 36, 176)}


def _write(folder, extra: tuple[str, ...] = ()):
    rows = ["region,sector,year,value,flag"]
    for year, table in ((2010, BASE), (2014, END)):
        rows += [f"{r},{s},{year},{v}," for s, values in table.items() for r, v in zip(REGIONS, values)]
    path = folder / "table.csv"
    path.write_text("\n".join([*rows, *extra]) + "\n", encoding="utf-8")
    return path


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clustermapper", *argv], capture_output=True, text=True, timeout=300)


def test_indices_csv_long_format(tmp_path):
    data, out = _write(tmp_path), tmp_path / "indices.csv"
    proc = _cli("indices", "--data", str(data), "--year", "2010", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == ["scope", "id", "index", "variant", "value", "data_status", "n_hidden",
                                   "hidden_share", "flags"]
    assert len(table) == 3 * 4 + 3 * 7
    value = table.set_index(["id", "index", "variant"])["value"].astype(float)
    assert value[("C10", "locational_gini", "lq_weighted")] == pytest.approx(0.4)
    assert value[("G47", "hoover_concentration", "vs_region_total")] == pytest.approx(0.3)
    assert value[("DE11", "hoover_specialisation", "vs_all_regions")] == pytest.approx(0.4)
    assert value[("DE13", "krugman_specialisation", "vs_other_regions")] == pytest.approx(1.2)
    assert value[("DE12", "krugman_specialisation", "vs_all_regions")] == pytest.approx(0.5)
    assert set(table["data_status"]) == {"published"}


def test_a_confidential_cell_marks_its_region_and_category(tmp_path):
    # DE11 C29 2010 suppressed: nothing bounds it, it stays confidential (counted as 0)
    data = _write(tmp_path)
    text = data.read_text().replace("DE11,C29,2010,30,", "DE11,C29,2010,,c")
    data.write_text(text)
    out = tmp_path / "indices.csv"
    proc = _cli("indices", "--data", str(data), "--year", "2010", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out, keep_default_na=False)
    status = table.groupby("id")["data_status"].agg(set)
    assert status["DE11"] != {"published"} and status["C29"] != {"published"}
    assert status["DE12"] == {"published"} and status["C10"] == {"published"}
    assert (table.loc[table["id"] == "DE11", "n_hidden"] == 1).all()


@pytest.mark.parametrize("by", ["region", "region-category"])
def test_shift_share_csv(tmp_path, by):
    data, out = _write(tmp_path), tmp_path / "ss.csv"
    proc = _cli("shift-share", "--data", str(data), "--from", "2010", "--to", "2014", "--by", by, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "nation: 3 regions with employment in both 2010 and 2014" in proc.stderr
    table = pd.read_csv(out)
    if by == "region":
        row = table.set_index("region").loc["DE13"]  # region C of the hand example
        got = row[["growth", "national_share", "industry_mix", "regional_share", "em_competitive", "em_allocation"]]
        assert got.tolist() == pytest.approx([12.0, 18.0, 3.6, -9.6, -18.0, 8.4])
        assert (row["year_from"], row["year_to"], row["n_regions"]) == (2010, 2014, 3)
    else:
        assert len(table) == 9
        assert table.set_index(["region", "category"]).loc[("DE11", "C10"), "regional_share"] == pytest.approx(3.0)


@pytest.mark.parametrize("argv, words", [
    (("--from", "2014", "--to", "2010"), "earlier year"),
    (("--from", "2010", "--to", "2014", "--year", "2010"), "--from and --to"),
    (("--from", "2010", "--to", "2012"), "2012"),
])
def test_shift_share_usage_errors_exit_2(tmp_path, argv, words):
    proc = _cli("shift-share", "--data", str(_write(tmp_path)), *argv, "--out", str(tmp_path / "ss.csv"))
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("command", [("indices",), ("shift-share", "--from", "2010", "--to", "2014")])
def test_out_never_overwrites_the_data(tmp_path, command):
    data = _write(tmp_path)
    before = data.read_bytes()
    proc = _cli(*command, "--data", str(data), "--out", str(data))
    assert proc.returncode == 2 and "inputs are never overwritten" in proc.stderr
    assert data.read_bytes() == before


def test_a_category_only_in_the_end_year_is_a_new_cell(tmp_path):
    data, out = _write(tmp_path, extra=("DE11,C30,2014,5,",)), tmp_path / "ss.csv"
    proc = _cli("shift-share", "--data", str(data), "--from", "2010", "--to", "2014", "--by", "region-category",
                "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    cell = pd.read_csv(out).set_index(["region", "category"])
    assert len(cell) == 12 and cell.loc[("DE12", "C30"), "growth"] == 0.0
    new = cell.loc[("DE11", "C30")]
    assert (new["employment_from"], new["growth"], new["regional_share"], new["em_competitive"]) == (0, 5, 5, 5)
    assert new["em_new_cells"] == 1 and new["national_share"] == 0.0 and new["industry_mix"] == 0.0
