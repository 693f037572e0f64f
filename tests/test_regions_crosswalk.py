"""The shipped NUTS-3 crosswalk is the polygons' answer, and the overlap rule gives the same without it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clustermapper.regions import crosswalk
from clustermapper.regions.overlaps import drop_double_counted
from clustermapper.regions.shapes import EMBEDDED_VERSIONS, embedded_file


def test_shipped_table_is_what_the_embedded_polygons_give():
    shipped = pd.read_csv(embedded_file(crosswalk.FILE), dtype=str, keep_default_na=False)
    fresh = crosswalk.table()
    # fails when the polygons were rebuilt without `python -m clustermapper.regions.crosswalk`
    pd.testing.assert_frame_equal(shipped, fresh)
    assert len(fresh) > 8000 and set(fresh["version"]) == {str(v) for v in EMBEDDED_VERSIONS}


def test_known_facts_of_the_2006_to_2010_changes():
    to_2006 = crosswalk.containing(2010, 2006)
    assert to_2006["UKD71"] == ("UKD51",)  # Merseyside: UKD5 became UKD7
    assert to_2006["FI1B1"] == ("FI181",)  # Helsinki-Uusimaa out of Etelä-Suomi
    to_2010 = crosswalk.containing(2006, 2010)
    assert to_2010["FI182"] == ("FI1B1",)  # Itä-Uusimaa merged into Helsinki-Uusimaa
    assert to_2010["DE111"] == ("DE111",)


def _forget_shipped() -> None:
    crosswalk._shipped.cache_clear()
    crosswalk._shipped_pair.cache_clear()


@pytest.fixture()
def without_shipped_table(tmp_path: Path, monkeypatch) -> Path:
    """The embedded folder without the crosswalk: every answer comes from the polygons."""
    for path in embedded_file("nuts_names.csv").parent.iterdir():
        if path.name != crosswalk.FILE and path.suffix in (".zip", ".csv"):
            (tmp_path / path.name).symlink_to(path)
    monkeypatch.setenv("CLUSTERMAPPER_NUTS_DIR", str(tmp_path))
    _forget_shipped()
    return tmp_path


def test_without_the_table_the_polygons_answer_the_same(without_shipped_table: Path):
    assert not (without_shipped_table / crosswalk.FILE).exists()
    assert crosswalk._shipped() is None
    fresh = crosswalk.containing(2010, 2006)
    _forget_shipped()
    without_shipped_table.joinpath(crosswalk.FILE).symlink_to(Path(crosswalk.__file__).parents[2] / "nuts_shapes"
                                                            / crosswalk.FILE)
    assert crosswalk.containing(2010, 2006) == fresh


def test_overlap_rule_with_and_without_the_table(without_shipped_table: Path):
    # Merseyside in 2010 under both versions: UKD5 (NUTS 2006, all sectors) and UKD7 (NUTS 2010, one sector)
    rows = pd.DataFrame({"region": ["UKD5"] * 3 + ["UKD7", "UKD6", "UKC1"], "sector": ["C", "F", "G", "F", "C", "C"],
                         "year": 2010, "value": [10.0, 20.0, 30.0, 20.0, 5.0, 7.0], "flag": ""})
    kept, notes = drop_double_counted(rows, 2010)
    _forget_shipped()
    without_shipped_table.joinpath(crosswalk.FILE).symlink_to(Path(crosswalk.__file__).parents[2] / "nuts_shapes"
                                                            / crosswalk.FILE)
    assert crosswalk._shipped() is not None
    kept_shipped, notes_shipped = drop_double_counted(rows, 2010)
    assert notes == notes_shipped and kept.equals(kept_shipped)
    assert len(notes) == 1 and "UKD" in notes[0]
