"""The synthetic demo dataset: covers every NUTS 2021 level-2 region, regenerates identically, computes."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, demo_data_path, run_analysis

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def make_demo():
    spec = importlib.util.spec_from_file_location("make_demo", REPO / "resources" / "demo" / "make_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(demo_data_path(), dtype={"region": str, "sector": str, "flag": str}, keep_default_na=False,
                       na_values={"value": [""]})


def test_covers_every_2021_nuts2_region(demo: pd.DataFrame) -> None:
    from clustermapper.regions.shapes import load_regions

    regions = load_regions(2021, 2)
    column = "NUTS_ID" if "NUTS_ID" in regions.columns else "region"
    assert set(demo["region"]) == set(regions[column].astype(str))


def test_sectors_years_and_size(make_demo, demo: pd.DataFrame) -> None:
    assert sorted(demo["sector"].unique()) == sorted(make_demo.SECTOR_WEIGHTS)
    assert len(make_demo.SECTOR_WEIGHTS) == 68
    assert sorted(demo["year"].unique()) == list(make_demo.YEARS)
    assert demo_data_path().stat().st_size < 5_000_000
    # plausible gaps: some confidential (flag c, no value) and some missing cells, never a negative number
    assert 0.005 < (demo["flag"] == "c").mean() < 0.05
    assert ((demo["flag"] == "") & demo["value"].isna()).sum() > 0
    assert (demo["value"].dropna() >= 0).all()


def test_regeneration_is_deterministic(make_demo) -> None:
    codes = make_demo.region_codes()
    first = make_demo.generate(codes)
    assert make_demo.generate(codes) == first
    assert demo_data_path().read_text(encoding="utf-8") == first  # committed file = generator output
    assert make_demo.generate(codes, seed=1) != first


@pytest.mark.shared
def test_divisions_match_the_real_sbs_file(make_demo, eurostat_file: Path) -> None:
    divisions = set()
    with gzip.open(eurostat_file, "rt", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            nace, indicator, _geo = line.split("\t", 1)[0].split(",")
            if indicator == "V16110" and len(nace) == 3 and nace[1:].isdigit():
                divisions.add(nace)
    assert divisions == set(make_demo.SECTOR_WEIGHTS)


def test_demo_computes_with_showcase_clusters() -> None:
    analysis = run_analysis(AnalysisSpec(demo=True, year=2021))
    assert analysis.dataset.report.n_confidential > 0
    stars = analysis.stars.set_index(["region", "category"])["stars"]
    assert stars.loc[("DE11", "C29")] == 3  # the showcase automotive cluster
    counts = analysis.stars["stars"].value_counts()
    assert counts.get(3, 0) > 20 and counts.get(2, 0) > counts.get(3, 0)
