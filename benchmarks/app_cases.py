"""In-process measurements run by ``benchmarks/run.py`` in a fresh process each; every one prints one line
``BENCH {json}`` with ``seconds`` (the measured part) and ``ref_seconds`` (a plain pandas computation of the
same result, in the same process), plus details.

    python benchmarks/app_cases.py read FILE                   read_dataset
    python benchmarks/app_cases.py ref-read FILE               pandas.read_csv + reshape (the reference)
    python benchmarks/app_cases.py restyle FILE YEAR LEVEL     MapView: first render, then cm.restyle
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

RESTYLES = 12


def emit(**values) -> None:
    print("BENCH " + json.dumps(values), flush=True)


def read_case(path: str) -> None:
    from clustermapper.io import read_dataset

    start = time.perf_counter()
    result = read_dataset(path)
    emit(seconds=time.perf_counter() - start, cells=len(result.table))


def ref_read_case(path: str) -> None:
    import reference

    start = time.perf_counter()
    long = reference.eurostat_long(path) if reference.is_eurostat(path) else reference.read_long(path)
    emit(seconds=time.perf_counter() - start, cells=len(long))


def _wait(view, loop_timeout: float = 120.0) -> float:
    """Seconds until ``view`` emits ``rendered`` (raises on failure)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, box = QEventLoop(), {}
    view.rendered.connect(loop.quit)
    view.loadFailed.connect(lambda message: (box.setdefault("error", message), loop.quit()))
    start = time.perf_counter()
    QTimer.singleShot(int(loop_timeout * 1000), loop.quit)
    loop.exec()
    took = time.perf_counter() - start
    if "error" in box or not view.is_rendered:
        raise SystemExit(f"map did not render: {box.get('error', 'timeout')}")
    return took


def _restyle(view, js: str) -> tuple[float, float, float]:
    """Run the restyle ``js`` in the page: (seconds of the round trip from Python, of ``js`` itself in the page,
    from its end until two animation frames later: the new colours painted)."""
    start = time.perf_counter()
    view.evaluate("window.__cmFrame = null; var __t0 = performance.now();" + js +
                  "var __t1 = performance.now(); window.__cmRun = __t1 - __t0;"
                  "requestAnimationFrame(function(){requestAnimationFrame(function(){"
                  "window.__cmFrame = performance.now() - __t1;});}); 1")
    round_trip = time.perf_counter() - start
    run = float(view.evaluate("window.__cmRun"))
    for _ in range(2000):
        value = view.evaluate("window.__cmFrame")
        if isinstance(value, (int, float)):
            return round_trip, run / 1000, float(value) / 1000
        time.sleep(0.002)
    raise SystemExit("no animation frame after the restyle")


def restyle_case(path: str, year: int, level: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from clustermapper_ui.webengine_env import prepare_webengine

    prepare_webengine()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.layers import build_layer
    from clustermapper.render.web_map import restyle_script
    from clustermapper_ui.map_view import MapView

    analysis = run_analysis(AnalysisSpec(data=path, year=year, level=level))
    counts = analysis.stars.groupby("category")["stars"].sum().sort_values(ascending=False)
    categories = [str(c) for c in counts.index[:RESTYLES + 1]]
    view = MapView()
    view.resize(1200, 900)
    view.show()
    start = time.perf_counter()
    first = build_layer(analysis, "stars", categories[0])
    view.show_analysis(analysis, first)
    first_render = time.perf_counter() - start + _wait(view)
    features = view.state()["features"]
    # the restyle the app does on a category change: the layer built, sent, applied in the page and painted
    times, builds, runs, paints = [], [], [], []
    for category in categories[1:]:
        start = time.perf_counter()
        data = build_layer(analysis, "stars", category)
        js = restyle_script(data)
        built = time.perf_counter() - start
        round_trip, run, paint = _restyle(view, js)
        times.append(built + round_trip + paint)
        builds.append(built)
        runs.append(run)
        paints.append(paint)
    # plain pandas: the same colours per region from the stars table
    stars = analysis.stars
    start = time.perf_counter()
    for category in categories[1:]:
        rows = stars[stars["category"] == category].set_index("region")["stars"]
        json.dumps(rows.map({0: "#f0f0f0", 1: "#fdd49e", 2: "#fc8d59", 3: "#d7301f"}).to_dict())
    ref = (time.perf_counter() - start) / len(categories[1:])
    med = statistics.median
    emit(seconds=med(times), first_render=first_render, build=med(builds), page_restyle=med(runs), paint=med(paints),
         ref_seconds=ref, features=features, restyles=len(times), max_seconds=max(times))
    view.close()
    app.processEvents()


def main(argv: list[str]) -> int:
    what, *rest = argv
    if what == "read":
        read_case(rest[0])
    elif what == "ref-read":
        ref_read_case(rest[0])
    elif what == "restyle":
        restyle_case(rest[0], int(rest[1]), int(rest[2]))
    else:
        raise SystemExit(f"unknown case {what!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
