"""Optional GISCO download: the cache and the offline error, without touching the network."""

from __future__ import annotations

import json

import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.regions import download
from clustermapper.regions.shapes import available_versions, load_regions, region_name
from clustermapper.regions.versions import match_codes


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERMAPPER_CACHE", str(tmp_path))
    download._read_cached.cache_clear()
    from clustermapper.regions import shapes

    shapes._load.cache_clear()
    shapes.codes_of.cache_clear()
    yield tmp_path / "nuts"
    download._read_cached.cache_clear()
    shapes._load.cache_clear()
    shapes.codes_of.cache_clear()


def gisco_file(path, features):
    path.parent.mkdir(parents=True, exist_ok=True)
    feats = [{"type": "Feature", "properties": {"NUTS_ID": code, "LEVL_CODE": 2, "CNTR_CODE": code[:2],
                                                 "NAME_LATN": name, "NUTS_NAME": name},
              "geometry": {"type": "Polygon", "coordinates": [[[x, 50], [x + 1, 50], [x + 1, 51], [x, 51], [x, 50]]]}}
             for code, name, x in features]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")


def test_not_downloaded_version_says_how_to_get_it(cache):
    assert download.cached_versions() == []
    with pytest.raises(UsageError, match=r"clustermapper regions download --version 2024 --level 2"):
        load_regions(2024, 2)


def test_offline_download_is_a_clear_error_and_leaves_no_file(cache):
    # Port 9 on the loopback interface refuses at once: no traffic leaves the machine.
    with pytest.raises(UsageError, match="could not download NUTS 2024 level 2.*internet connection"):
        download.download_gisco(2024, 2, base_url="http://127.0.0.1:9/")
    assert not download.cached_file(2024, 2).exists()
    assert not any(cache.glob("*.part")) if cache.exists() else True


def test_cached_version_loads_offline_and_joins_detection(cache):
    gisco_file(download.cached_file(2024, 2), [("DE11", "Stuttgart", 9), ("ZZ24", "Newland", 11)])
    assert 2024 in download.cached_versions() and 2024 in available_versions()
    gdf = load_regions(2024, 2)
    assert list(gdf["NUTS_ID"]) == ["DE11", "ZZ24"] and gdf.crs.to_epsg() == 4326
    assert region_name("ZZ24") == "Newland"
    match = match_codes(["DE11", "ZZ24"], 2025)
    assert match.version == 2024 and match.exact


def test_corrupt_cached_file_is_an_input_error(cache):
    path = download.cached_file(2024, 1)
    path.parent.mkdir(parents=True)
    path.write_text("<html>proxy login</html>", encoding="utf-8")
    with pytest.raises(InputError, match="download again"):
        load_regions(2024, 1)


def test_cache_dir_follows_environment(cache):
    assert download.cache_dir() == cache
