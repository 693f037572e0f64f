"""metrics.rules: one table of the three star rules, read by explanations, tooltips and exports."""

from __future__ import annotations

import pytest

from clustermapper.metrics.explain import explain_row
from clustermapper.metrics.rules import RULES, STAR_COLUMNS, rule


def test_rules_name_real_stars_table_columns(tmp_path):
    from tiny_data import write_tiny

    from clustermapper.analysis import AnalysisSpec, run_analysis

    stars = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path)))).stars
    for r in RULES:
        for column in (r.column, r.value, r.rank, r.threshold):
            assert column is None or column in stars.columns, (r.id, column)
    # stars is the sum of the three rule columns, row by row
    assert (stars[list(STAR_COLUMNS)].sum(axis=1) == stars["stars"]).all()
    assert stars["stars"].max() == 3  # DE11 C29 holds all three (tiny_data is built so)


@pytest.mark.parametrize(("name", "expected"), [("size", "size"), ("focus_star", "focus"),
                                                ("specialization", "specialisation"), ("spec", "specialisation")])
def test_rule_lookup(name, expected):
    assert rule(name).id == expected


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="unknown star rule 'beauty'; expected one of size, specialisation, focus"):
        rule("beauty")


def test_explanations_follow_the_rule_order(tmp_path):
    from tiny_data import write_tiny

    from clustermapper.analysis import AnalysisSpec, run_analysis

    stars = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path)))).stars.set_index(["region", "category"])
    lines = explain_row(stars.loc[("DE11", "C29")].to_dict())
    assert [line.split(" ")[0] for line in lines] == ["Size", "Specialisation", "Focus"]
    assert all("★:" in line for line in lines)
