"""Threshold sensitivity: which stars hold at the user's thresholds and which move when one threshold moves.

Each variant changes one parameter (``lq_min``, ``top_share`` or ``min_employment``) and keeps the others at
the base. A variant is *looser* when it can only add stars (a lower LQ cut, a larger top share, a lower
minimum) and *stricter* otherwise; a value equal to the base is the base itself and is not a variant.
Classes of a region × category × rule (the ECO rules are monotone in each threshold, so a held star can only
be lost at a stricter value and a missing one only gained at a looser one):

* ``robust``: held at the base and under every variant;
* ``lost-at-stricter``: held at the base, lost under at least one stricter variant;
* ``gained-at-looser``: not held at the base, held under at least one looser variant;
* ``absent``: held under none;
* ``mixed``: any other pattern (not expected for these rules; named so that it would show).

A star *depends on the thresholds* when its class is ``lost-at-stricter`` or ``gained-at-looser``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from clustermapper.errors import UsageError
from clustermapper.metrics.params import StarParams
from clustermapper.metrics.rules import RULES
from clustermapper.metrics.stars import exact

PARAMETERS = ("lq_min", "top_share", "min_employment")
_LOOSER_IF_LARGER = {"lq_min": False, "top_share": True, "min_employment": False}
ROBUST, LOST, GAINED, ABSENT, MIXED = "robust", "lost-at-stricter", "gained-at-looser", "absent", "mixed"
CLASSES = (ROBUST, LOST, GAINED, ABSENT, MIXED)
HIDDEN_STATUSES = ("estimated", "confidential", "missing")


@dataclass(frozen=True)
class Variant:
    """One parameter moved to one value; ``label`` names its column (``lq_min=1.5``)."""

    parameter: str
    value: float
    relation: str  # "looser" | "stricter"
    params: StarParams

    @property
    def label(self) -> str:
        return f"{self.parameter}={self.value:g}"


def variants_of(base: StarParams, values: Mapping[str, Sequence[float]]) -> tuple[Variant, ...]:
    """The variants of ``base`` for ``values`` (parameter → values), in the given order, base values left out."""
    out: list[Variant] = []
    for parameter, vals in values.items():
        if parameter not in PARAMETERS:
            raise UsageError(f"unknown threshold {parameter!r}; expected one of {', '.join(PARAMETERS)}")
        here = exact(getattr(base, parameter))
        for value in dict.fromkeys(float(v) for v in vals):
            if exact(value) == here:
                continue
            larger = exact(value) > here
            relation = "looser" if larger == _LOOSER_IF_LARGER[parameter] else "stricter"
            change: dict[str, Any] = {parameter: value}
            out.append(Variant(parameter, value, relation, replace(base, **change)))
    return tuple(out)


def _long(stars: pd.DataFrame) -> pd.DataFrame:
    """One row per region × category × rule: whether the star is held."""
    parts = [pd.DataFrame({"region": stars["region"].to_numpy(), "category": stars["category"].to_numpy(),
                           "rule": r.id, "held": stars[r.column].to_numpy(bool)}) for r in RULES]
    return pd.concat(parts, ignore_index=True)


def classify(base: pd.DataFrame, variants: Mapping[Variant, pd.DataFrame]) -> pd.DataFrame:
    """The long sensitivity table from the base stars table and the stars table of each variant.

    Columns: ``region, category, rule, held_base``, one boolean column per variant label, ``class``,
    ``changed_under`` (the labels whose star differs from the base, ``;``-joined), ``depends_on`` (their
    parameters), then ``employment, lq`` and, when the base carries them, ``status, flags`` and
    ``hidden_or_flagged`` (the cell rests on an estimated, confidential or missing value, or carries a flag).
    """
    table = _long(base).rename(columns={"held": "held_base"})
    held = table["held_base"].to_numpy()
    lost_stricter = np.zeros(len(table), bool)
    gained_looser = np.zeros(len(table), bool)
    wrong_way = np.zeros(len(table), bool)
    changed: list[list[str]] = [[] for _ in range(len(table))]
    params_changed: list[list[str]] = [[] for _ in range(len(table))]
    for variant, stars in variants.items():
        other = _long(stars)
        if not (other["region"].equals(table["region"]) and other["category"].equals(table["category"])):
            raise ValueError(f"the stars of {variant.label} are not aligned with the base stars")
        v = other["held"].to_numpy()
        table[variant.label] = v
        diff = v != held
        if variant.relation == "stricter":
            lost_stricter |= held & ~v
            wrong_way |= ~held & v
        else:
            gained_looser |= ~held & v
            wrong_way |= held & ~v
        for i in np.nonzero(diff)[0]:
            changed[i].append(variant.label)
            if variant.parameter not in params_changed[i]:
                params_changed[i].append(variant.parameter)
    cls = np.where(held, np.where(lost_stricter, LOST, ROBUST), np.where(gained_looser, GAINED, ABSENT))
    table["class"] = np.where(wrong_way, MIXED, cls)
    table["changed_under"] = [";".join(c) for c in changed]
    table["depends_on"] = [";".join(p) for p in params_changed]
    cell = base.set_index(["region", "category"])
    key = pd.MultiIndex.from_frame(table[["region", "category"]])
    for column in ("employment", "lq", "status", "flags", "n_flagged"):
        if column in cell.columns:
            table[column] = cell[column].reindex(key).to_numpy()
    table["hidden_or_flagged"] = _hidden_or_flagged(table)
    return table.drop(columns=["n_flagged"], errors="ignore")


def _hidden_or_flagged(table: pd.DataFrame) -> np.ndarray:
    out = np.zeros(len(table), bool)
    if "status" in table:
        out |= table["status"].isin(HIDDEN_STATUSES).to_numpy()
    if "flags" in table:
        out |= table["flags"].fillna("").astype(str).str.len().to_numpy() > 0
    if "n_flagged" in table:
        out |= table["n_flagged"].fillna(0).to_numpy() > 0
    return out


def region_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region: ``n_stars_base``, ``n_robust``, ``n_lost_at_stricter``, ``n_gained_at_looser``,
    ``n_dependent`` (= lost + gained: the stars that depend on the thresholds), ``n_dependent_hidden`` (of
    those, resting on estimated/confidential/missing or flagged cells) and ``n_dependent_<parameter>``."""
    regions = pd.Index(pd.unique(table["region"]), name="region")
    dependent = table["class"].isin([LOST, GAINED])

    def count(mask: pd.Series) -> pd.Series:
        return mask.groupby(table["region"]).sum().reindex(regions, fill_value=0).astype("int64")

    out = pd.DataFrame({
        "n_stars_base": count(table["held_base"]),
        "n_robust": count(table["class"] == ROBUST),
        "n_lost_at_stricter": count(table["class"] == LOST),
        "n_gained_at_looser": count(table["class"] == GAINED),
        "n_dependent": count(dependent),
        "n_dependent_hidden": count(dependent & table["hidden_or_flagged"]),
    }, index=regions)
    depends = table["depends_on"].fillna("").str.split(";")
    for parameter in PARAMETERS:
        out[f"n_dependent_{parameter}"] = count(depends.map(lambda p, name=parameter: name in p))
    return out.reset_index()
