"""write_csv_text writes exactly what pandas' to_csv writes (the stars, portfolio and export tables use it)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from clustermapper.render.csv_text import write_csv_text


def _both(frame: pd.DataFrame) -> tuple[str, str]:
    ours, theirs = io.StringIO(), io.StringIO()
    write_csv_text(frame, ours)
    frame.to_csv(theirs, index=False, lineterminator="\n")
    return ours.getvalue(), theirs.getvalue()


EDGE_FLOATS = [0.0, -0.0, 1.0, 0.1 + 0.2, 1e16, 1e-7, 123456789.125, np.nan, np.inf, -np.inf, 2.0 ** 60, 5e-324]


def test_every_kind_of_cell_as_pandas_writes_it():
    frame = pd.DataFrame({
        "region": ["DE11", "FR10", "a,b", 'say "hi"', "line\nbreak"] * 12,
        "name": pd.Series(["Stuttgart", None, "Île-de-France", "", "x"] * 12, dtype="str"),
        "value": (EDGE_FLOATS * 5)[:60],
        "count": np.arange(60, dtype="int64") - 30,
        "small": np.arange(60, dtype="uint8"),
        "single": np.array((EDGE_FLOATS * 5)[:60], dtype="float32"),  # repr of the float32 value, as pandas
        "star": [True, False, True, False, True, False] * 10,
        "obj": pd.Series(["a", None, np.nan, "b", "c,d", "e"] * 10, dtype=object),
        "gap": pd.Series([1, None, 0, -7, 2 ** 40, None] * 10, dtype="Int64"),  # nullable: the star gaps
        "maybe": pd.Series([True, None, False] * 20, dtype="boolean"),
    })
    ours, theirs = _both(frame)
    assert ours == theirs


def test_repeated_values_and_an_empty_table():
    frame = pd.DataFrame({"k": [29] * 1000, "threshold": [684.1978429394393] * 1000, "lq": np.linspace(0, 3, 1000)})
    assert _both(frame)[0] == _both(frame)[1]
    empty = frame.iloc[:0]
    assert _both(empty)[0] == _both(empty)[1]


@pytest.mark.parametrize("column", [
    pd.Series(pd.to_datetime(["2020-01-01", "2021-06-30", None])),
    pd.Series(pd.Categorical(["a", "b", "a"])),
    pd.Series([1, "a", 2.5], dtype=object),  # mixed objects
])
def test_other_dtypes_are_left_to_pandas(column):
    frame = pd.DataFrame({"x": column, "y": [1.5, 2.5, 3.5]})
    ours, theirs = _both(frame)
    assert ours == theirs


def test_the_real_stars_table_is_identical(tmp_path):
    from clustermapper.analysis import AnalysisSpec, run_analysis
    from clustermapper.render.tables import stars_table

    table = stars_table(run_analysis(AnalysisSpec(demo=True)))
    ours, theirs = _both(table)
    assert ours == theirs and len(ours.splitlines()) == len(table) + 1


def test_rows_written_in_pieces_join_up_exactly(monkeypatch):
    import clustermapper.render.csv_text as csv_text

    monkeypatch.setattr(csv_text, "_ROWS_PER_WRITE", 7)  # 100 rows: 14 full pieces and one of 2
    frame = pd.DataFrame({"region": [f"R{i}" for i in range(100)], "name": ["a,b", "c"] * 50,
                          "value": np.arange(100) / 3})
    ours, theirs = _both(frame)
    assert ours == theirs and ours.count("\n") == 101


def test_a_single_column_keeps_the_csv_modules_rules():
    frame = pd.DataFrame({"name": ["", "a", "b,c", ""]})  # a lone empty field is written as ""
    assert _both(frame)[0] == _both(frame)[1]
