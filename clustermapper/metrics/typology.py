"""Region typology by industrial ecosystem (Cluster Collaboration Platform style): the two rules.

A region is of ecosystem type e when both hold (docs/analytics.md, "Linkages"):

* specialisation: ``LQ_re >= lq_min`` (default 1; the ECCP's own cut is not published);
* relevance: the ecosystem's share of the region's employment ``e_re / E_r >= min_share`` (default 1 %, the
  ECCP's stated minimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from clustermapper.errors import UsageError


@dataclass(frozen=True)
class TypologyParams:
    """The typology's two thresholds (the one place they are defined)."""

    lq_min: float = 1.0
    min_share: float = 0.01

    def __post_init__(self) -> None:
        for name, option, valid, what in (
            ("lq_min", "--type-lq-min", lambda v: v > 0, "a location quotient above 0, e.g. 1"),
            ("min_share", "--min-share", lambda v: 0 <= v < 1, "a share in [0, 1), e.g. 0.01"),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not valid(value):
                raise UsageError(f"{option} {value!r} is not allowed: give {what}")

    def describe(self) -> str:
        return f"ecosystem type when LQ ≥ {self.lq_min:g} and share of regional employment ≥ {self.min_share:.1%}"


def specialised(lq: pd.Series, share: pd.Series, params: TypologyParams) -> pd.DataFrame:
    """``lq_ok``, ``share_ok`` and ``specialised`` (both) for aligned LQ and share values (NaN fails)."""
    lq_ok = lq.astype(float) >= params.lq_min
    share_ok = share.astype(float) >= params.min_share
    return pd.DataFrame({"lq_ok": lq_ok, "share_ok": share_ok, "specialised": lq_ok & share_ok})
