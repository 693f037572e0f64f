"""The offline web page: no network assets, escaping, GeoJSON content, atomic export."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
from shapely.geometry import box
from test_layers import EMPLOYMENT, EVIL, small_analysis

from clustermapper.layers import build_layer
from clustermapper.render import web_assets
from clustermapper.render.web_map import build_web_map, export_html, json_for_script, prepare_geometries

CDN_NAMES = ("jquery", "bootstrap", "awesome-markers", "awesome_markers", "fontawesome", "glyphicons", "cdn.")


def squares(codes, names=None) -> gpd.GeoDataFrame:
    """Hand-made regions: 1° squares in a row of 4, EPSG:4326."""
    names = names or {}
    geoms = [box(6 + (k % 4), 47 + k // 4, 7 + (k % 4), 48 + k // 4) for k in range(len(codes))]
    return gpd.GeoDataFrame(
        {"NUTS_ID": codes, "NAME_LATN": [names.get(c, f"Region {c}") for c in codes]}, geometry=geoms, crs=4326
    )


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="cm-data">(.*?)</script>', html, re.S)
    assert match, "the page has no cm-data block"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    return small_analysis(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def boundaries():
    codes = list(EMPLOYMENT) + ["FR21", "LU00"]  # FR21 has only confidential cells, LU00 is not in the data
    return squares(codes, {"DE12": EVIL})


@pytest.fixture(scope="module")
def page(analysis, boundaries):
    return build_web_map(analysis, build_layer(analysis, "stars", "cars"), boundaries=boundaries, title=EVIL)


def test_page_loads_no_asset_from_the_network(page):
    assert web_assets.external_urls(page) == []
    lowered = page.lower()
    for name in CDN_NAMES:
        assert name not in lowered, name
    assert "L.version" in page or "leaflet" in lowered  # Leaflet itself is inlined
    assert web_assets.leaflet_version() == "1.9.3"


def test_scanner_finds_cdn_assets():
    # the check above can fail: a folium page with its defaults is caught
    import folium

    html = folium.Map().get_root().render()
    urls = web_assets.external_urls(html)
    assert any("leaflet" in u for u in urls) and any("jquery" in u for u in urls)


def test_every_user_string_is_escaped(page):
    assert EVIL not in page
    assert "<script>alert" not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    data = page_data(page)
    names = {f["properties"]["code"]: f["properties"]["name"] for f in data["regions"]["features"]}
    assert names["DE12"] == EVIL  # the JSON keeps the text; cm_map.js escapes it before innerHTML
    assert data["layer"]["category_label"] == EVIL


def test_json_for_script_cannot_close_the_tag():
    text = json_for_script({"a": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><b>&"}


def test_geojson_has_one_feature_per_region_and_the_layers(page, boundaries):
    data = page_data(page)
    features = data["regions"]["features"]
    assert len(features) == len(boundaries)
    assert sorted(f["properties"]["code"] for f in features) == sorted(boundaries["NUTS_ID"])
    assert {f["properties"]["country"] for f in data["borders"]["features"]} == {"DE", "FR", "LU"}
    assert len(data["labels"]) == len(boundaries)
    # the data source first (a Eurostat-format file is named as Eurostat's), then the required boundary credit
    assert data["credit"] == "Data: Eurostat, small.tsv · © EuroGeographics for the administrative boundaries"
    assert data["layer"]["layer"] == "stars"
    assert set(data["layer"]["regions"]["codes"]) == set(EMPLOYMENT)  # FR21 (E_r = 0) and LU00: no data
    assert data["options"] == {"labels": True, "borders": True, "legend": True, "labelZoomIn": None, "heading": EVIL}


def test_shared_edges_survive_simplification():
    # two neighbours with a wiggly shared edge: coverage simplification must not open a gap
    from shapely.geometry import Polygon

    edge = [(1.0, y / 100) for y in range(0, 101)]
    wiggle = [(1.0 + (0.002 if i % 2 else 0), y) for i, (x, y) in enumerate(edge)]
    left = Polygon([(0, 0)] + wiggle + [(0, 1)])
    right = Polygon([(2, 0), (2, 1)] + wiggle[::-1])
    frame = gpd.GeoDataFrame({"NUTS_ID": ["AA11", "AA12"]}, geometry=[left, right], crs=4326)
    regions, _, _, _ = prepare_geometries(frame, tolerance=1000)  # metres of EPSG:3035; the wiggle is ~200 m
    from shapely.geometry import shape

    a, b = (shape(f["geometry"]) for f in regions["features"])
    assert a.intersection(b).area == pytest.approx(0, abs=1.0)  # m²
    assert a.union(b).area == pytest.approx(frame.to_crs(3035).area.sum(), rel=1e-3)


def test_coordinates_are_rounded_and_edges_still_shared():
    from shapely.geometry import Polygon, shape

    from clustermapper.render.web_map import COORD_DECIMALS

    left = Polygon([(0, 0), (1.23456789, 0), (1.23456789, 1.98765432), (0, 1)])
    right = Polygon([(1.23456789, 0), (3, 0), (3, 1), (1.23456789, 1.98765432)])
    frame = gpd.GeoDataFrame({"NUTS_ID": ["AA11", "AA12"]}, geometry=[left, right], crs=4326)
    regions, borders, _, _ = prepare_geometries(frame, tolerance=0)
    numbers = re.findall(r"-?\d+(?:\.\d+)?", json.dumps([regions["features"][0]["geometry"], borders["features"]]))
    step = 10.0 ** -COORD_DECIMALS  # EPSG:3035 metres rounded to 100 m
    assert numbers and all(float(n) % step == 0 for n in numbers if abs(float(n)) > 1000)
    a, b = (shape(f["geometry"]) for f in regions["features"])
    assert a.intersection(b).area == pytest.approx(0, abs=1e-12) and a.touches(b)


def test_export_html_is_atomic_and_self_contained(analysis, boundaries, tmp_path):
    target = tmp_path / "map.html"
    export_html(analysis, build_layer(analysis, "lq", "cars"), target, boundaries=boundaries)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and web_assets.external_urls(text) == []
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


@pytest.mark.shared
def test_real_data_page_size_and_features(eurostat_file):
    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.render.web_map import map_boundaries

    analysis = run_analysis(AnalysisSpec(data=str(eurostat_file), year=2014))
    layer = build_layer(analysis, "stars", "C29")
    shapes = map_boundaries(analysis, layer.values.index)
    page = build_web_map(analysis, layer, boundaries=shapes)
    data = page_data(page)
    codes = {f["properties"]["code"] for f in data["regions"]["features"]}
    assert len(data["regions"]["features"]) == len(shapes)
    missing = set(layer.values.index) - codes
    assert not missing, f"data regions without geometry: {sorted(missing)}"
    assert len(page.encode("utf-8")) < 3_000_000


@pytest.mark.shared
def test_every_year_of_the_real_file_builds_a_valid_page(eurostat_file):
    # each year mixes NUTS versions differently; rounding and repairing must give polygons with borders
    from clustermapper.analysis import AnalysisSpec, read_spec_data, run_analysis

    spec = AnalysisSpec(data=str(eurostat_file))
    dataset = read_spec_data(spec)
    for year in dataset.years:
        analysis = run_analysis(spec.with_(year=year), dataset=dataset)
        data = page_data(build_web_map(analysis, build_layer(analysis, "stars", "C29")))
        drawn = {f["properties"]["code"] for f in data["regions"]["features"]}
        assert set(analysis.stars["region"]) <= drawn, year
        assert all(f["geometry"] and f["geometry"]["type"] in ("Polygon", "MultiPolygon")
                   for f in data["regions"]["features"]), year
        assert all(f["geometry"] for f in data["borders"]["features"]), year
