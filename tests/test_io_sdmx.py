"""SDMX-CSV reader: hand-written fixture with known numbers, CONF_STATUS, labels, and the real data re-encoded."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.io import TIDY_COLUMNS, read_dataset

SMALL = Path(__file__).parent / "data" / "io" / "sdmx_small.csv"


def cell(table: pd.DataFrame, region: str, sector: str, year: int) -> pd.Series:
    rows = table[(table.region == region) & (table.sector == sector) & (table.year == year)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_values_flags_confidential_and_counts():
    result = read_dataset(SMALL)
    t = result.table
    assert tuple(t.columns) == TIDY_COLUMNS and result.report.format == "sdmx-csv"
    assert len(t) == 5
    assert (cell(t, "DE11", "C29", 2021).value, cell(t, "DE11", "C29", 2021).flag) == (145162, "")
    assert (cell(t, "DE11", "C29", 2022).value, cell(t, "DE11", "C29", 2022).flag) == (129101, "d")
    assert math.isnan(cell(t, "FR10", "C29", 2021).value) and cell(t, "FR10", "C29", 2021).flag == "c"
    assert math.isnan(cell(t, "FR10", "C29", 2022).value) and cell(t, "FR10", "C29", 2022).flag == "u"
    assert (cell(t, "FR10", "C10", 2022).value, cell(t, "FR10", "C10", 2022).flag) == (2500.5, "e")
    r = result.report
    assert (r.n_cells, r.n_missing, r.n_confidential, r.n_unreadable) == (5, 1, 1, 0)


def test_other_indicator_secondary_confidentiality():
    t = read_dataset(SMALL, indicator="V11210").table
    assert cell(t, "FR10", "C29", 2022).value == 12
    secret = cell(t, "DE11", "C29", 2022)  # CONF_STATUS D: secondary confidentiality
    assert math.isnan(secret.value) and secret.flag == "c"


def test_unknown_indicator_lists_indicators():
    with pytest.raises(UsageError) as exc:
        read_dataset(SMALL, indicator="V13320")
    assert "V16110" in str(exc.value) and "V11210" in str(exc.value)


def test_sdmx_2_header_labels_and_old_indicator_name(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(
        "STRUCTURE,STRUCTURE_ID,ACTION,freq:Time frequency,indic_sb:Indicator,nace_r2:NACE,geo:Geo,"
        "TIME_PERIOD:Time,OBS_VALUE:Value,OBS_FLAG:Flag\n"
        'dataflow,ESTAT:X(1.0),I,A:Annual,V16110:Persons employed,"C29:Manufacture of motor vehicles, trailers",'
        "DE11:Stuttgart,2021,1500,\n"
    )
    t = read_dataset(path).table
    assert (cell(t, "DE11", "C29", 2021).value, len(t)) == (1500, 1)


def test_unreadable_value_recorded(tmp_path):
    lines = SMALL.read_text().splitlines()
    lines[1] = lines[1].replace(",145162,", ",#REF!,")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    result = read_dataset(path)
    assert math.isnan(cell(result.table, "DE11", "C29", 2021).value)
    issue = result.report.issues[0]
    assert (issue.line, issue.column, issue.text, result.report.n_unreadable) == (2, "OBS_VALUE", "#REF!", 1)


def test_several_units_is_an_error(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("DATAFLOW,LAST UPDATE,freq,unit,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
                    "X,t,A,NR,V16110,C29,DE11,2021,5,\nX,t,A,PC,V16110,C29,DE11,2021,7,\n")
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert exc.value.line == 3 and exc.value.column == "unit" and str(path) in str(exc.value)


@pytest.mark.shared
def test_real_data_as_sdmx_matches_tsv(eurostat_file, tmp_path):
    """The real V16110 cells written as SDMX-CSV (flags, confidential as CONF_STATUS C) read back identically."""
    tsv = read_dataset(eurostat_file).table
    conf = tsv.flag.str.contains("c") & tsv.value.isna()
    sdmx = pd.DataFrame({
        "DATAFLOW": "ESTAT:SBS_R_NUTS06_R2(1.0)", "LAST UPDATE": "01/01/16", "freq": "A", "indic_sb": "V16110",
        "nace_r2": tsv.sector, "geo": tsv.region, "TIME_PERIOD": tsv.year, "OBS_VALUE": tsv.value,
        "OBS_FLAG": tsv.flag.str.replace("c", ""), "CONF_STATUS": conf.map({True: "C", False: "F"}),
    })
    path = tmp_path / "real_sdmx.csv"
    sdmx.to_csv(path, index=False)
    back = read_dataset(path)
    merged = tsv.merge(back.table, on=["region", "sector", "year"], suffixes=("_tsv", "_sdmx"))
    assert len(merged) == len(tsv) == len(back.table)
    pd.testing.assert_series_equal(merged.value_tsv, merged.value_sdmx, check_names=False)
    flags = merged.flag_tsv.map(sorted).map("".join)
    assert (flags == merged.flag_sdmx.map(sorted).map("".join)).all()
    assert back.report.n_confidential == int(conf.sum())
