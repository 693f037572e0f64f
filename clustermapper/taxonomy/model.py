"""A taxonomy: ordered categories, each defined by NACE codes, and its aggregation of a tidy table."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.io.cells import map_unique
from clustermapper.regions.levels import PARTIAL_FLAG
from clustermapper.taxonomy.codes import covers, normalise_code, outermost
from clustermapper.taxonomy.coverage import ABSENT, BELOW, EXACT, FINER, OVERLAP, CodeResolution, Coverage
from clustermapper.taxonomy.totals import region_totals, single_year


@dataclass(frozen=True)
class Category:
    """One category: id (used in tables), label (shown to people) and its defining codes."""

    id: str
    label: str
    codes: tuple[str, ...]
    basis: tuple[str, ...] = ()  # per code, optional (e.g. S/T/J of the industrial-ecosystem mapping)


@dataclass(frozen=True)
class Taxonomy:
    """Ordered categories defined by NACE codes (a code covers every finer code below it)."""

    id: str
    name: str
    items: tuple[Category, ...]
    source: str = ""
    notes: str = ""
    _index: dict[str, Category] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {c.id: c for c in self.items})

    @property
    def categories(self) -> tuple[str, ...]:
        """Category ids in the taxonomy's order."""
        return tuple(c.id for c in self.items)

    def _get(self, category: str) -> Category:
        try:
            return self._index[category]
        except KeyError:
            raise UsageError(f"taxonomy {self.id} has no category {category!r}") from None

    def label(self, category: str) -> str:
        return self._get(category).label

    def codes(self, category: str) -> tuple[str, ...]:
        return self._get(category).codes

    def resolve(self, data_codes: set[str] | list[str]) -> list[CodeResolution]:
        """Match every definition code with the data's sector codes (see :meth:`aggregate`)."""
        data = sorted({normalise_code(c) for c in data_codes})
        out: list[CodeResolution] = []
        for cat in self.items:
            kept = outermost(cat.codes)
            for code in cat.codes:
                if code not in kept:
                    owner = next(k for k in kept if covers(k, code))
                    out.append(CodeResolution(cat.id, code, OVERLAP, (), f"inside {owner}, counted once"))
                    continue
                out.append(_resolve_one(cat.id, code, data))
        return out

    def aggregate(self, table: pd.DataFrame, region_total: pd.Series | None = None
                  ) -> tuple[pd.DataFrame, pd.DataFrame, Coverage]:
        """Employment by region × category from a tidy table of one year.

        Returns ``(employment, flagged, coverage)``: employment (float, missing cells counted as 0)
        and counts of the missing/confidential cells behind each value, both indexed by every region
        of the table and with one column per category that has data, in taxonomy order.

        Each definition code uses the data code itself when present, else the outermost data codes
        below it (a section is the sum of its divisions); a code finer than the data is unresolved
        and reported, never widened to its parent. Codes of one category that overlap count once.
        ``region_total``: :func:`region_totals` of ``table`` when the caller has it already.
        """
        table = single_year(table)
        sectors = map_unique(table["sector"].astype(str), normalise_code)
        resolutions = self.resolve(set(sectors.unique()))
        values, missing, numeric = _region_sector(table, sectors)
        regions = values.index
        # each category's sum over its sectors' columns in numpy: 88 DataFrame selections and sums took
        # ~0.1 s a year (numpy adds the columns in the same order, so the sums are the same)
        column = {code: i for i, code in enumerate(values.columns)}
        value_array, missing_array = values.to_numpy(dtype=float), missing.to_numpy()
        numbers = {str(code): int(n) for code, n in numeric.items()}

        employment: dict[str, pd.Series] = {}
        flagged: dict[str, pd.Series] = {}
        no_data: list[str] = []
        all_missing: list[str] = []  # cells exist, but none holds a number
        used_by: dict[str, list[str]] = {}
        for cat in self.items:
            cells = outermost(c for r in resolutions if r.category == cat.id for c in r.data_codes)
            if not cells or sum(numbers.get(c, 0) for c in cells) == 0:
                no_data.append(cat.id)
                if cells:
                    all_missing.append(cat.id)
                continue
            at = [column[c] for c in cells]
            employment[cat.id] = pd.Series(value_array[:, at].sum(axis=1), index=regions)
            flagged[cat.id] = pd.Series(missing_array[:, at].sum(axis=1).astype("int64"), index=regions)
            for c in cells:
                used_by.setdefault(c, []).append(cat.id)

        emp = pd.DataFrame(employment, index=regions, columns=[c for c in self.categories if c in employment])
        flg = pd.DataFrame(flagged, index=regions, columns=emp.columns).astype("int64")
        emp.columns.name = flg.columns.name = "category"
        covered = outermost(used_by)
        coverage = Coverage(
            taxonomy=self.id,
            resolutions=resolutions,
            no_data=no_data,
            all_missing=all_missing,
            category_employment={c: float(emp[c].sum()) for c in emp.columns},
            covered_employment=float(values[covered].to_numpy().sum()) if covered else 0.0,
            total_employment=float((region_totals(table) if region_total is None else region_total).sum()),
            shared_cells={c: cats for c, cats in sorted(used_by.items()) if len(cats) > 1},
        )
        return emp.astype(float), flg, coverage

    def describe(self) -> str:
        return f"{self.name} ({len(self.items)} categories)" + (f"; source: {self.source}" if self.source else "")


def _region_sector(table: pd.DataFrame, sectors: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Region × sector sums of the values (missing as 0) and of the missing cells, both with every region
    (sorted) and sector present; and the cells with a number per sector."""
    value = table["value"].astype(float)
    # A sum built by a level override with missing parts is as uncertain as a missing cell.
    flag_codes, flags = pd.factorize(table["flag"].astype(str), use_na_sentinel=False)  # each text looked at once
    missing = value.isna().to_numpy() | np.array([str(f).endswith(PARTIAL_FLAG) for f in flags], dtype=bool)[flag_codes]
    region_codes, region_names = pd.factorize(table["region"].astype(str), sort=True)
    sector_codes, sector_names = pd.factorize(sectors, sort=True)
    regions, columns = pd.Index(region_names, name="region"), pd.Index(sector_names, name="sector")
    cell = region_codes.astype("int64") * max(len(columns), 1) + sector_codes
    if len(cell) and (region_codes.min() < 0 or sector_codes.min() < 0
                      or np.bincount(cell, minlength=1).max() > 1):  # a repeated or missing key: group them
        frame = pd.DataFrame({"region": table["region"].astype(str), "sector": sectors, "value": value,
                              "missing": missing.astype("int64")})
        grouped = frame.groupby(["region", "sector"])
        return (grouped["value"].sum().unstack("sector").reindex(regions).fillna(0.0),
                grouped["missing"].sum().unstack("sector").reindex(regions).fillna(0),
                grouped["value"].count().groupby(level="sector").sum())
    # one cell per region and sector (every table after level selection): placed, not grouped. A group sum
    # of one value is that value, so the table is the one groupby + unstack gives, ~10x faster on NUTS-3 ×
    # 4-digit data (720,000 cells)
    sums = np.zeros((len(regions), len(columns)))
    sums[region_codes, sector_codes] = np.nan_to_num(value.to_numpy(), nan=0.0)
    counts = np.zeros((len(regions), len(columns)), dtype="int64")
    counts[region_codes, sector_codes] = missing
    numbers = np.bincount(sector_codes, weights=~value.isna().to_numpy(), minlength=len(columns)).astype("int64")
    return (pd.DataFrame(sums, index=regions, columns=columns), pd.DataFrame(counts, index=regions, columns=columns),
            pd.Series(numbers, index=columns))


def _resolve_one(category: str, code: str, data: list[str]) -> CodeResolution:
    if code in data:
        return CodeResolution(category, code, EXACT, (code,))
    below = [c for c in data if c != code and covers(code, c)]
    if below:
        return CodeResolution(category, code, BELOW, tuple(outermost(below)))
    coarser = [c for c in data if covers(c, code)]
    if coarser:
        parent = max(coarser, key=len)
        return CodeResolution(category, code, FINER, (),
                              f"{code} is finer than the data, which has only {parent}; not widened")
    return CodeResolution(category, code, ABSENT, (), f"no {code} data in the file")


