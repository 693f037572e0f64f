"""What a cell's number is: the status every employment value carries from the reader to the reports."""

from __future__ import annotations

import numpy as np
import pandas as pd

REPORTED = "reported"  # a published number (flags such as ``d`` or ``b`` are kept beside it)
ZERO = "zero"  # a published 0
CONFIDENTIAL = "confidential"  # suppressed by Eurostat (flag ``c``), left unfilled by the policy
MISSING = "missing"  # not available (``:`` without ``c``) or unreadable
ESTIMATED = "estimated"  # a confidential cell filled by the policy (eco-split or estimate)

# Eurostat flags that make a comparison across years or regions questionable (marked in changes).
BREAK_FLAGS = {"b": "break in time series", "d": "definition differs, see Eurostat metadata",
               "i": "see Eurostat metadata", "u": "low reliability"}

# Eurostat's flag letters (its code list of observation flags): anything else is kept, never interpreted
EUROSTAT_FLAGS = {"b": "break in time series", "c": "confidential", "d": "definition differs", "e": "estimated",
                  "f": "forecast", "i": "see metadata", "n": "not significant", "p": "provisional",
                  "r": "revised", "s": "Eurostat estimate", "u": "low reliability", "z": "not applicable"}


# every status, most cautious first: a sum with an estimated part is estimated, with an unfilled confidential part a lower bound
CAUTION = (ESTIMATED, CONFIDENTIAL, REPORTED, ZERO, MISSING)


def no_value(value: object) -> bool:
    """One scalar holds no number: None, ``pd.NA`` or NaN. Cheaper than ``pd.isna``'s dispatch, which tooltips
    and gap phrases would pay for every cell of a NUTS-3 map."""
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and value != value)


def combine(statuses) -> str:
    """The status of a sum of cells (``CAUTION`` order; a sum of published zeros is zero)."""
    present = set(statuses)
    for s in CAUTION:
        if s in present:
            return s
    return MISSING


def is_confidential_flag(flags: pd.Series) -> pd.Series:
    # once per distinct flag text (a handful), not once per cell (a year of a NUTS-3 table: 700,000)
    positions, uniques = pd.factorize(flags, use_na_sentinel=False)
    hit = np.array([isinstance(u, str) and "c" in u for u in uniques], dtype=bool)
    return pd.Series(hit[positions], index=flags.index)


def classify(values: pd.Series, flags: pd.Series) -> pd.Series:
    """The status of each published-or-not cell, before any policy fills it."""
    v = values.to_numpy(dtype=float)
    conf = is_confidential_flag(flags).to_numpy()
    out = np.where(np.isnan(v), np.where(conf, CONFIDENTIAL, MISSING), np.where(v == 0, ZERO, REPORTED))
    return pd.Series(out, index=values.index, dtype=object)


def break_flags(letters: str) -> str:
    """The letters of :data:`BREAK_FLAGS` in ``letters`` (``"bc*"`` → ``"b"``): what marks a change over time."""
    return "".join(ch for ch in sorted(set(letters)) if ch in BREAK_FLAGS)


def unknown_flags_note(table: pd.DataFrame, limit: int = 5) -> str | None:
    """A reader's note on flag letters outside :data:`EUROSTAT_FLAGS` (``1455 q``), with a cell of each; they
    would otherwise pass as plain published numbers without a word."""
    flags = table["flag"]  # text: every reader's table comes out of io.tidy.finish
    odd = sorted(t for t in pd.unique(flags) if set(t) - set(EUROSTAT_FLAGS) - {" "})
    if not odd:
        return None
    parts = []
    for text in odd[:limit]:
        rows = table[flags == text]
        r = rows.iloc[0]
        parts.append(f"{text!r} ({len(rows):,} cell{'s' if len(rows) > 1 else ''}, e.g. {r['region']} "
                     f"{r['sector']} {r['year']})")
    more = f" and {len(odd) - limit} more" if len(odd) > limit else ""
    return (f"flags that are not Eurostat's ({', '.join(sorted(EUROSTAT_FLAGS))}): {', '.join(parts)}{more}; "
            "their numbers are read as published, the flags kept beside them — check the flag column")
