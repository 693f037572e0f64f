"""Map layers on a small real pipeline run (tiny Eurostat TSV + taxonomy CSV written to tmp_path).

The data are built so the C29 location quotients are exact: every region but FR10 employs 8,000, FR10
16,000 (E = 80,000) and C29 employs 20,000 in all, so E_i/E = 0.25 and LQ = C29 share / 0.25.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.layers import (
    LAYERS,
    NO_DATA_CLASS,
    NO_DATA_COLOUR,
    OKABE_ITO,
    build_layer,
    natural_breaks,
)

EVIL = "<script>alert(1)</script>"
# region: (C10, C20, C29); LQ of C29 in the comment
EMPLOYMENT = {
    "DE11": (2000, 2000, 4000),  # 2.0 exactly: must land in the "2 – 3" class, like the LQ star
    "DE12": (4000, 3000, 1000),  # 0.5 exactly: "0.5 – 1"
    "DE13": (1000, 1000, 6000),  # 3.0: "≥ 3"
    "DE14": (3000, 3000, 2000),  # 1.0: "1 – 2"
    "DE21": (4000, 4000, 0),  # 0: "< 0.5"
    "DE22": (3000, 2000, 3000),  # 1.5
    "DE23": (3000, 3000, 2000),  # 1.0
    "DE24": (3000, 3000, 2000),  # 1.0
    "FR10": (8000, 8000, 0),  # 0
}
EXPECTED_LQ = {"DE11": 2.0, "DE12": 0.5, "DE13": 3.0, "DE14": 1.0, "DE21": 0.0, "DE22": 1.5, "FR10": 0.0}


def write_small_inputs(folder: Path) -> tuple[Path, Path]:
    """A Eurostat-layout TSV (one year, V16110) and a 3-category taxonomy with a hostile label."""
    lines = ["nace_r2,indic_sb,geo\\time\t2015 "]
    for region, values in EMPLOYMENT.items():
        for sector, value in zip(("C10", "C20", "C29"), values):
            lines.append(f"{sector},V16110,{region}\t{value} ")
    lines += ["C10,V16110,FR21\t: c", "C20,V16110,FR21\t: ", "C29,V16110,FR21\t: c"]
    data = folder / "small.tsv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    taxonomy = folder / "small_taxonomy.csv"
    taxonomy.write_text(
        f'category,label,codes\nfood,Food products,C10\nchem,Chemicals,C20\ncars,"{EVIL}",C29\n', encoding="utf-8"
    )
    return data, taxonomy


def small_analysis(folder: Path):
    data, taxonomy = write_small_inputs(folder)
    return run_analysis(AnalysisSpec(data=str(data), taxonomy=str(taxonomy), level=2))


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    return small_analysis(tmp_path_factory.mktemp("layers"))


def test_registry_lists_the_layers():
    assert list(LAYERS) == ["stars", "lq", "employment", "strength", "strongest", "change", "sensitivity", "density",
                            "typology"]
    assert [k for k, s in LAYERS.items() if s.needs_category] == ["stars", "lq", "employment", "change",
                                                                  "sensitivity", "density"]
    assert [k for k, s in LAYERS.items() if s.needs_base] == ["change"]


def test_lq_layer_uses_fixed_breaks_with_lower_bound_included(analysis):
    data = build_layer(analysis, "lq", "cars")
    for region, lq in EXPECTED_LQ.items():
        assert data.values[region] == pytest.approx(lq)
    expected_class = {"DE11": 3, "DE12": 1, "DE13": 4, "DE14": 2, "DE21": 0, "DE22": 2, "FR10": 0}
    assert {r: int(data.classes[r]) for r in expected_class} == expected_class
    assert [label for label, _ in data.legend] == ["< 0.5", "0.5 – 1", "1 – 2", "2 – 3", "≥ 3", "No data"]
    # colour of each region is its class's legend colour
    for region in data.values.index:
        assert data.colours[region] == data.legend[int(data.classes[region])][1]


def test_stars_layer_classes_are_the_star_counts(analysis):
    data = build_layer(analysis, "stars", "cars")
    rows = analysis.category_stars("cars").set_index("region")
    assert (data.classes.sort_index() == rows["stars"].sort_index().astype(int)).all()
    assert data.n_classes == 4
    assert data.legend[-1] == ("No data", NO_DATA_COLOUR)
    assert NO_DATA_COLOUR not in [colour for _, colour in data.legend[:-1]]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in data.colours)
    assert data.category_label == EVIL and EVIL in data.title  # raw here; escaping is the page's job


def test_employment_layer_natural_breaks_cover_all_values(analysis):
    data = build_layer(analysis, "employment", "food")
    assert data.n_classes <= 5
    # classes are ordered: a larger value never falls in a lower class
    order = data.values.sort_values()
    assert order.index.map(data.classes).is_monotonic_increasing
    assert set(data.classes) <= set(range(data.n_classes))


def test_natural_breaks_labels_and_no_data():
    import pandas as pd

    values = pd.Series([1, 2, 3, 10, 11, 12, 50, 51, 100, 101, float("nan")], index=list("abcdefghijk"))
    classes, labels = natural_breaks(values, k=4)
    assert classes["k"] == NO_DATA_CLASS
    assert labels == ["1 – 3", "4 – 12", "13 – 51", "52 – 101"]
    assert list(classes[list("abcdefghij")]) == [0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
    few, few_labels = natural_breaks(pd.Series([0.0, 0.0, 3.0]))
    assert few_labels == ["0", "1 – 3"] and list(few) == [0, 0, 1]


def test_strongest_layer_is_qualitative_okabe_ito(analysis):
    data = build_layer(analysis, "strongest")
    assert [c for _, c in data.legend[:-1]] == list(OKABE_ITO[: data.n_classes])
    stars = analysis.stars
    for region, category in data.values.dropna().items():
        rows = stars[stars["region"] == region]
        best = rows.sort_values(["stars", "lq"], ascending=False).iloc[0]
        assert category == best["category"]


def test_strength_layer_from_portfolio(analysis):
    data = build_layer(analysis, "strength")
    total = analysis.portfolio.set_index("region")["total_stars"]
    for region, value in data.values.dropna().items():
        assert value == total[region]


def test_to_json_round_trips_and_carries_tooltips(analysis):
    data = build_layer(analysis, "lq", "cars")
    payload = json.loads(data.to_json())
    assert payload["layer"] == "lq" and payload["category"] == "cars"
    regions = payload["regions"]
    assert regions["codes"] == list(data.values.index)
    at = regions["codes"].index("DE11")
    assert regions["colours"][at] == data.colours["DE11"] and regions["classes"][at] == 3
    assert regions["texts"][payload["columns"].index("LQ")][at] == "2.00"
    assert all(len(column) == len(regions["codes"]) for column in regions["texts"])


def test_unknown_layer_or_category_is_a_usage_error(analysis):
    with pytest.raises(UsageError, match="unknown map layer"):
        build_layer(analysis, "nope")
    with pytest.raises(UsageError, match="needs a category"):
        build_layer(analysis, "lq")
    with pytest.raises(UsageError, match="unknown category"):
        build_layer(analysis, "lq", "C99")
