"""Time ``read_dataset`` on the real Eurostat file and on derived formats (prints times, asserts nothing).

Usage: ``python benchmarks/bench_read.py [path-to-sbs_r_nuts06_r2.tsv.gz]``. Derived files (plain TSV,
SDMX-CSV, generic long CSV with decimal commas, wide XLSX) are written to a temporary folder only.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing

from clustermapper.io import read_dataset  # noqa: E402

DEFAULT = REPO.parent / "shared" / "data" / "eurostat" / "sbs_r_nuts06_r2.tsv.gz"


def timed(label: str, fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"{label:<44} best {best:6.3f} s   median {median:6.3f} s   {result.report.n_cells:>8} cells")
    return best


def derived_files(src: Path, folder: Path) -> dict[str, Path]:
    """Write the V16110 rows of the real file in other formats, to time the other readers at scale."""
    base = read_dataset(src).table
    files = {"plain tsv": folder / "plain.tsv"}
    files["plain tsv"].write_bytes(gzip.decompress(src.read_bytes()))
    sdmx = base.assign(DATAFLOW="ESTAT:SBS_R_NUTS06_R2(1.0)", **{"LAST UPDATE": "01/01/16 23:00:00"}, freq="A",
                       indic_sb="V16110", OBS_VALUE=base.value, OBS_FLAG=base.flag)
    sdmx = sdmx.rename(columns={"sector": "nace_r2", "region": "geo", "year": "TIME_PERIOD"})
    cols = ["DATAFLOW", "LAST UPDATE", "freq", "indic_sb", "nace_r2", "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
    files["sdmx-csv"] = folder / "sdmx.csv"
    sdmx[cols].to_csv(files["sdmx-csv"], index=False)
    files["generic long csv (; and decimal comma)"] = folder / "long.csv"
    base.to_csv(files["generic long csv (; and decimal comma)"], sep=";", decimal=",", index=False)
    wide = base.pivot_table(index=["region", "sector"], columns="year", values="value", aggfunc="first").reset_index()
    files["generic wide xlsx"] = folder / "wide.xlsx"
    wide.to_excel(files["generic wide xlsx"], index=False)
    return files


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not src.exists():
        sys.exit(f"needs the real file: {src}")
    print(f"file: {src} ({src.stat().st_size / 1e6:.1f} MB)")
    gz = timed("eurostat tsv.gz, V16110", lambda: read_dataset(src))
    timed("eurostat tsv.gz, V11210", lambda: read_dataset(src, indicator="V11210"))
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in derived_files(src, Path(tmp)).items():
            t = timed(label, lambda p=path: read_dataset(p), repeat=3)
            print(f"{'':<44} ratio to tsv.gz: {t / gz:.1f}x")


if __name__ == "__main__":
    main()
