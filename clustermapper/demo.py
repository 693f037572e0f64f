"""The embedded demo: a reduced extract of Eurostat's regional SBS file, its source line and its opening view.

The extract is made by ``resources/demo/make_real_demo.py`` from ``sbs_r_nuts06_r2.tsv.gz`` and keeps
Eurostat's own TSV layout and flags, so the ordinary Eurostat reader reads it. Every place that shows the
demo (status bar, map footers, profile footers, table metadata) shows :data:`SOURCE`.
"""

from __future__ import annotations

DATASET = "sbs_r_nuts06_r2"
FILE = f"data/demo_{DATASET}.tsv.gz"  # inside the ``clustermapper`` package
EXTRACTED = "2026-12-01"  # the day the extract was made from the shared copy of the Eurostat file
CITATION = (f"Eurostat, dataset {DATASET} (Structural business statistics, regional), extracted {EXTRACTED}; "
            "Eurostat's reuse policy (CC BY 4.0)")
SOURCE = f"Source: {CITATION}"
LABEL = f"demo: Eurostat {DATASET} extract"  # the short form (window title, status badge)

# Indicators kept: persons employed, and the companions that inform estimates of confidential cells.
INDICATORS = ("V16110", "V11210", "V13320")
LEVELS = (0, 1, 2)  # countries, NUTS 1, NUTS 2

# The year the demo opens on, by the default-year rule (most regions with data): 2015 has 17 of the 29
# countries only (no France, Italy, Netherlands, Belgium or Sweden). tests/test_demo.py holds the two together.
YEAR = 2014
# What the app opens on: Stuttgart's automotive cluster (published and large in every year).
CATEGORY = "C29"
REGION = "DE11"
