"""Hold-out evaluation of the suppressed-cell policies on the real regional SBS file.

Hides a random 10 % and 20 % of the published NUTS-2 × division cells (≥ 1,000 persons employed) of a year,
plus Eurostat-style secondary cells so that no hidden cell is alone under a published total, fills them with
each policy and prints the median / p75 / p90 absolute percentage error and the share of hidden cells whose
three star decisions come out right. Two variants: hidden in that year only (the neighbouring-year prior
sees the cell's other years) and hidden in every year.

    python benchmarks/holdout_suppressed.py [--data PATH] [--year 2014] [--seeds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from clustermapper.analysis import AnalysisSpec, read_spec_data
from clustermapper.defaults import SUPPRESSED_POLICIES
from clustermapper.metrics.holdout import evaluate
from clustermapper.suppressed.companions import read_companions

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT))
    parser.add_argument("--year", type=int, default=2014)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    spec = AnalysisSpec(data=args.data, year=args.year)
    dataset = read_spec_data(spec)
    companions = read_companions(spec, dataset)
    print(f"{args.data}, {args.year}; seeds 1..{args.seeds} (medians over seeds)")
    print(f"{'variant':<18}{'hidden':>7}{'policy':>11}{'n':>7}{'median %':>10}{'p75 %':>9}{'p90 %':>9}"
          f"{'stars right':>13}{'s/run':>8}")
    for every_year in (False, True):
        for fraction in (0.1, 0.2):
            runs = []
            start = time.perf_counter()
            for seed in range(1, args.seeds + 1):
                runs.append(evaluate(dataset.table, args.year, fraction, SUPPRESSED_POLICIES, seed=seed,
                                     companions=companions, every_year=every_year))
            per_run = (time.perf_counter() - start) / args.seeds
            for i, policy in enumerate(SUPPRESSED_POLICIES):
                rs = [run[i] for run in runs]

                def med(attr: str, rs=rs) -> str:
                    values = [getattr(r, attr) for r in rs]
                    if any(v != v for v in values):
                        return "—"
                    return f"{statistics.median(values):.1f}"

                variant = "every year" if every_year else "this year only"
                print(f"{variant:<18}{fraction:>7.0%}{policy:>11}{rs[0].n_hidden:>7}{med('median_ape'):>10}"
                      f"{med('p75_ape'):>9}{med('p90_ape'):>9}{statistics.median(r.stars_right for r in rs):>13.3f}"
                      f"{per_run:>8.1f}")


if __name__ == "__main__":
    main()
