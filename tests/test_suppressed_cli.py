"""The policy reaches every front end: CLI option and stars.csv columns, workspace round trip."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec
from clustermapper.cli import main
from clustermapper.workspace import Workspace, load_workspace, save_workspace

# Eleven regions of one country; in XX11 the C29 cell is confidential, but section C is published, so the
# estimate is pinned: 9,000 − 3,000 = 6,000 (the Observatory's split gives the same here: one gap).
REGIONS = [f"XX{i:02d}"[:2] + f"{i // 10 + 1}{i % 10}" for i in range(11)]


def write_tsv(folder) -> str:
    lines = ["nace_r2,indic_sb,geo\\time\t2014 "]
    for i, region in enumerate(REGIONS):
        c10, c29 = 3000 + 10 * i, 500 + 10 * i
        lines += [f"C10,V16110,{region}\t{c10} ", f"C29,V16110,{region}\t{': c' if i == 0 else c29} ",
                  f"C,V16110,{region}\t{9000 if i == 0 else c10 + c29} "]
    path = folder / "small.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("policy, employment, status", [("estimate", 6000, "estimated"),
                                                        ("eco-split", 6000, "estimated"),
                                                        ("zero", 0, "confidential"),
                                                        ("exclude", 0, "confidential")])
def test_stars_csv_says_what_each_value_is(tmp_path, capsys, policy, employment, status):
    data = write_tsv(tmp_path)
    out = tmp_path / f"stars_{policy}.csv"
    assert main(["stars", "--data", data, "--suppressed", policy, "--out", str(out)]) == 0
    stars = pd.read_csv(out, keep_default_na=False)
    row = stars[(stars["region"] == REGIONS[0]) & (stars["category"] == "C29")].iloc[0]
    assert float(row["employment"]) == pytest.approx(employment, abs=1)
    assert row["status"] == status and "c" in row["flags"]
    assert float(row["estimate_low"]) == pytest.approx(6000, abs=20)
    assert float(row["estimate_high"]) == pytest.approx(6000, abs=20)
    # the largest C29 cell of 11 regions: k = 2, so the size star is certain whatever the policy says
    assert row["size_certainty"] == "certain"
    assert bool(row["size_star"]) == (policy in ("estimate", "eco-split"))
    if policy == "exclude":
        assert int(row["n_regions"]) == 10
    published = stars[stars["status"] == "reported"]
    assert (published["estimate_low"] == "").all()
    assert f"policy {policy}" in capsys.readouterr().err


def test_unknown_policy_is_a_usage_error(tmp_path, capsys):
    data = write_tsv(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["stars", "--data", data, "--suppressed", "guess", "--out", str(tmp_path / "s.csv")])
    assert exit_.value.code == 2 and "--suppressed" in capsys.readouterr().err


def test_workspace_keeps_the_policy_and_old_workspaces_reopen_as_saved(tmp_path):
    data = write_tsv(tmp_path)
    path = save_workspace(tmp_path / "w.json", Workspace(spec=AnalysisSpec(data=data, suppressed="eco-split")))
    assert load_workspace(path).workspace.spec.suppressed == "eco-split"
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["analysis"]["suppressed"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_workspace(path)
    assert loaded.workspace.spec.suppressed == "zero"
    assert any("before confidential-cell policies" in w for w in loaded.warnings)
    doc["analysis"]["suppressed"] = "guess"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(Exception, match="analysis.suppressed"):
        load_workspace(path)


def test_profile_marks_estimates_and_names_the_policy(tmp_path):
    data = write_tsv(tmp_path)
    out = tmp_path / "p.html"
    assert main(["profile", "--data", data, "--region", REGIONS[0], "--annex", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "≈ 6,000 est." in html and "Confidential cells are estimated (policy estimate)" in html
    assert main(["profile", "--data", data, "--region", REGIONS[0], "--suppressed", "zero", "--annex",
                 "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "≈" not in html and "count as 0 employees (policy zero)" in html


def test_overflowing_values_are_refused_and_implausible_ones_named(tmp_path, capsys):
    data = tmp_path / "huge.tsv"
    from pathlib import Path

    text = Path(write_tsv(tmp_path)).read_text(encoding="utf-8")
    data.write_text(text.replace("C10,V16110,XX10\t3000 ", "C10,V16110,XX10\t1.7e308 "), encoding="utf-8")
    assert main(["stars", "--data", str(data), "--out", str(tmp_path / "s.csv")]) == 2
    assert "beyond any count of persons" in capsys.readouterr().err
    data.write_text(text.replace("C10,V16110,XX10\t3000 ", "C10,V16110,XX10\t300000000 "), encoding="utf-8")
    assert main(["stars", "--data", str(data), "--out", str(tmp_path / "s.csv")]) == 0
    err = capsys.readouterr().err
    assert "Implausible data" in err and "XX10 C10" in err and "larger than their NACE parent" in err
