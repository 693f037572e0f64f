"""``clustermapper changes`` on the hand-built years (tests/change_data.py), its refusals, and the real file."""

from __future__ import annotations

import pandas as pd
import pytest
from change_data import write_changes_file

from clustermapper.analysis import AnalysisSpec
from clustermapper.analytics.changes import change_analyses, changes
from clustermapper.analytics.common_basis import common_basis
from clustermapper.analytics.time_series import time_series
from clustermapper.cli import main
from clustermapper.io import read_dataset
from clustermapper.render.profile_data import base_analysis, build_profile


def test_cli_writes_changes_and_summary(tmp_path, capsys):
    data = write_changes_file(tmp_path)
    out, summary = tmp_path / "out.csv", tmp_path / "regions.csv"
    assert main(["changes", "--data", str(data), "--from", "2010", "--to", "2014", "--out", str(out),
                 "--summary-out", str(summary)]) == 0
    err = capsys.readouterr().err
    assert "10 regions with data in both 2010 (11 regions) and 2014 (12 regions)" in err
    assert "DE41 (NUTS code change: DE4 has DE40 in 2014 instead)" in err and "HR03 (no data for HR in 2010)" in err
    assert "emerging 2, growing 5, stable 1, declining 1, vanished 1" in err
    table = pd.read_csv(out, keep_default_na=False).set_index(["region", "category"])
    assert len(table) == 30  # 10 regions × C10, C29, G47
    row = table.loc[("DE21", "C29")]
    assert (row["class"], row["stars_lost"], row["region_name"]) == ("vanished", "specialisation", "Oberbayern")
    assert row["class_rule"] == "vanished: 1 star in 2010, 0 in 2014 (a cluster holds ≥ 1 star)"
    assert table.loc[("DE13", "C29"), "caution"] == "2014 flag b: break in time series"
    regions = pd.read_csv(summary).set_index("region")
    assert len(regions) == 10 and regions.loc["DE21", "n_vanished"] == 1


def test_cli_thresholds_and_category(tmp_path):
    data = write_changes_file(tmp_path)
    out = tmp_path / "c29.csv"
    # a 15 % band makes DE12 (+12.47 % a year) stable; two stars make DE11 the only C29 cluster
    assert main(["changes", "--data", str(data), "--from", "2010", "--to", "2014", "--category", "C29",
                 "--stable-band", "0.15", "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False).set_index("region")
    assert set(table["category"]) == {"C29"} and table.loc["DE12", "class"] == "stable"
    assert main(["changes", "--data", str(data), "--from", "2010", "--to", "2014", "--min-stars", "2",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert table.loc[table["category"] == "C29", "class"].tolist().count("") == 9


@pytest.mark.parametrize("extra, message", [
    (["--from", "2014", "--to", "2010"], "--from 2014 must be an earlier year than --to 2010"),
    (["--from", "2012", "--to", "2014"], "year 2012 has no data"),
    (["--from", "2010", "--to", "2014", "--year", "2014"], "--year is not used"),
    (["--from", "2010", "--to", "2014", "--category", "C99"], "C99 not in the taxonomy"),
    (["--from", "2010", "--to", "2014", "--min-stars", "0"], "--min-stars 0 is not allowed"),
])
def test_cli_refusals(tmp_path, capsys, extra, message):
    data = write_changes_file(tmp_path)
    assert main(["changes", "--data", str(data), "--out", str(tmp_path / "x.csv"), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_cli_never_overwrites_the_input(tmp_path, capsys):
    data = write_changes_file(tmp_path)
    before = data.read_bytes()
    for option in ("--out", "--summary-out"):
        assert main(["changes", "--data", str(data), "--from", "2010", "--to", "2014", option, str(data)]) == 2
        assert "is the --data input file" in capsys.readouterr().err
    assert data.read_bytes() == before


@pytest.mark.shared
def test_real_2010_to_2014(eurostat_file):
    spec = AnalysisSpec(data=str(eurostat_file))
    base, now = change_analyses(spec, 2010, 2014)
    basis = common_basis(base, now)
    # 278 NUTS-2 regions in 2010 (FI1B-D and UKD7 are the same land again), 282 in 2014; 35 and 39 renamed
    # (NUTS 2006 → 2013) or without data in the other year
    assert (len(basis.regions), len(basis.only_base), len(basis.only_now)) == (243, 35, 39)
    assert basis.only_now["UKD7"] == "NUTS code change: UKD has UKD2, UKD5 in 2010 instead"
    assert basis.only_base["DE41"] == "NUTS code change: DE4 has DE40 in 2014 instead"
    assert basis.only_now["HR03"] == "no data for HR in 2010"
    table = changes(base, now).set_index(["region", "category"])
    # employment and CAGR of a published cell against the file's own numbers (read here, not by the pipeline)
    raw = read_dataset(eurostat_file).table
    cell = raw[(raw["region"] == "CZ04") & (raw["sector"] == "C29")].set_index("year")["value"]
    row = table.loc[("CZ04", "C29")]
    assert (row["employment_base"], row["employment_now"]) == (cell[2010], cell[2014])
    assert row["cagr"] == pytest.approx((cell[2014] / cell[2010]) ** 0.25 - 1)
    assert row["status_base"] == row["status_now"] == "reported" and row["caution"] == ""
    # every change resting on an estimate says so
    est = table["status_base"].eq("estimated") | table["status_now"].eq("estimated")
    assert est.any() and (table["estimated"] == est).all() and table.loc[est, "hidden_cell"].all()
    assert table.loc[est, "caution"].str.contains("estimated").all()
    # stars gained and lost agree with the stars of both years, and the class with the rules
    for rule in ("size", "specialisation", "focus"):
        lost = table[f"{rule}_star_base"] & ~table[f"{rule}_star_now"]
        assert (table["stars_lost"].str.contains(rule) == lost).all()
    starred = table["stars_base"].ge(1) & table["stars_now"].ge(1)
    assert set(table.loc[starred, "class"]) <= {"growing", "stable", "declining"}
    assert set(table.loc[~starred & table["stars_now"].ge(1), "class"]) == {"emerging"}


@pytest.mark.shared
def test_real_time_series_of_stuttgart_cars(eurostat_file):
    ts = time_series(AnalysisSpec(data=str(eurostat_file)), "DE11", "C29")
    assert ts["year"].tolist() == list(range(2008, 2016))
    assert ts.loc[ts["year"] == 2015, "partial_year"].item() and not ts.loc[ts["year"] == 2014, "partial_year"].item()
    assert ts["europe_index"].iloc[0] == 100 and ts["europe_index"].notna().all()
    raw = read_dataset(eurostat_file).table
    published = raw[(raw["region"] == "DE11") & (raw["sector"] == "C29") & (raw["year"] == 2014)]["value"].item()
    assert ts.loc[ts["year"] == 2014, "employment"].item() == published
    assert (ts["stars"] == 3).all()  # Stuttgart's car industry holds all three stars in every year


@pytest.mark.shared
def test_real_profile_changes_are_the_core_rows(eurostat_file):
    from clustermapper.analysis import run_analysis

    now = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    base = base_analysis(now, 2010, region="DE11")
    profile = build_profile(now, "DE11", base).changes.set_index("category")
    core = changes(base, now, regions=["DE11"]).set_index("category")
    for column in ("employment_change", "lq_base", "lq_now", "stars_change", "class"):
        assert profile[column].equals(core[column]), column
