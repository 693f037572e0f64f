"""The benchmark suite: every case in a fresh process, one after the other (the machine is shared).

    python benchmarks/run.py [--quick] [--data sbs_r_nuts06_r2.tsv.gz] [--year 2014] [--only WORD]

Prints one line per case: the time, the peak memory (``measure.MEMORY_METHOD``), a plain pandas computation
of the same result run in the same session (``reference.py``; ``app_cases.py`` for in-process parts) and the
ratio of the two, the target and whether it is met. ``--quick``: a fast subset (reading, stars of one year
and a small synthetic NUTS-3 file; no app), on the embedded demo when the real file is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure
import synthetic

REPO = measure.REPO
REAL = REPO.parent / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"
DEMO = REPO / "clustermapper" / "data" / "demo_sbs_r_nuts06_r2.tsv.gz"
GB = 1024.0


@dataclass
class Row:
    case: str
    seconds: float
    peak_mb: float
    ref_seconds: float | None
    target: str = ""
    met: bool | None = None
    timed: str = "process"  # "process": spawn to exit of a cold process; "in-process": the part named
    cpu: float | None = None  # CPU seconds of the process ("process" rows), and of its reference
    ref_cpu: float | None = None


@dataclass
class Context:
    data: Path
    year: int
    tmp: Path
    quick: bool
    refs: dict[str, measure.Run]
    repeat: int = 3

    def ref(self, *args: str, repeat: int | None = None) -> measure.Run:
        """A reference run (the best of ``repeat``), once per session for the same arguments."""
        key = " ".join(args)
        if key not in self.refs:
            out = self.tmp / f"ref{len(self.refs)}.{'png' if args[0] == 'map' else 'csv'}"
            cmd = measure.python(str(REPO / "benchmarks" / "reference.py"), *args, str(out))
            self.refs[key] = best(lambda: measure.check(measure.run(cmd), f"reference {key}"),
                                  self.repeat if repeat is None else repeat)
        return self.refs[key]


def best(run: Callable[[], measure.Run], times: int) -> measure.Run:
    """The fastest of ``times`` runs (the machine is shared: the minimum is the least disturbed)."""
    return min((run() for _ in range(max(times, 1))), key=lambda r: r.seconds)


def cli(*args: str, env: dict[str, str] | None = None) -> measure.Run:
    return measure.check(measure.run(measure.python("-m", "clustermapper", *args), env=env), "clustermapper " +
                         " ".join(args))


def app_case(*args: str) -> measure.Run:
    return measure.check(measure.run(measure.python(str(REPO / "benchmarks" / "app_cases.py"), *args)),
                         "app_cases " + " ".join(args))


def within(seconds: float, limit: float) -> bool:
    return seconds <= limit


# ------------------------------------------------------------------------------------------- cases


def case_read(ctx: Context) -> list[Row]:
    ours = best(lambda: app_case("read", str(ctx.data)), ctx.repeat)
    ref = best(lambda: app_case("ref-read", str(ctx.data)), ctx.repeat)
    return [Row(f"read {ctx.data.name} (read_dataset, V16110)", ours.seconds, ours.peak_mb, ref.seconds,
                timed="in-process")]


def case_stars_year(ctx: Context) -> list[Row]:
    ref = ctx.ref("stars", str(ctx.data), str(ctx.year))
    rows = []
    for policy in ("estimate",) if ctx.quick else ("estimate", "zero"):
        run = best(lambda p=policy: cli("stars", "--data", str(ctx.data), "--year", str(ctx.year), "--suppressed", p,
                                        "--out", str(ctx.tmp / f"stars_{p}.csv")), ctx.repeat)
        default = " (default)" if policy == "estimate" else " (= the reference's rule)"
        rows.append(Row(f"stars {ctx.year} --suppressed {policy}{default}", run.seconds, run.peak_mb, ref.wall,
                        "<= 1.0x ref", run.seconds <= ref.wall, cpu=run.cpu, ref_cpu=ref.cpu))
    return rows


def case_stars_all(ctx: Context) -> list[Row]:
    ref = ctx.ref("stars", str(ctx.data), "all")
    run = best(lambda: cli("stars", "--data", str(ctx.data), "--year", "all", "--out", str(ctx.tmp / "stars_all.csv")),
               ctx.repeat)
    return [Row("stars --year all (8 years, one run)", run.seconds, run.peak_mb, ref.wall, "<= 3 s",
                within(run.seconds, 3.0), cpu=run.cpu, ref_cpu=ref.cpu)]


def case_restyle(ctx: Context) -> list[Row]:
    run = best(lambda: app_case("restyle", str(ctx.data), str(ctx.year), "2"), 2)
    return _restyle_rows("NUTS-2", run)


def _restyle_rows(label: str, run: measure.Run, target: float | None = None) -> list[Row]:
    """The whole restyle (layer built in Python, sent, applied, painted), then the page's part alone."""
    r = run.reported
    page = r["seconds"] - r["build"]
    goal = f"<= {target * 1000:.0f} ms" if target else ""
    return [Row(f"{label} restyle, {r['features']} polygons: build_layer + send + cm.restyle + paint", run.seconds,
                run.peak_mb, r["ref_seconds"], goal, None if target is None else within(run.seconds, target),
                timed="in-process"),
            Row(f"{label} restyle, {r['features']} polygons: page only (send + cm.restyle + paint)", page,
                run.peak_mb, None, goal, None if target is None else within(page, target), timed="in-process")]


def case_cold_start(ctx: Context) -> list[Row]:
    ref = ctx.ref("stars", str(DEMO), "2014")

    def once() -> measure.Run:
        run = cli("gui", "--demo", "--screenshot", str(ctx.tmp / "cold.png"),
                  env=measure.child_env(CLUSTERMAPPER_T0=repr(time.time())))
        run.reported["seconds"] = _rendered(run)
        return run

    run = best(once, ctx.repeat)
    rendered = run.seconds
    return [Row("cold start to rendered map (gui --demo)", rendered, run.peak_mb, ref.wall, "<= 2.0 s",
                within(rendered, 2.0), timed="spawn->rendered")]


def case_export(ctx: Context) -> list[Row]:
    ref = ctx.ref("map", str(ctx.data), str(ctx.year), "C29", repeat=1)
    run = cli("map", "--data", str(ctx.data), "--year", str(ctx.year), "--layer", "stars", "--category", "C29",
              "--dpi", "300", "--out", str(ctx.tmp / "c29.png"))
    return [Row("300-dpi export (map --layer stars C29, A4 PNG)", run.seconds, run.peak_mb, ref.wall,
                cpu=run.cpu, ref_cpu=ref.cpu)]


def case_nuts3(ctx: Context) -> list[Row]:
    path = synthetic.long_csv(ctx.tmp, n_regions=len(synthetic.nuts3_codes()), n_classes=40, years=range(2021, 2022))
    ref = ctx.ref("long-stars", str(path), "latest")
    run = best(lambda: app_case("restyle", str(path), "2021", "3"), 2)
    r = run.reported
    return [Row(f"NUTS-3 first render ({r['features']} polygons, page built and loaded)", r["first_render"],
                run.peak_mb, ref.wall, timed="in-process"), *_restyle_rows("NUTS-3", run, 0.050)]


def case_synthetic(ctx: Context) -> list[Row]:
    shape = (200, 100, range(2020, 2022)) if ctx.quick else (1200, 600, range(2012, 2022))
    path = synthetic.long_csv(ctx.tmp, *shape)
    label = f"synthetic NUTS-3 x 4-digit ({shape[0]}x{shape[1]}x{len(shape[2])}, long CSV)"
    ref = ctx.ref("long-stars", str(path), "latest", repeat=1)
    run = cli("stars", "--data", str(path), "--level", "3", "--out", str(ctx.tmp / "synthetic_stars.csv"))
    rows = [Row(f"{label}: stars", run.seconds, run.peak_mb, ref.wall, "<= 10 s, <= 1.5 GB",
                within(run.seconds, 10.0) and run.peak_mb <= 1.5 * GB, cpu=run.cpu, ref_cpu=ref.cpu)]
    if not ctx.quick:
        env = measure.child_env(CLUSTERMAPPER_T0=repr(time.time()))
        app = cli("gui", "--data", str(path), "--level", "3", "--screenshot", str(ctx.tmp / "synthetic.png"), env=env)
        rendered = _rendered(app)
        rows.append(Row(f"{label}: app shows its map", rendered, app.peak_mb, ref.wall, "<= 15 s",
                        within(rendered, 15.0), timed="spawn->rendered"))
    return rows


def _rendered(run: measure.Run) -> float:
    match = re.search(r"rendered ([0-9.]+) s", run.stdout)
    if not match:
        raise SystemExit(f"no 'rendered' time in the app's output: {run.stdout[-500:]} {run.stderr[-1500:]}")
    return float(match.group(1))


CASES: list[tuple[str, Callable[[Context], list[Row]], bool]] = [  # (name, case, in --quick)
    ("read", case_read, True),
    ("stars-year", case_stars_year, True),
    ("stars-all", case_stars_all, False),
    ("restyle", case_restyle, False),
    ("cold-start", case_cold_start, False),
    ("export", case_export, False),
    ("nuts3", case_nuts3, False),
    ("synthetic", case_synthetic, True),
]


# ------------------------------------------------------------------------------------------- table


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def table(rows: list[Row]) -> str:
    head = ("case", "time", "timed", "peak MB", "pandas ref", "ratio", "target", "met", "cpu s", "cpu ratio")
    lines = [[r.case, _time(r.seconds), r.timed, f"{r.peak_mb:,.0f}", _time(r.ref_seconds),
              f"{r.seconds / r.ref_seconds:.2f}x" if r.ref_seconds else "-", r.target or "-",
              "-" if r.met is None else ("yes" if r.met else "NO"),
              "-" if r.cpu is None else f"{r.cpu:.2f}",
              f"{r.cpu / r.ref_cpu:.2f}x" if r.cpu is not None and r.ref_cpu else "-"] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = "  ".join(f"{{:<{w}}}" if i in (0, 2, 6, 7) else f"{{:>{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*head), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast subset (no app, small synthetic file)")
    parser.add_argument("--data", type=Path, help=f"Eurostat file (default {REAL}, else the demo)")
    parser.add_argument("--year", type=int, default=2014)
    parser.add_argument("--only", help="run the cases whose name contains this word")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each light case, the best reported (default 3; "
                                                               "--quick: 1)")
    args = parser.parse_args(argv)
    data = args.data or (REAL if REAL.exists() else DEMO)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="clustermapper-bench-") as tmp:
        ctx = Context(data=data, year=args.year, tmp=Path(tmp), quick=args.quick, refs={},
                      repeat=1 if args.quick else args.repeat)
        for name, case, quick in CASES:
            if (args.quick and not quick) or (args.only and args.only not in name):
                continue
            print(f"... {name}", file=sys.stderr, flush=True)  # progress; the table goes to stdout
            rows += case(ctx)
    print(f"ClusterMapper benchmarks on {data} ({'quick' if args.quick else 'full'} run, "
          f"{time.perf_counter() - started:.0f} s)")
    print(table(rows))
    print(f"light cases and their references: the best of {ctx.repeat} runs; the export, the NUTS-3 and synthetic "
          "cases: one run (restyles: the better of 2). cpu s: user+system CPU of the process (os.wait4), "
          "little affected by other sessions' load, with its ratio to the reference's. "
          f"peak MB: {measure.MEMORY_METHOD}. timed: 'process' = a cold process, spawn to exit (the pandas ref "
          "likewise: benchmarks/reference.py); 'in-process' = the part named, after imports (its ref in a "
          "process of its own, or in the same process); 'spawn->rendered' = the app's own 'rendered' mark.")
    print("pandas ref: pandas.read_csv, string filters, the three ECO rules on published cells "
          "(= --suppressed zero), to_csv; the map ref: geopandas dissolve + matplotlib at 300 dpi; the restyle "
          "ref: the colours per region from the stars table. Restyles: median of 12 category changes; "
          "'paint' = until two animation frames after cm.restyle.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
