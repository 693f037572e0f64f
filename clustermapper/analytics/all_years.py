"""Every year of a file in one run: the file read once, each year prepared and scored on its own.

``analyse_years(spec, dataset=None, years=None, progress=None, cancel=None) -> list[Analysis]`` gives one
:class:`~clustermapper.analysis.Analysis` per year with data (or per year of ``years``), ascending, each
exactly what ``run_analysis(spec.with_(year=y))`` gives — the same reading, level selection, confidential-cell
policy and star rules — without reading the file (and its companion indicators) again for every year.
"""

from __future__ import annotations

from clustermapper.analysis import (
    Analysis,
    AnalysisSpec,
    Cancel,
    Cancelled,
    Progress,
    read_spec_data,
    run_analysis,
)
from clustermapper.errors import UsageError
from clustermapper.io.source import sharing_sources
from clustermapper.io.table import ReadResult
from clustermapper.suppressed.companions import read_for_every_year


def analyse_years(spec: AnalysisSpec, dataset: ReadResult | None = None, years: list[int] | None = None,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> list[Analysis]:
    """See the module docstring. ``spec.year`` is ignored; a year of ``years`` the file lacks is a UsageError."""
    with sharing_sources():  # the companion indicators come from the same file: opened once
        if dataset is None:
            dataset = read_spec_data(spec)
        available = dataset.years
        wanted = available if years is None else sorted(set(years))
        missing = [y for y in wanted if y not in available]
        if missing:
            raise UsageError(f"no data for {', '.join(map(str, missing))}; years with data: "
                             f"{', '.join(map(str, available))}")
        read_for_every_year(spec, dataset)
    out = []
    for i, year in enumerate(wanted):
        if cancel is not None and cancel():
            raise Cancelled(f"year {year}")
        if progress is not None:
            progress(i / max(len(wanted), 1), f"Year {year}")
        out.append(run_analysis(spec.with_(year=year), dataset=dataset))
    return out
