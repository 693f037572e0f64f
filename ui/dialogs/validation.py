"""Validation report shown after reading and before computing: cells, gaps, issues, coverage, NUTS match."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser, QVBoxLayout

from clustermapper.analysis import AnalysisSpec
from clustermapper.io.table import ReadResult


@dataclass
class Validation:
    """What the user sees before computing (built in a worker thread: no Qt)."""

    dataset: ReadResult
    year: int | None
    coverage_text: str = ""
    nuts_text: str = ""
    problems: list[str] = field(default_factory=list)


def validate(dataset: ReadResult, spec: AnalysisSpec) -> Validation:
    """Check taxonomy coverage and NUTS version for the year the analysis will use (core calls only)."""
    years = dataset.years
    year = spec.year if spec.year in years else (years[-1] if years else None)
    out = Validation(dataset=dataset, year=year)
    if year is None:
        out.problems.append("The file holds no numbers for this indicator: nothing can be computed.")
        return out
    table = dataset.table[dataset.table["year"] == year]
    try:
        from clustermapper.regions.levels import select_level
        from clustermapper.regions.versions import detect_versions
        from clustermapper.taxonomy import load_taxonomy

        level_table, _notes = select_level(table, spec.level, dict(spec.level_override))
        _emp, _flagged, coverage = load_taxonomy(spec.taxonomy).aggregate(level_table)
        out.coverage_text = coverage.summary() if hasattr(coverage, "summary") else str(coverage)
        match = detect_versions(table).get(year)
        out.nuts_text = match.describe() if hasattr(match, "describe") else str(match)
    except Exception as exc:  # the report must still show what was read
        out.problems.append(f"Could not check coverage / NUTS version: {exc}")
    return out


class ValidationDialog(QDialog):
    """Read report + checks; Accept computes the stars, Cancel keeps the current analysis."""

    def __init__(self, validation: Validation, parent=None, spec: AnalysisSpec | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("validationDialog")
        report = validation.dataset.report
        self.setWindowTitle("Data check before computing")
        self.resize(760, 520)
        years = validation.dataset.years
        summary = QLabel(
            f"<b>{html.escape(str(report.path))}</b> ({html.escape(report.format)})<br>"
            f"{report.n_cells:,} cells · {report.n_missing:,} missing · {report.n_confidential:,} confidential · "
            f"<b>{report.n_unreadable:,} unreadable</b><br>"
            f"Years with data: {html.escape(', '.join(map(str, years)) or 'none')} — "
            f"the analysis will use <b>{validation.year}</b>"
            + (f"<br>NUTS level {spec.level}, taxonomy {html.escape(spec.taxonomy)}, "
               f"{html.escape(spec.params.describe())}" if spec is not None else "")
        )
        summary.setWordWrap(True)
        tabs = QTabWidget()
        checks = QTextBrowser()
        parts = []
        if validation.problems:
            parts.append("<h4 style='color:#b00020'>Problems</h4><ul>"
                         + "".join(f"<li>{html.escape(p)}</li>" for p in validation.problems) + "</ul>")
        parts.append(f"<h4>NUTS version</h4><p>{_pre(validation.nuts_text or 'not checked')}</p>")
        parts.append(f"<h4>Taxonomy coverage</h4><p>{_pre(validation.coverage_text or 'not checked')}</p>")
        if report.notes:
            parts.append("<h4>Reader notes</h4><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in report.notes) + "</ul>")
        checks.setHtml("".join(parts))
        tabs.addTab(checks, "Checks")
        issues = QTableWidget(len(report.issues), 4)
        issues.setObjectName("issuesTable")
        issues.setHorizontalHeaderLabels(["Line/row", "Column", "Text", "Problem"])
        issues.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, issue in enumerate(report.issues):
            for c, value in enumerate((issue.line, issue.column, issue.text, issue.message)):
                issues.setItem(r, c, QTableWidgetItem(str(value)))
        issues.resizeColumnsToContents()
        tabs.addTab(issues, f"Unreadable cells ({report.n_unreadable:,})")
        buttons = QDialogButtonBox()
        self.compute = buttons.addButton("Compute stars", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.compute.setEnabled(validation.year is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)


def _pre(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
