"""Restyling the interactive map in place vs reloading it (target: restyle < 100 ms).

Usage: ``python benchmarks/bench_restyle.py [eurostat.tsv.gz] [--year 2014] [--repeat 20]``

Runs the real pipeline on the Eurostat file (default: ../shared/data/eurostat/sbs_r_nuts06_r2.tsv.gz),
then prints, in milliseconds: building each layer, building the page, a full load until ``rendered``,
and ``MapView.apply_layer`` round trips (Python -> JS ``cm.restyle`` -> answer) over all layers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DEFAULT_DATA = REPO.parent / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA))
    parser.add_argument("--year", type=int, default=2014)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from clustermapper_ui.webengine_env import prepare_webengine

    prepare_webengine()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])  # kept alive for the whole benchmark
    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.layers import LAYERS, build_layer
    from clustermapper.render.web_map import build_web_map, map_boundaries, restyle_script
    from clustermapper_ui.map_view import MapView

    t = time.perf_counter()
    analysis = run_analysis(AnalysisSpec(data=args.data, year=args.year))
    print(f"pipeline ({analysis.year}, {len(analysis.portfolio)} regions): {ms(time.perf_counter() - t)}")
    counts = analysis.stars.groupby("category")["stars"].sum()
    category = "C29" if "C29" in counts.index else str(counts.idxmax())
    with_data = [c for c in analysis.categories if c in counts.index]
    layers = []
    for name, spec in LAYERS.items():
        t = time.perf_counter()
        data = build_layer(analysis, name, category if spec.needs_category else None)
        layers.append(data)
        print(f"build_layer {name:<11}: {ms(time.perf_counter() - t)}  json {len(data.to_json()) / 1024:6.1f} kB")

    t = time.perf_counter()
    shapes = map_boundaries(analysis, layers[0].values.index)
    t_shapes = time.perf_counter() - t
    t = time.perf_counter()
    page = build_web_map(analysis, layers[0], boundaries=shapes)
    print(f"boundaries: {ms(t_shapes)}   page build: {ms(time.perf_counter() - t)}   "
          f"page size {len(page.encode()) / 1e6:.2f} MB")

    view = MapView()
    view.resize(1200, 900)
    view.show()
    loop = QEventLoop()
    view.rendered.connect(loop.quit)
    view.loadFailed.connect(lambda message: (print(message), loop.quit()))
    t = time.perf_counter()
    view.show_analysis(analysis, layers[0], boundaries=shapes)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    t_load = time.perf_counter() - t
    print(f"full load until rendered: {ms(t_load)}  ({view.state()['features']} features)")

    round_trips, with_build = [], []
    for i in range(args.repeat):
        data = layers[i % len(layers)]
        js = restyle_script(data)
        t = time.perf_counter()
        view.evaluate(js)
        round_trips.append(time.perf_counter() - t)
        spec = LAYERS[data.layer]
        t = time.perf_counter()
        fresh = build_layer(analysis, data.layer, with_data[i % len(with_data)]
                            if spec.needs_category else None)
        view.evaluate(restyle_script(fresh))
        with_build.append(time.perf_counter() - t)
    median = statistics.median(round_trips)
    print(f"restyle round trip   median {ms(median)}  max {ms(max(round_trips))}  (n={args.repeat})")
    print(f"build_layer+restyle  median {ms(statistics.median(with_build))}  max {ms(max(with_build))}")
    print(f"full reload / restyle ratio: {t_load / median:.0f}x;  target < 100 ms: "
          f"{'met' if median < 0.1 else 'NOT met'}")
    print(f"blocked requests: {view.interceptor.blocked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
