"""Method presets on a prepared year: the inputs beyond persons employed (wages, local units, the base year)
gathered through the same pipeline, the audit table, the portfolio, and a region under several methods.

Wages (V13320) and local units (V11210) are read by :func:`clustermapper.suppressed.companions.read_companions` and go through
:func:`analysis.prepare` like persons employed — the same year, confidential-cell policy, NUTS level
selection and taxonomy — then are aligned with the persons-employed table. A value whose cells are confidential
and not estimated, or missing, is NaN (never 0) and its status says which. The base year of ``growth`` is
``prepare`` of the same dataset at that year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from clustermapper import statuses as st
from clustermapper.analysis import Prepared, prepare
from clustermapper.defaults import COMPANIONS
from clustermapper.errors import UsageError
from clustermapper.io.table import ReadResult
from clustermapper.metrics.methods import MethodParams, method_params
from clustermapper.metrics.methods.scoring import CellInputs, score_cells
from clustermapper.metrics.portfolio import compute_portfolio
from clustermapper.suppressed.companions import read_companions

GROWTH_SPAN = 3  # default base year of ``growth``: this many years before the analysed year
_UNKNOWN = (st.CONFIDENTIAL, st.MISSING)


@dataclass(frozen=True)
class Companion:
    """One more indicator on the cells of ``Prepared.employment``: values (NaN where not known) and status."""

    role: str  # wages | local_units | base_year
    indicator: str
    year: int
    values: pd.DataFrame
    status: pd.DataFrame
    region_total: pd.Series


@dataclass(frozen=True)
class MethodResult:
    """A method applied to one prepared year: the audit table (``stars``) and its ``portfolio``."""

    params: MethodParams
    prepared: Prepared
    stars: pd.DataFrame
    portfolio: pd.DataFrame
    notes: tuple[str, ...] = ()


def _aligned(prepared: Prepared, other: Prepared, role: str, indicator: str) -> Companion:
    index, columns = prepared.employment.index, prepared.employment.columns
    values = other.employment.reindex(index=index, columns=columns)
    if other.cells is not None:
        status = other.cells.status.reindex(index=index, columns=columns).fillna(st.MISSING)
    else:
        status = pd.DataFrame(np.where(values.isna(), st.MISSING, st.REPORTED), index=index, columns=columns)
    status = status.where(values.notna(), st.MISSING)
    values = values.where(~status.isin(_UNKNOWN))
    return Companion(role, indicator, other.year, values.astype(float), status.astype(object),
                     other.region_total.reindex(index))


def companion(prepared: Prepared, role: str) -> Companion | None:
    """``wages`` or ``local_units`` of ``prepared``'s year through the same pipeline; None when the file lacks it."""
    spec, dataset = prepared.spec, prepared.dataset
    if dataset.indicator is None:  # a file without an indicator dimension (generic CSV) holds no companions:
        return None  # reading it "for V13320" would give persons employed again
    code = COMPANIONS.get(dataset.indicator, {}).get(role)
    table = read_companions(spec, dataset).get(role) if code else None
    if code is None or table is None or not (table["year"] == prepared.year).any():
        return None
    data = ReadResult(table=table, report=dataset.report, indicator=code, source=dataset.source)
    other = prepare(spec.with_(indicator=code, year=prepared.year), data)
    return _aligned(prepared, other, role, code)


def base_year(prepared: Prepared, year: int) -> Companion:
    """Persons employed in ``year`` (the ``growth`` base) through the same pipeline."""
    if year >= prepared.year:
        raise UsageError(f"--from {year} must be before the analysed year {prepared.year}")
    if year not in prepared.years:
        raise UsageError(f"--from {year} has no data; years with data: {', '.join(map(str, prepared.years))}")
    other = prepare(prepared.spec.with_(year=year), prepared.dataset)
    return _aligned(prepared, other, "base_year", prepared.dataset.indicator or prepared.spec.indicator)


def _input(prepared: Prepared, role: str, from_year: int | None) -> Companion | None:
    if role == "base_year":
        return base_year(prepared, prepared.year - GROWTH_SPAN if from_year is None else from_year)
    return companion(prepared, role)


def cell_inputs(prepared: Prepared, params: MethodParams, from_year: int | None = None) -> tuple[CellInputs, list[str]]:
    """Everything ``params.method`` reads, aligned with ``prepared.employment``; plus notes on what was used."""
    cells, notes = prepared.cells, []
    excluded = cells.hidden() if cells is not None and prepared.spec.suppressed == "exclude" else None
    extra: dict[str, object] = {}
    for role in params.method.inputs:
        found = _input(prepared, role, from_year)
        if found is None:
            notes.append(f"{role}: not in the data file; the {params.name} rule that needs it gives no star")
            continue
        if role == "base_year":
            extra.update(base_employment=found.values, base_region_total=found.region_total, base_status=found.status)
        else:
            extra.update({role: found.values, f"{role}_status": found.status})
        n_unknown = int(found.status.isin(_UNKNOWN).to_numpy().sum())
        n_est = int((found.status == st.ESTIMATED).to_numpy().sum())
        notes.append(f"{role}: {found.indicator} {found.year}, same pipeline ({prepared.spec.suppressed}); "
                     f"{n_est} cells estimated, {n_unknown} confidential or missing (no value, no star)")
    if from_year is not None and "base_year" not in params.method.inputs:
        raise UsageError(f"--from applies to --method growth only, not {params.name}")
    return CellInputs(
        employment=prepared.employment, region_total=prepared.region_total, flagged=prepared.flagged,
        excluded=excluded,
        status=cells.status if cells is not None else None, flags=cells.flags if cells is not None else None,
        **extra,
    ), notes


def method_portfolio(stars: pd.DataFrame) -> pd.DataFrame:
    """The portfolio of an audit table: the counts of :func:`compute_portfolio` (``n_1star`` … ``top_categories``,
    strong share by LQ > 2), plus ``starred_employment``/``starred_share`` (employment in starred cells; for
    ``uscmp`` the US "cluster strength") and ``starred_on_unpublished``: starred cells with a rule resting on
    an estimated, confidential or missing input."""
    base = compute_portfolio(stars[["region", "category", "employment", "region_total", "lq", "stars"]])
    starred = stars["stars"] > 0
    status_cols = [c for c in stars.columns if c.endswith("_published")]
    unpublished = ~stars[status_cols].all(axis=1) if status_cols else pd.Series(False, index=stars.index)
    by = stars["region"]
    extra = pd.DataFrame({
        "starred_employment": stars["employment"].where(starred, 0.0).groupby(by).sum(),
        "starred_on_unpublished": (starred & unpublished).groupby(by).sum().astype("int64"),
    })
    out = base.merge(extra, left_on="region", right_index=True, how="left")
    out.insert(out.columns.get_loc("starred_employment") + 1, "starred_share",
               out["starred_employment"] / out["employment"])
    return out


def score_method(prepared: Prepared, params: MethodParams | str = "eco2008", from_year: int | None = None) -> MethodResult:
    """``params`` (or a method name with its defaults) applied to ``prepared``."""
    if isinstance(params, str):
        params = method_params(params)
    inputs, notes = cell_inputs(prepared, params, from_year)
    stars = score_cells(params, inputs)
    return MethodResult(params, prepared, stars, method_portfolio(stars), tuple(notes))


def compare_methods(prepared: Prepared, region: str, methods: Sequence[MethodParams | str] = ("eco2008", "eocic"),
                    from_year: int | None = None) -> pd.DataFrame:
    """A region's portfolio under several methods side by side: one row per category with employment and LQ,
    then per method ``<method>_stars`` and ``<method>_<rule>_star`` and ``<method>_unpublished`` (a rule of
    that method rests on an estimated, confidential or missing input), most stars first."""
    frames: list[pd.DataFrame] = []
    for m in methods:
        result = score_method(prepared, m, from_year)
        rows = result.stars[result.stars["region"] == region].set_index("category")
        if rows.empty:
            raise UsageError(f"region {region!r} has no employment in {prepared.year}")
        name = result.params.name
        cols = {"stars": f"{name}_stars", **{f"{r.id}_star": f"{name}_{r.id}_star" for r in result.params.method.rules}}
        part = rows[list(cols)].rename(columns=cols)
        published = [f"{r.id}_published" for r in result.params.method.rules]
        part[f"{name}_unpublished"] = ~rows[published].all(axis=1)
        if not frames:
            frames.append(rows[["employment", "lq", "status"]])
        frames.append(part)
    table = pd.concat(frames, axis=1).reset_index()
    star_cols = [c for c in table.columns if c.endswith("_stars")]
    order = table[star_cols].sum(axis=1)
    return table.assign(_o=order).sort_values(["_o", "lq", "employment", "category"],
                                               ascending=[False, False, False, True], kind="mergesort").drop(
        columns="_o").reset_index(drop=True)
