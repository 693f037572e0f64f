"""Today's Eurostat dataset sbs_r_nuts2021 as SDMX-CSV (EMP_LOC_NR / LOC_NR, sizeclas, CONF_STATUS): small
hand-written files, and the real TSV re-encoded in that layout giving exactly the TSV's stars."""

from __future__ import annotations

import dataclasses
import gzip
import math
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import InputError, UsageError
from clustermapper.io import read_dataset

HEADER = "DATAFLOW,LAST UPDATE,freq,indic_sbs,sizeclas,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
FLOW = "ESTAT:SBS_R_NUTS2021(1.0),10/06/25 23:00:00,A"
YEARS = (2014, 2013)
CODES = {"V16110": "EMP_LOC_NR", "V11210": "LOC_NR"}  # old TSV code -> sbs_r_nuts2021 code


def write(tmp_path: Path, rows: list[str], name: str = "sbs_r_nuts2021.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{FLOW},{row}\n" for row in rows))
    return path


SMALL = [
    "EMP_LOC_NR,TOTAL,C29,DE11,2021,145162,,",
    "EMP_LOC_NR,0_9,C29,DE11,2021,1200,,",  # another size class: never added to the total
    "EMP_LOC_NR,TOTAL,C29,DE91,2021,,,C",  # confidential: empty value, C in CONF_STATUS
    "EMP_LOC_NR,TOTAL,C30,DE11,2021,500,e,",
    "LOC_NR,TOTAL,C29,DE91,2021,119,,",
    "LOC_NR,TOTAL,C29,DE11,2021,300,,",
]


def test_persons_employed_chosen_automatically_total_size_class_only(tmp_path):
    result = read_dataset(write(tmp_path, SMALL))
    t = result.table.set_index(["region", "sector"])
    assert result.indicator == "EMP_LOC_NR"
    assert t.loc[("DE11", "C29"), "value"] == 145162 and t.loc[("DE11", "C30"), "flag"] == "e"
    assert math.isnan(t.loc[("DE91", "C29"), "value"]) and t.loc[("DE91", "C29"), "flag"] == "c"
    assert len(t) == 3 and result.report.n_confidential == 1
    notes = result.report.notes
    assert "indicator: EMP_LOC_NR (persons employed in local units), chosen automatically" in notes
    assert any(n.startswith("sizeclas: read TOTAL only; 1 row ") and "0_9" in n for n in notes), notes


def test_default_code_counts_as_not_chosen_and_a_user_code_is_kept(tmp_path):
    path = write(tmp_path, SMALL)
    assert read_dataset(path, indicator="V16110").indicator == "EMP_LOC_NR"  # the CLI/app default
    units = read_dataset(path, indicator="loc_nr")
    assert units.indicator == "LOC_NR" and sorted(units.table.value) == [119, 300]
    assert not any("chosen automatically" in n for n in units.report.notes)


def test_user_indicator_the_file_lacks_lists_the_codes(tmp_path):
    with pytest.raises(UsageError) as exc:
        read_dataset(write(tmp_path, SMALL), indicator="V13320")
    assert "V13320" in str(exc.value) and "EMP_LOC_NR, LOC_NR" in str(exc.value)


def test_no_persons_employed_code_at_all(tmp_path):
    rows = [r for r in SMALL if r.startswith("LOC_NR")] + ["WAG,TOTAL,C29,DE11,2021,5,,"]
    with pytest.raises(UsageError) as exc:
        read_dataset(write(tmp_path, rows))
    assert "V16110, EMP_LOC_NR" in str(exc.value) and "LOC_NR, WAG" in str(exc.value) and "--indicator" in str(exc.value)


def test_size_classes_without_total_are_an_error(tmp_path):
    rows = [r.replace(",TOTAL,", ",10_49,") for r in SMALL]
    path = write(tmp_path, rows)
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert (exc.value.line, exc.value.column) == (3, "sizeclas") and str(path) in str(exc.value)
    assert "0_9, 10_49" in str(exc.value) and "TOTAL" in str(exc.value)


def test_one_size_class_alone_is_not_the_total(tmp_path):
    rows = [r for r in SMALL if ",0_9," in r]
    with pytest.raises(InputError) as exc:
        read_dataset(write(tmp_path, rows))
    assert (exc.value.line, exc.value.column) == (2, "sizeclas") and "'0_9', not TOTAL" in str(exc.value)


def test_other_dimension_fixed_to_total_or_refused(tmp_path):
    head = "DATAFLOW,LAST UPDATE,freq,unit,indic_sbs,nace_r2,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
    path = tmp_path / "units.csv"
    path.write_text(head + "X,t,A,TOTAL,EMP_LOC_NR,C29,DE11,2021,5,\nX,t,A,NR,EMP_LOC_NR,C29,DE11,2021,7,\n")
    result = read_dataset(path)
    assert result.table.value.tolist() == [5.0] and any(n.startswith("unit: read TOTAL only") for n in result.report.notes)
    path.write_text(head + "X,t,A,NR,EMP_LOC_NR,C29,DE11,2021,5,\nX,t,A,PC,EMP_LOC_NR,C29,DE11,2021,7,\n")
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert (exc.value.line, exc.value.column) == (3, "unit")


def test_tsv_size_class_dimension_fixed_to_total(tmp_path):
    path = tmp_path / "sizes.tsv"
    path.write_text("sizeclas,nace_r2,indic_sbs,geo\\time\t2015 \n0_9,C29,EMP_LOC_NR,DE11\t3 \n"
                    "TOTAL,C29,EMP_LOC_NR,DE11\t8 \n")
    result = read_dataset(path)
    assert result.table.value.tolist() == [8.0] and result.indicator == "EMP_LOC_NR"
    path.write_text("sizeclas,nace_r2,indic_sbs,geo\\time\t2015 \n0_9,C29,EMP_LOC_NR,DE11\t3 \n"
                    "10_19,C29,EMP_LOC_NR,DE11\t8 \n")
    with pytest.raises(InputError) as exc:
        read_dataset(path)
    assert exc.value.line == 3 and "sizeclas" in str(exc.value)


# ------------------------------------------------------------- the real file in today's layout

def _real_rows(eurostat_file: Path) -> tuple[list[str], list[str]]:
    """The real V16110/V11210 lines of ``YEARS``: as a trimmed TSV, and as sbs_r_nuts2021 SDMX-CSV rows
    (``: c`` -> empty OBS_VALUE + C, other flags in OBS_FLAG) plus a 0_9 size class with other numbers."""
    with gzip.open(eurostat_file, "rt") as fh:
        lines = fh.read().split("\n")
    header = lines[0].split("\t")
    columns = [next(i for i, h in enumerate(header) if h.strip() == str(y)) for y in YEARS]
    tsv = ["\t".join([header[0]] + [header[i] for i in columns])]
    sdmx = []
    for line in lines[1:]:
        fields = line.split("\t")
        nace, indic, geo = fields[0].split(",") if fields[0] else ("", "", "")
        if indic not in CODES:
            continue
        tsv.append("\t".join([fields[0]] + [fields[i] for i in columns]))
        for year, i in zip(YEARS, columns):
            text = fields[i].strip()
            number, _, flags = text.partition(" ")
            conf = "C" if "c" in flags else ""
            value = "" if number == ":" else number
            sdmx.append(f"{CODES[indic]},TOTAL,{nace},{geo},{year},{value},{flags.replace('c', '')},{conf}")
            other = str(int(float(number) * 0.3) + 11) if value else ""
            sdmx.append(f"{CODES[indic]},0_9,{nace},{geo},{year},{other},,")
    return tsv, sdmx


def _stars(spec: AnalysisSpec) -> pd.DataFrame:
    analysis = run_analysis(spec)
    assert analysis.year == 2014
    columns = ["region", "category", "employment", "size_star", "focus_star", "specialisation_star", "stars"]
    return analysis.stars[columns].sort_values(["region", "category"]).reset_index(drop=True)


@pytest.mark.shared
def test_real_data_as_sbs_r_nuts2021_gives_the_tsv_stars(eurostat_file, tmp_path):
    tsv_lines, sdmx_rows = _real_rows(eurostat_file)
    trimmed = tmp_path / "sbs_r_nuts06_r2_2013_2014.tsv"
    trimmed.write_text("\n".join(tsv_lines) + "\n")
    sdmx = write(tmp_path, sdmx_rows)
    read = read_dataset(sdmx)
    assert read.indicator == "EMP_LOC_NR" and any("0_9" in n for n in read.report.notes)
    tsv_table = read_dataset(trimmed).table
    assert read.report.n_confidential == int((tsv_table.flag.str.contains("c") & tsv_table.value.isna()).sum()) > 1000

    # Same information on both sides (2013-2014, persons employed and local units): the default policy
    # for confidential cells must give identical stars.
    expected, got = _stars(AnalysisSpec(data=str(trimmed), year=2014)), _stars(AnalysisSpec(data=str(sdmx), year=2014))
    assert len(expected) > 15_000 and expected["stars"].sum() > 1000
    pd.testing.assert_frame_equal(got, expected)

    if "suppressed" in {f.name for f in dataclasses.fields(AnalysisSpec)}:
        # Confidential cells as zero use no other year or indicator: the full real file gives the same stars.
        full = _stars(AnalysisSpec(data=str(eurostat_file), year=2014, suppressed="zero"))
        pd.testing.assert_frame_equal(_stars(AnalysisSpec(data=str(sdmx), year=2014, suppressed="zero")), full)
