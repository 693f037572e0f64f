"""Plain pandas computations of the results the benchmark cases produce (the ratio's denominator).

Each is what an analyst would write without ClusterMapper: ``pandas.read_csv`` on the file, string filters
for the indicator, the NUTS-2 codes and the NACE divisions, the three ECO rules on published cells (the
``--suppressed zero`` result: plain pandas has no estimate of confidential cells), ``DataFrame.to_csv``.

    python benchmarks/reference.py stars FILE YEAR|all|latest OUT.csv
    python benchmarks/reference.py map FILE YEAR CATEGORY OUT.png   (geopandas + matplotlib, A4, 300 dpi)
    python benchmarks/reference.py long-stars FILE.csv YEAR|all OUT.csv    (region,sector,year,value;
                                                                            classes summed to divisions)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd


def eurostat_long(path: str, indicator: str = "V16110") -> pd.DataFrame:
    """region, sector, year, value (NaN when not published) of the NUTS-2 × NACE-division cells."""
    raw = pd.read_csv(path, sep="\t", dtype=str)
    key = raw.iloc[:, 0].str.split(",", expand=True)
    keep = ((key[1] == indicator) & (key[2].str.len() == 4) & ~key[2].str.endswith("Z")
            & key[0].str.fullmatch(r"[A-Z]\d\d"))
    wide = raw.loc[keep].iloc[:, 1:].set_axis([int(c) for c in raw.columns[1:]], axis=1)
    wide.index = pd.MultiIndex.from_arrays([key.loc[keep, 2], key.loc[keep, 0]], names=["region", "sector"])
    long = wide.stack().rename("text").reset_index().rename(columns={"level_2": "year"})
    long["value"] = pd.to_numeric(long["text"].str.extract(r"^\s*(\d+(?:\.\d+)?)", expand=False))
    return long[["region", "sector", "year", "value"]]


def is_eurostat(path: str) -> bool:
    return str(path).endswith((".tsv", ".tsv.gz"))


def read_long(path: str, divisions: bool = False) -> pd.DataFrame:
    """A long CSV ``region,sector,year,value``; ``divisions``: 4-digit classes summed to their division."""
    long = pd.read_csv(path, dtype={"region": str, "sector": str, "year": np.int64, "value": np.float64})
    if divisions:
        long["sector"] = long["sector"].str[:3]
        long = long.groupby(["region", "sector", "year"], as_index=False)["value"].sum(min_count=1)
    return long


def stars_of_year(cells: pd.DataFrame, top_share: float = 0.10, lq_min: float = 2.0,
                  min_employment: float = 1000.0) -> pd.DataFrame:
    """The three ECO stars of one year's ``region, sector, value`` rows (published cells, missing = 0)."""
    e = cells.pivot_table(index="region", columns="sector", values="value", aggfunc="sum", dropna=False)
    e = e.loc[:, cells.groupby("sector")["value"].count().reindex(e.columns) > 0].fillna(0.0)
    total = e.sum(axis=1)
    e = e[total > 0]
    total = total[total > 0]
    n = len(e)
    k = -(-n * round(top_share * 100) // 100)  # ceil(top_share × N), exactly for whole percentages
    share = e.div(total, axis=0)
    lq = share / (e.sum() / total.sum())
    size_rank = e.rank(ascending=False, method="min")
    focus_rank = share.rank(ascending=False, method="min")
    big = e >= min_employment
    out = pd.DataFrame({
        "employment": e.stack(), "share": share.stack(), "lq": lq.stack(),
        "size_star": (big & (size_rank <= k)).stack(), "focus_star": (big & (focus_rank <= k)).stack(),
        "specialisation_star": (big & (lq >= lq_min)).stack(),
    })
    out["stars"] = out[["size_star", "focus_star", "specialisation_star"]].sum(axis=1)
    return out.rename_axis(["region", "category"]).reset_index()


def stars_table(long: pd.DataFrame, year: str) -> pd.DataFrame:
    if year == "all":
        years = sorted(long["year"].unique())
    else:
        years = [int(long["year"].max()) if year == "latest" else int(year)]
    parts = [stars_of_year(long[long["year"] == y]).assign(year=y) for y in years]
    return pd.concat(parts, ignore_index=True)


def star_map(path: str, year: int, category: str, out: str, version: int = 2013) -> None:
    """The stars of ``category`` on NUTS-2 polygons (dissolved from the embedded level 3), A4 PNG at 300 dpi."""
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = Path(__file__).resolve().parents[1] / "nuts_shapes" / f"nuts_{version}.gpkg.zip"
    level3 = gpd.read_file(f"/vsizip/{shapes}/nuts_{version}.gpkg", layer="level3")
    level2 = level3.assign(region=level3["NUTS_ID"].str[:4]).dissolve("region").reset_index()
    stars = stars_of_year(eurostat_long(path).query("year == @year"))
    values = stars[stars["category"] == category].set_index("region")["stars"]
    level2["stars"] = level2["region"].map(values)
    fig, ax = plt.subplots(figsize=(11.69, 8.27))
    level2.plot(ax=ax, color="#d9d9d9", edgecolor="white", linewidth=0.2)
    level2.dropna(subset=["stars"]).plot(ax=ax, column="stars", cmap="OrRd", edgecolor="white", linewidth=0.2,
                                         legend=True, categorical=True)
    ax.set_xlim(-25, 45)
    ax.set_ylim(27, 72)
    ax.set_axis_off()
    ax.set_title(f"{category} stars, {year}")
    fig.savefig(out, dpi=300)


def main(argv: list[str]) -> int:
    if argv[0] == "map":
        star_map(argv[1], int(argv[2]), argv[3], argv[4])
        return 0
    what, path, year, out = argv
    if what == "stars":
        long = eurostat_long(path)
    elif what == "long-stars":
        long = read_long(path, divisions=True)
    else:
        raise SystemExit(f"unknown reference {what!r}")
    stars_table(long, year).to_csv(out, index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
