"""The comparison of up to ten regions, checked by hand on small files (tests/tiny_data.py, tests/change_data.py).

tiny.csv (12 regions, N = 12, k = ceil(1.2) = 2), compared DE11, ITC1, AT11 (in that order):
- totals E_r: DE11 90,000 + 9,000 + 60,000 = 159,000; ITC1 25,000 + 12,000 + 90,000 = 127,000;
  AT11 300 + 4,000 + 20,000 = 24,300. Europe: C29 190,700, C10 119,000, G47 935,000, E = 1,244,700.
- C29: DE11 is the largest (size ★) and the largest share 0.566 (focus ★), LQ (90,000/159,000)/(190,700/1,244,700)
  = 3.69 ≥ 2 (★): 3 stars. ITC1 third largest, third share, LQ 1.28: 0. AT11 300 < 1,000 employees: 0.
- C10: AT11's share 4,000/24,300 = 0.165 is the largest (focus ★), LQ 1.72: 1 star; DE11 and ITC1 none.
- G47: none of the three has a star (the two largest are FR10, ITC4; the two largest shares AT13, DE21).
So the categories, strongest first over the three: C29 (3 stars), C10 (1), G47 (0).
"""

from __future__ import annotations

import pytest
from change_data import write_changes_file
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.analytics.changes import change_analyses
from clustermapper.analytics.compare import MAX_REGIONS, compare_table, parse_regions
from clustermapper.errors import UsageError


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path_factory.mktemp("tiny")))))


def test_stars_employment_lq_by_hand(tiny):
    comparison = compare_table(tiny, ["DE11", "ITC1", "AT11"])
    assert comparison.regions == ("DE11", "ITC1", "AT11")  # the order given, not sorted
    assert comparison.categories == ("C29", "C10", "G47")
    stars = comparison.wide("stars")
    assert stars.loc["C29"].tolist() == [3, 0, 0]
    assert stars.loc["C10"].tolist() == [0, 0, 1]
    assert stars.loc["G47"].tolist() == [0, 0, 0]
    assert comparison.wide("employment").loc["C29"].tolist() == [90000, 25000, 300]
    lq = comparison.wide("lq")
    assert lq.loc["C29", "DE11"] == pytest.approx((90000 / 159000) / (190700 / 1244700))
    assert lq.loc["C10", "AT11"] == pytest.approx((4000 / 24300) / (119000 / 1244700))
    assert lq.loc["G47", "ITC1"] == pytest.approx((90000 / 127000) / (935000 / 1244700))
    text = comparison.wide("stars", text=True)
    assert text.loc["C29", "DE11"] == "★★★" and text.loc["C10", "AT11"] == "★☆☆"
    assert comparison.wide("employment", text=True).loc["C29", "DE11"] == "90,000"
    assert not comparison.table["marked"].any() and comparison.notes == ()
    summary = comparison.region_summary().set_index("region")
    assert summary.loc["DE11", "employment"] == 159000 and summary.loc["AT11", "n_1star"] == 1
    # the region's own order, stars then LQ: C10 (9,000/159,000)/(119,000/1,244,700) = 0.59 before G47 0.50
    assert summary.loc["DE11", "top_categories"] == "C29;C10;G47"


def test_regions_without_data_are_named_and_limits(tiny):
    comparison = compare_table(tiny, "ITC1, de11,DE30,ITC1")
    assert comparison.regions == ("ITC1", "DE11") and comparison.missing == ("DE30",)
    assert any("DE30" in note and "left out" in note for note in comparison.notes)
    with pytest.raises(UsageError, match="none of the regions"):
        compare_table(tiny, ["DE30", "XX11"])
    eleven = [f"DE{i:02d}" for i in range(11, 22)]
    with pytest.raises(UsageError, match=f"at most {MAX_REGIONS} regions.*11 were named"):
        parse_regions(eleven)
    assert len(parse_regions(eleven[:10])) == 10
    with pytest.raises(UsageError):
        parse_regions(" , ")
    with pytest.raises(UsageError, match="base year"):
        compare_table(tiny, ["DE11"]).wide("change")


@pytest.fixture(scope="module")
def changing(tmp_path_factory):
    spec = AnalysisSpec(data=str(write_changes_file(tmp_path_factory.mktemp("changes"))))
    return change_analyses(spec, 2010, 2014)


def test_change_since_the_base_year_by_hand(changing):
    base, now = changing
    comparison = compare_table(now, ["DE12", "DE11", "DE40", "DE13", "DE23"], base)
    rows = comparison.table.set_index(["category", "region"])
    # tests/change_data.py: C29 DE12 3,000 → 4,800 (+60 %, LQ 3 → 4 over the common regions, 1 star both years)
    de12 = rows.loc[("C29", "DE12")]
    assert (de12["employment_base"], de12["employment_change"]) == (3000, 1800)
    assert de12["employment_change_pct"] == pytest.approx(0.6) and de12["change_text"] == "+60.0 %"
    assert (de12["lq_base"], de12["lq_common"], de12["stars_base"], de12["stars_common"]) == pytest.approx((3, 4, 1, 1))
    assert rows.loc[("C29", "DE11"), "employment_change_pct"] == pytest.approx(0.01)
    # DE13's 2014 cell carries flag b: the value and its change are marked, the change text ends in *
    de13 = rows.loc[("C29", "DE13")]
    assert de13["marked"] and "flag b" in de13["caution"]
    assert de13["change_text"] == "−20.0 % *" and "flag b" in de13["change_caution"]
    # DE40 has 2014 only: compared, but without a change, and named in a note
    assert rows.loc[("C29", "DE40"), "change_caution"] == "no data in 2010"
    assert rows.loc[("C29", "DE40"), "change_text"] == "–"
    assert any("No data in 2010" in n and "DE40" in n for n in comparison.notes)
    assert comparison.measures() == ["stars", "employment", "lq", "change"]


def test_confidential_cells_keep_their_category_and_are_marked(changing):
    _, now = changing
    # DE23's C10 is confidential with no published part: 0 counted, but not a published zero
    comparison = compare_table(now, ["DE23"])
    assert "C10" in comparison.categories
    row = comparison.table.set_index("category").loc["C10"]
    assert row["status"] == "confidential" and row["marked"]
    assert row["employment_text"] == "confidential" and "confidential" in row["caution"]
    # its G47 stars rest on the region total that the hidden cell belongs to: not certain, marked ?
    assert comparison.wide("stars", text=True).loc["G47", "DE23"] == "★★☆ ?"
    # DE24's C10 is a published 0: with DE24 alone, C10 has no employee and leaves the table with a note
    alone = compare_table(now, ["DE24"])
    assert "C10" not in alone.categories and any("left out" in n for n in alone.notes)


def test_estimated_values_are_marked_approximately(tiny, tmp_path):
    # a confidential C10 in DE12 under a published DE1 (NUTS 1) total: the estimate fills it
    path = write_tiny(tmp_path, extra=("DE12,C10,2015,,c",))
    text = path.read_text().replace("DE12,C10,2015,8000,\n", "")
    rows = text + "DE1,C10,2015,39000,\n"
    path.write_text(rows)
    analysis = run_analysis(AnalysisSpec(data=str(path)))
    comparison = compare_table(analysis, ["DE12", "DE11"])
    row = comparison.table.set_index(["category", "region"]).loc[("C10", "DE12")]
    assert row["status"] == "estimated"
    # DE1 = DE11..DE14: 39,000 − (9,000 + 7,000 + 6,000) = 17,000 is all DE12 can hold
    assert row["employment"] == pytest.approx(17000)
    assert row["employment_text"].startswith("≈ ") and row["lq_text"].startswith("≈ ") and row["marked"]
