"""GIS hand-off: one map layer as a GeoPackage or GeoJSON layer, styled like the app's map in QGIS.

One feature per drawn region with the layer's value, class and colour, the category's stars, LQ, employment
and cell status, and the region's portfolio. The style goes three ways, so that any GIS finds it:

* a QGIS style (``<name>.qml``) and an OGC SLD 1.0 (``<name>.sld``) beside the output file (QGIS loads a
  ``.qml`` of the same name automatically for file layers);
* inside a GeoPackage also the ``layer_styles`` table QGIS reads as the layer's default style.

Colours are the layer's own (``LayerData.colours``), so the GIS draws exactly the legend of the app.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.fileutil import atomic_path, atomic_write
from clustermapper.layers import NO_DATA_CLASS, NO_DATA_LABEL, LayerData

GIS_SUFFIXES = (".gpkg", ".geojson")
STYLE_FIELD = "class_label"  # the attribute both styles classify on
_CELL_FIELDS = ("employment", "status", "flags", "estimate_low", "estimate_high", "lq", "share", "stars",
                "size_star", "specialisation_star", "focus_star", "size_certainty", "specialisation_certainty",
                "focus_certainty")
_PORTFOLIO_FIELDS = ("total_stars", "n_3star", "n_2star", "n_1star", "n_starred", "strong_share",
                     "top_categories", "certain_stars", "n_estimated", "n_confidential")


def features(analysis, layer_data: LayerData) -> gpd.GeoDataFrame:
    """The regions drawn by the maps with the layer's and the analysis' attributes (EPSG:4326)."""
    regions = analysis.drawn_regions()
    codes = regions["NUTS_ID"].astype(str)
    out = pd.DataFrame({"nuts_id": codes.to_numpy(), "name": regions["NAME_LATN"].astype(str).to_numpy(),
                        "country": regions["CNTR_CODE"].astype(str).to_numpy(),
                        "nuts_level": regions["LEVL_CODE"].astype(int).to_numpy()})
    out["layer"] = layer_data.layer
    out["category"] = layer_data.category or ""
    out["year"] = int(analysis.year)
    out["value"] = codes.map(layer_data.values).to_numpy()
    classes = codes.map(layer_data.classes).fillna(NO_DATA_CLASS).astype(int).to_numpy()
    labels = [label for label, _ in layer_data.legend[:-1]]
    out["class"] = classes
    no_data = layer_data.legend[-1][0] if layer_data.legend else NO_DATA_LABEL  # the legend's own wording
    out[STYLE_FIELD] = [labels[k] if 0 <= k < len(labels) else no_data for k in classes]
    out["colour"] = codes.map(layer_data.colours).fillna(layer_data.no_data_colour).to_numpy()
    out["hatched"] = codes.map(layer_data.hatched).fillna("").astype(str).to_numpy()
    if layer_data.category is not None:
        rows = analysis.stars[analysis.stars["category"] == layer_data.category].set_index("region")
        for name in _CELL_FIELDS:
            if name in rows.columns:
                column = codes.map(rows[name])
                if rows[name].dtype == bool:  # GIS formats have no nullable booleans: 1/0, empty without data
                    column = column.astype("Int64")
                out[name] = column.to_numpy()
        # an unbounded estimate (inf: no published total bounds the hidden part) is written empty
        for name in ("estimate_low", "estimate_high"):
            if name in out.columns:
                out[name] = pd.to_numeric(out[name], errors="coerce").replace([np.inf, -np.inf], np.nan)
    portfolio = analysis.portfolio.set_index("region")
    for name in _PORTFOLIO_FIELDS:
        if name in portfolio.columns:
            out[f"portfolio_{name}" if name in out.columns else name] = codes.map(portfolio[name]).to_numpy()
    return gpd.GeoDataFrame(out, geometry=regions.geometry.to_numpy(), crs=regions.crs)


def export_gis(analysis, layer_data: LayerData, out: str | Path) -> list[Path]:
    """Write ``out`` (.gpkg or .geojson) and its ``.qml`` and ``.sld`` beside it; the files written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in GIS_SUFFIXES:
        raise UsageError(f"{out}: a GIS layer is written as {' or '.join(GIS_SUFFIXES)}")
    frame = features(analysis, layer_data)
    name = _layer_name(layer_data)
    qml, sld = qml_style(layer_data), sld_style(layer_data, name)
    description = credit_text(analysis)
    with atomic_path(out) as tmp:
        tmp.unlink()  # pyogrio refuses to overwrite a GeoPackage it did not create
        if suffix == ".gpkg":
            frame.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio", layer_options={"DESCRIPTION": description})
            _embed_style(tmp, name, qml, sld)
        else:
            frame.to_file(tmp, driver="GeoJSON", engine="pyogrio")
    written = [out]
    for path, text in ((out.with_suffix(".qml"), qml), (out.with_suffix(".sld"), sld)):
        with atomic_write(path) as fh:
            fh.write(text)
        written.append(path)
    return written


def credit_text(analysis) -> str:
    """The layer's description: the map footer's source line and the boundaries' credit."""
    from clustermapper.regions.cartography import CREDIT
    from clustermapper.render.static_map import source_line

    return f"{source_line(analysis)} {CREDIT}"


def _layer_name(layer_data: LayerData) -> str:
    return "_".join(p for p in ("clustermapper", layer_data.layer, layer_data.category or "") if p)


def _classes(layer_data: LayerData) -> list[tuple[str, str]]:
    """(label, #rrggbb) per legend entry, the no-data entry last (every feature falls in one)."""
    return [(label, colour) for label, colour in layer_data.legend]


def _rgba(colour: str) -> str:
    c = colour.lstrip("#")
    return f"{int(c[0:2], 16)},{int(c[2:4], 16)},{int(c[4:6], 16)},255"


def qml_style(layer_data: LayerData) -> str:
    """A QGIS 3 layer style: categorized fill on ``class_label`` with the layer's colours, grey outlines."""
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology")
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=STYLE_FIELD,
                             symbollevels="0", enableorderby="0", forceraster="0")
    cats = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, (label, colour) in enumerate(_classes(layer_data)):
        ET.SubElement(cats, "category", value=label, label=label, symbol=str(i), render="true", type="string")
        symbol = ET.SubElement(symbols, "symbol", type="fill", name=str(i), alpha="1", clip_to_extent="1",
                               force_rhr="0")
        fill = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0", "pass": "0"})
        opts = ET.SubElement(fill, "Option", type="Map")
        for key, value in (("color", _rgba(colour)), ("outline_color", "255,255,255,255"),
                           ("outline_width", "0.2"), ("outline_width_unit", "MM"), ("style", "solid"),
                           ("outline_style", "solid")):
            ET.SubElement(opts, "Option", type="QString", name=key, value=value)
    ET.SubElement(root, "layerGeometryType").text = "2"
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


_SLD = "http://www.opengis.net/sld"
_OGC = "http://www.opengis.net/ogc"


def sld_style(layer_data: LayerData, name: str) -> str:
    """OGC SLD 1.0: one rule per legend class (``class_label`` equal to the label), with its fill colour."""
    ET.register_namespace("sld", _SLD)
    ET.register_namespace("ogc", _OGC)
    s, o = f"{{{_SLD}}}", f"{{{_OGC}}}"
    root = ET.Element(f"{s}StyledLayerDescriptor", version="1.0.0")
    layer = ET.SubElement(root, f"{s}NamedLayer")
    ET.SubElement(layer, f"{s}Name").text = name
    style = ET.SubElement(ET.SubElement(layer, f"{s}UserStyle"), f"{s}FeatureTypeStyle")
    for label, colour in _classes(layer_data):
        rule = ET.SubElement(style, f"{s}Rule")
        ET.SubElement(rule, f"{s}Name").text = label
        ET.SubElement(rule, f"{s}Title").text = label
        equal = ET.SubElement(ET.SubElement(rule, f"{o}Filter"), f"{o}PropertyIsEqualTo")
        ET.SubElement(equal, f"{o}PropertyName").text = STYLE_FIELD
        ET.SubElement(equal, f"{o}Literal").text = label
        poly = ET.SubElement(rule, f"{s}PolygonSymbolizer")
        fill = ET.SubElement(poly, f"{s}Fill")
        ET.SubElement(fill, f"{s}CssParameter", name="fill").text = colour
        stroke = ET.SubElement(poly, f"{s}Stroke")
        ET.SubElement(stroke, f"{s}CssParameter", name="stroke").text = "#ffffff"
        ET.SubElement(stroke, f"{s}CssParameter", name="stroke-width").text = "0.5"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _embed_style(gpkg: Path, layer: str, qml: str, sld: str) -> None:
    """The ``layer_styles`` table QGIS reads a GeoPackage layer's default style from."""
    with sqlite3.connect(gpkg) as db:
        # QGIS matches a style on the table and its geometry column: the name the writer chose (pyogrio: geom)
        (column,) = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
        db.execute(
            "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT, "
            "f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT, styleName TEXT, styleQML TEXT, "
            "styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, update_time DATETIME)")
        db.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, ?, 1, 'ClusterMapper map style', '', '', ?)",
            (layer, column, layer, qml, sld, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
    db.close()
