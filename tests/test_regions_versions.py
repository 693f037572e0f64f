"""Version detection per year: hand-made tables, then the real Eurostat file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.regions.codes import nuts_level
from clustermapper.regions.versions import detect_versions, geometries_for, match_codes


def table(rows):
    """rows: (region, year, value)."""
    return pd.DataFrame({"region": [r[0] for r in rows], "sector": "C", "year": [r[1] for r in rows],
                         "value": [float(r[2]) for r in rows], "flag": ""})


def test_exact_match_prefers_newest_of_equals():
    # DE11..DE14 exist unchanged in every version: all match, newest wins.
    m = detect_versions(table([(c, 2020, 1) for c in ("DE11", "DE12", "DE13", "DE14")]))[2020]
    assert m.exact and m.version == 2021 and m.level == 2 and not m.fallback and not m.unknown


def test_version_specific_codes_pick_their_version():
    rows = [("DE41", 2008, 5), ("DE42", 2008, 5), ("DE11", 2008, 1), ("FRY1", 2019, 3), ("DE11", 2019, 2),
            ("EL30", 2012, 1), ("EL11", 2012, 1)]
    got = detect_versions(table(rows))
    assert got[2008].version == 2006 and got[2008].exact  # DE41/42 only in 2003/2006 -> newest: 2006
    assert got[2019].version == 2021 and got[2019].exact
    assert got[2012].version == 2010 and got[2012].exact  # EL11 only in 2010


def test_mixed_versions_fall_back_and_unknown_codes_are_listed():
    rows = [("DE41", 2010, 1), ("DE42", 2010, 1), ("DE11", 2010, 1), ("EL11", 2010, 1), ("EL30", 2010, 1),
            ("EL12", 2010, 1), ("QQ99", 2010, 1), ("DEZZ", 2010, 4), ("EU28", 2010, 9), ("DE12", 2010, np.nan)]
    m = detect_versions(table(rows))[2010]
    # 2006 lacks EL11, EL12, EL30, QQ99 (4 missing); 2010 lacks DE41, DE42, QQ99 (3) -> 2010
    assert m.version == 2010 and not m.exact
    assert m.fallback == {"DE41": 2006, "DE42": 2006}
    assert m.unknown == ["QQ99"]
    assert m.ignored == ["DEZZ", "EU28"]
    assert m.n_codes == 7  # DE12 has no value: not considered
    assert m.missing_by_version[2006] == 4 and m.missing_by_version[2010] == 3
    text = m.describe()
    assert "NUTS 2010" in text and "DE41" in text and "QQ99" in text and "EU28" in text
    assert m.version_of("DE41") == 2006 and m.version_of("EL30") == 2010 and m.version_of("QQ99") is None


def test_geometries_for_places_every_known_code():
    m = match_codes(["DE41", "DE11", "EL11", "BE2", "QQ99"], 2010)
    gdf = geometries_for(m, ["DE41", "DE11", "EL11", "BE2", "QQ99"])
    assert sorted(gdf["NUTS_ID"]) == ["BE2", "DE11", "DE41", "EL11"]
    assert dict(zip(gdf["NUTS_ID"], gdf["version"]))["DE41"] == 2006
    assert gdf.attrs["unknown"] == ["QQ99"]
    assert gdf.crs.to_epsg() == 4326 and gdf.geometry.is_valid.all()
    assert m.levels == (1, 2) and m.level is None


def test_empty_table_gives_no_years():
    assert detect_versions(table([("DE11", 2010, np.nan)])) == {}


def _read_real(path):
    from clustermapper.io import read_dataset

    return read_dataset(path, indicator="V16110").table


@pytest.mark.shared
def test_real_eurostat_file_versions(eurostat_file):
    t = _read_real(eurostat_file)
    level2 = t[t["region"].map(nuts_level) == 2]
    got = detect_versions(level2)
    for year in (2013, 2014, 2015):
        assert got[year].version == 2013 and got[year].exact, got[year].describe()
    for year in (2011, 2012):
        assert got[year].version == 2010 and got[year].exact, got[year].describe()
    assert [got[y].n_codes for y in range(2008, 2016)] == [251, 252, 282, 277, 277, 278, 282, 167]
    m2010 = got[2010]
    assert not m2010.exact and not m2010.unknown
    # 2010 mixes NUTS 2006 codes (DE41, ITD1, FR91 …) with NUTS 2010 ones (EL11 …): the nearest
    # version with each code draws it.
    for code in ("DE41", "DE42", "DED1", "DED3", "ITD1", "FR91"):
        assert m2010.version_of(code) == 2006
    assert m2010.version_of("EL11") == 2010
    codes = set(level2.loc[(level2["year"] == 2010) & level2["value"].notna(), "region"])
    codes = {c for c in codes if not c.endswith("ZZ")}
    placed = geometries_for(m2010, codes)
    assert set(placed["NUTS_ID"]) == codes  # every code with data in 2010 has a polygon
    assert placed.attrs["unknown"] == []
