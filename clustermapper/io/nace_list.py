"""The embedded NACE Rev. 2 code list (sections and divisions with their titles): read once, here, for the
readers (section letters of bare division digits) and the taxonomies (titles, code checks)."""

from __future__ import annotations

import csv
from functools import lru_cache

from clustermapper.resources import TAXONOMIES, resource_path


@lru_cache(maxsize=1)
def nace_titles() -> dict[str, str]:
    """Official NACE Rev. 2 titles of sections and divisions (code -> title)."""
    with open(resource_path(TAXONOMIES, "data/nace_rev2.csv"), encoding="utf-8", newline="") as fh:
        return {row["code"]: row["title"] for row in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def division_sections() -> dict[str, str]:
    """A division's two digits -> its section letter (``"29"`` -> ``"C"``)."""
    return {code[1:]: code[0] for code in nace_titles() if len(code) == 3}
