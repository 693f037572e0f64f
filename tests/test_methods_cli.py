"""``stars``/``portfolio --method``: eco2008 (the default) writes today's tables byte for byte; the other
presets write their audit columns; every bad threshold is refused with one line (exit 2)."""

from __future__ import annotations

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.cli import main
from clustermapper.metrics.methods import METHODS
from clustermapper.render.tables import portfolio_table, stars_table


def run(tmp_path, *argv: str) -> bytes:
    out = tmp_path / "out.csv"
    assert main([*argv, "--demo", "--year", "2012", "--out", str(out)]) == 0
    return out.read_bytes()


def today(table: pd.DataFrame) -> bytes:
    """How ``stars``/``portfolio`` wrote their table before presets existed (cli/stars.write_csv)."""
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


@pytest.mark.parametrize("command, build", [("stars", stars_table), ("portfolio", portfolio_table)])
def test_default_and_eco2008_are_todays_output(tmp_path, command, build):
    expected = today(build(run_analysis(AnalysisSpec(demo=True, year=2012))))
    assert run(tmp_path, command) == expected
    assert run(tmp_path, command, "--method", "eco2008") == expected


def test_eco2008_thresholds_are_its_own_options(tmp_path):
    changed = run(tmp_path, "stars", "--threshold", "lq_min=3")
    assert changed == run(tmp_path, "stars", "--lq-min", "3")
    assert b"specialisation_star" in changed and b"lq_min_value" not in changed


@pytest.mark.parametrize("method", [m for m in METHODS if m != "eco2008"])
def test_methods_write_their_audit_columns(tmp_path, method):
    run(tmp_path, "stars", "--method", method)
    table = pd.read_csv(tmp_path / "out.csv", keep_default_na=True)
    assert set(METHODS[method].audit_columns()) <= set(table.columns)
    assert (table["method"] == method).all() and table["stars"].ge(0).all()
    assert {"region_name", "category_label", "status"} <= set(table.columns)
    if method == "uscmp":
        run(tmp_path, "portfolio", "--method", method)
        portfolio = pd.read_csv(tmp_path / "out.csv")
        assert {"total_stars", "starred_share", "starred_on_unpublished"} <= set(portfolio.columns)
        assert portfolio["total_stars"].sum() == table["stars"].sum()


def test_threshold_reaches_the_table(tmp_path):
    run(tmp_path, "stars", "--method", "eocic", "--threshold", "productivity_min=1.25")
    table = pd.read_csv(tmp_path / "out.csv")
    assert (table["productivity_threshold"] == 1.25).all()
    starred = table[table["productivity_star"]]
    assert len(starred) and (starred["productivity_value"] >= 1.25).all()
    run(tmp_path, "stars", "--method", "growth", "--from", "2009")
    growth = pd.read_csv(tmp_path / "out.csv")
    assert growth["growth_star"].any()


@pytest.mark.parametrize("argv, message", [
    (("--method", "eocic", "--threshold", "productivity=1.1"), "its thresholds: size_top_share, lq_min, productivity_min"),
    (("--method", "eocic", "--threshold", "productivity_min=nan"), "threshold productivity_min"),
    (("--method", "eocic", "--threshold", "productivity_min=inf"), "is not allowed"),
    (("--method", "uscmp", "--threshold", "lq_percentile=101"), "allowed [0, 100]"),
    (("--method", "eocic", "--threshold", "productivity_min"), "NAME=VALUE"),
    (("--method", "eocic", "--lq-min", "3"), "--lq-min is an eco2008 option"),
    (("--method", "eocic", "--from", "2009"), "--from applies to --method growth only"),
    (("--method", "growth", "--from", "2012"), "must be before the analysed year 2012"),
    (("--method", "growth", "--from", "1999"), "--from 1999 has no data"),
    (("--threshold", "lq_min=3", "--lq-min", "3"), "given both"),
])
def test_bad_method_options_exit_2(tmp_path, capsys, argv, message):
    out = tmp_path / "out.csv"
    assert main(["stars", "--demo", "--year", "2012", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_unknown_method_is_refused_with_the_list(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["stars", "--demo", "--method", "eocic2019", "--out", "-"])
    assert exc.value.code == 2
    assert "eco2008" in capsys.readouterr().err


def test_out_never_overwrites_the_input_under_a_method(tmp_path):
    from tiny_data import write_tiny

    data = write_tiny(tmp_path)
    before = data.read_bytes()
    assert main(["stars", "--data", str(data), "--method", "uscmp", "--out", str(data)]) == 2
    assert data.read_bytes() == before


def test_a_file_without_wages_gives_no_productivity_star(tmp_path, capsys):
    """A generic CSV has persons employed only: wages are absent (said on stderr), never persons read again."""
    from tiny_data import write_tiny

    data = write_tiny(tmp_path)
    out = tmp_path / "eocic.csv"
    assert main(["stars", "--data", str(data), "--method", "eocic", "--out", str(out)]) == 0
    assert "wages: not in the data file" in capsys.readouterr().err
    table = pd.read_csv(out)
    assert table["wages"].isna().all() and not table["productivity_star"].any()
    assert (table["productivity_status"] == "missing").all()
