"""metrics.ordering: the one order of a category's regions and of a region's categories."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clustermapper.metrics.ordering import order_categories, order_regions


def _rows(**cols) -> pd.DataFrame:
    return pd.DataFrame(cols)


def test_regions_by_stars_then_employment_then_lq_then_code():
    rows = _rows(region=["R5", "R4", "R3", "R2", "R1"], stars=[1, 3, 1, 1, 1],
                 employment=[5000.0, 100.0, 9000.0, 9000.0, 9000.0], lq=[9.0, 0.1, 2.5, 3.0, 2.5])
    # R4 has the most stars despite few employees; R2 beats R1/R3 on LQ; R1 and R3 tie -> by code
    assert order_regions(rows)["region"].tolist() == ["R4", "R2", "R1", "R3", "R5"]


def test_categories_by_stars_then_lq_then_employment_then_code():
    rows = _rows(category=["C", "B", "A", "D"], stars=[2, 2, 2, 3], lq=[4.0, 4.0, 5.0, 1.0],
                 employment=[100.0, 200.0, 50.0, 10.0])
    assert order_categories(rows)["category"].tolist() == ["D", "A", "B", "C"]


def test_missing_values_sort_last_and_groups_stay_together():
    rows = _rows(region=["X", "X", "Y", "Y"], category=["A", "B", "A", "B"], stars=[0, 0, 0, 0],
                 lq=[np.nan, 0.5, 2.0, np.nan], employment=[0.0, 10.0, 20.0, np.nan])
    by_region = order_categories(rows, by_region=True)
    assert list(zip(by_region["region"], by_region["category"])) == [("X", "B"), ("X", "A"), ("Y", "A"), ("Y", "B")]
    by_category = order_regions(rows, by_category=True)
    assert list(zip(by_category["category"], by_category["region"])) == [("A", "Y"), ("A", "X"), ("B", "X"), ("B", "Y")]


def test_app_and_export_rankings_agree(tmp_path):
    # the category dock lists Analysis.category_stars; the XLSX/CSV rankings come from render.tables
    from tiny_data import write_tiny

    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.render.tables import rankings_table

    analysis = run_analysis(AnalysisSpec(data=str(write_tiny(tmp_path))))
    exported = rankings_table(analysis, top=12)
    for category in ("C29", "C10", "G47"):
        app = analysis.category_stars(category)
        app = app[app["employment"] > 0]["region"].tolist()
        assert exported[exported["category"] == category]["region"].tolist() == app
