"""Validation report shown after reading and before computing: cells, gaps, issues, coverage, NUTS match."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
)

from clustermapper.analysis import AnalysisSpec, Prepared, prepare
from clustermapper.errors import ClusterMapperError
from clustermapper.io.table import ReadResult


@dataclass
class Validation:
    """What the user sees before computing: ``prepare``'s own output (built in a worker thread: no Qt)."""

    dataset: ReadResult
    year: int | None
    prepared: Prepared | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def coverage_text(self) -> str:
        return self.prepared.coverage.summary() if self.prepared is not None else ""

    @property
    def nuts_text(self) -> str:
        return self.prepared.nuts.describe() if self.prepared is not None else ""

    @property
    def level_notes(self) -> tuple[str, ...]:
        return self.prepared.notes if self.prepared is not None else ()


def validate(dataset: ReadResult, spec: AnalysisSpec) -> Validation:
    """Run stage 1 of the pipeline for the year the analysis will use; its problems become the report's."""
    years = dataset.years
    year = spec.year if spec.year in years else (years[-1] if years else None)
    if year is None:
        return Validation(dataset=dataset, year=None,
                          problems=["The file holds no numbers for this indicator: nothing can be computed."])
    try:
        prepared = prepare(spec.with_(year=year), dataset)
    except ClusterMapperError as exc:  # the report must still show what was read
        return Validation(dataset=dataset, year=year, problems=[f"Cannot prepare {year}: {exc}"])
    return Validation(dataset=dataset, year=year, prepared=prepared)


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
        if validation.level_notes:
            parts.append("<h4>NUTS level selection</h4><ul>"
                         + "".join(f"<li>{html.escape(n)}</li>" for n in validation.level_notes) + "</ul>")
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
