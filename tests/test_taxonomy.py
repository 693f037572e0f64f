"""Taxonomies: code handling, regional totals, aggregation without double counting, coverage, files."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clustermapper.errors import InputError, UsageError
from clustermapper.taxonomy import BUILTINS, Taxonomy, load_taxonomy, normalise_code, region_totals
from clustermapper.taxonomy.codes import expand_range, is_nace_code, leaves, outermost
from clustermapper.taxonomy.loaders import nace_titles
from clustermapper.taxonomy.model import Category

DATA = Path(__file__).parent / "data" / "taxonomy"


def tidy(cells: dict[tuple[str, str], float], year: int = 2010) -> pd.DataFrame:
    """A tidy table from {(region, sector): value}; NaN values get the flag 'c' (confidential)."""
    rows = [(r, s, year, float(v), "c" if np.isnan(v) else "") for (r, s), v in cells.items()]
    return pd.DataFrame(rows, columns=["region", "sector", "year", "value", "flag"])


def tax(*categories: tuple[str, tuple[str, ...]]) -> Taxonomy:
    return Taxonomy("test", "Test", tuple(Category(cid, cid.title(), codes) for cid, codes in categories))


# --- codes -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["C29.1", "C 29.1", "c291", " C29.1 ", "C_29.1"])
def test_normalise_code(text):
    assert normalise_code(text) == "C291"


def test_code_helpers():
    assert is_nace_code("C") and is_nace_code("C2910") and not is_nace_code("CC1") and not is_nace_code("29")
    assert expand_range("C10-C12") == ["C10", "C11", "C12"] and expand_range("c29.1") == ["C291"]
    for bad in ("C10-D12", "C10-C123", "C12-C10"):
        with pytest.raises(ValueError):
            expand_range(bad)
    assert outermost(["C291", "C29", "C30", "C", "G45"]) == ["C", "G45"]
    assert outermost(["C291", "C29", "C30"]) == ["C29", "C30"]
    assert leaves(["C", "C10", "C101", "C11", "G"]) == ["C101", "C11", "G"]


# --- region totals -----------------------------------------------------------------------------------

def test_totals_sum_divisions_only():
    # Section C = 100 and groups G451/G452 would double count: R1 = C10 + C11 + G45 = 60 + 40 + 50 = 150.
    t = tidy({("R1", "C"): 100, ("R1", "C10"): 60, ("R1", "C11"): 40, ("R1", "G"): 50, ("R1", "G45"): 50,
              ("R1", "G451"): 30, ("R1", "G452"): 20, ("R2", "C10"): np.nan, ("R2", "S95"): 7})
    totals = region_totals(t)
    assert totals.to_dict() == {"R1": 150.0, "R2": 7.0}  # R2: the missing C10 counts as 0
    assert totals.name == "region_total" and totals.index.name == "region"


def test_totals_leaf_codes_without_divisions():
    # A user's own sector list: T, T1, T2, X -> leaves T1, T2, X (T is a prefix of T1).
    t = tidy({("R1", "T"): 99, ("R1", "T1"): 10, ("R1", "T2"): 20, ("R1", "X"): 5})
    assert region_totals(t)["R1"] == 35.0


def test_totals_overrides():
    t = tidy({("R1", "C10"): 60, ("R1", "TOTAL"): 1000, ("R2", "C10"): 40, ("R2", "TOTAL"): np.nan})
    totals = region_totals(t)
    assert totals.to_dict() == {"R1": 1000.0, "R2": 40.0}  # TOTAL where it has a number, else the sum
    explicit = region_totals(t, explicit=pd.Series({"R2": 500, "R9": 1}))
    assert explicit.to_dict() == {"R1": 1000.0, "R2": 500.0}  # R9 is not in the table


def test_totals_refuse_several_years():
    t = pd.concat([tidy({("R1", "C10"): 1}, 2010), tidy({("R1", "C10"): 2}, 2011)])
    with pytest.raises(UsageError, match="2010, 2011"):
        region_totals(t)


# --- aggregation -------------------------------------------------------------------------------------

def test_section_code_sums_divisions_present():
    # No section row in the data: category MAN = C resolves to C10 + C11 (groups C101 left out, C10 is there).
    t = tidy({("R1", "C10"): 60, ("R1", "C101"): 25, ("R1", "C11"): 40, ("R1", "G45"): 5})
    emp, flagged, cov = tax(("MAN", ("C",))).aggregate(t)
    assert emp.loc["R1", "MAN"] == 100.0
    assert cov.resolved("MAN") == {"C": ("C10", "C11")}


def test_partial_sums_from_level_overrides_count_as_flagged():
    # R1's C10 is a NUTS-1 sum built with a missing part (flag "*"), C11 is a plain number.
    t = tidy({("R1", "C10"): 60, ("R1", "C11"): 40})
    t.loc[t["sector"] == "C10", "flag"] = "*"
    emp, flagged, _ = tax(("MAN", ("C",)), ("FOOD", ("C10",))).aggregate(t)
    assert emp.loc["R1", "MAN"] == 100.0
    assert flagged.loc["R1", "MAN"] == 1 and flagged.loc["R1", "FOOD"] == 1


def test_exact_code_wins_when_present():
    t = tidy({("R1", "C"): 120, ("R1", "C10"): 60, ("R1", "C11"): 40})
    emp, _, cov = tax(("MAN", ("C",))).aggregate(t)
    assert emp.loc["R1", "MAN"] == 120.0 and cov.resolved("MAN") == {"C": ("C",)}


def test_finer_code_is_unresolved_never_widened():
    # Definition needs C30.3 (aerospace); data has only C30 -> unresolved, AERO has no data, not C30's 900.
    t = tidy({("R1", "C30"): 900, ("R1", "C29"): 100})
    emp, _, cov = tax(("AERO", ("C303",)), ("AUTO", ("C29",))).aggregate(t)
    assert list(emp.columns) == ["AUTO"]
    assert cov.no_data == ["AERO"] and cov.unresolved == {"AERO": ["C303"]}
    res = cov.to_frame().set_index("code").loc["C303"]
    assert res["status"] == "finer" and "only C30" in res["note"]
    assert "AERO" in cov.summary()


def test_overlapping_codes_in_one_category_count_once():
    # AUTO = C29 + C29.1 + G45: C291 lies inside C29 -> 100 + 10 = 110, not 100 + 40 + 10.
    t = tidy({("R1", "C29"): 100, ("R1", "C291"): 40, ("R1", "G45"): 10})
    emp, _, cov = tax(("AUTO", ("C29", "C291", "G45"))).aggregate(t)
    assert emp.loc["R1", "AUTO"] == 110.0
    assert cov.to_frame().set_index("code").loc["C291", "status"] == "overlap"


def test_missing_cells_zero_and_flagged_counts():
    # R1: C29 confidential (NaN) + G45 = 10 -> 10 with 1 flagged cell; R2: both numbers -> 0 flagged.
    t = tidy({("R1", "C29"): np.nan, ("R1", "G45"): 10, ("R2", "C29"): 300, ("R2", "G45"): 20})
    emp, flagged, _ = tax(("AUTO", ("C29", "G45"))).aggregate(t)
    assert emp["AUTO"].to_dict() == {"R1": 10.0, "R2": 320.0}
    assert flagged["AUTO"].to_dict() == {"R1": 1, "R2": 0}


def test_coverage_share_counts_each_cell_once():
    # Total E = 100 + 50 + 50 = 200 (divisions). A uses C29, B uses C29 and G45: covered = 150 -> 75 %.
    t = tidy({("R1", "C29"): 100, ("R1", "G45"): 50, ("R1", "H49"): 50})
    emp, _, cov = tax(("A", ("C29",)), ("B", ("C29", "G45"))).aggregate(t)
    assert cov.covered_share == pytest.approx(0.75)
    assert cov.shared_cells == {"C29": ["A", "B"]}
    assert "75.0%" in cov.summary()


def test_regions_without_any_cell_of_a_category_get_zero():
    t = tidy({("R1", "C29"): 100, ("R2", "G45"): 5})
    emp, flagged, _ = tax(("AUTO", ("C29",))).aggregate(t)
    assert emp["AUTO"].to_dict() == {"R1": 100.0, "R2": 0.0} and flagged["AUTO"].to_dict() == {"R1": 0, "R2": 0}


def test_two_texts_of_one_code_in_a_region_are_added():
    # "C_29" and "C29" are one code: R1 holds two cells of it (the grouped path), R2 one (placed).
    t = tidy({("R1", "C_29"): 30, ("R1", "C29"): 70, ("R2", "C29"): np.nan, ("R2", "G45"): 5})
    emp, flagged, _ = tax(("AUTO", ("C29",)), ("CARS", ("C29", "G45"))).aggregate(t)
    assert emp.to_dict() == {"AUTO": {"R1": 100.0, "R2": 0.0}, "CARS": {"R1": 100.0, "R2": 5.0}}
    assert flagged.to_dict() == {"AUTO": {"R1": 0, "R2": 1}, "CARS": {"R1": 0, "R2": 1}}


def test_one_cell_per_region_and_sector_matches_a_pivot_table():
    # the placed path against plain pandas: fractional (estimated) values, missing cells, partial sums
    # ("*"), regions without some sectors, and -0.0 (a sum prints it as 0.0)
    rng = np.random.default_rng(7)
    sectors = ["C10", "C11", "C29", "G45", "H49"]
    rows = [(f"R{r:02d}", s, 2010, v, "*" if rng.random() < 0.1 else "")
            for r in range(40) for s in sectors if rng.random() < 0.8
            for v in [np.nan if rng.random() < 0.15 else float(rng.choice([-0.0, 0.0, rng.random() * 1e4]))]]
    t = pd.DataFrame(rows[::-1], columns=["region", "sector", "year", "value", "flag"])  # unsorted on purpose
    taxonomy = tax(*((s, (s,)) for s in sectors), ("MAN", ("C",)))
    emp, flagged, cov = taxonomy.aggregate(t)
    assert list(emp.index) == sorted(set(t["region"])) and list(flagged.index) == list(emp.index)
    want = t.pivot_table(index="region", columns="sector", values="value", aggfunc="sum", fill_value=0.0)
    want = want.reindex(index=emp.index).fillna(0.0)
    for s in sectors:
        assert emp[s].tolist() == want[s].tolist(), s
        assert not np.signbit(emp[s].to_numpy()).any()
    assert emp["MAN"].tolist() == (want["C10"] + want["C11"] + want["C29"]).tolist()
    bad = t.assign(bad=t["value"].isna() | (t["flag"] == "*")).pivot_table(
        index="region", columns="sector", values="bad", aggfunc="sum", fill_value=0).reindex(emp.index).fillna(0)
    for s in sectors:
        assert flagged[s].tolist() == bad[s].astype(int).tolist(), s
    assert cov.total_employment == pytest.approx(region_totals(t).sum())


# --- built-ins and files -----------------------------------------------------------------------------

def test_nace_divisions_builtin():
    t = load_taxonomy("nace-divisions")
    assert len(t.categories) == 88 and t.categories[0] == "A01" and t.categories[-1] == "U99"
    assert t.label("C29") == "Manufacture of motor vehicles, trailers and semi-trailers"
    assert t.codes("C29") == ("C29",) and nace_titles()["C"] == "Manufacturing"
    with pytest.raises(UsageError):
        t.label("C99")


def test_industrial_ecosystems_builtin():
    t = load_taxonomy("industrial-ecosystems")
    assert len(t.categories) == 14 and t.label("mobility-transport-automotive") == "Mobility-Transport-Automotive"
    codes = [c for cat in t.items for c in cat.codes]
    assert len(codes) == len(set(codes))  # each division in at most one ecosystem
    assert all(len(c) == 3 and c in nace_titles() for c in codes)
    assert all(set(cat.basis) <= {"S", "T", "J"} and len(cat.basis) == len(cat.codes) for cat in t.items)
    assert "C29" in t.codes("mobility-transport-automotive") and "C30" in t.codes("aerospace-defence")


def test_unknown_name_lists_builtins():
    with pytest.raises(UsageError) as err:
        load_taxonomy("nace-sections")
    for name in BUILTINS:
        assert name in str(err.value)
    with pytest.raises(UsageError, match="no such file"):
        load_taxonomy(str(DATA / "missing.csv"))


def test_csv_file_with_semicolons_and_ranges():
    t = load_taxonomy(DATA / "automotive.csv")
    assert t.categories == ("AUTO", "AERO", "METAL") and t.id == "automotive"
    assert t.codes("AUTO") == ("C29", "G45") and t.codes("AERO") == ("C303",) and t.codes("METAL") == ("C24", "C25")


def test_csv_one_row_per_code():
    t = load_taxonomy(DATA / "one_row_per_code.csv")
    assert t.codes("AUTO") == ("C29", "C291", "G45") and t.label("TEXT") == "Textiles and clothing"


def test_yaml_file():
    t = load_taxonomy(DATA / "clusters.yaml")
    assert t.name == "Two test clusters" and t.codes("ICT") == ("J61", "J62", "J63") and t.label("AUTO") == "Automotive"


@pytest.mark.parametrize(
    "name, line, column, needle",
    [
        ("bad_code.csv", 3, "codes", "XX-1"),
        ("label_conflict.csv", 3, "label", "two labels"),
        ("no_category_column.csv", 1, None, "category"),
        ("bad_syntax.yaml", 4, 7, "invalid YAML"),
        ("bad_structure.yaml", 4, None, "'id' and 'codes'"),
        ("unsafe.yaml", 1, 13, "python/object"),
    ],
)
def test_bad_files_say_where(name, line, column, needle):
    with pytest.raises(InputError) as err:
        load_taxonomy(DATA / name)
    assert err.value.line == line and err.value.column == column and needle in str(err.value)
    assert name in str(err.value)


@pytest.mark.parametrize(("codes", "why"), [
    ("C29;X99", "there is no section X"),
    ("C01", "section C has no division 01 (division 01 is in section A)"),
    ("C10-C34", "section C has no division 34"),
    ("A9", "section A has no division 9…"),
])
def test_well_formed_codes_outside_nace_are_refused(tmp_path, codes, why):
    # X99 or C01 looked like codes, matched no data and left the category empty without a word about the file
    path = tmp_path / "t.csv"
    path.write_text(f"category,label,codes\nAUTO,Cars,C29\nODD,Odd,\"{codes}\"\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_taxonomy(path)
    assert (err.value.line, err.value.column) == (3, "codes") and why in str(err.value)


def test_groups_and_classes_are_checked_through_their_division(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("category,label,codes\nAUTO,Cars,C29.10;C2932;G45\nSEC,Section,C\n", encoding="utf-8")
    assert load_taxonomy(path).codes("AUTO") == ("C2910", "C2932", "G45")


def test_files_are_not_modified(tmp_path):
    before = {p.name: p.read_bytes() for p in DATA.iterdir()}
    for p in DATA.iterdir():
        with contextlib.suppress(InputError):  # bad files are refused; either way nothing is written
            load_taxonomy(p)
    assert before == {p.name: p.read_bytes() for p in DATA.iterdir()}


def test_empty_and_non_utf8_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        load_taxonomy(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("category,label,codes\nAUTO,Automóvil,C29\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        load_taxonomy(latin)


@pytest.fixture(scope="module")
def real_2010(eurostat_file) -> pd.DataFrame:
    """Persons employed (V16110), 2010, NUTS 2 regions (4-character codes, extra-regio ``..Z`` excluded)."""
    from clustermapper.io import read_dataset

    t = read_dataset(eurostat_file, indicator="V16110").table
    return t[(t["year"] == 2010) & (t["region"].str.len() == 4) & ~t["region"].str.endswith("Z")]


@pytest.mark.shared
def test_real_file_divisions_and_ecosystems(real_2010):
    emp, flagged, cov = load_taxonomy("nace-divisions").aggregate(real_2010)
    # the file has 68 divisions (B-N except K, plus S95); the other 20 are reported, not invented
    assert emp.shape[1] == 68 and len(cov.no_data) == 20 and "Q86" in cov.no_data
    assert cov.covered_share == pytest.approx(1.0)
    assert (region_totals(real_2010) > 0).sum() == 282 and flagged.to_numpy().sum() > 0
    eco, _, cov2 = load_taxonomy("industrial-ecosystems").aggregate(real_2010)
    assert eco.shape[1] == 14 and 0.78 < cov2.covered_share < 0.85
    assert cov2.unresolved["health"] == ["Q86", "Q87"]


def test_category_with_only_confidential_cells_is_reported():
    t = tidy({("R1", "C29"): np.nan, ("R2", "C29"): np.nan, ("R1", "G45"): 10})
    emp, _, cov = tax(("AUTO", ("C29",)), ("TRADE", ("G45",))).aggregate(t)
    assert list(emp.columns) == ["TRADE"] and cov.no_data == ["AUTO"] and cov.all_missing == ["AUTO"]
    assert "only missing or confidential cells (1): AUTO" in cov.summary()
