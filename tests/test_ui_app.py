"""Drive the real main window (pytest-qt, offscreen): demo, real Eurostat file, selection, restyle, errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clustermapper_ui.webengine_env import prepare_webengine

prepare_webengine()  # before pytest-qt creates the QApplication

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clustermapper import demo  # noqa: E402
from clustermapper.analysis import AnalysisSpec  # noqa: E402
from clustermapper_ui.app import DEMO_LABEL, MainWindow  # noqa: E402

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[1]
WAIT_MS = 90_000


def open_and_render(qtbot, window: MainWindow, spec: AnalysisSpec) -> None:
    """Compute ``spec`` in the worker and wait until the map has really drawn its regions."""
    with qtbot.waitSignals([window.controller.computed, window.map.rendered], timeout=WAIT_MS):
        window.controller.open_spec(spec)


def find_dialog(name: str):
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)


def test_demo_opens_labelled_with_its_source(qtbot, main_window: MainWindow) -> None:
    open_and_render(qtbot, main_window, AnalysisSpec(demo=True, year=demo.YEAR))
    assert demo.LABEL in main_window.windowTitle()
    assert main_window.demo_label.isVisible() and main_window.demo_label.text() == DEMO_LABEL
    assert main_window.source_label.text() == f"{demo.SOURCE} · {demo.YEAR}"  # the licence's source line
    assert demo.CITATION in str(main_window.map.evaluate("document.querySelector('.leaflet-control-attribution').textContent"))
    assert main_window.nuts_label.text().startswith("NUTS: ")
    state = main_window.map.state()
    assert state["leaflet"] and state["features"] > 200 and state["drawn"] >= state["features"]
    assert main_window.category_dock.rank_model.rowCount() > 200
    assert main_window.toolbar.year.count() == len(main_window.state.analysis.years) == 8  # 2008-2015
    # one legend, in the Layers dock: the page draws none of its own
    assert main_window.map.evaluate("document.querySelectorAll('.cm-legend').length") == 0
    assert main_window.layers_dock.legend_grid.count() > 0


def test_selection_restyle_and_compare_on_demo(qtbot, main_window: MainWindow) -> None:
    w = main_window
    w.state.category = "C29"
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    loads = w.map.load_count
    # click through the page's own click path: Leaflet click -> QWebChannel -> regionClicked
    with qtbot.waitSignal(w.map.regionClicked, timeout=10_000) as clicked:
        w.map.page().runJavaScript("cm.clickRegion('DE11')")
    assert clicked.args == ["DE11"]
    assert w.state.selection == "DE11"
    assert w.toolbar.search.text().startswith("DE11 — ")
    assert w.portfolio_dock.model.rowCount() == len(w.state.analysis.region_stars("DE11"))
    qtbot.waitUntil(lambda: w.map.state().get("selected") == "DE11", timeout=5_000)
    # another category: the page restyles in place, no reload
    with qtbot.waitSignal(w.layerApplied, timeout=5_000):
        w.state.category = "C21"
    qtbot.waitUntil(lambda: w.map.state().get("category") == "C21", timeout=5_000)
    assert w.map.load_count == loads
    # ranking row -> selection everywhere
    proxy = w.category_dock.rank_proxy
    w.category_dock.rank_table.selectRow(0)
    top = proxy.index(0, 1).data()
    assert w.state.selection == top
    qtbot.waitUntil(lambda: w.map.state().get("selected") == top, timeout=5_000)
    # compare two regions
    w.state.compare = ("DE11", top if top != "DE11" else "ITC4")
    # regions as rows; the region column, then C21 (the map's category) and the strongest categories
    assert w.category_dock.compare_model.rowCount() == 2
    assert w.category_dock.compare_model.columnCount() == 1 + 4
    assert w.category_dock.compare_model.headerData(1, Qt.Orientation.Horizontal) == "C21"


def test_numeric_sort_in_portfolio(qtbot, main_window: MainWindow) -> None:
    w = main_window
    w.state.selection = "DE11"
    open_and_render(qtbot, w, AnalysisSpec(demo=True))
    table = w.portfolio_dock.table
    table.sortByColumn(2, table.horizontalHeader().sortIndicatorOrder().DescendingOrder)  # Employees
    proxy = w.portfolio_dock.proxy
    values = [proxy.index(r, 2).data(proxy.sortRole()) for r in range(proxy.rowCount())]
    finite = [v for v in values if v != float("-inf")]
    assert finite == sorted(finite, reverse=True)  # numbers, not text ("9,000" < "10,000")


@pytest.mark.shared
def test_real_eurostat_file_stuttgart_c29(qtbot, main_window: MainWindow, eurostat_file: Path) -> None:
    w = main_window
    w.controller.open_file(eurostat_file)
    qtbot.waitUntil(lambda: find_dialog("validationDialog") is not None, timeout=WAIT_MS)
    dialog = find_dialog("validationDialog")
    assert "unreadable" in dialog.findChildren(type(w.source_label))[0].text()
    with qtbot.waitSignals([w.controller.computed, w.map.rendered], timeout=WAIT_MS):
        dialog.accept()
    # year 2010 from the toolbar, then C29
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        combo = w.toolbar.year
        combo.setCurrentIndex(combo.findData(2010))
        combo.activated.emit(combo.currentIndex())
    assert w.state.analysis.year == 2010
    combo = w.toolbar.category
    combo.setCurrentIndex(combo.findData("C29"))
    combo.activated.emit(combo.currentIndex())
    assert w.state.category == "C29"
    qtbot.waitUntil(lambda: w.map.is_rendered, timeout=WAIT_MS)
    loads = w.map.load_count
    with qtbot.waitSignal(w.map.regionClicked, timeout=10_000):
        w.map.page().runJavaScript("cm.clickRegion('DE11')")
    assert "Stuttgart" in w.portfolio_dock.header.text()
    proxy = w.portfolio_dock.proxy
    row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "C29")
    assert proxy.index(row, 5).data() == "★★★"
    tooltip = proxy.index(row, 5).data(3)  # ToolTipRole: the rule, value and threshold of each star
    assert tooltip.count("✔") == 3 and "LQ" in tooltip
    with qtbot.waitSignal(w.layerApplied, timeout=5_000):
        w.state.category = "C30"
    qtbot.waitUntil(lambda: w.map.state().get("category") == "C30", timeout=5_000)
    assert w.map.load_count == loads  # restyled without a page reload


def test_threshold_and_year_changes_restyle_without_reload(qtbot, main_window: MainWindow) -> None:
    from clustermapper.layers import build_layer

    w = main_window
    w.state.category = "C29"
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    loads = w.map.load_count

    def page_shows(analysis, region: str) -> bool:
        expected = build_layer(analysis, "stars", "C29").colours[region]
        return str(w.map.evaluate(f"cm.featureColour({region!r})")).lower() == expected.lower()

    three_star = set(w.state.analysis.category_stars("C29").query("stars == 3")["region"])
    # a stricter specialisation threshold: fewer stars, same regions on the page
    before = w.state.analysis
    w.toolbar.lq_min.setValue(5.0)
    qtbot.waitUntil(lambda: w.state.analysis is not before, timeout=WAIT_MS)
    assert w.state.analysis.spec.params.lq_min == 5.0
    stricter = set(w.state.analysis.category_stars("C29").query("stars == 3")["region"])
    assert stricter < three_star
    lost = sorted(three_star - stricter)[0]
    qtbot.waitUntil(lambda: page_shows(w.state.analysis, lost), timeout=10_000)
    assert w.map.load_count == loads
    # another year with the same NUTS regions (2013 and 2014: NUTS 2013): restyled in place too
    before = w.state.analysis
    w.toolbar.year.setCurrentIndex(w.toolbar.year.findData(2013))
    w.toolbar.year.activated.emit(w.toolbar.year.currentIndex())
    qtbot.waitUntil(lambda: w.state.analysis is not before, timeout=WAIT_MS)
    assert w.state.analysis.year == 2013
    changed = w.state.analysis.category_stars("C29").set_index("region")["stars"]
    previous = before.category_stars("C29").set_index("region")["stars"]
    moved = sorted(changed.index[changed != previous.reindex(changed.index)])[0]
    qtbot.waitUntil(lambda: page_shows(w.state.analysis, moved), timeout=10_000)
    assert w.map.load_count == loads


def test_user_boundary_file_redraws_the_map_and_a_bad_one_is_refused(qtbot, main_window: MainWindow,
                                                                     tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import box

    from clustermapper_ui.menus import use_boundaries

    w = main_window
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    codes = ["DE11", "DE12", "FR10"]
    zones = tmp_path / "zones.geojson"
    gpd.GeoDataFrame({"code": codes}, geometry=[box(5 + i, 45, 6 + i, 46) for i in range(3)], crs=4326) \
        .to_file(zones, driver="GeoJSON")
    with qtbot.waitSignal(w.map.rendered, timeout=WAIT_MS):
        assert use_boundaries(w, zones, "code")
    assert w.state.analysis.spec.boundaries == str(zones)
    assert w.map.state()["features"] == 3
    assert "zones.geojson" in w.nuts_label.text()
    # a wrong ID column: the reader's message in a dialog, the map unchanged
    assert not use_boundaries(w, zones, "NUTS_ID")
    qtbot.waitUntil(lambda: find_dialog("errorDialog") is not None, timeout=10_000)
    assert "zones.geojson" in find_dialog("errorDialog").text()
    assert w.map.state()["features"] == 3


def test_malformed_file_shows_reader_error(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "broken.tsv"
    bad.write_bytes(b"\x00\x01\x02 this is not employment data\n\xff\xfe")
    main_window.controller.open_file(bad)
    qtbot.waitUntil(lambda: find_dialog("errorDialog") is not None, timeout=WAIT_MS)
    box = find_dialog("errorDialog")
    assert str(bad) in box.text()  # the reader's InputError names the file
    assert main_window.state.analysis is None
    box.close()


def test_workspace_round_trip(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    from clustermapper_ui.menus import open_workspace, save_workspace

    w = main_window
    w.state.category, w.state.selection, w.state.layer = "C21", "DK01", "lq"
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=2013))
    w.state.compare = ("DK01", "BE24")
    path = tmp_path / "ws.cmws.json"
    save_workspace(w, path)  # hashed and written in the export worker
    qtbot.waitUntil(lambda: path.exists() and not w.controller.export_runner.busy, timeout=WAIT_MS)
    other = MainWindow()
    qtbot.addWidget(other)
    try:
        with qtbot.waitSignals([other.controller.computed, other.map.rendered], timeout=WAIT_MS):
            open_workspace(other, path)
        s = other.state
        assert (s.analysis.year, s.category, s.selection, s.layer, s.compare) == (2013, "C21", "DK01", "lq",
                                                                                ("DK01", "BE24"))
        assert other.layers_dock.buttons["lq"].isChecked()
        assert other.toolbar.search.text().startswith("DK01")
    finally:
        other.controller.shutdown()


def test_bad_workspace_shows_error(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    from clustermapper_ui.menus import open_workspace

    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 1, "data": {"demo": true}, "analysis": {"level": "two"}}', encoding="utf-8")
    open_workspace(main_window, bad)  # read in a worker: the dialog comes when it fails
    qtbot.waitUntil(lambda: find_dialog("errorDialog") is not None, timeout=WAIT_MS)
    box = find_dialog("errorDialog")
    assert box is not None and "analysis.level" in box.text()
    box.close()


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="needs unshare and root")
def test_screenshot_without_network(tmp_path: Path) -> None:
    """The app renders with every network blocked: a fresh network namespace has no interfaces up."""
    out = tmp_path / "offline.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cmd = ["unshare", "--net", sys.executable, "-m", "clustermapper", "gui", "--demo", "--category", "C29",
           "--select", "DE11", "--screenshot", str(out), "--timeout", "90"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "screenshot" in proc.stdout and out.exists()
    from PySide6.QtGui import QImage

    from clustermapper_ui.launch import distinct_colours

    image = QImage(str(out))
    assert image.width() >= 1200 and distinct_colours(image) > 50


def test_toolbar_layers_search_and_drop(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    w = main_window
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    prepared = w.controller.prepared
    # a threshold change only re-scores the prepared stage (no new read, no new aggregation)
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        w.toolbar.lq_min.setValue(1.5)
    assert w.state.analysis.spec.params.lq_min == 1.5 and w.state.analysis.prepared is prepared
    qtbot.waitUntil(lambda: w.map.is_rendered, timeout=WAIT_MS)
    # per-country level overrides (ECO style): Belgium at NUTS 1
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        w.toolbar.overrides.setText("BE=1")
        w.toolbar.overrides.editingFinished.emit()
    regions = set(w.state.analysis.stars["region"])
    assert {"BE1", "BE2", "BE3"} <= regions and "BE24" not in regions
    w.toolbar.overrides.setText("Belgium=one")
    w.toolbar.overrides.editingFinished.emit()
    assert "COUNTRY=LEVEL" in w.toolbar.overrides.toolTip()  # the parser's message, no recompute
    w.toolbar.overrides.setText("BE=1")
    qtbot.waitUntil(lambda: w.map.is_rendered, timeout=WAIT_MS)
    assert w.state.analysis.dataset is prepared.dataset  # a new level re-prepares from the same read
    # another taxonomy: new categories, the toolbar lists them
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        combo = w.toolbar.taxonomy
        combo.setCurrentIndex(combo.findData("industrial-ecosystems"))
        combo.activated.emit(combo.currentIndex())
    assert w.state.analysis.spec.taxonomy == "industrial-ecosystems"
    assert w.toolbar.category.count() == len(w.state.analysis.stars["category"].unique()) <= 14
    assert w.state.category in w.state.analysis.categories
    qtbot.waitUntil(lambda: w.map.is_rendered, timeout=WAIT_MS)
    # layer radio buttons and toggles restyle the page in place
    w.layers_dock.buttons["strongest"].setChecked(True)
    qtbot.waitUntil(lambda: w.map.state().get("layer") == "strongest", timeout=5_000)
    assert w.layer_data.layer == "strongest" and w.layers_dock.legend_grid.count() >= 2 * 3
    w.layers_dock.labels.setChecked(True)
    qtbot.waitUntil(lambda: w.map.state().get("labels") is True, timeout=5_000)
    loads_after = w.map.load_count
    # search by part of a name
    w.toolbar.search.setText("stutt")
    w.toolbar.search.returnPressed.emit()
    assert w.state.selection == "DE11"
    assert w.map.load_count == loads_after
    # dropping a file on the window opens it (here a workspace: the demo at 2013)
    from clustermapper.workspace import Workspace, save_workspace

    ws = save_workspace(tmp_path / "drop.json", Workspace(spec=AnalysisSpec(demo=True, year=2013), category="C29"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(ws))])
    event = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        w.dropEvent(event)
    assert w.state.analysis.year == 2013
    assert w.state.analysis.spec.level_override == ()  # the workspace's regions, not the toolbar's BE=1
    qtbot.waitUntil(lambda: w.map.is_rendered, timeout=WAIT_MS)
    assert w.map.load_count == loads_after + 1  # other regions than BE=1: the page was rebuilt, once


def test_demo_menu_opens_on_stuttgart_car_industry(qtbot, main_window: MainWindow) -> None:
    w = main_window
    w.state.category, w.state.selection = "C10", "FR10"  # whatever the user looked at before
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        w.actions_by_id["demo"].trigger()
    assert (w.state.analysis.year, w.state.category, w.state.selection) == (demo.YEAR, demo.CATEGORY, demo.REGION)
    assert (demo.CATEGORY, demo.REGION) == ("C29", "DE11")
    qtbot.waitUntil(lambda: w.map.is_rendered and w.map.state().get("selected") == "DE11", timeout=WAIT_MS)
    assert w.map.state().get("category") == "C29"


def test_star_method_dialog_shows_the_core_text(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    from clustermapper import help_text

    main_window.actions_by_id["method"].trigger()
    dialog = find_dialog("methodDialog")
    assert dialog is not None
    shown = " ".join(dialog.browser.toPlainText().split())
    for heading, paragraphs in help_text.sections():
        assert heading in shown
        for paragraph in paragraphs:
            text = f"{paragraph[0]}: {paragraph[1]}" if isinstance(paragraph, tuple) else paragraph
            assert " ".join(text.split()) in shown, text[:60]
    shot = tmp_path / "method.png"
    assert dialog.grab().save(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("CLUSTERMAPPER_SHOTS"):  # keep the picture for a look (docs, review)
        shutil.copy(shot, Path(os.environ["CLUSTERMAPPER_SHOTS"]) / "method_dialog.png")
    dialog.close()


@pytest.mark.shared
def test_map_credit_follows_the_data_when_the_page_is_kept(qtbot, main_window: MainWindow, eurostat_file: Path) -> None:
    w = main_window
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    loads = w.map.load_count

    def credit() -> str:
        return str(w.map.evaluate("document.querySelector('.leaflet-control-attribution').textContent"))

    assert demo.CITATION in credit()
    # the full Eurostat file draws the same regions in that year: the page is restyled, not rebuilt
    with qtbot.waitSignal(w.controller.computed, timeout=WAIT_MS):
        w.controller.open_spec(AnalysisSpec(data=str(eurostat_file), year=demo.YEAR))
    qtbot.waitUntil(lambda: f"Data: Eurostat, {eurostat_file.name}" in credit(), timeout=10_000)
    assert w.map.load_count == loads and demo.CITATION not in credit()


def test_confidential_policy_picker_recomputes_and_the_docks_never_show_a_hidden_zero(qtbot, main_window) -> None:
    """The real demo: Braunschweig's car industry is confidential; 'estimate' shows it as an estimate with a
    hatched legend entry, 'zero' as confidential (not as 0 employees); the picker drives the spec."""
    w = main_window
    w.state.category = "C29"
    open_and_render(qtbot, w, AnalysisSpec(demo=True, year=demo.YEAR))
    assert w.toolbar.suppressed.currentData() == "estimate"
    ranking = w.state.analysis.category_stars("C29").set_index("region")
    assert ranking.loc["DE91", "status"] == "estimated"
    legend = [w.layers_dock.legend_grid.itemAt(i).widget().text()
              for i in range(w.layers_dock.legend_grid.count()) if hasattr(w.layers_dock.legend_grid.itemAt(i).widget(), "text")]
    assert any(text.startswith("Estimated (confidential in the data)") for text in legend)
    # "No data" counts every grey region on the map (drawn without a value), not only analysed ones
    drawn = set(w.state.analysis.drawn_regions()["NUTS_ID"])
    classed = set(w.state.layer_data.classes.index[w.state.layer_data.classes != -1])
    assert len(drawn - classed) > 0
    assert any(t.startswith("No data") and f"({len(drawn - classed)})" in t for t in legend)
    w.state.selection = "DE91"
    model = w.portfolio_dock.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    shown = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert shown["C29"].startswith("≈ ") and shown["C29"].endswith("est.")
    assert w.portfolio_dock.header.text().count("≈") == 1
    before = w.state.analysis
    w.toolbar.suppressed.setCurrentIndex(w.toolbar.suppressed.findData("zero"))
    w.toolbar.suppressed.activated.emit(w.toolbar.suppressed.currentIndex())
    qtbot.waitUntil(lambda: w.state.analysis is not before, timeout=WAIT_MS)
    assert w.state.analysis.spec.suppressed == "zero"
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    shown = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(model.rowCount())}
    assert shown["C29"] == "confidential"


def test_an_empty_result_is_not_done(qtbot, main_window: MainWindow, tmp_path: Path) -> None:
    """An all-zero file analyses to no rows: the app says why instead of 'Done' over an empty map."""
    zero = tmp_path / "zero.csv"
    zero.write_text("region,sector,year,value\nDE11,C29,2014,0\nDE12,C29,2014,0\n", encoding="utf-8")
    messages = []
    main_window.controller.progress.connect(lambda _f, text: messages.append(text))
    main_window.controller.open_spec(AnalysisSpec(data=str(zero), year=2014))
    qtbot.waitUntil(lambda: find_dialog("errorDialog") is not None, timeout=WAIT_MS)
    box = find_dialog("errorDialog")
    assert "every employment value of 2014" in box.text()
    assert "Done" not in messages and any(m.startswith("No result") for m in messages)
    box.close()
