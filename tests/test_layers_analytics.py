"""The analytics map layers on the embedded real extract: each shows exactly what its core table says."""

from __future__ import annotations

import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.errors import UsageError
from clustermapper.layers import NO_DATA_CLASS, build_layer
from clustermapper.layers.analytics import CHANGE_COLOURS, NO_CLUSTER_LABEL


@pytest.fixture(scope="module")
def years():
    now = run_analysis(AnalysisSpec(demo=True, year=2014))
    base = run_analysis(AnalysisSpec(demo=True, year=2010), dataset=now.dataset)
    return base, now


def test_change_layer_colours_each_region_by_its_change_class(years):
    from clustermapper.analytics.changes import changes

    base, now = years
    layer = build_layer(now, "change", "C29", base=base)
    table = changes(base, now).query("category == 'C29'").set_index("region")
    assert layer.subtitle.startswith("2010 → 2014")
    for region, row in table.iterrows():
        cls = row["class"]
        expected = CHANGE_COLOURS.get(cls)
        if expected:
            assert layer.colours[region] == expected, region
        else:
            assert layer.tooltip.loc[region, "Change"] == NO_CLUSTER_LABEL
    assert layer.tooltip.loc["DE11", "Change"] == "Growing" and layer.tooltip.loc["DE11", "Stars 2010 → 2014"] == "3 → 3"
    # regions only in one of the years have no change: no data, never a class
    only_now = sorted(set(now.stars["region"]) - set(table.index))
    assert only_now and all(layer.classes[r] == NO_DATA_CLASS for r in only_now)
    # a change resting on estimated, confidential or break-flagged cells is outlined
    doubtful = table.index[table["estimated"] | table["hidden_cell"] | table["break_flagged"]]
    assert set(layer.hatched.index) == set(doubtful)


def test_change_layer_needs_a_base_year(years):
    with pytest.raises(UsageError, match="base year"):
        build_layer(years[1], "change", "C29")


def test_density_and_typology_layers_show_their_tables(years):
    from clustermapper.analytics.linkages import density_table
    from clustermapper.analytics.typology import typology

    now = years[1]
    density = build_layer(now, "density", "C29")
    table = density_table(now, categories=["C29"]).set_index("region")
    assert density.values["DE11"] == pytest.approx(table.loc["DE11", "density"])
    assert density.n_classes == 5
    types = build_layer(now, "typology")
    dominant = typology(now).set_index("region")["dominant"]
    assert types.values["DE11"] == dominant["DE11"]
    assert len(types.legend) <= 9  # 7 colours, "other", no data


def test_sensitivity_layer_counts_the_stars_a_threshold_move_changes(years):
    from clustermapper.analytics.sensitivity import of_analysis

    base = years[0]  # 2010: BE22's C29 specialisation star (LQ 2.28) is lost at LQ ≥ 2.5
    layer = build_layer(base, "sensitivity", "C29")
    rows = of_analysis(base).rows(["C29"])
    dependent = rows[rows["class"] != "robust"].groupby("region").size()
    for region in layer.values.dropna().index:
        assert layer.values[region] == min(dependent.get(region, 0), 3), region
    assert "lq_min=2.5" in layer.tooltip.loc["BE22", "Which, and under which setting"]
    assert layer.values["DE11"] == 0  # ★★★ at every setting


def test_sensitivity_layer_of_a_category_without_a_dependent_star(years):
    # K64 in 2010 (not in the SBS file's coverage: no employment, no star at any setting): nothing to list,
    # and the layer used to fail on it (as on 20 of the 88 categories of the full file in 2014)
    from clustermapper.analytics.sensitivity import of_analysis

    base = years[0]
    assert len(of_analysis(base).rows(["K64"])) == 0
    layer = build_layer(base, "sensitivity", "K64")
    assert layer.values.isna().all() and (layer.classes == NO_DATA_CLASS).all()
    assert layer.tooltip["Which, and under which setting"].isna().all()
    # and where stars do depend, each region lists every dependent star, in the table's order
    c29 = build_layer(base, "sensitivity", "C29")
    rows = of_analysis(base).rows(["C29"])
    be22 = rows[(rows["region"] == "BE22") & (rows["class"] != "robust")]
    assert c29.tooltip.loc["BE22", "Which, and under which setting"].count(";") == len(be22) - 1
