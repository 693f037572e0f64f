"""How a taxonomy met the data: which definition codes resolved to which data codes, and what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

# Status of one definition code against the sector codes of the data.
EXACT = "exact"  # the data has the code itself
BELOW = "below"  # the data has finer codes only: their outermost ones are summed
OVERLAP = "overlap"  # covered by another code of the same category: counted once, under that code
FINER = "finer"  # the definition is finer than anything in the data: unresolved, never widened
ABSENT = "absent"  # nothing at, below or above the code in the data: unresolved

RESOLVED = (EXACT, BELOW)


@dataclass(frozen=True)
class CodeResolution:
    """One definition code of one category and the data cells it stands for."""

    category: str
    code: str
    status: str
    data_codes: tuple[str, ...] = ()
    note: str = ""


@dataclass
class Coverage:
    """Coverage report of :meth:`Taxonomy.aggregate`.

    ``covered_share`` is the employment in the cells the taxonomy uses (each cell once, even when
    several categories use it) over the total employment E (sum of ``region_totals``).
    """

    taxonomy: str
    resolutions: list[CodeResolution] = field(default_factory=list)
    no_data: list[str] = field(default_factory=list)
    all_missing: list[str] = field(default_factory=list)  # part of no_data: cells present, all missing/confidential
    category_employment: dict[str, float] = field(default_factory=dict)
    covered_employment: float = 0.0
    total_employment: float = 0.0
    shared_cells: dict[str, list[str]] = field(default_factory=dict)  # data code -> categories using it

    @property
    def covered_share(self) -> float:
        return self.covered_employment / self.total_employment if self.total_employment else float("nan")

    def resolved(self, category: str) -> dict[str, tuple[str, ...]]:
        """Definition code -> data codes summed for it, for one category."""
        return {r.code: r.data_codes for r in self.resolutions if r.category == category and r.status in RESOLVED}

    @property
    def unresolved(self) -> dict[str, list[str]]:
        """Category -> definition codes with no data cell (finer than the data, or absent)."""
        out: dict[str, list[str]] = {}
        for r in self.resolutions:
            if r.status in (FINER, ABSENT):
                out.setdefault(r.category, []).append(r.code)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per category × definition code: status, data codes (``;``-joined) and note."""
        return pd.DataFrame(
            {
                "category": [r.category for r in self.resolutions],
                "code": [r.code for r in self.resolutions],
                "status": [r.status for r in self.resolutions],
                "data_codes": [";".join(r.data_codes) for r in self.resolutions],
                "note": [r.note for r in self.resolutions],
            }
        )

    def summary(self) -> str:
        """A few lines for logs, the CLI and the UI status bar."""
        n_cat = len({r.category for r in self.resolutions})
        head = f"taxonomy {self.taxonomy}: {n_cat - len(self.no_data)} of {n_cat} categories have data; "
        if self.total_employment > 0:
            head += (f"they cover {self.covered_share:.1%} of total employment "
                     f"({self.covered_employment:,.0f} of {self.total_employment:,.0f})")
        else:  # a share of nothing printed "nan% (0 of 0)"
            head += "the data of the year have no employment at all"
        lines = [head]
        empty = [c for c in self.no_data if c not in self.all_missing]
        if empty:
            lines.append(f"no data ({len(empty)}): {', '.join(empty)}")
        if self.all_missing:
            lines.append(f"only missing or confidential cells ({len(self.all_missing)}): {', '.join(self.all_missing)}")
        for category, codes in self.unresolved.items():
            if category in self.no_data:
                continue  # already listed as a category without data
            notes = [r.note for r in self.resolutions if r.category == category and r.code in codes and r.note]
            lines.append(f"unresolved in {category}: {', '.join(codes)}" + (f" ({'; '.join(notes)})" if notes else ""))
        below = [r for r in self.resolutions if r.status == BELOW]
        if below:
            lines.append("summed from finer codes: " + ", ".join(f"{r.code}={_short(r.data_codes)}" for r in below))
        if self.shared_cells:
            lines.append("cells used by several categories: "
                         + ", ".join(f"{c} ({', '.join(cats)})" for c, cats in self.shared_cells.items()))
        return "\n".join(lines)


def _short(codes: tuple[str, ...]) -> str:
    return "+".join(codes) if len(codes) <= 4 else f"{codes[0]}+…+{codes[-1]} ({len(codes)} codes)"
