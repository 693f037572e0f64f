"""The defaults every front end shares (CLI options, workspace, app, readers): one place for each."""

from __future__ import annotations

DEFAULT_INDICATOR = "V16110"  # Eurostat SBS: persons employed
DEFAULT_INDICATOR_TEXT = f"{DEFAULT_INDICATOR} (persons employed)"
DEFAULT_LEVEL = 2  # NUTS level
DEFAULT_TAXONOMY = "nace-divisions"

# "Persons employed" in each Eurostat coding, in the order a reader tries them when the user gave none:
# the old regional SBS TSV (indic_sb) and today's sbs_r_nuts2021 SDMX-CSV (indic_sbs).
PERSONS_EMPLOYED = ("V16110", "EMP_LOC_NR")
# Other indicators of the same cells that inform estimates of confidential employment (priors only).
COMPANIONS: dict[str, dict[str, str]] = {
    "V16110": {"local_units": "V11210", "wages": "V13320"},
    "EMP_LOC_NR": {"local_units": "LOC_NR"},
}
#: money amounts, not counts: they may be negative (net adjustments; Eurostat publishes a few)
MONETARY_INDICATORS = frozenset(c for roles in COMPANIONS.values() for r, c in roles.items() if r == "wages")

# How confidential (suppressed) employment cells enter the stars; see clustermapper.suppressed.
SUPPRESSED_POLICIES = ("zero", "exclude", "eco-split", "estimate")
DEFAULT_SUPPRESSED = "estimate"

#: change over time: the base year is this many years before the analysis year (or the earliest year after it)
DEFAULT_CHANGE_SPAN = 4

# Threshold sensitivity (clustermapper sensitivity): the values each threshold is moved to, one at a time.
SENSITIVITY_VARIANTS: dict[str, tuple[float, ...]] = {
    "lq_min": (1.5, 2.0, 2.5),
    "top_share": (0.05, 0.10, 0.20),
    "min_employment": (500.0, 1000.0, 2000.0),
}

# Sums of numbers this large overflow float64 (1.7e308 cells gave "nan% (inf of inf)"); no count of people is.
OVERFLOW = 1e15
