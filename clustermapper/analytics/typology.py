"""Region typology by industrial ecosystem: which of the 14 ecosystems each region is specialised in.

An analysis on another taxonomy is re-prepared on ``industrial-ecosystems`` from the data it already holds
(same year, level, confidential-cell policy). LQ and share are the pipeline's own (``stars.lq`` and
``stars.share``); the rules are :mod:`clustermapper.metrics.typology`. The LQ decision of a cell that rests
on an estimate carries the star-certainty word of the test ``LQ ≥ lq_min`` (``lq_certainty``).
"""

from __future__ import annotations

import pandas as pd

from clustermapper.analysis import Analysis, prepare, score
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.typology import TypologyParams, specialised
from clustermapper.statuses import REPORTED, ZERO

ECOSYSTEMS = "industrial-ecosystems"
CELL_COLUMNS = ("region", "ecosystem", "label", "employment", "share", "lq", "lq_ok", "share_ok", "specialised",
                "status", "lq_certainty", "on_estimates")
REGION_COLUMNS = ("region", "n_types", "types", "dominant", "dominant_label", "dominant_lq", "types_on_estimates",
                  "undecided", "on_estimates", "region_total")


def ecosystem_analysis(analysis: Analysis, params: TypologyParams, taxonomy: str = ECOSYSTEMS) -> Analysis:
    """``analysis`` on ``taxonomy``, scored with the typology's LQ cut as the specialisation threshold (so
    that the star-certainty machinery decides ``LQ ≥ lq_min`` for cells resting on estimates) and no
    employment minimum. The stars of this scoring are not star ratings and are never shown as such."""
    prepared = analysis.prepared
    if prepared.spec.taxonomy != taxonomy:
        prepared = prepare(prepared.spec.with_(taxonomy=taxonomy), dataset=prepared.dataset)
    return score(prepared, StarParams(top_share=analysis.params.top_share, lq_min=params.lq_min, min_employment=0.0))


def typology_cells(analysis: Analysis, params: TypologyParams | None = None,
                   taxonomy: str = ECOSYSTEMS) -> pd.DataFrame:
    """One row per region × ecosystem (regions with E_r > 0): ``CELL_COLUMNS``."""
    params = params or TypologyParams()
    scored = ecosystem_analysis(analysis, params, taxonomy)
    rows = scored.stars[scored.stars["region_total"] > 0].reset_index(drop=True)
    rules = specialised(rows["lq"], rows["share"], params)
    out = pd.DataFrame({"region": rows["region"], "ecosystem": rows["category"]})
    out["label"] = [scored.category_label(c) for c in out["ecosystem"]]
    out["employment"] = rows["employment"]
    out["share"] = rows["share"]
    out["lq"] = rows["lq"]
    out = pd.concat([out, rules], axis=1)
    status = rows["status"] if "status" in rows.columns else pd.Series("", index=rows.index)
    out["status"] = status
    hidden = (rows["n_flagged"] > 0) | (~status.isin([REPORTED, ZERO]) if "status" in rows.columns else False)
    certainty = rows.get("specialisation_certainty")
    out["lq_certainty"] = certainty.where(hidden, "") if certainty is not None else ""
    out["on_estimates"] = hidden
    return out.loc[:, list(CELL_COLUMNS)]


def typology(analysis: Analysis, params: TypologyParams | None = None, taxonomy: str = ECOSYSTEMS) -> pd.DataFrame:
    """One row per region: its ecosystem types (``REGION_COLUMNS``), for a map layer and a column.

    ``types``: the ecosystems the region is specialised in, highest LQ first, joined by ``;`` (empty: none);
    ``dominant``: the first of them; ``types_on_estimates``: those whose cell rests on an estimated,
    confidential or missing cell (``on_estimates`` when any); ``undecided``: ecosystems, types or not, whose
    LQ test can go either way within the bounds the published totals leave (``lq_certainty`` possible)."""
    cells = typology_cells(analysis, params, taxonomy)
    totals = analysis.region_total
    out = []
    for region, rows in cells.groupby("region", sort=True):
        kept = rows[rows["specialised"]].sort_values(["lq", "ecosystem"], ascending=[False, True], kind="mergesort")
        first = kept.iloc[0] if len(kept) else None
        doubtful = kept.loc[kept["on_estimates"], "ecosystem"]
        out.append({
            "region": region, "n_types": len(kept), "types": ";".join(kept["ecosystem"]),
            "dominant": "" if first is None else first["ecosystem"],
            "dominant_label": "" if first is None else first["label"],
            "dominant_lq": float("nan") if first is None else float(first["lq"]),
            "types_on_estimates": ";".join(doubtful),
            "undecided": ";".join(rows.loc[rows["lq_certainty"] == "possible", "ecosystem"]),
            "on_estimates": bool(len(doubtful)),
            "region_total": float(totals.get(region, float("nan"))),
        })
    return pd.DataFrame(out, columns=list(REGION_COLUMNS))


def type_counts(table: pd.DataFrame) -> pd.Series:
    """How many regions have each ecosystem type (from :func:`typology`), most frequent first."""
    types = table["types"][table["types"] != ""].str.split(";").explode()
    return types.value_counts().rename("regions")
