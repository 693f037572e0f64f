"""Two hand-built years (2010, 2014) for the change-over-time tests; every expected number is worked out here.

Ten German NUTS-2 regions are in both years. Over them C29 is exactly 10 % of all employment in both years
(2010: 53,260 of 532,600; 2014: 55,400 of 554,000), so a region's C29 LQ is 10 × its C29 share; N = 10 gives
k = ceil(0.1 × 10) = 1 (only the largest value earns the size / focus star); LQ ≥ 2 the specialisation star;
fewer than 1,000 employees no star.

C29 (2010 → 2014), region total 10,000 unless said:
- DE11 40,000 → 40,400 (total 100,000): largest, share 0.40 → 0.404 (largest): 3 → 3 stars;
  CAGR 1.01^(1/4) − 1 = +0.249 % → stable.
- DE12 3,000 → 4,800 (total 10,000 → 12,000): LQ 3 → 4: 1 → 1 star; CAGR 1.6^(1/4) − 1 = +12.47 % → growing.
- DE13 3,500 → 2,800 (total 10,000 → 8,000): LQ 3.5 → 3.5: 1 → 1; CAGR 0.8^(1/4) − 1 = −5.43 % → declining.
  Its 2014 cell carries Eurostat's flag ``b`` (break in series).
- DE14 1,500 → 2,400: LQ 1.5 → 2.4: 0 → 1 (specialisation gained) → emerging.
- DE21 2,500 → 1,800: LQ 2.5 → 1.8: 1 → 0 (specialisation lost) → vanished.
- DE22 760 → 1,200 (total 2,000 → 3,000): LQ 3.8 → 4, but below 1,000 employees in 2010: 0 → 1 → emerging.
- DE23–DE26 500 each (G47 97,150 → 102,250): LQ ≈ 0.05, no star, no class. Their G47 (share 0.995) is the
  largest G47 and the largest G47 share (four-way tie, all rank 1): 2 stars in both years, CAGR
  (102,250 / 97,150)^(1/4) − 1 = +1.287 % → growing.
- DE23 C10 is confidential (``: c``) in both years: no number, so its C10 change rests on a hidden cell.

Regions of one year only (left out of the comparison): DE41 in 2010 (NUTS 2006; DE40 in 2014), DE40 and HR03
in 2014 (Croatia has no 2010 data). They are large enough to change LQs and ranks if they were not left out.
"""

from __future__ import annotations

from pathlib import Path

COMMON = {  # region: (C29 2010, G47 2010, C29 2014, G47 2014)
    "DE11": (40000, 60000, 40400, 59600),
    "DE12": (3000, 7000, 4800, 7200),
    "DE13": (3500, 6500, 2800, 5200),
    "DE14": (1500, 8500, 2400, 7600),
    "DE21": (2500, 7500, 1800, 8200),
    "DE22": (760, 1240, 1200, 1800),
    **dict.fromkeys(("DE23", "DE24", "DE25", "DE26"), (500, 97150, 500, 102250)),
}
ONLY = {2010: {"DE41": (5000, 5000)}, 2014: {"DE40": (6000, 4000), "HR03": (100, 9900)}}
FLAGS = {("DE13", "C29", 2014): "b"}


def write_changes_file(folder: Path) -> Path:
    rows = ["region,sector,year,value,flag"]
    for region, (c1, g1, c2, g2) in COMMON.items():
        for year, c29, g47 in ((2010, c1, g1), (2014, c2, g2)):
            rows.append(f"{region},C29,{year},{c29},{FLAGS.get((region, 'C29', year), '')}")
            rows.append(f"{region},G47,{year},{g47},")
    for year, regions in ONLY.items():
        for region, (c29, g47) in regions.items():
            rows += [f"{region},C29,{year},{c29},", f"{region},G47,{year},{g47},"]
    rows += ["DE23,C10,2010,,c", "DE23,C10,2014,,c", "DE24,C10,2010,0,", "DE24,C10,2014,0,"]
    path = Path(folder) / "changes.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
