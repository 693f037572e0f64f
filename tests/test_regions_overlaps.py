"""The same land under two NUTS versions in one year counts once (regions.overlaps)."""

from __future__ import annotations

import pandas as pd
import pytest

from clustermapper.analysis import AnalysisSpec, prepare
from clustermapper.regions.overlaps import drop_double_counted


def _rows(cells: dict[str, int]) -> pd.DataFrame:
    """``cells`` region -> number of sectors with a value (C10, C11, ...; 1,000 employees each)."""
    rows = [(region, f"C{10 + j}", 2014, 1000.0, "") for region, n in cells.items() for j in range(n)]
    return pd.DataFrame(rows, columns=["region", "sector", "year", "value", "flag"])


def test_the_year_version_is_kept_unless_it_has_far_fewer_cells():
    # Merseyside: UKD5 (NUTS 2006) and UKD7 (NUTS 2010-2016) are the same land; the others do not overlap
    table = _rows({"DE11": 5, "FR10": 5, "UKD6": 5, "UKD7": 4, "UKD5": 5})
    kept, notes = drop_double_counted(table, 2014)
    assert sorted(kept["region"].unique()) == ["DE11", "FR10", "UKD6", "UKD7"]
    assert len(notes) == 1 and notes[0].startswith("2014: UKD5 (NUTS 2006) covers the same land as UKD7")
    # UKD7 with construction only (as in the real 2010): fewer than half the cells, so UKD5 stays
    kept, notes = drop_double_counted(_rows({"DE11": 5, "FR10": 5, "UKD6": 5, "UKD7": 2, "UKD5": 5}), 2014)
    assert sorted(kept["region"].unique()) == ["DE11", "FR10", "UKD5", "UKD6"]
    assert notes[0].startswith("2014: UKD7 (NUTS 20") and "UKD7 left out" in notes[0]
    assert "covers the same land as UKD5 (5 cells with a value per region against 2)" in notes[0]


def test_codes_of_another_version_that_overlap_nothing_stay():
    # DE41/DE42 (NUTS 2006) without DE40: Brandenburg once, drawn with its old codes
    table = _rows({"DE11": 3, "DE41": 3, "DE42": 3, "FR10": 3})
    kept, notes = drop_double_counted(table, 2014)
    assert kept.equals(table) and notes == []


@pytest.mark.shared
def test_real_2010_counts_finland_and_merseyside_once(eurostat_file):
    prepared = prepare(AnalysisSpec(data=str(eurostat_file), year=2010, suppressed="zero"))
    regions = set(prepared.region_total.index[prepared.region_total > 0])
    assert len(regions) == 278
    assert {"FI13", "FI18", "FI1A", "UKD5"} <= regions and not {"FI1B", "FI1C", "FI1D", "UKD7"} & regions
    notes = " ".join(prepared.notes)
    assert "FI1B, FI1C (NUTS 2010) cover the same land as FI18" in notes and "UKD7 left out" in notes
