"""The four star-method presets: the one place that defines each rule and each threshold (default, unit,
meaning). ``docs/analytics.md`` ("Method presets") explains them and the source of every default."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from clustermapper.errors import UsageError
from clustermapper.metrics.methods.preset import Method, MethodParams, Rule, Threshold


def _share(name: str, meaning: str) -> Threshold:
    return Threshold(name, 0.10, "share of regions", meaning, low=0.0, high=1.0, low_open=True)


def _percent(name: str, default: float, meaning: str) -> Threshold:
    return Threshold(name, default, "percentile", meaning, low=0.0, high=100.0)


_MIN_EMPLOYMENT = Threshold("min_employment", 1000.0, "persons employed",
                            "a regional cluster with fewer persons employed gets no star", low=0.0)

ECO2008 = Method(
    name="eco2008",
    title="European Cluster Observatory 2008 (size, specialisation, focus)",
    source="Commission SEC(2008)2637 §1.4; the existing stars (metrics.stars.compute_stars)",
    rules=(
        Rule("size", "Size", "persons employed; star when fewer than k = ceil(top_share × N) regions have more"),
        Rule("specialisation", "Specialisation", "location quotient LQ; star when LQ ≥ lq_min"),
        Rule("focus", "Focus", "the category's share of regional employment; star like size"),
    ),
    thresholds=(
        _share("top_share", "size and focus: the top share of regions"),
        Threshold("lq_min", 2.0, "location quotient", "specialisation: LQ at least", low=0.0, low_open=True),
        _MIN_EMPLOYMENT,
    ),
)

EOCIC = Method(
    name="eocic",
    title="European Panorama of Clusters and Industrial Change (size, specialisation, productivity)",
    source="EOCIC 2019/2020 rules; numeric thresholds are our choice (the EOCIC methodology report is not "
           "available here): ECO 2008's for size, specialisation and the minimum, the European level for productivity",
    rules=(
        Rule("size", "Size", "persons employed; star when fewer than k = ceil(size_top_share × N) regions have more"),
        Rule("specialisation", "Specialisation", "location quotient LQ; star when LQ ≥ lq_min"),
        Rule("productivity", "Productivity",
             "wages (V13320) per person employed relative to the category's European level "
             "(Σ wages / Σ persons over the regions where both are known); star when ≥ productivity_min"),
    ),
    thresholds=(
        _share("size_top_share", "size: the top share of regions"),
        Threshold("lq_min", 2.0, "location quotient", "specialisation: LQ at least", low=0.0, low_open=True),
        Threshold("productivity_min", 1.0, "ratio to the European level",
                  "productivity: wages per person employed at least this multiple of the category's European level",
                  low=0.0, low_open=True),
        _MIN_EMPLOYMENT,
    ),
    inputs=("wages",),
)

USCMP = Method(
    name="uscmp",
    title="US Cluster Mapping strong cluster (LQ top quartile, LQ ≥ 1, employment and establishments)",
    source="github.com/clustermapping/cmp (rules read from its code; see ../shared/docs/method-presets.md)",
    rules=(
        Rule("specialisation", "LQ in the top quartile",
             "location quotient; holds when LQ ≥ the lq_percentile-th percentile of LQ across the regions with "
             "employment in the category"),
        Rule("lq_floor", "LQ at least 1", "location quotient; holds when LQ ≥ lq_floor"),
        Rule("size", "Employment", "persons employed; holds when above the employment_percentile-th percentile"),
        Rule("establishments", "Establishments",
             "local units (V11210); holds when above the units_percentile-th percentile"),
    ),
    thresholds=(
        _percent("lq_percentile", 75.0, "LQ percentile to reach (90: the 'strong10' variant)"),
        Threshold("lq_floor", 1.0, "location quotient", "LQ at least", low=0.0, low_open=True),
        _percent("employment_percentile", 25.0, "employment percentile to exceed"),
        _percent("units_percentile", 25.0, "local-units percentile to exceed"),
    ),
    combine="all",
    inputs=("local_units",),
)

GROWTH = Method(
    name="growth",
    title="Employment growth above the category's European growth (ClusterMapper)",
    source="ours (issue 10): growth over the span --from → --year, the minimum employment of ECO 2008",
    rules=(
        Rule("growth", "Growth",
             "employment growth e_t / e_from − 1 (regions with data in both years, e_from > 0); star when above "
             "the category's European growth Σe_t / Σe_from − 1 plus margin"),
    ),
    thresholds=(
        Threshold("margin", 0.0, "growth (0.05 = 5 percentage points over the span)",
                  "added to the category's European growth", low=-1.0, high=10.0),
        _MIN_EMPLOYMENT,
    ),
    inputs=("base_year",),
)

METHODS: dict[str, Method] = {m.name: m for m in (ECO2008, EOCIC, USCMP, GROWTH)}
DEFAULT_METHOD = "eco2008"


def get_method(name: str) -> Method:
    try:
        return METHODS[name]
    except KeyError:
        raise UsageError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}") from None


def method_params(name: str, thresholds: Mapping[str, object] | None = None) -> MethodParams:
    """The method called ``name`` with ``thresholds`` overriding its defaults (each checked)."""
    return MethodParams(get_method(name), dict(thresholds or {}))  # type: ignore[arg-type]


def parse_assignments(texts: Iterable[str]) -> dict[str, str]:
    """``["productivity_min=1.1", …]`` → ``{"productivity_min": "1.1"}``; a name given twice is refused."""
    out: dict[str, str] = {}
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise UsageError(f"--threshold {text!r}: write NAME=VALUE, e.g. productivity_min=1.1")
        if name in out:
            raise UsageError(f"--threshold {name} is given twice")
        out[name] = value.strip()
    return out
