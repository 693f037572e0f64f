"""Validation report shown after reading and before computing: cells, gaps, issues, coverage, NUTS match."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
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

from clustermapper.analysis import AnalysisSpec, Prepared, choose_year, prepare
from clustermapper.errors import ClusterMapperError
from clustermapper.io.table import ReadResult
from clustermapper.regions.year_coverage import YearCoverage, year_details


@dataclass
class Validation:
    """What the user sees before computing: ``prepare``'s own output (built in a worker thread: no Qt)."""

    dataset: ReadResult
    year: int | None
    prepared: Prepared | None = None
    problems: list[str] = field(default_factory=list)
    coverage: dict[int, YearCoverage] = field(default_factory=dict)  # regions with data per year

    @property
    def year_warning(self) -> str:
        """The warning of the year to be analysed when it is partial, else ``""``."""
        chosen = self.coverage.get(self.year) if self.year is not None else None
        return chosen.warning() if chosen is not None else ""

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
    """Run stage 1 of the pipeline for the year the analysis will use (the pipeline's own choice: the
    best-covered year unless ``spec`` pins one the file has); its problems become the report's."""
    years = dataset.years
    if not years:
        return Validation(dataset=dataset, year=None,
                          problems=["The file holds no numbers for this indicator: nothing can be computed."])
    coverage = year_details(dataset, spec.level, spec.level_override)
    year = choose_year(spec.with_(year=spec.year if spec.year in years else None), dataset)
    try:
        prepared = prepare(spec.with_(year=year), dataset)
    except ClusterMapperError as exc:  # the report must still show what was read
        return Validation(dataset=dataset, year=year, problems=[f"Cannot prepare {year}: {exc}"], coverage=coverage)
    return Validation(dataset=dataset, year=year, prepared=prepared, coverage=coverage)


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
            f"the analysis will use <b>{validation.year}</b>{_year_text(validation)}"
            + (f"<br>NUTS level {spec.level}, taxonomy {html.escape(spec.taxonomy)}, "
               f"{html.escape(spec.params.describe())}" if spec is not None else "")
        )
        summary.setWordWrap(True)
        summary.setObjectName("checkSummary")
        tabs = QTabWidget()
        checks = QTextBrowser()
        parts = []
        if validation.problems:
            parts.append("<h4 style='color:#b00020'>Problems</h4><ul>"
                         + "".join(f"<li>{html.escape(p)}</li>" for p in validation.problems) + "</ul>")
        if validation.coverage:
            parts.append(_coverage_html(validation))
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
        self.year_warning = QLabel(objectName="yearWarning", wordWrap=True)
        self.year_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.year_warning.setStyleSheet(WARNING_STYLE)
        self.year_warning.setText(f"⚠ {validation.year_warning}")
        self.year_warning.setVisible(bool(validation.year_warning))
        layout.addWidget(self.year_warning)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)


WARNING_STYLE = ("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; border-radius: 3px;"
                 " padding: 3px 6px; }")


def _year_text(validation: Validation) -> str:
    chosen = validation.coverage.get(validation.year) if validation.year is not None else None
    if chosen is None:
        return ""
    best = " (the best-covered year)" if chosen.year == chosen.best_year else ""
    return f" — {chosen.regions} regions with data{best}"


def _coverage_html(validation: Validation) -> str:
    """Regions with data per year, partial years marked and their missing countries named."""
    rows = []
    for year, c in validation.coverage.items():
        style = " style='color:#8a5a00'" if c.partial else ""
        chosen = " ← analysed" if year == validation.year else ""
        missing = ", ".join(c.absent) if c.absent else "–"
        rows.append(f"<tr{style}><td>{year}</td><td align='right'>{c.regions}</td>"
                    f"<td>{'partial' if c.partial else ''}</td><td>{html.escape(missing)}</td>"
                    f"<td>{chosen}</td></tr>")
    partial = [c for c in validation.coverage.values() if c.partial]
    warn = ("".join(f"<p style='color:#8a5a00'>⚠ {html.escape(c.warning())}</p>" for c in partial)
            if partial else "")
    return ("<h4>Regions with data per year</h4><table cellspacing='0' cellpadding='2'>"
            "<tr><th align='left'>Year</th><th>Regions</th><th></th>"
            "<th align='left'>Countries without data (vs. the best year)</th><th></th></tr>"
            + "".join(rows) + "</table>" + warn)


def _pre(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
