"""A tiny employment file (12 real NUTS-2 regions, 3 sectors) shared by the export tests.

C29 is concentrated in DE11 and DE12; values are hand-set so the tests' expectations can be checked by hand.
"""

from __future__ import annotations

from pathlib import Path

REGIONS = ["DE11", "DE12", "DE13", "DE14", "DE21", "DE22", "FR10", "AT11", "AT12", "AT13", "ITC1", "ITC4"]
SECTORS = {"C29": [90000, 40000, 800, 3000, 2000, 1500, 20000, 300, 900, 1200, 25000, 6000],
           "C10": [9000, 8000, 7000, 6000, 9000, 8000, 30000, 4000, 5000, 6000, 12000, 15000],
           "G47": [60000, 50000, 40000, 35000, 70000, 60000, 300000, 20000, 30000, 60000, 90000, 120000]}


def write_tiny(folder: Path, years: tuple[tuple[int, float], ...] = ((2015, 1.0),), extra: tuple[str, ...] = ()) -> Path:
    """Write ``tiny.csv`` (long CSV with a flag column): each year's values are SECTORS × factor, rounded."""
    rows = ["region,sector,year,value,flag"]
    for year, factor in years:
        for sector, values in SECTORS.items():
            rows += [f"{r},{sector},{year},{round(v * factor)}," for r, v in zip(REGIONS, values)]
    rows += list(extra)
    path = Path(folder) / "tiny.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
