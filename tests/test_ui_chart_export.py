"""Chart export (ui/chart_export.py): PNG/SVG files, the plotted data as CSV, the image on the clipboard,
the context menu of every ChartCanvas."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu

from clustermapper.render.table_files import read_frame_csv
from clustermapper_ui import chart_export as ce
from clustermapper_ui.charts import ChartCanvas

pytestmark = pytest.mark.gui
MENU = ["Save PNG…", "Save SVG…", "Copy image", "Export data CSV…"]


def rows() -> pd.DataFrame:
    return pd.DataFrame({"category": ["C29", "C28", "C10"], "label": ["Cars", "Machinery", "Food"],
                         "lq": [3.5, 1.2, 0.4], "stars": [3, 1, 0], "employment": [1000.0, 500.0, 80.0],
                         "status": ["reported", "estimated", "reported"]})


@pytest.fixture()
def canvas(qtbot) -> ChartCanvas:
    chart = ChartCanvas(height=2.0)
    chart.resize(400, 200)
    qtbot.addWidget(chart)
    chart.plot_portfolio(rows(), "DE11: strongest categories by LQ")
    return chart


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_the_canvas_keeps_what_it_plotted(canvas: ChartCanvas) -> None:
    # top categories, strongest first (3 stars, then 1, then 0); the status column keeps the estimate marked
    assert canvas.data["category"].tolist() == ["C29", "C28", "C10"]
    assert canvas.data["lq"].tolist() == [3.5, 1.2, 0.4]
    assert canvas.data["status"].tolist() == ["reported", "estimated", "reported"]
    series = pd.DataFrame({"year": [2013, 2014], "employment": [100.0, 120.0], "lq": [2.1, 2.3],
                           "estimated": [False, True], "partial_year": [False, False], "flags": ["", ""],
                           "europe_index": [100.0, 104.0]})
    canvas.plot_time_series(series, "DE11 C29")
    assert canvas.data["employment"].tolist() == [100.0, 120.0] and canvas.data["estimated"].tolist() == [False, True]
    canvas.message("No region selected")
    assert canvas.data is None
    with pytest.raises(LookupError):
        ce.export_chart_data(canvas, "never.csv")


def test_png_and_svg_are_written(canvas: ChartCanvas, tmp_path: Path) -> None:
    png = ce.save_chart(canvas, tmp_path / "c.png")
    width, height = png_size(png)
    inches = canvas.figure.get_size_inches()
    assert (width, height) == (round(inches[0] * ce.PNG_DPI), round(inches[1] * ce.PNG_DPI))
    svg = ce.save_chart(canvas, tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "<svg" in svg[:1000] and "C29" in svg  # the category labels are text in the vector file
    with pytest.raises(ValueError):
        ce.save_chart(canvas, tmp_path / "c.jpg")
    assert sorted(os.listdir(tmp_path)) == ["c.png", "c.svg"]


def test_plotted_data_csv_round_trip(canvas: ChartCanvas, tmp_path: Path) -> None:
    back = read_frame_csv(ce.export_chart_data(canvas, tmp_path / "d.csv"))
    pd.testing.assert_frame_equal(back, canvas.data, check_dtype=False)


def test_copy_image_puts_the_chart_on_the_clipboard(canvas: ChartCanvas) -> None:
    image = ce.copy_chart(canvas)
    assert not image.isNull() and image.width() > 400
    assert QApplication.clipboard().image().size() == image.size()


def test_every_chart_canvas_has_the_menu(qtbot, canvas: ChartCanvas) -> None:
    assert canvas.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    assert [a.text() for a in ce.chart_menu(canvas).actions() if not a.isSeparator()] == MENU
    canvas.show()
    canvas.customContextMenuRequested.emit(QPoint(20, 20))
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == MENU
    menu.close()
    assert ce.current_chart(canvas.window()) is canvas
    canvas.message("nothing")
    data_action = [a for a in ce.chart_menu(canvas).actions() if a.text() == MENU[-1]][0]
    assert not data_action.isEnabled()  # a message has no data to export
