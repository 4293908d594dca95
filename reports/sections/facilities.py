"""Facilities and environment of care: inspection compliance, open and overdue findings by severity,
preventive-maintenance compliance and life-support equipment out of service (compliance report), and a
short environment-of-care summary of figures only (board report). Every figure comes from the facilities
selectors."""

from __future__ import annotations

from facilities import equipment_selectors, inspection_selectors

from ..charts import hbar_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import today
from . import KeyFigure, Section, register


def _figures(scope: Scope, period: Period) -> dict:
    department = scope.department
    start, end = period.start, min(period.end, today())
    by_area = inspection_selectors.compliance(None, start=start, end=end, department=department)
    passed, failed = sum(r["passed"] for r in by_area), sum(r["failed"] for r in by_area)
    return {
        "by_area": by_area,
        "inspection_pct": round(100 * passed / (passed + failed), 1) if passed + failed else None,
        "severity": inspection_selectors.open_findings_by_severity(None, on=end, department=department),
        "pm": equipment_selectors.pm_compliance(None, start=start, end=end, department=department),
        "life_support_down": list(equipment_selectors.life_support_down(None, department)),
        "readiness": inspection_selectors.readiness(None, on=end, department=department),
    }


def build(scope: Scope, period: Period) -> dict:
    data = _figures(scope, period)
    before = _figures(scope, period.previous())
    data["chart"] = hbar_chart("Inspection compliance by area", [r["label"] for r in data["by_area"]],
                               [r["pct"] for r in data["by_area"]], maximum=100)
    overdue = sum(r["overdue"] for r in data["severity"])
    data["key_figures"] = [
        KeyFigure("Inspection compliance", data["inspection_pct"], before["inspection_pct"], unit="%"),
        KeyFigure("PM done on time", data["pm"]["pct"], before["pm"]["pct"], unit="%"),
        KeyFigure("Overdue corrective actions", overdue, sum(r["overdue"] for r in before["severity"]),
                  higher_is_better=False),
    ]
    data["notes"] = [
        "Inspection compliance is passed checks over passed and failed ones (not applicable left out) in "
        "inspections due in the period. Preventive maintenance is on time when completed within 7 days of its "
        "due date. Life-support equipment is counted out of service while out of service or under maintenance.",
    ]
    return data


register(Section(
    key="facilities",
    title="Facilities and environment of care",
    kinds=(ReportKind.COMPLIANCE,),
    build=build,
    template="reports/sections/facilities.html",
    order=60,
))


def _summary(scope: Scope, period: Period) -> dict:
    department = scope.department
    start, end = period.start, min(period.end, today())
    by_area = inspection_selectors.compliance(None, start=start, end=end, department=department)
    passed, failed = sum(r["passed"] for r in by_area), sum(r["failed"] for r in by_area)
    return {
        "inspection_pct": round(100 * passed / (passed + failed), 1) if passed + failed else None,
        "pm": equipment_selectors.pm_compliance(None, start=start, end=end, department=department),
        "readiness": inspection_selectors.readiness(None, on=end, department=department),
    }


def build_environment_of_care(scope: Scope, period: Period) -> dict:
    """The board's half page: the same measures as the compliance report's facilities section, as figures."""
    data, before = _summary(scope, period), _summary(scope, period.previous())
    data["life_support_down"] = equipment_selectors.life_support_down(None, scope.department).count()
    data["drills_done"] = sum(row["done"] for row in data["readiness"]["drills"])
    data["before"] = before
    data["key_figures"] = [
        KeyFigure("Inspection compliance", data["inspection_pct"], before["inspection_pct"], unit="%"),
        KeyFigure("PM done on time", data["pm"]["pct"], before["pm"]["pct"], unit="%"),
        KeyFigure("Overdue life-safety findings", data["readiness"]["overdue_life_safety"],
                  before["readiness"]["overdue_life_safety"], higher_is_better=False),
        KeyFigure("Life-support equipment out of service", data["life_support_down"], higher_is_better=False),
    ]
    data["notes"] = [
        "Environment of care: inspection compliance is passed checks over passed and failed ones in inspections "
        "due in the month; preventive maintenance is on time when completed within 7 days of its due date; fire "
        "drills count this quarter to the month's end, generator load tests the month; life-support equipment out "
        "of service is counted when the report is built. The compliance report lists findings and equipment.",
    ]
    return data


register(Section(
    key="environment-of-care",
    title="Environment of care",
    kinds=(ReportKind.BOARD,),
    build=build_environment_of_care,
    template="reports/sections/environment_of_care.html",
    order=60,
    description="Inspection compliance, overdue life-safety findings, fire drills, generator tests, life-support "
    "equipment out of service and preventive maintenance, in one table.",
))
