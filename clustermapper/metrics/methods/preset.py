"""The shape of a star-method preset: its rules, its thresholds (default, unit, meaning, allowed range) and
the validated values one run uses. The presets themselves are in :mod:`.registry`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from clustermapper.errors import UsageError

#: the audit columns every rule of every method writes, as ``<rule>_<field>``
AUDIT_FIELDS = ("value", "rank", "percentile", "threshold", "star", "status", "published")


@dataclass(frozen=True)
class Threshold:
    """One editable threshold: ``low``/``high`` bound the allowed values (``*_open``: the bound itself is refused)."""

    name: str
    default: float
    unit: str
    meaning: str
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def allowed(self) -> str:
        left = "(" if self.low_open or self.low == -math.inf else "["
        right = ")" if self.high_open or self.high == math.inf else "]"
        return f"{left}{self.low:g}, {self.high:g}{right}"

    def check(self, value: object) -> float:
        """The value as a float, or :class:`UsageError` naming the threshold, its range and unit."""
        what = f"threshold {self.name} ({self.unit}; allowed {self.allowed()}, default {self.default:g})"
        if isinstance(value, bool):
            raise UsageError(f"{what}: {value!r} is not a number")
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise UsageError(f"{what}: {value!r} is not a number") from None
        low_ok = number > self.low if self.low_open else number >= self.low
        high_ok = number < self.high if self.high_open else number <= self.high
        if not math.isfinite(number) or not (low_ok and high_ok):
            raise UsageError(f"{what}: {value!r} is not allowed")
        return number


@dataclass(frozen=True)
class Rule:
    """One rule of a method; its audit columns are ``<id>_value … <id>_published``."""

    id: str
    title: str
    meaning: str  # what the value is and when the rule holds, in one sentence


@dataclass(frozen=True)
class Method:
    """A star-method preset. ``combine``: ``count`` (stars = rules met) or ``all`` (one star when every rule is met)."""

    name: str
    title: str
    source: str
    rules: tuple[Rule, ...]
    thresholds: tuple[Threshold, ...]
    combine: str = "count"
    inputs: tuple[str, ...] = ()  # companion inputs beyond persons employed: wages, local_units, base_year

    def threshold(self, name: str) -> Threshold:
        for t in self.thresholds:
            if t.name == name:
                return t
        raise UsageError(f"method {self.name} has no threshold {name!r}; its thresholds: "
                         + ", ".join(t.name for t in self.thresholds))

    def defaults(self) -> dict[str, float]:
        return {t.name: t.default for t in self.thresholds}

    def audit_columns(self) -> list[str]:
        return [f"{r.id}_{f}" for r in self.rules for f in AUDIT_FIELDS]


@dataclass(frozen=True)
class MethodParams:
    """A method and the value of each of its thresholds (every one checked; unknown names refused)."""

    method: Method
    values: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checked = self.method.defaults()
        for name, value in dict(self.values).items():
            checked[name] = self.method.threshold(name).check(value)
        object.__setattr__(self, "values", checked)

    @property
    def name(self) -> str:
        return self.method.name

    def __getitem__(self, name: str) -> float:
        return self.values[self.method.threshold(name).name]

    def describe(self) -> str:
        parts = ", ".join(f"{t.name}={self.values[t.name]:g}" for t in self.method.thresholds)
        return f"{self.method.name}: {parts}"
