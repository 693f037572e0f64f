"""Optional GISCO download: the cache and the offline error, without touching the network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.regions import download
from clustermapper.regions.shapes import available_versions, load_regions, region_name
from clustermapper.regions.versions import match_codes


@pytest.fixture
def cache(tmp_path, monkeypatch):
    # conftest's user_dirs already gives every test an empty cache and clears the memoised loaders around it
    monkeypatch.setenv("CLUSTERMAPPER_CACHE", str(tmp_path))
    return tmp_path / "nuts"


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
    cache.mkdir(parents=True)  # an existing cache folder, so "nothing was written" can be checked
    # Port 9 on the loopback interface refuses at once: no traffic leaves the machine.
    with pytest.raises(UsageError, match="could not download NUTS 2024 level 2.*internet connection"):
        download.download_gisco(2024, 2, base_url="http://127.0.0.1:9/")
    assert list(cache.iterdir()) == []  # neither the file nor a partial download


@pytest.fixture
def local_server():
    """An HTTP server on the loopback interface answering every GET with a login page (a captive proxy)."""
    import http.server
    import threading

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html>proxy login</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_download_that_is_not_geojson_is_refused_and_not_kept(cache, local_server):
    with pytest.raises(InputError, match="download again"):
        download.download_gisco(2024, 2, base_url=local_server)
    assert list(cache.iterdir()) == []  # the .part file was removed, nothing became the cached file
    assert download.cached_versions() == []


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


def test_cache_dir_follows_environment(cache, monkeypatch, tmp_path):
    assert download.cache_dir() == cache
    monkeypatch.delenv("CLUSTERMAPPER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert download.cache_dir() == tmp_path / "xdg" / "clustermapper" / "nuts"


def test_the_real_user_cache_cannot_reach_a_test(tmp_path_factory):
    # No `cache` fixture: what every test sees. A NUTS 2024 file in ~/.cache/clustermapper/nuts (or in
    # $XDG_CACHE_HOME of the user running pytest) must not turn up as an available version.
    here = download.cache_dir()
    assert here.is_relative_to(tmp_path_factory.getbasetemp())
    assert not here.is_relative_to(Path.home() / ".cache")
    assert download.cached_versions() == [] and available_versions() == [2003, 2006, 2010, 2013, 2016, 2021]
    # and what one test downloads is gone for the next (see test_downloaded_2024_does_not_survive_the_test)
    gisco_file(download.cached_file(2024, 2), [("ZZ24", "Newland", 11)])
    assert load_regions(2024, 2)["NUTS_ID"].tolist() == ["ZZ24"]


def test_downloaded_2024_does_not_survive_the_test():
    # runs after the test above: its file and the memoised GeoDataFrame must both be gone
    assert download.cached_versions() == []
    with pytest.raises(UsageError, match="not embedded"):
        load_regions(2024, 2)
