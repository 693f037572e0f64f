"""``clustermapper map | profile | export-tables`` end to end through ``main()`` (real pipeline, tiny CSV)."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader
from tiny_data import write_tiny

from clustermapper.cli import main


@pytest.fixture
def data(tmp_path) -> str:
    path = write_tiny(tmp_path, ((2014, 0.9), (2015, 1.0)))
    return str(path)


def test_map_png_and_pdf(data, tmp_path):
    out = tmp_path / "c29.png"
    assert main(["map", "--data", data, "--layer", "stars", "--category", "C29", "--size", "1000x700",
                 "--dpi", "100", "--out", str(out)]) == 0
    with Image.open(out) as img:
        assert img.size == (1000, 700)
    pdf = tmp_path / "de.pdf"
    assert main(["map", "--data", data, "--layer", "lq", "--category", "C29", "--country", "DE",
                 "--out", str(pdf)]) == 0
    assert "Location quotient" in PdfReader(pdf).pages[0].extract_text()
    assert main(["map", "--data", data, "--layer", "strength", "--region", "DE11", "--size", "A5-portrait",
                 "--dpi", "72", "--out", str(tmp_path / "r.svg")]) == 0
    assert "DE11" in (tmp_path / "r.svg").read_text(encoding="utf-8")


def test_map_html_uses_web_map(data, tmp_path):
    out = tmp_path / "c29.html"
    assert main(["map", "--data", data, "--layer", "stars", "--category", "C29", "--out", str(out)]) == 0
    assert "<html" in out.read_text(encoding="utf-8").lower()


def test_map_html_shows_the_title(data, tmp_path):
    # --title was ignored for HTML: the page kept the layer's title and no heading
    out = tmp_path / "t.html"
    title = "Cars & <em>parts</em> in Baden-Württemberg"
    assert main(["map", "--data", data, "--layer", "stars", "--category", "C29", "--title", title,
                 "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>Cars &amp; &lt;em&gt;parts&lt;/em&gt; in Baden-Württemberg</title>" in page
    block = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', page, re.S)
    assert block and json.loads(block.group(1))["options"]["heading"] == title  # cm_map.js escapes it
    assert "<em>parts" not in page


@pytest.mark.parametrize(("out", "options", "named"), [
    ("m.html", ["--highlight", "DE11", "--dpi", "200"], "--highlight, --dpi do not apply to an HTML map"),
    ("m.html", ["--size", "A5-portrait"], "--size does not apply to an HTML map"),
    ("m.geojson", ["--title", "Cars", "--country", "DE"], "--country, --title do not apply to a GIS layer"),
])
def test_print_options_for_a_page_or_layer_are_refused(data, tmp_path, capsys, out, options, named):
    # they shaped nothing there and were ignored without a word (exit 0)
    assert main(["map", "--data", data, "--layer", "stars", "--category", "C29", *options,
                 "--out", str(tmp_path / out)]) == 2
    assert named in capsys.readouterr().err and not (tmp_path / out).exists()


def test_profile_single_and_country(data, tmp_path):
    out = tmp_path / "DE11.pdf"
    assert main(["profile", "--data", data, "--region", "DE11", "--out", str(out)]) == 0
    assert "DE11" in PdfReader(out).pages[0].extract_text()
    assert main(["profile", "--data", data, "--country", "AT", "--out-dir", str(tmp_path / "at"),
                 "--format", "html"]) == 0
    assert sorted(p.name for p in (tmp_path / "at").iterdir()) == ["AT11.html", "AT12.html", "AT13.html",
                                                                    "AT_summary.html", "AT_summary.pdf"]


def test_export_tables(data, tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["export-tables", "--data", data, "--out", str(out)]) == 0
    assert "metadata" in openpyxl.load_workbook(out, read_only=True).sheetnames
    csv = tmp_path / "p.csv"
    assert main(["export-tables", "--data", data, "--table", "portfolio", "--out", str(csv)]) == 0
    assert json.loads((tmp_path / "p.csv.metadata.json").read_text(encoding="utf-8"))["table"] == "portfolio"


@pytest.mark.parametrize("argv", [
    ["map", "--layer", "stars", "--out", "x.png"],  # stars needs a category
    ["map", "--layer", "stars", "--category", "C99", "--out", "x.png"],  # unknown category
    ["map", "--layer", "lq", "--category", "C29", "--out", "x.gif"],  # unknown format
    ["map", "--layer", "lq", "--category", "C29", "--size", "B9", "--out", "x.png"],
    ["profile", "--region", "XX99", "--out", "x.pdf"],
    ["profile", "--region", "DE11"],  # no --out
    ["profile", "--country", "DE"],  # no --out-dir
    ["export-tables", "--table", "nope", "--out", "x.xlsx"],
    ["export-tables", "--out", "x.json"],
])
def test_errors_exit_2(data, tmp_path, capsys, argv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = argv[:1] + ["--data", data] + argv[1:]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "clustermapper: error:" in err and "Traceback" not in err
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith("x.")]


@pytest.mark.parametrize("argv, says", [
    (["--layer", "stars", "--category", "C99"], "unknown category 'C99' in taxonomy nace-divisions"),
    (["--layer", "lq"], "the 'lq' layer needs a category"),
])
def test_map_category_is_checked_before_the_data_are_read(tmp_path, capsys, argv, says):
    """The data file cannot be read: a category check after reading would report the file instead (on a
    NUTS-3 × 4-digit file, after ~7 s of analysis)."""
    out, data = tmp_path / "x.png", tmp_path / "unreadable.csv"
    data.write_text("no,columns,we,know\n1,2,3,4\n", encoding="utf-8")
    assert main(["map", "--data", str(data), *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and "unreadable.csv" not in err and not out.exists()


def test_map_category_ignores_case(data, tmp_path):
    out = tmp_path / "x.png"
    assert main(["map", "--data", data, "--layer", "stars", "--category", "c29", "--dpi", "50", "--out", str(out)]) == 0
    assert out.stat().st_size > 0


def test_missing_data_file_exit_2(tmp_path, capsys):
    assert main(["export-tables", "--data", str(tmp_path / "none.csv"), "--out", str(tmp_path / "t.xlsx")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.shared
def test_real_cli_c29_and_de11(eurostat_file, tmp_path):
    assert main(["map", "--data", str(eurostat_file), "--year", "2010", "--layer", "stars", "--category", "C29",
                 "--dpi", "100", "--out", str(tmp_path / "c29.png")]) == 0
    assert main(["profile", "--data", str(eurostat_file), "--region", "DE11", "--out",
                 str(tmp_path / "DE11.html")]) == 0
    assert "Stuttgart" in (tmp_path / "DE11.html").read_text(encoding="utf-8")


def test_map_command_offers_every_layer_and_draws_the_change_layer(tmp_path):
    """The --layer choices are the layer registry (the analytics layers were missing); the change layer
    compares with --from (default: the default span)."""
    import subprocess
    import sys

    from clustermapper.layers import LAYERS

    out = tmp_path / "change.png"
    proc = subprocess.run([sys.executable, "-m", "clustermapper", "map", "--demo", "--year", "2014", "--layer", "change",
                           "--category", "C29", "--dpi", "60", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "changes since 2010" in proc.stderr and out.read_bytes()[:4] == b"\x89PNG"
    helptext = subprocess.run([sys.executable, "-m", "clustermapper", "map", "--help"], capture_output=True,
                              text=True).stdout
    assert all(layer in helptext for layer in LAYERS)
    bad = subprocess.run([sys.executable, "-m", "clustermapper", "map", "--demo", "--year", "2014", "--layer", "change",
                          "--category", "C29", "--from", "1999", "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode == 2 and "--from 1999 has no data" in bad.stderr


def test_out_on_a_named_pipe_is_refused_before_the_analysis(data, tmp_path, capsys):
    """The atomic replace swapped a regular file in for a pipe or a device (as root, /dev/null itself)."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert main(["stars", "--data", data, "--out", str(pipe)]) == 2
    err = capsys.readouterr().err
    assert "it is a named pipe, not a file" in err and " cells" not in err  # before the file was read
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


@pytest.mark.parametrize("command", ["stars", "portfolio", "indices"])
def test_a_csv_table_is_not_written_under_another_format_name(data, tmp_path, capsys, command):
    """``stars --out x.xlsx`` wrote CSV text into x.xlsx and exited 0."""
    out = tmp_path / "x.xlsx"
    assert main([command, "--data", data, "--out", str(out)]) == 2
    assert "this command writes a CSV table; name the file .csv" in capsys.readouterr().err
    assert not out.exists()
