"""One source of drawn polygons for every renderer: embedded NUTS, or the user's boundary file."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as hs
from shapely.geometry import box
from tiny_data import REGIONS, write_tiny

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.layers import build_layer
from clustermapper.regions.cartography import regions_3035
from clustermapper.regions.drawing import _related_to
from clustermapper.regions.shapes import load_regions
from clustermapper.render.static_map import source_line
from clustermapper.render.web_map import build_web_map


def squares_geojson(folder, codes, id_col="code"):
    """One 1°×1° square per code along a row (lon 5…, lat 45–46), with a name column."""
    frame = gpd.GeoDataFrame({id_col: codes, "label": [f"Zone {c}" for c in codes]},
                             geometry=[box(5 + i, 45, 6 + i, 46) for i in range(len(codes))], crs=4326)
    path = folder / "zones.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path


def test_embedded_regions_cover_every_data_code(tmp_path):
    analysis = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path))))
    regions = analysis.drawn_regions()
    assert set(REGIONS) <= set(regions["NUTS_ID"])
    assert regions.crs.to_epsg() == 4326 and regions.attrs["unknown"] == []
    assert regions.attrs["source"].startswith("NUTS 2021")
    assert len(regions) > len(REGIONS)  # the rest of Europe as no-data filler


def test_filler_of_an_exact_match_is_the_embedded_polygons_unchanged(tmp_path):
    """All codes of one version: fillers only touch the data regions, so none is cut (an overlay would
    re-node the shared borders of the neighbours: FR, CH and AT regions around the tiny data)."""
    analysis = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path))))
    assert analysis.nuts.exact
    regions = analysis.drawn_regions().set_index("NUTS_ID")
    embedded = load_regions(analysis.nuts.version, 2).set_index("NUTS_ID")
    filler = regions.index.difference(list(REGIONS))
    assert len(filler) > 200
    assert all(shapely.equals_exact(regions.geometry[c], embedded.geometry[c]) for c in filler)


def test_user_boundaries_replace_the_embedded_ones_everywhere(tmp_path):
    path = squares_geojson(tmp_path, REGIONS[:-1])  # ITC4 has no polygon in the user file
    spec = AnalysisSpec(data=str(write_tiny(tmp_path)), boundaries=str(path), boundaries_id="code")
    analysis = run_analysis(spec)
    regions = analysis.drawn_regions()
    assert sorted(regions["NUTS_ID"]) == sorted(REGIONS[:-1])
    assert regions.attrs["unknown"] == ["ITC4"] and "zones.geojson" in regions.attrs["source"]
    # static maps draw the same polygons (projected), and say where they come from
    projected = regions_3035(analysis.prepared.geometry_key)
    assert projected.crs.to_epsg() == 3035 and sorted(projected.index) == sorted(REGIONS[:-1])
    assert "zones.geojson (user file)" in source_line(analysis)
    # the web map too
    page = build_web_map(analysis, build_layer(analysis, "stars", "C29"))
    data = json.loads(page.split('id="cm-data">', 1)[1].split("</script>", 1)[0])
    assert sorted(f["properties"]["code"] for f in data["regions"]["features"]) == sorted(REGIONS[:-1])


def test_cli_map_with_user_boundaries_and_a_wrong_id_column(tmp_path):
    data = write_tiny(tmp_path)
    zones = squares_geojson(tmp_path, REGIONS)
    out = tmp_path / "zones.png"
    base = [sys.executable, "-m", "clustermapper", "map", "--data", str(data), "--layer", "stars", "--category",
            "C29", "--boundaries", str(zones), "--size", "800x600", "--dpi", "100"]
    ok = subprocess.run(base + ["--boundaries-id", "code", "--out", str(out)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert out.stat().st_size > 10_000
    bad = subprocess.run(base + ["--boundaries-id", "NUTS", "--out", str(tmp_path / "x.png")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "zones.geojson" in bad.stderr and "NUTS" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("missing", ["nope.geojson"])
def test_cli_missing_boundary_file_exits_2(tmp_path, missing):
    proc = subprocess.run([sys.executable, "-m", "clustermapper", "stars", "--demo", "--boundaries",
                           str(tmp_path / missing), "--out", "-"], capture_output=True, text=True)
    assert proc.returncode == 2 and missing in proc.stderr


_CODE = hs.text("DEA1", max_size=5)


@given(hs.lists(_CODE, max_size=8), _CODE)
def test_filler_regions_are_those_no_data_code_contains_or_lies_in(covered, code):
    # the set look-ups say what comparing every pair says: DE1 is related to DE and to DE11, not to DEA
    assert _related_to(tuple(covered))(code) == any(code.startswith(x) or x.startswith(code) for x in covered)

