"""The embedded demo: a reduced Eurostat extract that the script reproduces, read by the ordinary reader,
labelled with its source wherever it is shown, and telling Stuttgart's and Braunschweig's car stories."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from clustermapper import demo
from clustermapper.analysis import AnalysisSpec, demo_data_path, run_analysis

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "resources" / "demo" / "make_real_demo.py"


@pytest.fixture(scope="module")
def make_real_demo():
    spec = importlib.util.spec_from_file_location("make_real_demo", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped_lines() -> list[str]:
    return gzip.decompress(demo_data_path().read_bytes()).decode("utf-8").splitlines(keepends=True)


@pytest.fixture(scope="module")
def analysis():
    return run_analysis(AnalysisSpec(demo=True, year=demo.YEAR))


@pytest.mark.shared
def test_shipped_extract_is_what_the_script_makes_from_the_eurostat_file(make_real_demo, eurostat_file: Path,
                                                                         shipped_lines: list[str]) -> None:
    text = make_real_demo.extract_text(eurostat_file)
    assert "".join(shipped_lines) == text
    readme = demo_data_path().parent / "README.md"
    assert readme.read_text(encoding="utf-8") == make_real_demo.readme_text(text)
    # and every kept line is a line of the source, byte for byte (values, flags, trailing spaces)
    with gzip.open(eurostat_file, "rt", encoding="utf-8", newline="") as fh:
        source = set(fh)
    assert set(shipped_lines) <= source
    # the script's --check agrees (the way to refresh the extract after a new Eurostat vintage)
    proc = subprocess.run([sys.executable, str(SCRIPT), "--source", str(eurostat_file), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compression_is_deterministic(make_real_demo) -> None:
    text = "nace_r2,indic_sb,geo\\time\t2015 \nC29,V16110,DE11\t160445 \n"
    assert make_real_demo.compress(text) == make_real_demo.compress(text)  # no time stamp, no file name
    assert gzip.decompress(make_real_demo.compress(text)).decode("utf-8") == text


@pytest.mark.parametrize(("key", "kept"), [
    ("C29,V16110,DE11", True), ("C,V16110,DE1", True), ("C,V11210,DE", True), ("S95,V13320,AT13", True),
    ("C29,V16110,CZ", True),  # Czechia ends in Z but is a country, not an extra-regio code
    ("G451,V16110,DE11", False),  # a NACE group
    ("C29,V91290,DE11", False),  # a ratio indicator
    ("C29,V16110,CZZ", False), ("C29,V16110,CZZZ", False),  # extra-regio
    ("C29,V16110,EU28", False),
])
def test_selection_rule(make_real_demo, key: str, kept: bool) -> None:
    assert make_real_demo.keep(key) is kept


def test_extract_content_and_size(shipped_lines: list[str]) -> None:
    from clustermapper.regions.codes import nuts_level

    assert shipped_lines[0].startswith("nace_r2,indic_sb,geo\\time\t2015 \t2014 ")
    keys = [line.split("\t", 1)[0].split(",") for line in shipped_lines[1:]]
    assert {k[1] for k in keys} == set(demo.INDICATORS)
    assert {nuts_level(k[2]) for k in keys} == {0, 1, 2}
    assert {len(k[0]) for k in keys} == {1, 3}  # sections and divisions
    assert {"DE91", "DE9", "DE", "CZ"} <= {k[2] for k in keys}
    # Eurostat's confidentiality flags survive (Braunschweig's car industry, persons employed)
    de91 = next(line for line in shipped_lines if line.startswith("C29,V16110,DE91\t"))
    assert de91.split("\t")[2].strip() == ": c"  # 2014
    assert demo_data_path().stat().st_size < 2_000_000


def test_demo_reads_with_the_eurostat_reader(analysis) -> None:
    report = analysis.dataset.report
    assert str(report.format).startswith("eurostat-tsv")
    assert analysis.dataset.years == list(range(2008, 2016))
    assert report.n_confidential > 0
    # with no year asked for, the demo opens on demo.YEAR (2015 has 17 countries only)
    assert run_analysis(AnalysisSpec(demo=True), dataset=analysis.dataset).year == demo.YEAR == 2014


def test_stuttgart_and_braunschweig(analysis) -> None:
    stars = analysis.stars.set_index(["region", "category"])
    stuttgart = stars.loc[("DE11", "C29")]
    # published and large: 3 stars whatever the policy for confidential cells, and the top of the size ranking
    assert stuttgart["n_flagged"] == 0 and stuttgart["stars"] == 3 and stuttgart["size_rank"] == 1
    # Braunschweig's C29 cell is confidential in the data the demo reads, whatever a policy makes of it
    table = analysis.dataset.table
    cell = table[(table["region"] == "DE91") & (table["sector"] == "C29") & (table["year"] == demo.YEAR)]
    assert len(cell) == 1 and cell["value"].isna().all() and set(cell["flag"]) == {"c"}


def test_stuttgart_has_three_stars_under_every_confidential_cell_policy(analysis) -> None:
    from clustermapper.defaults import SUPPRESSED_POLICIES

    if "suppressed" not in AnalysisSpec.__dataclass_fields__:
        pytest.skip("the suppressed-cell policies are not wired into AnalysisSpec yet")
    for policy in SUPPRESSED_POLICIES:
        spec = AnalysisSpec(demo=True, year=demo.YEAR, suppressed=policy)  # type: ignore[call-arg]
        result = run_analysis(spec, dataset=analysis.dataset)
        assert result.stars.set_index(["region", "category"]).loc[("DE11", "C29"), "stars"] == 3, policy


def test_every_year_of_the_demo_gives_stuttgart_three_stars() -> None:
    from clustermapper.analysis import prepare, score
    from clustermapper.io import read_dataset

    dataset = read_dataset(demo_data_path())
    for year in dataset.years:
        analysis = score(prepare(AnalysisSpec(demo=True, year=year), dataset=dataset))
        row = analysis.stars.set_index(["region", "category"]).loc[("DE11", "C29")]
        assert row["stars"] == 3, year


def test_the_source_line_is_shown_for_the_demo(analysis, tmp_path: Path) -> None:
    from clustermapper.layers import build_layer
    from clustermapper.render.static_map import source_line
    from clustermapper.render.tables import analysis_metadata, data_source
    from clustermapper.render.web_map import build_web_map

    assert demo.SOURCE.startswith("Source: Eurostat, dataset sbs_r_nuts06_r2 (Structural business statistics")
    assert demo.SOURCE.endswith("Eurostat's reuse policy (CC BY 4.0)")
    assert data_source(analysis) == demo.CITATION
    assert analysis_metadata(analysis)["data_source"] == demo.CITATION  # profile footers, table metadata
    assert demo.CITATION in source_line(analysis)  # static map footer
    page = build_web_map(analysis, build_layer(analysis, "stars", "C29"))
    assert f'"credit":"Data: {demo.CITATION} · ' in page  # web map attribution
    assert (demo_data_path().parent / "README.md").read_text(encoding="utf-8").count(demo.SOURCE) == 1
