"""``clustermapper compare``: the XLSX sheets (read back with openpyxl), the PDF's text (pypdf), the long CSV, and
the refusals; then ten real regions from the Eurostat file. Expected numbers: tests/change_data.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from change_data import write_changes_file
from openpyxl import load_workbook
from pypdf import PdfReader

from clustermapper.cli import main
from clustermapper.io import read_dataset

REGIONS = "DE12,DE11,DE40,DE13"


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_changes_file(tmp_path_factory.mktemp("compare"))


def run(*argv: str) -> int:
    return main(["compare", *argv])


def sheet_rows(path: Path, name: str) -> dict[str, dict[str, object]]:
    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    header = [str(h).split(" ")[0] for h in rows[0]]
    return {str(r[0]): dict(zip(header, r)) for r in rows[1:]}


def test_xlsx_has_a_sheet_per_measure_and_notes(data, tmp_path):
    out = tmp_path / "compare.xlsx"
    assert run("--data", str(data), "--year", "2014", "--from", "2010", "--regions", REGIONS, "--out", str(out)) == 0
    book = load_workbook(out)
    assert book.sheetnames == ["stars", "employment", "lq", "change", "notes"]
    assert [c.value.split(" ")[0] for c in book["stars"][1]] == ["category", "label", "DE12", "DE11", "DE40", "DE13"]
    stars, employment = sheet_rows(out, "stars"), sheet_rows(out, "employment")
    assert stars["C29"]["DE11"] == "★★★" and stars["C29"]["DE12"] == "★☆☆"
    assert employment["C29"]["DE12"] == 4800 and employment["G47"]["DE11"] == 59600  # numbers stay numbers
    change = sheet_rows(out, "change")
    assert change["C29"]["DE12"] == pytest.approx(0.6) and change["C29"]["DE40"] == "n/a"
    # DE13's 2014 C29 cell is flagged b: its change shows "*" through the number format and is shaded
    cell = book["change"].cell(2, 6)
    assert book["change"].cell(1, 6).value.startswith("DE13") and book["change"].cell(2, 1).value == "C29"
    assert '" *"' in cell.number_format and cell.font.italic
    notes = {r[0]: r[1] for r in book["notes"].iter_rows(values_only=True) if r and r[0]}
    assert notes["year"] == "2014" and notes["base_year"] == "2010" and notes["source"] == "changes.csv"
    assert notes["method"].startswith("eco2008") and notes["mark ≈"].startswith("estimated")
    assert any("DE40" in str(v) and "2010" in str(v) for k, v in notes.items() if k.startswith("note"))
    marked = [r for r in book["notes"].iter_rows(values_only=True) if r and r[1] == "DE13"]
    assert marked and marked[0][0] == "C29" and "flag b" in marked[0][2]


def test_pdf_is_landscape_with_tables_charts_and_notes(data, tmp_path):
    out = tmp_path / "compare.pdf"
    assert run("--data", str(data), "--year", "2014", "--from", "2010", "--regions", REGIONS, "--out", str(out)) == 0
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape A4: 842 × 595 pt
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("4 regions compared, 2014", "Stars and location quotient", "Employees, the 2 strongest",
                     "Change of employees since 2010", "Categories with stars", "Location quotient of the",
                     "Notes", "No data in 2010 (no change shown): DE40", "−20.0 % *", "+60.0 %",
                     # DE11 C29 in 2014 over all its regions (DE40, HR03 too): 0.404 / (61,500 / 574,000) = 3.77
                     "★★★  3.77"):
        assert expected.replace(" ", "") in text.replace(" ", ""), expected
    assert len(reader.pages[-1].images) + sum(len(p.images) for p in reader.pages) >= 2  # the two charts


def test_csv_is_long_with_notes_beside(data, tmp_path):
    out = tmp_path / "compare.csv"
    assert run("--data", str(data), "--year", "2014", "--regions", REGIONS, "--out", str(out)) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert len(table) == 4 * 2  # 4 regions × C29, G47 (C10 has no employee in any of them)
    assert table["region"].tolist()[:4] == ["DE12", "DE11", "DE40", "DE13"]
    assert "employment_change" not in table.columns  # no --from: no change columns
    flagged = table[(table["region"] == "DE13") & (table["category"] == "C29")].iloc[0]
    assert str(flagged["marked"]) == "True" and "flag b" in flagged["caution"]
    meta = json.loads(out.with_name("compare.csv.metadata.json").read_text())
    assert meta["rows"] == 8 and meta["year"] == "2014" and meta["regions_without_data"] == "none"


@pytest.mark.parametrize(("argv", "message"), [
    (("--regions", ",".join(f"DE{i}" for i in range(11, 22))), "at most 10 regions"),
    (("--regions", "DE11", "--out-suffix", ".docx"), "name a .xlsx, .csv, .pdf file"),
    (("--regions", "XX11"), "none of the regions XX11"),
    (("--regions", "DE11", "--from", "2009"), "--from 2009"),
])
def test_refusals_exit_2_with_one_line(data, tmp_path, capsys, argv, message):
    argv = list(argv)
    suffix = ".xlsx"
    if "--out-suffix" in argv:
        suffix = argv.pop(argv.index("--out-suffix") + 1)
        argv.remove("--out-suffix")
    assert run("--data", str(data), "--year", "2014", *argv, "--out", str(tmp_path / f"c{suffix}")) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("clustermapper: error:") and message in err


def test_out_naming_the_input_is_refused(tmp_path, capsys):
    data = write_changes_file(tmp_path)
    before = data.read_bytes()
    copy = tmp_path / "changes.csv"
    assert run("--data", str(data), "--regions", "DE11", "--out", str(copy)) == 2
    assert "is the --data input file" in capsys.readouterr().err
    assert data.read_bytes() == before


@pytest.mark.shared
def test_ten_real_regions(eurostat_file, tmp_path):
    regions = "DE11,DE21,ITC1,FR10,ES51,SE11,PL12,CZ01,AT13,NL33"
    out = tmp_path / "real.xlsx"
    assert run("--data", str(eurostat_file), "--year", "2014", "--from", "2010", "--regions", regions,
               "--out", str(out)) == 0
    stars, employment = sheet_rows(out, "stars"), sheet_rows(out, "employment")
    assert list(stars["C29"])[2:] == regions.split(",")
    assert stars["C29"]["DE11"] == "★★★"
    # Stuttgart's car industry as Eurostat publishes it (V16110, C29, DE11, 2014), read from the file itself
    raw = read_dataset(eurostat_file).table
    published = raw[(raw["region"] == "DE11") & (raw["sector"] == "C29") & (raw["year"] == 2014)]["value"]
    assert employment["C29"]["DE11"] == float(published.iloc[0])
    pdf = tmp_path / "real.pdf"
    assert run("--data", str(eurostat_file), "--year", "2014", "--from", "2010", "--regions", regions,
               "--out", str(pdf)) == 0
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "10 regions compared, 2014" in text and all(r in text for r in regions.split(","))
