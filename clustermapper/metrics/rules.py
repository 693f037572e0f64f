"""The three ECO star rules as one table: explanations, tooltips, profiles and exports all read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarRule:
    """One star rule and the stars-table columns that explain it."""

    id: str  # "size"
    title: str  # "Size"
    column: str  # boolean column of the stars table
    value: str  # the value the rule judges
    rank: str | None  # its rank column (None: compared with a fixed threshold)
    threshold: str | None  # its threshold column (None: the threshold is a parameter)


#: ECO order (size, specialisation, focus), the order of the stars-table columns.
RULES: tuple[StarRule, ...] = (
    StarRule("size", "Size", "size_star", "employment", "size_rank", "size_threshold"),
    StarRule("specialisation", "Specialisation", "specialisation_star", "lq", None, None),
    StarRule("focus", "Focus", "focus_star", "share", "focus_rank", "focus_threshold"),
)
RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
STAR_COLUMNS: tuple[str, ...] = tuple(r.column for r in RULES)
_BY_NAME = {**{r.id: r for r in RULES}, **{r.column: r for r in RULES},
            "specialization": RULES[1], "spec": RULES[1]}


def rule(name: str) -> StarRule:
    """The rule called ``name`` (id, column name, or US spelling); ``ValueError`` otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown star rule {name!r}; expected one of {', '.join(RULE_IDS)}") from None
