"""MapView in a real offscreen QWebEngineView: rendering, the click bridge, restyle without reload,
the local-only request interceptor, screenshots, and rendering with no network at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()  # before pytest-qt creates the QApplication

from test_layers import EMPLOYMENT, small_analysis  # noqa: E402
from test_web_map import squares  # noqa: E402

from clustermapper.layers import build_layer  # noqa: E402
from clustermapper_ui.map_view import MapView  # noqa: E402

pytestmark = pytest.mark.gui
TESTS = Path(__file__).resolve().parent
CODES = list(EMPLOYMENT) + ["FR21", "LU00"]


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    return small_analysis(tmp_path_factory.mktemp("view"))


@pytest.fixture
def view(qtbot, analysis):
    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=30_000):
        widget.show_analysis(analysis, build_layer(analysis, "stars", "cars"), boundaries=squares(CODES))
    yield widget
    widget.release()


def test_rendered_means_leaflet_and_all_features_drawn(view):
    state = view.state()
    assert state["leaflet"] is True and state["leafletVersion"] == "1.9.3"
    assert state["features"] == len(CODES) and state["drawn"] == len(CODES)
    assert state["layer"] == "stars" and state["category"] == "cars"
    assert state["bridge"] is True
    assert view.load_count == 1


def test_the_scale_bar_is_metric_only_and_true_to_the_map(view):
    # a credit line as long as the real file's: it wraps across the whole width of the map's foot
    view.evaluate("cm.setCredit(" + json.dumps("Data: Eurostat, dataset sbs_r_nuts06_r2 (Structural business "
                  "statistics, regional), extracted 2026-12-01; Eurostat's reuse policy (CC BY 4.0) · © "
                  "EuroGeographics for the administrative boundaries") + ")")
    lines = json.loads(view.evaluate("JSON.stringify(Array.prototype.map.call("
                                     "document.querySelectorAll('.leaflet-control-scale-line'),"
                                     "function (e) { var r = e.getBoundingClientRect();"
                                     " return [e.textContent, r.width, r.top, r.bottom, r.left, r.right]; }))"))
    assert len(lines) == 1  # no miles bar under the kilometres
    (text, width, top, bottom, left, right), = lines
    credit = json.loads(view.evaluate("(function () { var r = document.querySelector("
                                      "'.leaflet-control-attribution').getBoundingClientRect();"
                                      " return JSON.stringify([r.top, r.bottom, r.left, r.right]); })()"))
    # seen, not under the credit line
    assert bottom <= credit[0] or top >= credit[1] or right <= credit[2] or left >= credit[3]
    number, unit = text.split()
    metres = float(number) * {"km": 1000.0, "m": 1.0}[unit]
    # CRS.Simple in EPSG:3035 metres: zoom z shows 2**-z metres per pixel
    per_pixel = 2.0 ** -float(view.evaluate("cm._map().getZoom()"))
    assert metres == pytest.approx(width * per_pixel, rel=0.02)


def test_region_click_reaches_qt_through_the_channel(view, qtbot):
    with qtbot.waitSignal(view.regionClicked, timeout=5_000) as blocker:
        assert view.evaluate("cm.clickRegion('DE11')") is True
    assert blocker.args == ["DE11"]
    state = view.state()
    assert state["lastClick"] == "DE11" and state["selected"] == "DE11"


def test_a_click_selects_without_moving_the_map_and_search_brings_a_hidden_region_into_view(view, qtbot):
    before = view.state()["view"]
    with qtbot.waitSignal(view.regionClicked, timeout=5_000):
        view.evaluate("cm.clickRegion('DE12')")
    assert view.state()["selected"] == "DE12" and view.state()["view"] == before  # no zoom, no pan
    view.select("DE13")  # visible: selecting from a list does not move the map either
    qtbot.waitUntil(lambda: view.state()["selected"] == "DE13", timeout=5_000)
    assert view.state()["view"] == before
    view.evaluate("(function(){var m=cm._map(); m.setView(m.getCenter(), m.getZoom() + 5, {animate:false});})()")
    zoomed = view.state()["view"]
    view.select("LU00")  # out of view at this zoom: brought into it, same zoom
    qtbot.waitUntil(lambda: view.state()["selected"] == "LU00", timeout=5_000)
    after = view.state()["view"]
    assert after[2] == zoomed[2] and after[:2] != zoomed[:2]


def test_the_page_is_in_etrs89_laea_and_shown_labels_never_overlap(view, qtbot):
    assert view.evaluate("cm._map().options.crs === L.CRS.Simple") is True
    # a point of the squares (lon 10-14°, lat 50°) in EPSG:3035 metres: x ≈ 4.3e6, y ≈ 3.0e6
    lat, lng, _ = view.state()["view"]
    assert 2.5e6 < lat < 3.6e6 and 4.0e6 < lng < 4.8e6
    view.set_options(labels=True)
    qtbot.waitUntil(lambda: view.state()["labels"], timeout=5_000)
    shown = view.evaluate("JSON.stringify(cm.shownLabels())")
    boxes = json.loads(view.evaluate(
        "JSON.stringify([].slice.call(document.querySelectorAll('.cm-label')).filter(function (e) {"
        " return e.style.display !== 'none'; }).map(function (e) { var r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; }))"))
    assert len(boxes) == len(json.loads(shown)) >= 1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def _visible_label_boxes(view) -> list:
    return json.loads(view.evaluate(
        "JSON.stringify([].slice.call(document.querySelectorAll('.cm-label')).filter(function (e) {"
        " return e.style.display !== 'none'; }).map(function (e) { var r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom, e.textContent]; }))"))


def test_labels_follow_the_view_after_zooming_and_restyling(view, analysis, qtbot):
    # the page keeps each label's screen box for the current view: a zoom must not reuse the boxes of the
    # previous one, and a restyle (same view) must place the labels anew from them
    view.set_options(labels=True)
    qtbot.waitUntil(lambda: view.state()["labels"], timeout=5_000)
    before = set(json.loads(view.evaluate("JSON.stringify(cm.shownLabels())")))
    view.evaluate("(function(){var m=cm._map(); m.setZoom(m.getZoom() + 2, {animate:false});})()")
    view.apply_layer(build_layer(analysis, "lq", "cars"))
    qtbot.waitUntil(lambda: view.state()["layer"] == "lq", timeout=5_000)
    shown = json.loads(view.evaluate("JSON.stringify(cm.shownLabels())"))
    boxes = _visible_label_boxes(view)
    width, height = json.loads(view.evaluate("JSON.stringify([window.innerWidth, window.innerHeight])"))
    assert sorted(b[4] for b in boxes) == sorted(shown) and set(shown) != before
    for i, a in enumerate(boxes):
        assert a[2] > 0 and a[0] < width and a[3] > 0 and a[1] < height, a  # on screen at this zoom
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_highlight_taken_back_restores_every_outline(view, qtbot):
    plain = view.evaluate("JSON.stringify(['DE12', 'DE13'].map(function (c) { return cm.featureStyle(c); }))")
    view.highlight(["DE12", "DE13"])
    qtbot.waitUntil(lambda: sorted(view.state()["highlighted"]) == ["DE12", "DE13"], timeout=5_000)
    assert view.evaluate("cm.featureStyle('DE12').weight") == 2
    view.highlight([])
    qtbot.waitUntil(lambda: view.state()["highlighted"] == [], timeout=5_000)
    assert view.evaluate("JSON.stringify(['DE12', 'DE13'].map(function (c) { return cm.featureStyle(c); }))") == plain


def test_the_exported_page_opens_a_portfolio_popup_and_labels_only_when_zoomed_in(qtbot, analysis):
    from clustermapper.render.web_map import EXPORT_OPTIONS

    widget = MapView()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=30_000):
        widget.show_analysis(analysis, build_layer(analysis, "stars", "cars"), boundaries=squares(CODES),
                             title="Cars <em>& parts</em>", **EXPORT_OPTIONS)
    try:
        # map --title heads the legend, as text: the markup in it is shown, not parsed
        heading = "(document.querySelector('.cm-legend-heading') || {}).textContent || ''"
        assert widget.evaluate(heading) == "Cars <em>& parts</em>"
        assert widget.evaluate("String(document.querySelector('.cm-legend em'))") == "null"
        assert widget.state()["labels"] is True and widget.evaluate("JSON.stringify(cm.shownLabels())") == "[]"
        widget.evaluate("(function(){var m=cm._map(); m.setZoom(m.getZoom() + 1.5, {animate:false});})()")
        assert json.loads(widget.evaluate("JSON.stringify(cm.shownLabels())"))
        before = widget.state()["view"]
        starred = analysis.stars[(analysis.stars["stars"] > 0)]["region"].iloc[0]
        widget.evaluate(f"cm.clickRegion({json.dumps(starred)})")
        text = widget.evaluate("(document.querySelector('.cm-popup') || {}).textContent || ''")
        assert starred in text and "stars" in text and "Category" in text
        assert widget.state()["view"] == before  # the popup does not pan the map
    finally:
        widget.release()


def test_apply_layer_recolours_without_reloading(view, analysis, qtbot):
    stars = build_layer(analysis, "stars", "cars")
    lq = build_layer(analysis, "lq", "cars")
    assert view.evaluate("cm.featureColour('DE11')") == stars.colours["DE11"]
    assert stars.colours["DE11"] != lq.colours["DE11"]
    view.apply_layer(lq)
    qtbot.waitUntil(lambda: view.evaluate("cm.featureColour('DE11')") == lq.colours["DE11"], timeout=5_000)
    assert view.state()["layer"] == "lq"
    legend = view.evaluate("document.querySelector('.cm-legend').textContent")
    assert "≥ 3" in legend and "Location quotient" in legend
    assert view.load_count == 1  # no new loadFinished


def test_a_restyle_carries_outlines_tooltips_and_names_region_by_region(view, analysis, qtbot):
    """The layer travels column-wise and the page indexes it by region: each region must get its own
    colour, hatch outline, tooltip texts and name (a shifted column or a dropped hatch shows here)."""
    import pandas as pd

    from clustermapper.layers import HATCH_COLOURS

    lq = build_layer(analysis, "lq", "cars")
    lq.hatched = pd.Series({"DE12": "estimated"}, dtype=object)  # as a confidential cell would mark it
    lq.tooltip.loc["DE12", "name"] = "Karlsruhe <b>&</b>"
    view.apply_layer(lq)
    qtbot.waitUntil(lambda: view.state()["layer"] == "lq", timeout=5_000)
    for code in lq.values.index:
        style = view.evaluate(f"JSON.stringify(cm.featureStyle({json.dumps(code)}))")
        style = json.loads(style)
        assert style["fillColor"] == lq.colours[code], code
        hatched = code == "DE12"
        assert (style["color"] == HATCH_COLOURS["estimated"] and style["dashArray"] == "1 3") == hatched, code
        tip = view.evaluate(f"cm.showTooltip({json.dumps(code)})")
        assert f"<td class='cm-v'>{lq.tooltip.loc[code, 'LQ']:.2f}</td>" in tip, code
    assert "Karlsruhe &lt;b&gt;&amp;&lt;/b&gt;" in view.evaluate("cm.showTooltip('DE12')")


def test_highlight_and_select(view, qtbot):
    view.highlight(["DE12", "DE13", "XX99"])
    view.select("DE14")
    qtbot.waitUntil(lambda: view.state()["selected"] == "DE14", timeout=5_000)
    assert sorted(view.state()["highlighted"]) == ["DE12", "DE13", "XX99"]
    weights = view.evaluate("['DE12', 'DE13', 'DE14'].map(function (c) { return cm.featureStyle(c).weight; }).join()")
    assert weights == "2,2,3.2"  # highlighted regions outlined, the selection thickest


def test_options_toggle_labels_and_borders(view, qtbot):
    view.set_options(labels=False, borders=False)
    qtbot.waitUntil(lambda: not view.state()["labels"], timeout=5_000)
    assert view.state()["borders"] is False
    view.set_options(labels=True)
    qtbot.waitUntil(lambda: view.state()["labels"], timeout=5_000)


def test_interceptor_records_no_request_and_blocks_external_ones(view, qtbot):
    assert view.interceptor.blocked == []
    assert all(url.startswith("file:") for url in view.interceptor.allowed)
    # local pages cannot even ask for remote resources (Chromium's default), so the interceptor is
    # proven on a navigation: it must block and record it.
    from PySide6.QtCore import QUrl

    other = MapView()
    qtbot.addWidget(other)
    other.load(QUrl("https://tiles.example.invalid/1/2/3.png"))
    qtbot.waitUntil(lambda: len(other.interceptor.blocked) == 1, timeout=10_000)
    assert "example.invalid" in other.interceptor.blocked[0]


def test_save_png_shows_the_map(view, analysis, tmp_path, qtbot):
    from PySide6.QtGui import QColor, QImage

    qtbot.wait(300)  # let the compositor show the last frame
    path = view.save_png(tmp_path / "map.png")
    image = QImage(str(path))
    assert image.width() >= 800 * 0.9 and image.height() >= 600 * 0.9
    colours = {QColor(image.pixel(x, y)).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    stars = build_layer(analysis, "stars", "cars")
    drawn = set(stars.colours)
    assert drawn & colours, f"none of the layer colours {drawn} is on the screenshot"


ZERO_NETWORK_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, tempfile
    sys.path[:0] = [{repo!r}, {tests!r}]
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from clustermapper_ui.webengine_env import prepare_webengine
    prepare_webengine()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from pathlib import Path
    from clustermapper.layers import build_layer
    from test_layers import small_analysis
    from test_web_map import squares
    from clustermapper_ui.map_view import MapView
    analysis = small_analysis(Path(tempfile.mkdtemp()))
    view = MapView(); view.resize(640, 480); view.show()
    result = {{}}
    def done():
        QTimer.singleShot(400, lambda: (view.save_png({png!r}), result.update(view.state(), blocked=view.interceptor.blocked), app.quit()))
    view.rendered.connect(done)
    view.loadFailed.connect(lambda m: (result.update(error=m), app.quit()))
    QTimer.singleShot(60000, app.quit)
    view.show_analysis(analysis, build_layer(analysis, "stars", "cars"), boundaries=squares({codes!r}))
    app.exec()
    print("STATE " + json.dumps(result))
    """
)


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="needs unshare and root")
def test_renders_with_no_network_at_all(tmp_path):
    png = tmp_path / "offline.png"
    script = ZERO_NETWORK_SCRIPT.format(repo=str(TESTS.parent), tests=str(TESTS), png=str(png), codes=CODES)
    # a fresh network namespace has no interface but a down loopback: nothing can be reached
    proc = subprocess.run(["unshare", "--net", sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QTWEBENGINE_DISABLE_SANDBOX": "1"})
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("STATE ")), None)
    assert line, proc.stderr[-2000:]
    state = json.loads(line[6:])
    assert state.get("leaflet") is True and state["drawn"] == len(CODES), state
    assert state["blocked"] == []
    assert png.stat().st_size > 5_000
