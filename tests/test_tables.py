"""Table exports: CSV + metadata sidecar, XLSX with a metadata sheet, on small real pipeline runs."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone

import openpyxl
import pandas as pd
import pytest
from tiny_data import REGIONS, write_tiny

from clustermapper import __version__
from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.render.tables import analysis_metadata, export_tables, rankings_table, stars_table


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
    assert meta["source_sha256"] == hashlib.sha256((tmp_path / "tiny.csv").read_bytes()).hexdigest()
    assert json.loads(meta["thresholds"])["lq_min"] == 2.0
    assert "LQ ≥ 2" in meta["method"]
    assert meta["indicator"] == "V16110"  # the file has no indicator column: employment, the default
    assert meta["taxonomy"] == "NACE Rev. 2 divisions"
    # the 12 codes of tiny_data all exist in NUTS 2021
    assert meta["nuts_version"].startswith("2015: 12 region codes (NUTS level 2) match NUTS 2021 exactly")
    generated = datetime.fromisoformat(meta["generated_at"])
    assert generated.utcoffset().total_seconds() == 0  # UTC, said so in the text
    assert abs((datetime.now(timezone.utc) - generated).total_seconds()) < 600
    assert meta["software"] == f"ClusterMapper {__version__}"
    stars = pd.read_excel(out, sheet_name="stars")
    assert len(stars) == len(tiny.stars)
    assert list(stars.columns[:4]) == ["region", "region_name", "category", "category_label"]
    de11 = stars[(stars["region"] == "DE11") & (stars["category"] == "C29")].iloc[0]
    assert (de11["region_name"], de11["category_label"], de11["employment"]) == (
        "Stuttgart", "Manufacture of motor vehicles, trailers and semi-trailers", 90000)
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
    # by hand from tiny_data: DE11, DE12 have 3 stars, no other region one; then by employment, top 10 only
    assert list(c29["region"]) == ["DE11", "DE12", "ITC1", "FR10", "ITC4", "DE14", "DE21", "DE22", "AT13", "AT12"]
    assert list(c29["stars"]) == [3, 3, 0, 0, 0, 0, 0, 0, 0, 0]


def test_bad_extension_and_unknown_table_write_nothing(tiny, tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(UsageError, match="needs a .xlsx or .csv file name"):
        export_tables(tiny, tmp_path / "stars.txt")
    target = tmp_path / "keep.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(UsageError, match="unknown table 'nope'"):
        export_tables(tiny, target, ["nope"])
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before + ["keep.xlsx"])


def _disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("name, fail", [("keep.xlsx", "replace"), ("keep.csv", "fsync"), ("keep.csv", "replace")])
def test_failed_write_keeps_the_old_file_and_leaves_no_temp_file(tiny, tmp_path, monkeypatch, name, fail):
    # The operating system refuses the last steps of the save (flush to disk, or the rename into place).
    out = tmp_path / "out"
    out.mkdir()
    target = out / name
    target.write_bytes(b"previous")
    with monkeypatch.context() as patch, pytest.raises(OSError, match="No space left"):
        patch.setattr(os, fail, _disk_full)
        export_tables(tiny, target, ["stars"])
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in out.iterdir()) == [name]  # no temp file, no sidecar


def test_metadata_names_the_source_and_tables_name_the_regions(tiny, tmp_path):
    meta = analysis_metadata(tiny)
    assert meta["source_file"] == "tiny.csv" and meta["source_path"] == str(tmp_path / "tiny.csv")
    assert meta["data_source"] == "tiny.csv"  # a user file: never called "Eurostat"
    names = stars_table(tiny).drop_duplicates("region").set_index("region")["region_name"]
    assert sorted(names.index) == sorted(REGIONS)
    assert names.to_dict() == {
        "DE11": "Stuttgart", "DE12": "Karlsruhe", "DE13": "Freiburg", "DE14": "Tübingen", "DE21": "Oberbayern",
        "DE22": "Niederbayern", "FR10": "Ile-de-France", "AT11": "Burgenland", "AT12": "Niederösterreich",
        "AT13": "Wien", "ITC1": "Piemonte", "ITC4": "Lombardia"}


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



def test_workbook_cells_follow_the_one_cell_rule(tmp_path):
    """The tables workbook writes cells by table_files.cell_value, the rule of every workbook: missing values
    empty, each infinity named (its own copy of the rule called -inf "no upper bound")."""
    import numpy as np

    from clustermapper.render.tables import _write_xlsx

    frame = pd.DataFrame({"x": np.array([1.5, np.nan, 2.0], dtype="float32"), "estimate_high": [np.inf, 3.0, -np.inf]})
    out = tmp_path / "t.xlsx"
    _write_xlsx({"t": frame}, {"k": "v"}, out)
    rows = list(openpyxl.load_workbook(out)["t"].iter_rows(min_row=2, values_only=True))
    assert rows == [(1.5, "no upper bound"), (None, 3), (2, "no lower bound")]


def test_labels_that_look_like_formulas_stay_text_in_the_workbook(tmp_path):
    """A user taxonomy's ids and labels reach the stars, portfolio and rankings sheets: "=HYPERLINK(...)" was
    stored as a formula, which the reader's Excel would run."""
    from clustermapper.render.tables import _write_xlsx

    label = '=HYPERLINK("http://example.invalid","click")'
    frame = pd.DataFrame({"category": ["=1+1", "C29"], "category_label": [label, "Cars"], "lq": [1.5, 2.0]})
    out = tmp_path / "t.xlsx"
    _write_xlsx({"stars": frame}, {"taxonomy": "=2+2"}, out)
    book = openpyxl.load_workbook(out)
    cells = [c for row in book["stars"].iter_rows(min_row=2) for c in row[:2]] + [book["metadata"]["B2"]]
    assert [c.value for c in cells] == ["=1+1", label, "C29", "Cars", "=2+2"]
    assert {c.data_type for c in cells} == {"s"}
