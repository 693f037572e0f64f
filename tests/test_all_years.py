"""``stars|portfolio --year all`` (every year in one run, a ``year`` column) and the one-year reads behind it
(``read_dataset(years=...)``, companion indicators of one year). On the embedded demo, a Eurostat extract."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, demo_data_path, read_spec_data
from clustermapper.cli import main
from clustermapper.errors import InputError
from clustermapper.io import read_dataset
from clustermapper.suppressed.companions import read_companions


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("command", ["stars", "portfolio"])
def test_year_all_is_every_single_year_table_with_a_year_column(command, tmp_path):
    out = tmp_path / "all.csv"
    assert main([command, "--demo", "--year", "all", "--out", str(out)]) == 0
    table = _csv(out)
    assert table.columns[0] == "year"
    years = sorted(int(y) for y in table["year"].unique())
    assert years == read_spec_data(AnalysisSpec(demo=True)).years == list(range(2008, 2016))
    for year in (2008, 2014):  # each year's rows are exactly what --year Y writes
        one = tmp_path / f"{year}.csv"
        assert main([command, "--demo", "--year", str(year), "--out", str(one)]) == 0
        rows = table[table["year"] == str(year)].drop(columns="year").reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, _csv(one))


def test_year_all_is_refused_where_a_command_draws_one_year(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["map", "--demo", "--year", "all", "--layer", "strength", "--out", "x.png"])
    assert exit_.value.code == 2
    assert "invalid int value: 'all'" in capsys.readouterr().err


def test_a_year_that_is_not_a_year_nor_all_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["stars", "--demo", "--year", "latest"])
    assert exit_.value.code == 2
    assert "neither a year such as 2014 nor 'all'" in capsys.readouterr().err


def test_read_dataset_years_keeps_exactly_those_rows(tmp_path):
    full = read_dataset(demo_data_path()).table
    one = read_dataset(demo_data_path(), years=(2012,)).table
    pd.testing.assert_frame_equal(one, full[full["year"] == 2012].reset_index(drop=True))
    two = read_dataset(demo_data_path(), years=(2015, 2009)).table
    assert sorted(two["year"].unique()) == [2009, 2015] and len(two) == int(full["year"].isin([2009, 2015]).sum())
    # a generic table: read whole, then filtered to the same rows
    csv = tmp_path / "long.csv"
    csv.write_text("region,sector,year,value\nDE11,C29,2013,10\nDE11,C29,2014,12\nDE12,C29,2014,\n")
    table = read_dataset(csv, years=(2014,)).table
    assert table[["region", "year"]].values.tolist() == [["DE11", 2014], ["DE12", 2014]]
    assert table["value"].tolist()[0] == 12


def test_a_year_the_eurostat_file_lacks_is_an_input_error():
    with pytest.raises(InputError, match="no column of year 1999"):
        read_dataset(demo_data_path(), years=(1999,))


def test_companions_of_one_year_are_that_year_of_the_whole_read():
    spec = AnalysisSpec(demo=True)
    dataset = read_spec_data(spec)
    one = read_companions(spec, dataset, 2013)
    whole = read_companions(spec, dataset)
    assert sorted(one) == sorted(whole) == ["local_units", "wages"]
    for role, table in whole.items():
        expected = table[table["year"] == 2013].reset_index(drop=True)
        pd.testing.assert_frame_equal(one[role].reset_index(drop=True), expected)


def test_a_generic_table_has_no_companions(tmp_path):
    csv = tmp_path / "long.csv"
    csv.write_text(io.StringIO("region,sector,year,value\nDE11,C29,2014,12\n").getvalue())
    spec = AnalysisSpec(data=str(csv))
    assert read_companions(spec, read_spec_data(spec)) == {}


@pytest.mark.parametrize("runner", ["year_analyses", "analyse_years"])
def test_several_years_parse_each_companion_indicator_once(runner, monkeypatch):
    """The estimate of every year takes its wages and local units from one all-years read of each (a trend
    or --year all that read them again for each year parsed the file 16 more times)."""
    import clustermapper.io as io_package
    import clustermapper.suppressed.companions as companions
    from clustermapper.analytics.all_years import analyse_years
    from clustermapper.analytics.time_series import year_analyses

    monkeypatch.setattr(companions, "_COMPANIONS", {})  # nothing read by earlier tests
    reads = []
    real_read = io_package.read_dataset

    def counted(*args, **kwargs):
        reads.append((kwargs.get("indicator"), kwargs.get("years")))
        return real_read(*args, **kwargs)

    spec = AnalysisSpec(demo=True)
    dataset = read_spec_data(spec)
    monkeypatch.setattr(io_package, "read_dataset", counted)
    run = year_analyses if runner == "year_analyses" else analyse_years
    assert len(run(spec, dataset)) == len(dataset.years) > 1
    assert sorted(reads) == [("V11210", None), ("V13320", None)]


def test_a_profile_parses_each_companion_indicator_once(monkeypatch, tmp_path):
    """A region profile analyses its year, a base year, every year of its trends and the ecosystems: the
    companions of all of them come from one all-years read of each (each analysis read its own years')."""
    import clustermapper.io as io_package
    import clustermapper.suppressed.companions as companions
    from clustermapper.cli import main

    monkeypatch.setattr(companions, "_COMPANIONS", {})
    reads = []
    real_read = io_package.read_dataset

    def counted(*args, **kwargs):
        reads.append((kwargs.get("indicator"), kwargs.get("years")))
        return real_read(*args, **kwargs)

    monkeypatch.setattr(io_package, "read_dataset", counted)
    assert main(["profile", "--demo", "--region", "DE91", "--out", str(tmp_path / "de91.pdf")]) == 0
    assert sorted(r for r in reads if r[0] in ("V11210", "V13320")) == [("V11210", None), ("V13320", None)]
