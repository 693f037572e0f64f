"""Marks of values built on many cells: the most cautious status, hidden cell count and employment share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.metrics.hidden_marks import marks

IDX, COLS = ["A", "B"], ["X", "Y"]
EMP = pd.DataFrame({"X": [60.0, 20.0], "Y": [40.0, 0.0]}, index=IDX)
STATUS = pd.DataFrame({"X": ["reported", "estimated"], "Y": ["confidential", "zero"]}, index=IDX)
FLAGS = pd.DataFrame({"X": ["", "c"], "Y": ["c", "b"]}, index=IDX)


def test_by_region_and_category():
    r = marks([EMP], [STATUS], [FLAGS], by="region")
    # A: X reported, Y confidential (unfilled) → confidential, 1 hidden, 40/100 of A's employment
    assert r.loc["A"].tolist() == ["confidential", 1, pytest.approx(0.4), "c"]
    # B: X estimated → estimated (before confidential in caution order), 20/20
    assert r.loc["B"].tolist() == ["estimated", 1, pytest.approx(1.0), "bc"]
    c = marks([EMP], [STATUS], [FLAGS], by="category")
    assert c.loc["X", "data_status"] == "estimated" and c.loc["X", "hidden_share"] == pytest.approx(0.25)
    assert c.loc["Y", "data_status"] == "confidential" and c.loc["Y", "n_hidden"] == 1


def test_two_years_and_published_cells():
    published = pd.DataFrame("reported", index=IDX, columns=COLS)
    cell = marks([EMP, EMP], [published, STATUS], [FLAGS, FLAGS], by="cell")
    assert cell.loc[("A", "X"), "data_status"] == "published" and cell.loc[("A", "X"), "n_hidden"] == 0
    assert cell.loc[("B", "X"), "n_hidden"] == 1 and cell.loc[("B", "X"), "hidden_share"] == pytest.approx(0.5)
    assert np.isnan(cell.loc[("B", "Y"), "hidden_share"])  # no employment behind it
    with pytest.raises(ValueError):
        marks([EMP], [STATUS], [FLAGS], by="country")
