"""A report's content: its type's cover and summary around the registered sections' contexts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import ReportKind
from .periods import Period
from .scope import Scope
from .sections import KeyFigure, registry
from .selectors import TARGETS

TEMPLATE = "reports/pdf/report.html"


@dataclass(frozen=True)
class ReportType:
    kind: str
    title: str
    audience: str
    months_only: bool
    purpose: str


REPORT_TYPES = {
    ReportKind.BOARD: ReportType(
        ReportKind.BOARD, "Monthly board report", "Board of directors", True,
        "Key workforce and staffing figures for the month, against targets and the previous month.",
    ),
    ReportKind.COMPLIANCE: ReportType(
        ReportKind.COMPLIANCE, "Compliance report", "Department heads and managers", True,
        "Credential compliance by department, and the named credentials to renew or verify.",
    ),
    ReportKind.DEPARTMENT_ACTIVITY: ReportType(
        ReportKind.DEPARTMENT_ACTIVITY, "Department activity report", "Department head and schedulers", False,
        "Rosters, shifts, coverage, overtime and time off of the department's units.",
    ),
    ReportKind.VARIANCE: ReportType(
        ReportKind.VARIANCE, "Monthly variance report", "Department heads, finance and managers", True,
        "Budget against actual and committed spending by account, year to date, with the heads' explanations.",
    ),
    ReportKind.UTILISATION: ReportType(
        ReportKind.UTILISATION, "Monthly utilisation report", "Operations, clinical directors and unit heads", True,
        "How the beds were used: occupancy, patient days, admissions, discharges, transfers, length of stay, "
        "turnover, blocked beds, cleaning and emergency boarding, by unit, against the previous month and last year.",
    ),
    ReportKind.FACILITIES: ReportType(
        ReportKind.FACILITIES, "Monthly facilities and equipment report", "Operations and department heads", True,
        "Diagnostic equipment utilisation by modality, downtime, the work-order backlog, preventive maintenance "
        "and the proposed and approved building and equipment modifications with their costs.",
    ),
}


@dataclass
class BuiltSection:
    key: str
    title: str
    template: str
    data: dict
    number: int


def _summary_sentence(figure: KeyFigure) -> str:
    if figure.value is None:
        return f"{figure.label}: no data for the period."
    text = f"{figure.label} was {figure.value_text}"
    if figure.target is not None:
        text += ", meeting" if figure.met else ", missing"
        text += f" the target of {figure.target}"
    if figure.change is not None:
        text += f" ({figure.change_text} on the previous period)" if figure.change else " (unchanged)"
    return text + "."


def build_context(
    kind: str,
    scope: Scope,
    period: Period,
    *,
    on_progress: Callable[[int], None] | None = None,
    generated_at=None,
) -> dict:
    """Everything the report template needs. `on_progress(percent)` is told after each section."""
    report_type = REPORT_TYPES[kind]
    sections = registry.for_kind(kind)
    built = []
    for n, section in enumerate(sections, start=1):
        built.append(BuiltSection(section.key, section.title, section.template, section.build(scope, period), n + 1))
        if on_progress:
            on_progress(int(90 * n / max(len(sections), 1)))
    generated_at = timezone.localtime(generated_at or timezone.now())
    key_figures = [figure for part in built for figure in part.data.get("key_figures", [])]
    notes = [note for part in built for note in part.data.get("notes", [])]
    return {
        "report": report_type,
        "hospital_name": settings.HOSPITAL_NAME,
        "scope": scope,
        "period": period,
        "previous_period": period.previous(),
        "generated_at": generated_at,
        # Built before the period ended: its figures stop short of the period's end.
        "provisional": generated_at.date() <= period.end,
        "sections": built,
        "key_figures": key_figures,
        "headline": [figure for figure in key_figures if figure.target is not None],
        "summary": [_summary_sentence(figure) for figure in key_figures if figure.target is not None],
        "targets_missed": sum(1 for figure in key_figures if figure.met is False),
        "targets_met": sum(1 for figure in key_figures if figure.met),
        "notes": notes,
        "targets": TARGETS,
        "notes_number": len(built) + 2,
    }
