"""Negative employment (and a value beyond any count of persons) is refused where it is in the file (line and
column), not as 'region DE11, category C20' after aggregation or with the file's name only."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, prepare
from clustermapper.cli import main
from clustermapper.errors import InputError


def test_a_negative_cell_in_a_csv_is_named_at_its_line(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, extra=("DE11,C20,2015,-50,",))  # header + 36 rows: the extra row is line 38
    with pytest.raises(InputError) as info:
        prepare(AnalysisSpec(data=str(path), year=2015, suppressed="zero"))
    assert (info.value.line, info.value.column) == (38, "value")
    assert "negative employment -50 for DE11 C20 2015" in str(info.value) and str(path) in str(info.value)


def test_a_negative_cell_in_a_eurostat_tsv_names_its_year_column(tmp_path: Path, capsys) -> None:
    path = tmp_path / "neg.tsv"
    path.write_text("nace_r2,indic_sb,geo\\time\t2015 \t2014 \nC29,V16110,DE11\t7 \t3 \nC29,V16110,DE12\t-5 \t8 \n"
                    "C29,V16110,DE13\t-2 \t8 \n", encoding="utf-8")
    assert main(["stars", "--data", str(path), "--year", "2015", "--out", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 3, column '2015': negative employment -5 for DE12 C29 2015; 2 negative values in 2015" in err
    # another year without negatives is analysed
    assert main(["stars", "--data", str(path), "--year", "2014", "--out", str(tmp_path / "o.csv")]) == 0


def test_a_cell_beyond_any_count_of_persons_is_named_at_its_line(tmp_path: Path) -> None:
    path = write_tiny(tmp_path, extra=("DE11,C20,2015,1.7e308,",))  # line 38; summed it overflowed to inf
    with pytest.raises(InputError) as info:
        prepare(AnalysisSpec(data=str(path), year=2015, suppressed="zero"))
    assert (info.value.line, info.value.column) == (38, "value")
    assert "1 values of 2015 are beyond any count of persons (first: DE11 C20 = 1.7e+308)" in str(info.value)


def test_wages_may_be_negative_and_eocic_scores_the_demo():
    """Wages are money, not a count: the demo's NO06 B06 wages are negative (a net adjustment). Refusing them
    broke every eocic score (the app's Methods tab showed nothing)."""
    from clustermapper.analysis import run_analysis
    from clustermapper.analytics.methods import compare_methods

    analysis = run_analysis(AnalysisSpec(demo=True, year=2014))
    wages = prepare(AnalysisSpec(demo=True, year=2014, indicator="V13320"))
    assert (wages.table["value"] < 0).any()
    table = compare_methods(analysis.prepared, "DE11", ("eco2008", "eocic"))
    assert int(table["eocic_stars"].sum()) > 0
