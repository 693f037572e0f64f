"""Generate the SYNTHETIC demo dataset ``clustermapper/data/demo_employment.csv``.

The numbers are invented (seeded random draws around hand-set sector weights); they only look
plausible so that the demo maps and profiles show something meaningful. They are not Eurostat data.

Output: tidy long CSV ``region,sector,year,value,flag`` for every NUTS 2 region of the embedded
2021 boundaries, the 68 NACE Rev.2 divisions of Eurostat's regional SBS (B05…S95) and 2019–2021.
Confidential cells have an empty value and flag ``c``; missing cells an empty value and no flag.

Run ``python resources/demo/make_demo.py [--check]``; ``--check`` exits 1 if the committed file differs.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

SEED = 20210101
YEARS = (2019, 2020, 2021)
REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "clustermapper" / "data" / "demo_employment.csv"
if str(REPO) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(REPO))

# Rough persons employed per 1,000 of the business economy (hand-set, order of magnitude only).
SECTOR_WEIGHTS: dict[str, float] = {
    "B05": 1, "B06": 0.5, "B07": 0.3, "B08": 2.5, "B09": 0.5,
    "C10": 30, "C11": 3, "C12": 0.3, "C13": 4, "C14": 5, "C15": 2, "C16": 6, "C17": 4, "C18": 5,
    "C19": 0.8, "C20": 8, "C21": 4, "C22": 11, "C23": 9, "C24": 6, "C25": 24, "C26": 7, "C27": 9,
    "C28": 20, "C29": 16, "C30": 4, "C31": 6, "C32": 5, "C33": 8,
    "D35": 7, "E36": 3, "E37": 1, "E38": 6, "E39": 0.3,
    "F41": 25, "F42": 8, "F43": 55,
    "G45": 20, "G46": 75, "G47": 130,
    "H49": 45, "H50": 1.5, "H51": 2, "H52": 20, "H53": 9,
    "I55": 18, "I56": 60,
    "J58": 4, "J59": 2, "J60": 1.5, "J61": 6, "J62": 25, "J63": 3,
    "L68": 14,
    "M69": 20, "M70": 15, "M71": 20, "M72": 3, "M73": 6, "M74": 6, "M75": 1.5,
    "N77": 4, "N78": 30, "N79": 3, "N80": 8, "N81": 40, "N82": 15,
    "S95": 1.5,
}
# Present only in some regions (mining, tobacco, refineries, water and air transport).
RARE = {"B05": 0.15, "B06": 0.2, "B07": 0.2, "B09": 0.3, "C12": 0.15, "C19": 0.3, "H50": 0.45, "H51": 0.5}
# Sectors that form regional clusters (tradable activities).
CLUSTERABLE = [s for s in SECTOR_WEIGHTS if (s[0] in "CDJM" or s in ("I55", "N79")) and s not in RARE]
# A few showcase clusters so the demo tells a recognisable story (multipliers are invented).
SHOWCASE = {
    ("DE11", "C29"): 5.0, ("DE11", "C28"): 2.6, ("ITC4", "C28"): 3.2, ("ITH3", "C15"): 4.0,
    ("DK01", "C21"): 4.5, ("FI1B", "J61"): 3.5, ("FRK2", "C30"): 2.5, ("FRJ2", "C30"): 4.0,
    ("NL41", "C26"): 3.5, ("ES51", "C20"): 2.5, ("PL22", "B05"): 30.0, ("CZ05", "C29"): 3.0,
    ("IE06", "J62"): 3.0, ("ES53", "I55"): 4.0, ("HR03", "I55"): 4.0,
}
# 2020 shock and 2021 recovery factors for the sectors hit hardest (rough, invented).
SHOCK = {"I55": (0.72, 0.85), "I56": (0.85, 0.92), "H51": (0.70, 0.78), "N79": (0.70, 0.75)}


def region_codes() -> list[str]:
    """NUTS 2 codes of the embedded 2021 boundaries (the map of the demo)."""
    from clustermapper.regions.shapes import load_regions

    regions = load_regions(2021, 2)
    column = "NUTS_ID" if "NUTS_ID" in regions.columns else "region"
    return sorted(str(c) for c in regions[column])


def generate(codes: list[str], seed: int = SEED) -> str:
    """Return the CSV text for ``codes`` (deterministic for a given seed and code list)."""
    rng = np.random.default_rng(seed)
    sectors = sorted(SECTOR_WEIGHTS)
    base = np.array([SECTOR_WEIGHTS[s] for s in sectors]) / sum(SECTOR_WEIGHTS.values())
    countries = sorted({c[:2] for c in codes})
    # Country sector profile (shared by the country's regions), then region detail.
    country_mult = {cc: rng.lognormal(0.0, 0.3, len(sectors)) for cc in countries}
    lines = ["region,sector,year,value,flag"]
    for code in codes:
        size = float(np.clip(rng.lognormal(np.log(550_000), 0.75), 25_000, 4_500_000))
        if any(reg == code for reg, _ in SHOWCASE):
            size = max(size, 900_000.0)  # showcase regions are big enough to lead their category
        mult = country_mult[code[:2]] * rng.lognormal(0.0, 0.35, len(sectors))
        for i, s in enumerate(sectors):
            if s in RARE:  # absent in most regions; where present, scaled so the EU total stays plausible
                mult[i] = 0.0 if rng.random() > RARE[s] else mult[i] * RARE[s]
        for _ in range(int(rng.integers(0, 4))):
            idx = sectors.index(CLUSTERABLE[int(rng.integers(len(CLUSTERABLE)))])
            mult[idx] *= rng.uniform(2.2, 5.0)
        for (reg, sec), factor in SHOWCASE.items():
            if reg == code:
                mult[sectors.index(sec)] = max(mult[sectors.index(sec)], 1.0) * factor
        level = size * base * mult / (base * mult).sum()
        trend = rng.lognormal(0.0, 0.03, len(sectors))
        for i, s in enumerate(sectors):
            confidential_p = 0.12 if level[i] < 300 else 0.01
            for t, year in enumerate(YEARS):
                value = level[i] * trend[i] ** t
                if s in SHOCK and year > YEARS[0]:
                    value *= SHOCK[s][t - 1]
                elif year == 2020:
                    value *= 0.98
                draw = rng.random()
                if value > 0 and draw < confidential_p:
                    lines.append(f"{code},{s},{year},,c")
                elif draw > 0.997:
                    lines.append(f"{code},{s},{year},,")
                else:
                    lines.append(f"{code},{s},{year},{round(value)},")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = generate(region_codes())
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from the generator'} ({digest})")
        return 0 if same else 1
    from clustermapper.fileutil import atomic_write

    with atomic_write(args.out, newline="") as fh:
        fh.write(text)
    print(f"wrote {args.out} ({len(text.splitlines()) - 1} rows, {len(text) / 1e6:.2f} MB, sha256 {digest}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
