"""Star-method parameters (defaults = ECO 2008, Commission SEC(2008)2637 §1.4)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from clustermapper.errors import UsageError


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

    def __post_init__(self) -> None:
        # NaN would silently switch a rule off (every comparison with NaN is False): refuse it, and any value
        # that makes a rule meaningless, with the option name the user typed
        checks = (("top_share", "--top-share", lambda v: 0 < v <= 1, "a share in (0, 1], e.g. 0.10"),
                  ("lq_min", "--lq-min", lambda v: v > 0, "a location quotient above 0, e.g. 2"),
                  ("min_employment", "--min-employment", lambda v: v >= 0, "a number of employees, 0 or more"),
                  ("strong_lq", "strong LQ", lambda v: v > 0, "a location quotient above 0, e.g. 2"))
        for name, option, valid, what in checks:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise UsageError(f"{option} must be a number ({what}), not {value!r}")
            if not math.isfinite(value) or not valid(value):
                raise UsageError(f"{option} {value!r} is not allowed: give {what}")

    def to_dict(self) -> dict:
        return asdict(self)

    def describe(self, plain: bool = False) -> str:
        """The thresholds in one line; ``plain``: the method's name, not its id, for client pages and maps."""
        name = self.method
        if plain:
            from clustermapper.metrics.methods.registry import METHODS

            known = METHODS.get(self.method)
            name = known.title.split(" (")[0] if known is not None else self.method
        return (
            f"{name}: size/focus top {self.top_share:.0%}, LQ ≥ {self.lq_min:g}, "
            f"min {self.min_employment:,.0f} employees"
        )
