"""One sector-code rule for readers, regional totals and taxonomies (clustermapper.sector_codes)."""

from __future__ import annotations

import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.io import read_dataset
from clustermapper.sector_codes import normalise_sector
from clustermapper.taxonomy import load_taxonomy, normalise_code, region_totals


@pytest.mark.parametrize("text", ["C_29", "C 29", "C.29", "c29", " c29 ", "C_2_9"])
def test_every_spelling_is_one_code(text):
    assert normalise_sector(text) == "C29"
    assert normalise_code(text) == "C29"  # the taxonomy uses the very same rule


def test_hyphens_of_ranges_and_aggregates_stay():
    assert normalise_sector("b-e") == "B-E" and normalise_sector("C10-C12") == "C10-C12"


def test_reader_totals_and_taxonomy_agree_on_spelled_codes(tmp_path):
    # DE11: C10 = 100 and C29 = 400 written four ways (one per region); E_r must be 500 everywhere.
    rows = ["region,sector,year,value"]
    for region, spelling in (("DE11", "C_29"), ("DE12", "C 29"), ("DE13", "C.29"), ("DE14", "c29")):
        rows += [f"{region},C10,2015,100", f"{region},{spelling},2015,400"]
    path = tmp_path / "spelled.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = read_dataset(path).table
    assert sorted(table["sector"].unique()) == ["C10", "C29"]
    totals = region_totals(table[table["year"] == 2015])
    assert totals.to_dict() == {"DE11": 500.0, "DE12": 500.0, "DE13": 500.0, "DE14": 500.0}
    employment, _flagged, _coverage = load_taxonomy("nace-divisions").aggregate(table)
    assert employment.loc["DE11", "C29"] == 400.0
    stars = run_analysis(AnalysisSpec(data=str(path))).stars.set_index(["region", "category"])
    assert stars.loc[("DE11", "C29"), "share"] == pytest.approx(0.8)  # 400 / 500, not 400 / 100
