"""Peer regions: cosine similarity of employment shares within a size band (hand-computed), the CLI, and the
peers saved in workspaces."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.analytics.peers import suggest_peers
from clustermapper.cli import main
from clustermapper.errors import InputError, UsageError
from clustermapper.workspace import Workspace, load_workspace, save_workspace

# employment by region: (C29, C10, G47); E_r is their sum (no other division has employees)
MIX = {"DE11": (6000, 2000, 2000),    # E = 10,000
       "DE12": (12000, 4000, 4000),   # E = 20,000: DE11's mix exactly -> cosine 1
       "DE13": (0, 5000, 5000),       # E = 10,000
       "AT11": (3000, 6000, 1000),    # E = 10,000
       "DE14": (60000, 20000, 20000)}  # E = 100,000: DE11's mix, but 10 times its size

# cosines with DE11 = (6000, 2000, 2000), by hand (the common factor 1000 cancels):
# DE13: (6·0 + 2·5 + 2·5) / (√44 · √50) = 20 / √2200 = 0.426401
# AT11: (6·3 + 2·6 + 2·1) / (√44 · √46) = 32 / √2024 = 0.711287
COS_DE13 = 20 / math.sqrt(2200)
COS_AT11 = 32 / math.sqrt(2024)


def write_mix(folder: Path) -> Path:
    rows = ["region,sector,year,value"]
    for region, values in MIX.items():
        rows += [f"{region},{s},2015,{v}" for s, v in zip(("C29", "C10", "G47"), values)]
    path = folder / "mix.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def mix(tmp_path):
    return run_analysis(AnalysisSpec(data=str(write_mix(tmp_path)), year=2015))


def test_cosines_and_size_band_by_hand(mix):
    assert abs(COS_DE13 - 0.426401) < 1e-6 and abs(COS_AT11 - 0.711287) < 1e-6
    peers = suggest_peers(mix, "DE11")
    # DE14 has DE11's mix but 10× its employment: outside ×/÷ 3
    assert peers["region"].tolist() == ["DE12", "AT11", "DE13"]
    assert peers["similarity"].tolist() == pytest.approx([1.0, COS_AT11, COS_DE13])
    assert peers["rank"].tolist() == [1, 2, 3]
    assert peers["size_ratio"].tolist() == pytest.approx([2.0, 1.0, 1.0])
    assert peers["employment"].tolist() == pytest.approx([20000, 10000, 10000])
    assert not peers["on_estimates"].any()


def test_country_n_and_wider_band(mix):
    assert suggest_peers(mix, "DE11", country="DE")["region"].tolist() == ["DE12", "DE13"]
    assert suggest_peers(mix, "DE11", n=1)["region"].tolist() == ["DE12"]
    # within ×/÷ 10 DE14 ties DE12 at cosine 1: ties go by code
    wide = suggest_peers(mix, "DE11", size_ratio=10)
    assert wide["region"].tolist()[:2] == ["DE12", "DE14"] and wide["similarity"].tolist()[:2] == pytest.approx([1, 1])
    # DE14's band (×/÷ 3 of 100,000) holds nobody
    assert suggest_peers(mix, "DE14").empty
    assert suggest_peers(mix, "DE11", level=1).empty  # every region here is NUTS 2


def test_refusals(mix):
    with pytest.raises(UsageError, match="XX99"):
        suggest_peers(mix, "XX99")
    with pytest.raises(UsageError, match="size-ratio"):
        suggest_peers(mix, "DE11", size_ratio=0.5)
    with pytest.raises(UsageError, match="--n"):
        suggest_peers(mix, "DE11", n=0)


def test_cli_peers_csv(tmp_path):
    data = write_mix(tmp_path)
    out = tmp_path / "peers.csv"
    assert main(["peers", "--data", str(data), "--region", "DE11", "--n", "2", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["region"].tolist() == ["DE12", "AT11"]
    assert table["similarity"].tolist() == pytest.approx([1.0, COS_AT11])
    assert main(["peers", "--data", str(data), "--region", "DE11", "--out", str(data)]) == 2  # never the input


def test_workspace_peers_round_trip_and_old_files(tmp_path):
    data = write_mix(tmp_path)
    ws = Workspace(spec=AnalysisSpec(data=str(data), year=2015), peers={"DE11": ["DE12", "AT11"]})
    path = save_workspace(tmp_path / "w.cmws.json", ws)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["view"]["peers"] == {"DE11": ["DE12", "AT11"]}
    assert load_workspace(path).workspace.peers == {"DE11": ["DE12", "AT11"]}
    del doc["view"]["peers"]  # saved before peers existed
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_workspace(path).workspace.peers == {}
    for bad, needle in (([1], "view.peers"), ({"DE11": "DE12"}, "view.peers.DE11"), ({"DE11": [3]}, r"DE11\[0\]"),
                        ({"DE11": ["not a code"]}, "not a NUTS region code"), ({"??": []}, "not a NUTS region")):
        doc["view"]["peers"] = bad
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError, match=needle):
            load_workspace(path)


@pytest.mark.shared
def test_real_de11_peers(eurostat_file):
    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    peers = suggest_peers(analysis, "DE11")
    assert len(peers) == 5 and peers["similarity"].is_monotonic_decreasing
    assert ((peers["size_ratio"] >= 1 / 3) & (peers["size_ratio"] <= 3)).all()
    # an independent cosine for the first peer, from the stars table's shares
    stars = analysis.stars
    a = stars[stars["region"] == "DE11"].set_index("category")["share"]
    b = stars[stars["region"] == peers.loc[0, "region"]].set_index("category")["share"].reindex(a.index).fillna(0)
    a = a.fillna(0)
    assert peers.loc[0, "similarity"] == pytest.approx(float(a @ b) / math.sqrt(float(a @ a) * float(b @ b)))
    assert peers["on_estimates"].all()  # DE11's own cells include estimates
