/* ClusterMapper map page: regions, borders, labels, legend and the small `window.cm` API.
 *
 * cm.init(map, data) is called once by the page; afterwards the host (browser, Qt view, tests) uses
 *   cm.restyle(layerJson)   recolour regions, rebuild legend and tooltips (no reload)
 *   cm.highlight([codes])   outline a set of regions
 *   cm.select(code)         outline one region; pan to it only when it is out of view
 *   cm.clickRegion(code)    fire the same click path a mouse click takes
 *   cm.setOptions({labels, borders})
 *   cm.shownLabels()        codes whose labels are visible (placed without overlap)
 *   cm.setCredit(text)      replace the attribution line (data source · boundaries)
 *   cm.showTooltip(code)    open a region's tooltip (returns its HTML)
 *   cm.state()              plain object; callers JSON.stringify it
 * Every text that comes from data is escaped before it reaches innerHTML.
 */
(function () {
  "use strict";
  var cm = (window.cm = window.cm || {});
  var map = null, regions = null, borders = null, labels = null, legend = null;
  var byCode = {}, names = {}, current = null, selected = null, highlighted = {}, lastClick = null;
  var credit = null, labelPoints = [], labelMarkers = {}, shownLabels = [], labelZoom = null, popups = null;
  var heading = null;  // the exported page's own title (map --title), above the layer's

  function popupHtml(code) {
    var p = popups && popups[code], e = entry(code);
    var html = "<div class='cm-popup'><b>" + esc((p && p.name) || (e && e.n) || names[code] || code) +
      "</b> <span class='cm-code'>" + esc(code) + "</span>";
    if (!p) return html + "<div class='cm-nodata'>No starred category</div></div>";
    html += "<div>" + esc(p.total) + "</div><table><tr><th></th><th>Category</th><th>Stars</th><th>LQ</th><th>Employees</th></tr>";
    p.rows.forEach(function (r) {
      html += "<tr><td class='cm-code'>" + esc(r[0]) + "</td><td>" + esc(r[1]) + "</td><td>" + esc(r[2]) +
        "</td><td class='cm-v'>" + esc(r[3]) + "</td><td class='cm-v'>" + esc(r[4]) + "</td></tr>";
    });
    return html + "</table></div>";
  }
  cm.popupHtml = popupHtml;

  // Region labels without overlap: regions in a class higher on the legend (more stars) first, then larger
  // ones; a label is shown only when its region is wider on screen than the label and it overlaps no label
  // already placed. At Europe zoom that leaves the big regions; zooming in adds the rest.
  function placeLabels() {
    if (!map || !labels || !map.hasLayer(labels)) return;
    if (labelZoom !== null && map.getZoom() < labelZoom) {  // at Europe zoom the stand-alone page shows none
      labelPoints.forEach(function (p) { var el = labelMarkers[p[0]] && labelMarkers[p[0]].getElement(); if (el) el.style.display = "none"; });
      shownLabels = [];
      return;
    }
    var placed = [], where = labelBoxes(), rank = {}, candidates = [];
    // only labels that can be shown at all are ranked and sorted (at Europe zoom few NUTS-3 regions are
    // wider than their label); the rest are hidden
    labelPoints.forEach(function (p) {
      var marker = labelMarkers[p[0]], el = marker && marker.getElement();
      if (!el) return;
      if (where[p[0]].usable) {
        var e = entry(p[0]);
        rank[p[0]] = e ? e.k : -1;
        candidates.push(p);
      } else if (el.style.display !== "none") el.style.display = "none";  // unchanged: no style recalculation
    });
    candidates.sort(function (a, b) { return rank[b[0]] - rank[a[0]] || (b[3] || 0) - (a[3] || 0); });
    shownLabels = [];
    candidates.forEach(function (p) {
      var el = labelMarkers[p[0]].getElement(), box = where[p[0]];
      var free = placed.every(function (q) {
        return box[2] < q[0] || box[0] > q[2] || box[3] < q[1] || box[1] > q[3];
      });
      var display = free ? "" : "none";
      if (el.style.display !== display) el.style.display = display;
      if (free) { placed.push(box); shownLabels.push(p[0]); }
    });
  }

  // each label's screen box and whether it can be shown at all (its region is wider than the label, it is
  // on screen), for the current view: a restyle only reorders the labels, so it reuses them (projecting
  // 1,514 NUTS-3 boxes took about half of a restyle)
  var boxCache = { key: null, boxes: null };
  function labelBoxes() {
    var pixels = map.getPixelBounds(), view = map.getSize();
    var key = [map.getZoom(), pixels.min.x, pixels.min.y, pixels.max.x, pixels.max.y].join(",");
    if (boxCache.key === key) return boxCache.boxes;
    var boxes = {};
    labelPoints.forEach(function (p) {
      var at = map.latLngToContainerPoint([p[1], p[2]]);
      var w = 6.2 * String(p[0]).length + 4, h = 12;
      var box = [at.x - w / 2, at.y - h / 2, at.x + w / 2, at.y + h / 2];
      var region = byCode[p[0]], fits = true;
      if (region) {
        var b = region.getBounds(), sw = map.latLngToContainerPoint(b.getSouthWest()),
          ne = map.latLngToContainerPoint(b.getNorthEast());
        fits = Math.abs(ne.x - sw.x) >= w && Math.abs(sw.y - ne.y) >= h;
      }
      box.usable = fits && box[2] > 0 && box[0] < view.x && box[3] > 0 && box[1] < view.y;
      boxes[p[0]] = box;
    });
    boxCache = { key: key, boxes: boxes };
    return boxes;
  }
  cm.shownLabels = function () { placeLabels(); return shownLabels.slice(); };

  function esc(value) {
    return String(value === undefined || value === null ? "" : value)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  cm.escape = esc;

  function entry(code) {
    return current && current.byCode ? current.byCode[code] : undefined;
  }

  // the layer comes column-wise (a list per field, one per tooltip column): one entry per region here
  function indexLayer(layer) {
    if (!layer || !layer.regions) return layer;
    var r = layer.regions, entries = {};
    r.codes.forEach(function (code, i) {
      entries[code] = { c: r.colours[i], k: r.classes[i], n: r.names[i], h: r.hatch[code] || "",
        t: r.texts.map(function (column) { return column[i]; }) };
    });
    layer.byCode = entries;
    return layer;
  }

  function styleFor(feature) {
    var code = feature.properties.code, e = entry(code);
    var style = {
      className: "cm-region",
      fillColor: e ? e.c : (current ? current.no_data_colour : "#bdbdbd"),
      fillOpacity: 1, color: "#ffffff", weight: 0.6, opacity: 1, dashArray: null
    };
    // a value resting on a confidential cell: dotted dark outline (print maps hatch it), never a plain fill
    if (e && /^#[0-9a-fA-F]{6}$/.test(e.h)) { style.color = e.h; style.weight = 2; style.dashArray = "1 3"; }
    if (highlighted[code]) { style.color = "#111111"; style.weight = 2; style.dashArray = "4 3"; }
    if (code === selected) { style.color = "#000000"; style.weight = 3.2; style.dashArray = null; }
    return style;
  }

  function tooltipHtml(code) {
    var e = entry(code), name = (e && e.n) || names[code] || code;
    var html = "<div class='cm-tip'><b>" + esc(name) + "</b> <span class='cm-code'>" + esc(code) + "</span>";
    if (!e) return html + "<div class='cm-nodata'>No data</div></div>";
    html += "<table>";
    var columns = (current && current.columns) || [];
    for (var i = 0; i < e.t.length; i++) {  // labels once per layer, texts per region (null: not shown)
      if (e.t[i] === null || e.t[i] === undefined) continue;
      html += "<tr><td>" + esc(columns[i]) + "</td><td class='cm-v'>" + esc(e.t[i]) + "</td></tr>";
    }
    return html + "</table></div>";
  }

  function legendHtml() {
    if (!current) return "";
    var html = heading ? "<div class='cm-legend-heading'>" + esc(heading) + "</div>" : "";
    html += "<div class='cm-legend-title'>" + esc(current.title) + "</div>";
    if (current.subtitle) html += "<div class='cm-legend-sub'>" + esc(current.subtitle) + "</div>";
    for (var i = 0; i < current.legend.length; i++) {
      var item = current.legend[i];
      html += "<div class='cm-legend-row'><span class='cm-swatch' style='background:" +
        esc(/^#[0-9a-fA-F]{6}$/.test(item.colour) ? item.colour : "#bdbdbd") + "'></span>" +
        esc(item.label) + "</div>";
    }
    var hatch = current.hatch_legend || [];
    for (var j = 0; j < hatch.length; j++) {
      var ink = /^#[0-9a-fA-F]{6}$/.test(hatch[j].colour) ? hatch[j].colour : "#333333";
      html += "<div class='cm-legend-row'><span class='cm-swatch' style='background:#ffffff;border:2px dotted " +
        ink + "'></span>" + esc(hatch[j].label) + " (" + esc(hatch[j].count) + "), dotted outline</div>";
    }
    return html;
  }

  function clicked(code) {
    lastClick = code;
    cm.select(code, false);
    if (popups && byCode[code]) {  // the stand-alone page: the portfolio opens where the region is (no pan)
      byCode[code].closeTooltip();  // the popup replaces the hover tooltip instead of lying over it
      L.popup({ autoPan: false, maxWidth: 420, className: "cm-popup-box" })
        .setLatLng(byCode[code].getBounds().getCenter()).setContent(popupHtml(code)).openOn(map);
    }
    if (cm.bridge && cm.bridge.regionClicked) cm.bridge.regionClicked(code);
  }

  function onEach(feature, layer) {
    var code = feature.properties.code;
    byCode[code] = layer;
    names[code] = feature.properties.name || code;
    layer.bindTooltip(function () { return tooltipHtml(code); }, { sticky: true, className: "cm-tooltip" });
    layer.on("click", function () { clicked(code); });
    layer.on("mouseover", function () { layer.setStyle({ weight: Math.max(2, layer.options.weight) }); });
    layer.on("mouseout", function () { layer.setStyle(styleFor(feature)); });
  }

  function connectBridge() {
    // Present only inside the Qt view, which injects qwebchannel.js from Qt's own resources.
    if (window.qt && window.qt.webChannelTransport && typeof window.QWebChannel === "function") {
      new window.QWebChannel(window.qt.webChannelTransport, function (channel) {
        cm.bridge = channel.objects.bridge || null;
      });
    }
  }

  cm.setCredit = function (text) {
    if (!map) return;
    if (credit !== null) map.attributionControl.removeAttribution(credit);
    credit = esc(text);
    map.attributionControl.addAttribution(credit);
  };

  cm.init = function (leafletMap, data) {
    map = leafletMap;
    current = indexLayer(data.layer);
    heading = data.options.heading || null;
    map.attributionControl.setPrefix(false);
    // the zoom range of projected metres (folium passes min/max zoom only to tile layers): set as options,
    // not with setMinZoom/setMaxZoom, whose animated setZoom to the limit would race the fitBounds below
    if (data.zoom) { map.options.minZoom = data.zoom[0]; map.options.maxZoom = data.zoom[1]; }
    cm.setCredit(data.credit);
    // kilometres only: miles under them read as a second, contradicting scale on a European map. Bottom
    // right, where Leaflet stacks it above the credit line (bottom left, the long credit covered it); up to
    // 150 px wide, so that the label fits inside its bar
    L.control.scale({ imperial: false, position: "bottomright", maxWidth: 150 }).addTo(map);
    borders = L.geoJSON(data.borders, {
      interactive: false, style: { color: "#3a3a3a", weight: 1.1, fill: false, opacity: 0.9 }
    });
    regions = L.geoJSON(data.regions, { style: styleFor, onEachFeature: onEach });
    labelPoints = data.labels || [];
    labels = L.layerGroup(labelPoints.map(function (p) {
      var marker = L.marker([p[1], p[2]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "cm-label", html: esc(p[0]), iconSize: null })
      });
      labelMarkers[p[0]] = marker;
      return marker;
    }));
    map.on("zoomend moveend", placeLabels);
    labels.on("add", function () { setTimeout(placeLabels, 0); });
    regions.addTo(map);
    if (data.options.borders) borders.addTo(map);
    if (data.options.labels) labels.addTo(map);
    L.control.layers(null, { "Regions": regions, "Country borders": borders, "Region labels": labels },
      { collapsed: true, position: "topleft" }).addTo(map);
    legend = L.control({ position: "topright" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "cm-legend");
      L.DomEvent.disableClickPropagation(div);
      div.innerHTML = legendHtml();
      return div;
    };
    if (data.options.legend !== false) legend.addTo(map);  // the desktop app shows it in a dock instead
    if (data.bounds) map.fitBounds(data.bounds, { animate: false });
    popups = data.popups || null;
    if (typeof data.options.labelZoomIn === "number") labelZoom = map.getZoom() + data.options.labelZoomIn;
    placeLabels();
    connectBridge();
  };

  // setStyle only where the style changes: each call queues a canvas redraw of the region's box
  function restyleRegions() {
    regions.eachLayer(function (layer) {
      var style = styleFor(layer.feature), now = layer.options;
      if (style.fillColor !== now.fillColor || style.color !== now.color || style.weight !== now.weight ||
          style.dashArray !== now.dashArray) layer.setStyle(style);
    });
  }

  cm.restyle = function (layerJson) {
    current = indexLayer(typeof layerJson === "string" ? JSON.parse(layerJson) : layerJson);
    regions.eachLayer(function (layer) { layer.closeTooltip(); });
    restyleRegions();
    if (legend.getContainer()) legend.getContainer().innerHTML = legendHtml();
    placeLabels();  // label priority follows the classes
    return true;
  };

  cm.highlight = function (codes) {
    highlighted = {};
    (codes || []).forEach(function (c) { highlighted[c] = true; });
    restyleRegions();
    (codes || []).forEach(function (c) { if (byCode[c]) byCode[c].bringToFront(); });
    return (codes || []).filter(function (c) { return !!byCode[c]; }).length;
  };

  cm.select = function (code, pan) {
    selected = code || null;
    restyleRegions();
    var layer = selected ? byCode[selected] : null;
    if (!layer) return false;
    layer.bringToFront();
    // selecting never moves a region the user can see (a click must not slide it from under the pointer);
    // only a region outside the view (chosen by search or in a list) is brought into it
    var centre = layer.getBounds().getCenter();
    if (pan !== false && !map.getBounds().contains(centre)) map.panTo(centre, { animate: false });
    return true;
  };

  cm.clickRegion = function (code) {
    if (!byCode[code]) return false;
    byCode[code].fire("click");
    return true;
  };

  cm.showTooltip = function (code) {
    var layer = byCode[code];
    if (!layer) return null;
    layer.openTooltip(layer.getBounds().getCenter());
    return tooltipHtml(code);
  };

  cm.setOptions = function (options) {
    [["labels", labels], ["borders", borders]].forEach(function (pair) {
      if (options[pair[0]] === undefined) return;
      if (options[pair[0]]) pair[1].addTo(map); else map.removeLayer(pair[1]);
    });
    return true;
  };

  cm._map = function () { return map; };  // tests and hosts that need the Leaflet map itself

  // the fill a region is painted with (the canvas renderer has no element per region to ask)
  cm.featureColour = function (code) {
    var layer = byCode[code];
    return layer ? layer.options.fillColor || null : null;
  };

  // a region's current style (weight, colour, dashArray, fillColor): what the canvas is painted with
  cm.featureStyle = function (code) {
    var o = byCode[code] && byCode[code].options;
    return o ? { weight: o.weight, color: o.color, dashArray: o.dashArray || null, fillColor: o.fillColor } : null;
  };

  // regions the renderer has placed (projected onto the canvas): all of them once the map is drawn; the
  // paint itself follows in the next animation frame (the screenshot also waits for coloured pixels)
  function drawnCount() {
    if (!regions) return 0;
    var n = 0;
    regions.eachLayer(function (layer) { if (layer._pxBounds) n++; });
    return n;
  }

  cm.state = function () {
    return {
      leaflet: typeof L !== "undefined",
      leafletVersion: typeof L !== "undefined" ? L.version : null,
      ready: !!(map && regions && map.hasLayer(regions)),
      features: regions ? regions.getLayers().length : 0,
      drawn: drawnCount(),
      layer: current ? current.layer : null,
      category: current ? current.category : null,
      selected: selected,
      highlighted: Object.keys(highlighted),
      lastClick: lastClick,
      view: map ? [map.getCenter().lat, map.getCenter().lng, map.getZoom()] : null,
      bridge: !!cm.bridge,
      labels: !!(labels && map && map.hasLayer(labels)),
      borders: !!(borders && map && map.hasLayer(borders))
    };
  };
})();
