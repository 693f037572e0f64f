"""Synthetic datasets for the benchmarks, with real codes: NUTS-3 regions of the embedded NUTS 2021
boundaries and NACE Rev. 2 classes (4 digits) of ../shared/data/nace/nace_r2_codelist.csv.

``long_csv(folder, n_regions, n_classes, years)`` writes ``region,sector,year,value`` (one row per cell; about
4 % of the cells empty, i.e. not published) and returns its path. Values are log-normal head counts, the
same for every run (seeded), so runs compare.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
NACE_CODELIST = REPO.parent / "shared" / "data" / "nace" / "nace_r2_codelist.csv"


def nuts3_codes(version: int = 2021) -> list[str]:
    """Every NUTS-3 code of an embedded NUTS version (2021: 1,514), sorted; extra-regio (…Z) codes left out."""
    names = pd.read_csv(REPO / "nuts_shapes" / "nuts_names.csv", dtype=str, keep_default_na=False)
    rows = names[(names["LEVL_CODE"] == "3") & names["versions"].str.split().apply(lambda v: str(version) in v)]
    return sorted(c for c in rows["NUTS_ID"] if not c.endswith("Z"))


def nace_classes(path: Path = NACE_CODELIST) -> list[str]:
    """The 4-digit NACE Rev. 2 classes (615), in code order."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [row["code"] for row in csv.DictReader(fh) if row["level"] == "class"]


def long_csv(folder: Path, n_regions: int = 1200, n_classes: int = 600, years: range = range(2012, 2022),
             seed: int = 12) -> Path:
    regions = nuts3_codes()
    classes = nace_classes()
    if n_regions > len(regions) or n_classes > len(classes):
        raise SystemExit(f"only {len(regions)} NUTS-3 codes and {len(classes)} NACE classes exist")
    rng = np.random.default_rng(seed)
    regions = sorted(rng.choice(regions, n_regions, replace=False))
    classes = sorted(rng.choice(classes, n_classes, replace=False))
    base = np.round(rng.lognormal(4.0, 1.6, size=(n_regions, n_classes)))
    path = Path(folder) / f"nuts3_x_nace4_{n_regions}x{n_classes}x{len(years)}.csv"
    region_col = np.repeat(np.array(regions, dtype=object), n_classes)
    sector_col = np.tile(np.array(classes, dtype=object), n_regions)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("region,sector,year,value\n")
        for year in years:
            growth = rng.lognormal(0.0, 0.05, size=base.shape)
            value = np.round(base * growth).ravel()
            text = value.astype(np.int64).astype(str).astype(object)
            text[rng.random(value.size) < 0.04] = ""
            frame = pd.DataFrame({"region": region_col, "sector": sector_col, "year": year, "value": text})
            frame.to_csv(fh, header=False, index=False, lineterminator="\n")
    return path


if __name__ == "__main__":
    import sys
    import time

    start = time.perf_counter()
    out = long_csv(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
    print(f"{out} ({out.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
