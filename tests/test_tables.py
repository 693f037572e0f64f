"""Table exports: CSV + metadata sidecar, XLSX with a metadata sheet, on small real pipeline runs."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.render.tables import analysis_metadata, export_tables, rankings_table, stars_table
from tiny_data import write_tiny



@pytest.fixture
def tiny(tmp_path):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path, ((2014, 0.9), (2015, 1.0)), ("DE13,C28,2015,,c",))),
                                     year=2015, params=StarParams()))


def test_xlsx_has_tables_and_metadata(tiny, tmp_path):
    out = tmp_path / "out" / "stars.xlsx"
    assert export_tables(tiny, out) == [out]
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["stars", "portfolio", "rankings", "metadata"]
    meta = {r[0]: r[1] for r in book["metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta["year"] == "2015"
    assert meta["source_file"] == "tiny.csv"
    assert len(meta["source_sha256"]) == 64
    assert json.loads(meta["thresholds"])["lq_min"] == 2.0
    assert "LQ ≥ 2" in meta["method"]
    for key in ("indicator", "taxonomy", "nuts_version", "generated_at", "software"):
        assert meta[key]
    stars = pd.read_excel(out, sheet_name="stars")
    assert len(stars) == len(tiny.stars)
    assert list(stars.columns[:4]) == ["region", "region_name", "category", "category_label"]
    # the numbers in the sheet are the pipeline's numbers
    merged = stars.merge(tiny.stars, on=["region", "category"], suffixes=("", "_src"))
    assert (merged["stars"] == merged["stars_src"]).all()
    assert merged["lq"].sub(merged["lq_src"]).abs().max() < 1e-12


def test_csv_gets_sidecar_and_plain_header(tiny, tmp_path):
    out = tmp_path / "stars.csv"
    written = export_tables(tiny, out, ["stars"])
    assert written == [out, tmp_path / "stars.csv.metadata.json"]
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("region,region_name,category,")
    table = pd.read_csv(out)
    assert len(table) == len(tiny.stars)
    side = json.loads(written[1].read_text(encoding="utf-8"))
    assert side["table"] == "stars" and side["rows"] == len(table) and side["year"] == "2015"
    # several tables -> one file each
    paths = export_tables(tiny, tmp_path / "all.csv", ["stars", "portfolio"])
    assert [p.name for p in paths] == ["all_stars.csv", "all_stars.csv.metadata.json",
                                       "all_portfolio.csv", "all_portfolio.csv.metadata.json"]


def test_rankings_order(tiny):
    table = rankings_table(tiny)
    c29 = table[table["category"] == "C29"]
    assert list(c29["rank"]) == list(range(1, len(c29) + 1))
    # most stars first, then most employees
    keys = list(zip(-c29["stars"], -c29["employment"]))
    assert keys == sorted(keys)
    assert c29.iloc[0]["region"] == "DE11"


def test_bad_extension_and_failed_write_leave_nothing(tiny, tmp_path):
    with pytest.raises(UsageError):
        export_tables(tiny, tmp_path / "stars.txt")
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(UsageError):
        export_tables(tiny, target, ["nope"])
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_metadata_names_the_source(tiny):
    meta = analysis_metadata(tiny)
    assert meta["source_file"] == "tiny.csv"
    assert stars_table(tiny)["region_name"].notna().all()


@pytest.mark.shared
def test_real_eurostat_c29_2010(eurostat_file, tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2010))
    out = tmp_path / "stars.xlsx"
    export_tables(analysis, out)
    stars = pd.read_excel(out, sheet_name="stars")
    c29 = stars[stars["category"] == "C29"]
    assert len(c29) == analysis.stars["region"].nunique()
    assert c29["stars"].max() == 3
    meta = pd.read_excel(out, sheet_name="metadata").set_index("key")["value"]
    assert meta["source_file"] == "sbs_r_nuts06_r2.tsv.gz" and str(meta["year"]) == "2010"
