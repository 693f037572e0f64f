"""The priors of hidden cells, on hand-computed cases: neighbouring year scaled by the country's growth (the
later year on ties), wages or local units per person of the country's own cell, else pooled over its regions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clustermapper.suppressed.grid import build_grid
from clustermapper.suppressed.priors import LOCAL_UNITS, NEIGHBOUR, NONE, WAGES, priors


def _rows(cells: list[tuple[str, str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame({"region": [c[0] for c in cells], "sector": [c[1] for c in cells],
                         "year": [c[2] for c in cells],
                         "value": [np.nan if c[3] is None else float(c[3]) for c in cells],
                         "flag": ["c" if c[3] is None else "" for c in cells]})


YEAR = [  # 2014: DE11 C29, DE12 C30 and FR30 C30 hidden
    ("DE", "C29", 2014, 11000), ("DE11", "C29", 2014, None), ("DE12", "C29", 2014, 4000),
    ("DE", "C30", 2014, 100), ("DE12", "C30", 2014, None),
    ("FR10", "C30", 2014, 10), ("FR20", "C30", 2014, 30), ("FR30", "C30", 2014, None),
]


def _prior(history: pd.DataFrame | None, companions: dict[str, pd.DataFrame], order=None):
    grid = build_grid(_rows(YEAR))
    prior, basis = priors(grid, 2014, history, companions, *(() if order is None else (order,)))
    keys = list(zip(grid.cells["region"], grid.cells["sector"]))
    return dict(zip(keys, prior)), dict(zip(keys, basis))


def test_neighbouring_year_scaled_by_the_countrys_growth():
    history = pd.concat([_rows(YEAR), _rows([("DE11", "C29", 2013, 1000), ("DE", "C29", 2013, 10000)])])
    prior, basis = _prior(history, {})
    assert prior[("DE11", "C29")] == pytest.approx(1000 * 11000 / 10000)  # 1,100: DE's C29 grew by 10 %
    assert basis[("DE11", "C29")] == NEIGHBOUR
    assert np.isnan(prior[("DE12", "C29")]) and basis[("DE12", "C29")] == NONE  # published: no prior


def test_the_later_year_wins_a_tie_and_no_country_total_means_no_scaling():
    history = pd.concat([_rows(YEAR), _rows([("DE12", "C30", 2013, 70), ("DE12", "C30", 2015, 90),
                                             ("FR30", "C30", 2011, 5), ("FR30", "C30", 2010, 6)])])
    prior, basis = _prior(history, {})
    # DE's C30 is published in 2014 only: the 2015 value is taken as it is
    assert prior[("DE12", "C30")] == 90 and basis[("DE12", "C30")] == NEIGHBOUR
    assert prior[("FR30", "C30")] == 5  # 2011 is three years away (the limit), 2010 four
    assert np.isnan(prior[("DE11", "C29")])


def test_wages_per_person_of_the_country_else_pooled_over_its_regions():
    wages = _rows([("DE", "C30", 2014, 5_000_000), ("DE12", "C30", 2014, 500_000),
                   ("FR10", "C30", 2014, 400_000), ("FR20", "C30", 2014, 800_000), ("FR30", "C30", 2014, 600_000),
                   ("FR30", "C30", 2013, 1)])  # another year: not used
    prior, basis = _prior(None, {"wages": wages})
    assert prior[("DE12", "C30")] == pytest.approx(500_000 / (5_000_000 / 100))  # 10 persons
    assert prior[("FR30", "C30")] == pytest.approx(600_000 / (1_200_000 / 40))  # 20 persons
    assert basis[("FR30", "C30")] == WAGES and np.isnan(prior[("DE11", "C29")])


def test_local_units_come_after_wages_and_the_neighbouring_year_first():
    units = _rows([("DE", "C29", 2014, 110), ("DE11", "C29", 2014, 20), ("DE", "C30", 2014, 4),
                   ("DE12", "C30", 2014, 2)])
    history = pd.concat([_rows(YEAR), _rows([("DE11", "C29", 2013, 1000), ("DE", "C29", 2013, 10000)])])
    prior, basis = _prior(history, {"local_units": units})
    assert basis[("DE11", "C29")] == NEIGHBOUR  # the neighbouring year is preferred to local units
    assert prior[("DE12", "C30")] == pytest.approx(2 * 100 / 4) and basis[("DE12", "C30")] == LOCAL_UNITS
    assert basis[("FR30", "C30")] == NONE  # no evidence at all
