"""Analysis level with per-country overrides, on hand-made tables with hand-computed sums."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clustermapper.errors import UsageError
from clustermapper.regions.levels import PARTIAL_FLAG, parse_overrides, select_level


def tidy(rows):
    """rows: (region, sector, year, value, flag)."""
    return pd.DataFrame(rows, columns=["region", "sector", "year", "value", "flag"]).astype(
        {"year": "int64", "value": "float64"})


BASE = tidy([
    ("DE", "C", 2015, 900.0, ""), ("DE1", "C", 2015, 300.0, ""),
    ("DE11", "C", 2015, 100.0, ""), ("DE12", "C", 2015, 200.0, ""),
    ("BE21", "C", 2015, 10.0, ""), ("BE22", "C", 2015, np.nan, "c"), ("BE23", "C", 2015, 5.0, "e"),
    ("BE21", "G", 2015, 1.0, ""), ("BE22", "G", 2015, 2.0, ""),
    ("BE10", "C", 2015, 7.0, ""),
    ("NL1", "C", 2015, 40.0, ""), ("NL11", "C", 2015, 15.0, ""), ("NL12", "C", 2015, 25.0, ""),
    ("DEZZ", "C", 2015, 3.0, ""), ("EU28", "C", 2015, 5000.0, ""),
])


def as_dict(t):
    return {(r.region, r.sector): (r.value, r.flag) for r in t.itertuples()}


def test_default_level_two_drops_non_regions_and_other_levels():
    out, notes = select_level(BASE, 2)
    assert sorted(set(out["region"])) == ["BE10", "BE21", "BE22", "BE23", "DE11", "DE12", "NL11", "NL12"]
    assert any("DEZZ" in n and "EU28" in n for n in notes)
    assert list(out.columns) == ["region", "sector", "year", "value", "flag"]


def test_override_uses_data_rows_when_present():
    out, notes = select_level(BASE, 2, {"NL": 1})
    got = as_dict(out)
    assert ("NL1", "C") in got and got[("NL1", "C")] == (40.0, "")
    assert not any(r.startswith("NL1") and len(r) == 4 for r in out["region"])
    assert any(n.startswith("NL: NUTS 1 rows from the data") for n in notes)


def test_override_aggregates_children_with_missing_parts_flagged():
    out, notes = select_level(BASE, 2, {"BE": 1})
    got = as_dict(out)
    # BE2 C = 10 + (missing -> 0) + 5 = 15, flagged partial, keeps the children's flags c and e
    value, flag = got[("BE2", "C")]
    assert value == 15.0 and flag == "ce" + PARTIAL_FLAG
    assert got[("BE2", "G")] == (3.0, "")
    assert got[("BE1", "C")] == (7.0, "")
    assert not any(r.startswith("BE") and len(r) != 3 for r in out["region"])
    assert any("BE: NUTS 1 values summed from NUTS 2 regions" in n and "BE2 from 3" in n for n in notes)
    assert any("1 summed cells had missing parts" in n for n in notes)
    # other countries untouched
    assert got[("DE11", "C")] == (100.0, "")


def test_all_children_missing_stays_missing():
    t = tidy([("BE21", "C", 2015, np.nan, "c"), ("BE22", "C", 2015, np.nan, "c"), ("BE21", "G", 2015, 3.0, ""),
              ("DE11", "C", 2015, 1.0, "")])
    out, _ = select_level(t, 2, {"BE": 1})
    row = out[(out["region"] == "BE2") & (out["sector"] == "C")].iloc[0]
    assert math.isnan(row["value"]) and PARTIAL_FLAG not in row["flag"]


def test_greek_alias_and_unknown_country():
    t = tidy([("EL30", "C", 2015, 4.0, ""), ("EL41", "C", 2015, 6.0, ""), ("DE11", "C", 2015, 1.0, "")])
    out, notes = select_level(t, 2, {"GR": 0, "XX": 1})
    assert as_dict(out)[("EL", "C")] == (10.0, "")
    assert any("GR applied to EL" in n for n in notes)
    assert any("XX=1" in n for n in notes)


def test_per_year_choice_between_data_rows_and_sums():
    t = tidy([("NL1", "C", 2014, 9.0, ""), ("NL11", "C", 2014, 4.0, ""), ("NL12", "C", 2014, 5.0, ""),
              ("NL11", "C", 2015, 1.0, ""), ("NL12", "C", 2015, 2.0, "")])
    out, _ = select_level(t, 2, {"NL": 1})
    assert {(r.region, r.year): r.value for r in out.itertuples()} == {("NL1", 2014): 9.0, ("NL1", 2015): 3.0}


def test_input_table_not_modified():
    before = BASE.copy()
    select_level(BASE, 2, {"BE": 1, "NL": 1})
    pd.testing.assert_frame_equal(BASE, before)


@pytest.mark.parametrize("text, expected", [
    ("BE=1,EL=1,NL=1", {"BE": 1, "EL": 1, "NL": 1}), (" be = 1 ; nl=0 ", {"BE": 1, "NL": 0}), ("", {}),
    (None, {})])
def test_parse_overrides(text, expected):
    assert parse_overrides(text) == expected


@pytest.mark.parametrize("text", ["BE", "BE=4", "BEL=1", "BE=1,BE=2", "1=BE", "BE=x"])
def test_parse_overrides_rejects_bad_text(text):
    with pytest.raises(UsageError, match="override"):
        parse_overrides(text)


def test_bad_level():
    with pytest.raises(UsageError):
        select_level(BASE, 5)


def test_data_rows_where_given_sums_elsewhere():
    t = tidy([("BE1", "C", 2015, 70.0, ""), ("BE10", "C", 2015, 7.0, ""),
              ("BE21", "C", 2015, 1.0, ""), ("BE22", "C", 2015, 2.0, ""), ("BE31", "C", 2015, 4.0, "")])
    out, notes = select_level(t, 2, {"BE": 1})
    assert {(r.region, r.sector): r.value for r in out.itertuples()} == {
        ("BE1", "C"): 70.0, ("BE2", "C"): 3.0, ("BE3", "C"): 4.0}
    assert "BE: NUTS 1 rows from the data (BE1)." in notes
    assert "BE: NUTS 1 values summed from NUTS 2 regions (BE2 from 2, BE3 from 1)." in notes


def test_override_finer_than_the_data_leaves_the_country_out_and_says_so():
    t = tidy([("BE21", "C", 2015, 1.0, ""), ("DE11", "C", 2015, 2.0, "")])
    out, notes = select_level(t, 2, {"BE": 3})
    assert list(out["region"]) == ["DE11"]
    assert any("BE: no NUTS 3 data" in n for n in notes)


def test_parents_of_empty_children_are_left_out_with_a_note():
    t = tidy([("EL11", "C", 2010, 5.0, ""), ("EL12", "C", 2010, 6.0, ""),
              ("EL51", "C", 2010, np.nan, ""), ("EL52", "C", 2010, np.nan, "")])
    out, notes = select_level(t, 2, {"EL": 1})
    assert {(r.region, r.value) for r in out.itertuples()} == {("EL1", 11.0)}
    assert "EL: EL5 left out: no values in their parts either." in notes
