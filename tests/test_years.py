"""Years and their coverage: regions with data per year, the default year, partial years, the CLI warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from clustermapper.analysis import AnalysisSpec, prepare
from clustermapper.cli import main
from clustermapper.io import read_dataset
from clustermapper.regions.year_coverage import (
    default_year,
    partial_years,
    region_years,
    year_coverage,
    year_details,
    years_of_region,
)

DE = ["DE11", "DE12", "DE13", "DE14", "DE21", "DE22"]
FR = ["FR10", "FR21", "FR22", "FR23"]


def write_years(folder: Path) -> Path:
    """2012 and 2014: all 10 regions; 2013: FR23 only confidential (9 with data); 2015: Germany only (6).

    Also a country row (DE) and an extra-regio code (DEZZ) with numbers in every year: neither is a region."""
    rows = ["region,sector,year,value,flag"]
    for year in (2012, 2013, 2014, 2015):
        regions = DE if year == 2015 else DE + FR
        for i, region in enumerate(regions):
            for sector, base in (("C29", 1000), ("G47", 5000)):
                if year == 2013 and region == "FR23":
                    rows.append(f"{region},{sector},{year},,c")
                else:
                    rows.append(f"{region},{sector},{year},{base + 100 * i},")
        rows += [f"DE,C29,{year},99999,", f"DEZZ,C29,{year},5,"]
    path = folder / "years.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dataset(tmp_path):
    return read_dataset(write_years(tmp_path))


def test_regions_with_data_per_year(dataset):
    assert year_coverage(dataset) == {2012: 10, 2013: 9, 2014: 10, 2015: 6}
    # the country and the extra-regio code carry numbers but are not NUTS-2 regions
    assert not set(region_years(dataset)["region"]) & {"DE", "DEZZ"}
    assert years_of_region(dataset, "FR23") == [2012, 2014]  # 2013 only confidential, 2015 absent
    assert years_of_region(dataset, " fr10 ") == [2012, 2013, 2014]


def test_default_year_is_the_best_covered_latest_on_ties(dataset):
    # 2012 and 2014 both have 10 regions: the later one; 2015 (the latest, 6 regions) is not it
    assert default_year(dataset) == 2014
    assert prepare(AnalysisSpec(data=str(dataset.source or ""), demo=False), dataset).year == 2014
    assert prepare(AnalysisSpec(data="x", year=2015), dataset).year == 2015  # an explicit year is kept


def test_partial_years_name_the_missing_countries(dataset):
    details = year_details(dataset)
    assert {y: c.partial for y, c in details.items()} == {2012: False, 2013: False, 2014: False, 2015: True}
    # 9 of 10 is exactly 90 %: not partial; 6 of 10 is
    assert list(partial_years(dataset)) == [2015]
    c2015 = details[2015]
    assert (c2015.regions, c2015.best, c2015.best_year, c2015.absent, c2015.fewer) == (6, 10, 2014, ("FR",), ())
    assert c2015.label == "2015 — 6 regions (partial)" and details[2014].label == "2014 — 10 regions"
    assert "6 of 10 regions" in c2015.warning() and "FR (France)" in c2015.warning()
    assert details[2013].fewer == ("FR",) and details[2013].absent == () and details[2013].warning() == ""


def test_level_overrides_count_the_regions_the_analysis_uses(dataset):
    # FR at NUTS 1: FR1 (from FR10) and FR2 (FR21-FR23; in 2013 from FR21 and FR22 alone)
    assert year_coverage(dataset, 2, {"FR": 1}) == {2012: 8, 2013: 8, 2014: 8, 2015: 6}
    assert year_coverage(dataset, 2, (("FR", 1),)) == year_coverage(dataset, 2, {"FR": 1})
    # no NUTS-1 rows and no override: no region at that level in any year, so the latest year with data
    assert year_coverage(dataset, 1) == {2012: 0, 2013: 0, 2014: 0, 2015: 0} and default_year(dataset, 1) == 2015
    assert default_year(dataset, 2, {"FR": 1}) == 2014


def test_cache_follows_the_table_not_the_object_identity(tmp_path, dataset):
    first = region_years(dataset)
    assert region_years(dataset) is first  # cached
    other = tmp_path / "other"
    other.mkdir()
    (other / "o.csv").write_text("region,sector,year,value\nAT11,C29,2010,5\n", encoding="utf-8")
    assert year_coverage(read_dataset(other / "o.csv")) == {2010: 1}
    assert year_coverage(dataset) == {2012: 10, 2013: 9, 2014: 10, 2015: 6}


def test_cli_warns_on_a_partial_year(tmp_path, capsys):
    path = write_years(tmp_path)
    assert main(["profile", "--data", str(path), "--year", "2015", "--region", "DE11",
                 "--out", str(tmp_path / "p.html")]) == 0
    err = capsys.readouterr().err
    assert "warning: 2015 is a partial year: 6 of 10 regions" in err and "FR (France)" in err
    assert main(["profile", "--data", str(path), "--region", "DE11", "--out", str(tmp_path / "q.html")]) == 0
    assert "warning" not in capsys.readouterr().err
    assert "2014" in (tmp_path / "q.html").read_text(encoding="utf-8")[:400]  # the default year


@pytest.mark.shared
def test_real_file_coverage(eurostat_file):
    dataset = read_dataset(eurostat_file)
    coverage = year_coverage(dataset)  # its speed is measured in benchmarks/, never asserted here
    # docs/data-facts.md, measured on the file
    assert coverage == {2008: 251, 2009: 252, 2010: 278, 2011: 277, 2012: 277, 2013: 278, 2014: 282, 2015: 167}
    assert default_year(dataset) == 2014
    partial = partial_years(dataset)
    assert list(partial) == [2008, 2009, 2015]
    assert partial[2008].absent == ("FR", "HR", "LU")
    assert {"BE", "FR", "IT", "NL", "RO", "SE"} <= set(partial[2015].absent)
    assert years_of_region(dataset, "FR62") == [2010, 2011, 2012, 2013, 2014]
    # the count is the pipeline's own: regions prepare() analyses with a number, with and without overrides
    for spec in (AnalysisSpec(data=str(eurostat_file), year=2015),
                 AnalysisSpec(data=str(eurostat_file), year=2010, level_override=(("BE", 1), ("NL", 1)))):
        table = prepare(spec, dataset).table
        analysed = table.loc[table["value"].notna(), "region"].nunique()
        assert year_coverage(dataset, spec.level, spec.level_override)[spec.year] == analysed
