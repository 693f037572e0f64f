"""Group files (emerging industries): groups of a base taxonomy's categories read as a taxonomy."""

from __future__ import annotations

import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.taxonomy import load_taxonomy


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_groups_are_unions_of_their_categories_codes(tmp_path):
    path = write(tmp_path, "emerging.yaml", "name: Mine\nbase: industrial-ecosystems\ngroups:\n"
                 "  - {id: move, label: Moving things, categories: [mobility-transport-automotive, aerospace-defence]}\n"
                 "  - {id: air, categories: [aerospace-defence]}\n")
    t = load_taxonomy(path)
    assert t.categories == ("move", "air") and t.name == "Mine" and t.label("air") == "air"
    assert t.codes("move") == ("C29", "G45", "H49", "H50", "H52", "C30") and t.codes("air") == ("C30",)
    assert "aerospace-defence (move, air)" in t.notes  # the overlap is said


def test_nace_division_members_normalised_and_counted_once(tmp_path):
    path = write(tmp_path, "g.yaml", "groups:\n  - {id: cars, categories: [C29, c 29, C29.0, G45]}\n")
    with pytest.raises(InputError, match="'C29.0' is not a category of the base taxonomy 'nace-divisions'"):
        load_taxonomy(path)
    path = write(tmp_path, "g.yaml", "groups:\n  - {id: cars, categories: [C29, c 29, G45]}\n")
    assert load_taxonomy(path).codes("cars") == ("C29", "G45")


def test_csv_group_file(tmp_path):
    path = write(tmp_path, "groups.csv", "group,label,categories\nmob,Mobility,C29;C30\nmob,,C27\ndig,Digital,J61|J62\n")
    t = load_taxonomy(path)
    assert t.codes("mob") == ("C29", "C30", "C27") and t.codes("dig") == ("J61", "J62") and t.label("mob") == "Mobility"


def test_unknown_category_names_file_line_and_what_to_do(tmp_path):
    path = write(tmp_path, "g.yaml", "groups:\n  - {id: ok, categories: [C29]}\n  - {id: bad, categories: [C29, X1]}\n")
    with pytest.raises(InputError) as err:
        load_taxonomy(path)
    text = str(err.value)
    assert "g.yaml, line 3" in text and "'X1'" in text and "e.g. A01, A02, A03" in text
    path = write(tmp_path, "g.csv", "group,label,categories\nok,Ok,C29\nbad,Bad,C99\n")
    with pytest.raises(InputError, match=r"g.csv, line 3, column 'categories': 'C99'"):
        load_taxonomy(path)


@pytest.mark.parametrize(("text", "expected"), [
    ("groups:\n  - {id: a, categories: []}\n", "'categories' must be a non-empty list"),
    ("groups:\n  - {id: a}\n", "each group needs 'id' and 'categories'"),
    ("groups:\n  - {id: a, categories: [C29]}\n  - {id: a, categories: [C30]}\n", "group 'a' is defined twice"),
    ("groups: []\n", "no groups defined"),
    ("groups: C29\n", "'groups' must be a list"),
    ("base: nace-sections\ngroups:\n  - {id: a, categories: [C29]}\n", "unknown taxonomy"),
    ("groups:\n  - &x {id: a, categories: [C29]}\n  - *x\n", "YAML anchor &x is not supported"),
])
def test_bad_group_files(tmp_path, text, expected):
    with pytest.raises((InputError, UsageError), match=expected):
        load_taxonomy(write(tmp_path, "g.yaml", text))


def test_base_may_be_a_taxonomy_file_but_not_a_group_file(tmp_path):
    write(tmp_path, "mine.csv", "category,label,codes\nAUTO,Automotive,C29;G45\nAERO,Aerospace,C30.3\n")
    t = load_taxonomy(write(tmp_path, "g.yaml", "base: mine.csv\ngroups:\n  - {id: t, categories: [AUTO, AERO]}\n"))
    assert t.codes("t") == ("C29", "G45", "C303")
    write(tmp_path, "inner.yaml", "groups:\n  - {id: a, categories: [C29]}\n")
    with pytest.raises(InputError, match="is a group file; the base of a group file must be a taxonomy"):
        load_taxonomy(write(tmp_path, "outer.yaml", "base: inner.yaml\ngroups:\n  - {id: b, categories: [a]}\n"))


def test_group_count_is_capped(tmp_path, monkeypatch):
    from clustermapper.taxonomy import loaders

    monkeypatch.setattr(loaders, "MAX_CATEGORIES", 2)
    text = "groups:\n" + "".join(f"  - {{id: g{i}, categories: [C29]}}\n" for i in range(3))
    with pytest.raises(InputError, match="more than 2 categories"):
        load_taxonomy(write(tmp_path, "g.yaml", text))
    text = "group,label,categories\n" + "".join(f"g{i},G,C29\n" for i in range(3))
    with pytest.raises(InputError, match=r"line 4: more than 2 categories"):
        load_taxonomy(write(tmp_path, "g.csv", text))


def test_builtin_emerging_industries_example():
    t = load_taxonomy("emerging-industries")
    assert t.id == "emerging-industries" and len(t.categories) == 10
    assert t.codes("mobility-technologies") == ("C27", "C29", "C30") and t.codes("blue-growth") == ("H50", "C30")
    assert "C26 (digital, medical-devices)" in t.notes and "C30 (blue-growth, mobility-technologies)" in t.notes


def test_groups_get_their_own_stars(tmp_path):
    from tiny_data import write_tiny

    from clustermapper.analysis import AnalysisSpec, run_analysis

    data = write_tiny(tmp_path)
    groups = write(tmp_path, "g.yaml", "groups:\n  - {id: cars-food, categories: [C29, C10]}\n"
                   "  - {id: food-shops, categories: [C10, G47]}\n")
    analysis = run_analysis(AnalysisSpec(data=str(data), taxonomy=str(groups)))
    emp = analysis.prepared.employment
    # tiny_data: DE11 C29 90,000 + C10 9,000; C10 9,000 + G47 60,000 (C10 counted in both groups)
    assert emp.loc["DE11", "cars-food"] == 99000 and emp.loc["DE11", "food-shops"] == 69000
    assert analysis.coverage.shared_cells == {"C10": ["cars-food", "food-shops"]}
    assert set(analysis.stars["category"]) == {"cars-food", "food-shops"}
