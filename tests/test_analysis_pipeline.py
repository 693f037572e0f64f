"""The two pipeline stages: prepare (data, year, level, taxonomy) and score (thresholds)."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_data import write_tiny

from clustermapper.analysis import AnalysisSpec, prepare, run_analysis, score
from clustermapper.errors import UsageError
from clustermapper.io import read_dataset
from clustermapper.metrics.params import StarParams


def test_score_only_applies_thresholds(tmp_path):
    spec = AnalysisSpec(data=str(write_tiny(tmp_path)))
    prepared = prepare(spec)
    loose = StarParams(lq_min=1.2, min_employment=500, top_share=0.2)
    scored = score(prepared, loose)
    assert scored.prepared is prepared and scored.spec.params == loose and scored.spec.data == spec.data
    direct = run_analysis(spec.with_(params=loose))
    pd.testing.assert_frame_equal(scored.stars, direct.stars)
    pd.testing.assert_frame_equal(scored.portfolio, direct.portfolio)
    # k = ceil(0.2 * 12) = 3 under the loose thresholds, ceil(0.1 * 12) = 2 by default
    assert set(scored.stars["k"]) == {3} and set(score(prepared).stars["k"]) == {2}


def test_prepare_holds_the_level_selected_year(tmp_path):
    path = write_tiny(tmp_path, years=((2014, 0.5), (2015, 1.0)))
    prepared = prepare(AnalysisSpec(data=str(path)))
    assert prepared.year == 2015 and prepared.years == [2014, 2015]  # latest year by default
    assert set(prepared.table["year"]) == {2015}
    assert prepared.region_total["DE11"] == 90000 + 9000 + 60000
    assert prepared.employment.loc["DE11", "C29"] == 90000
    assert prepared.nuts.version == 2021 and prepared.nuts.n_codes == 12
    assert prepare(AnalysisSpec(data=str(path), year=2014)).employment.loc["DE11", "C29"] == 45000
    with pytest.raises(UsageError, match="year 2013 has no data; years with data: 2014, 2015"):
        prepare(AnalysisSpec(data=str(path), year=2013))


@pytest.mark.shared
def test_data_check_and_analysis_report_the_same_nuts_match_every_year(eurostat_file):
    from clustermapper_ui.dialogs.validation import validate

    dataset = read_dataset(eurostat_file)
    assert dataset.years == list(range(2008, 2016))
    for year in dataset.years:
        spec = AnalysisSpec(data=str(eurostat_file), year=year)
        shown = validate(dataset, spec)
        analysis = run_analysis(spec, dataset=dataset)
        assert shown.problems == [] and shown.year == year
        assert shown.nuts_text == analysis.nuts.describe(), year
        assert shown.coverage_text == analysis.coverage.summary(), year
        assert shown.prepared.region_total.index.equals(analysis.region_total.index)
    # the level-selected regions decide the match: 2010 is NUTS 2006 for its 278 NUTS-2 regions (282 codes, four
    # of them the same land under NUTS 2010 codes)
    match_2010 = prepare(AnalysisSpec(data=str(eurostat_file), year=2010), dataset).nuts
    assert match_2010.version == 2006 and match_2010.n_codes == 278
