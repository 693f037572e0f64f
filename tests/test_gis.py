"""GIS hand-off: a GeoPackage/GeoJSON layer with the analysis' fields and the app's colours as QML and SLD."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

import pyogrio
import pytest

from clustermapper.analysis import AnalysisSpec, run_analysis
from clustermapper.layers import build_layer
from clustermapper.render.gis import STYLE_FIELD, export_gis


@pytest.fixture(scope="module")
def demo():
    return run_analysis(AnalysisSpec(demo=True))


def test_geopackage_holds_one_feature_per_drawn_region_with_the_stars_of_the_table(demo, tmp_path):
    layer = build_layer(demo, "stars", "C29")
    written = export_gis(demo, layer, tmp_path / "stars.gpkg")
    assert [p.name for p in written] == ["stars.gpkg", "stars.qml", "stars.sld"]
    names = [name for name, _ in pyogrio.list_layers(tmp_path / "stars.gpkg")]
    assert "clustermapper_stars_C29" in names and "layer_styles" in names
    frame = pyogrio.read_dataframe(tmp_path / "stars.gpkg", layer="clustermapper_stars_C29")
    assert len(frame) == len(demo.drawn_regions()) and frame["nuts_id"].is_unique
    rows = demo.stars[demo.stars["category"] == "C29"].set_index("region")
    de91 = frame.set_index("nuts_id").loc["DE91"]
    assert de91["stars"] == rows.loc["DE91", "stars"] == 3
    assert de91["size_star"] == 1 and de91["status"] == "estimated" and de91["hatched"] == "estimated"
    assert de91["employment"] == pytest.approx(rows.loc["DE91", "employment"])
    assert de91["class_label"] == "3 stars" and de91["colour"] == layer.colours["DE91"]
    assert de91["total_stars"] == demo.portfolio.set_index("region").loc["DE91", "total_stars"]
    # every feature falls in a class of the style (no-data regions included)
    labels = {label for label, _ in layer.legend}
    assert set(frame[STYLE_FIELD]) <= labels
    with sqlite3.connect(tmp_path / "stars.gpkg") as db:
        (table, default, qml), = db.execute("SELECT f_table_name, useAsDefault, styleQML FROM layer_styles")
        # QGIS loads the default style only when table and geometry column both match the layer's
        (column,), = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,))
        (styled,), = db.execute("SELECT f_geometry_column FROM layer_styles")
        assert styled == column
        (description,), = db.execute("SELECT description FROM gpkg_contents WHERE table_name = ?", (table,))
    assert table == "clustermapper_stars_C29" and default == 1 and "categorizedSymbol" in qml
    assert "Eurostat" in description and "EuroGeographics" in description


def test_styles_are_xml_with_one_class_per_legend_entry_in_the_layer_colours(demo, tmp_path):
    layer = build_layer(demo, "lq", "C29")
    export_gis(demo, layer, tmp_path / "lq.geojson")
    qml = ET.parse(tmp_path / "lq.qml").getroot()
    cats = qml.findall("./renderer-v2/categories/category")
    assert [c.get("value") for c in cats] == [label for label, _ in layer.legend]
    colours = [s.find(".//Option[@name='color']").get("value") for s in qml.findall("./renderer-v2/symbols/symbol")]
    first = layer.legend[0][1].lstrip("#")
    assert colours[0] == f"{int(first[:2], 16)},{int(first[2:4], 16)},{int(first[4:], 16)},255"
    sld = ET.parse(tmp_path / "lq.sld").getroot()
    ns = {"sld": "http://www.opengis.net/sld", "ogc": "http://www.opengis.net/ogc"}
    rules = sld.findall(".//sld:Rule", ns)
    assert [r.find("ogc:Filter/ogc:PropertyIsEqualTo/ogc:Literal", ns).text for r in rules] == [lab for lab, _ in layer.legend]
    assert rules[0].find(".//sld:CssParameter[@name='fill']", ns).text == layer.legend[0][1]
    frame = pyogrio.read_dataframe(tmp_path / "lq.geojson")
    assert frame["estimate_high"].notna().sum() < len(frame)  # inf (unbounded) written empty, not refused


def test_map_command_writes_the_layer_and_its_styles(tmp_path):
    out = tmp_path / "c29.gpkg"
    proc = subprocess.run([sys.executable, "-m", "clustermapper", "map", "--demo", "--layer", "stars",
                           "--category", "C29", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and out.with_suffix(".qml").exists() and out.with_suffix(".sld").exists()
    assert "c29.qml" in proc.stderr
