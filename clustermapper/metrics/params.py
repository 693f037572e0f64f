"""Star-method parameters (defaults = ECO 2008, Commission SEC(2008)2637 §1.4)."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class StarParams:
    """Thresholds of the ``eco2008`` star method.

    top_share: size/focus star for the top ``ceil(top_share * N)`` regions (N = regions with E_r > 0).
    lq_min: specialisation star when LQ >= lq_min.
    min_employment: a regional cluster with fewer employees gets no star at all.
    strong_lq: a "strong cluster" has LQ > strong_lq (portfolio share).
    """

    top_share: float = 0.10
    lq_min: float = 2.0
    min_employment: float = 1000.0
    strong_lq: float = 2.0
    method: str = "eco2008"

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> str:
        return (
            f"{self.method}: size/focus top {self.top_share:.0%}, LQ ≥ {self.lq_min:g}, "
            f"min {self.min_employment:,.0f} employees"
        )
