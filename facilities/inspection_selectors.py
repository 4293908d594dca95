"""Reads about inspections: lists, findings, compliance % per area, building and department, and the
emergency-readiness panel. Measures are SQL aggregates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from hospital_ops.scoping import hospital_zone, within

from .equipment_selectors import scoped
from .models import (
    Area,
    Finding,
    Inspection,
    InspectionResult,
    InspectionSchedule,
    InspectionTemplate,
    Recommendation,
    Shift,
    TemplateItem,
)


def today() -> dt.date:
    return timezone.localdate(timezone=hospital_zone())


def inspection_list(user) -> QuerySet[Inspection]:
    return (
        Inspection.objects.visible_to(user)
        .select_related("template", "building", "department", "inspector")
        .annotate(failed=Count("results", filter=Q(results__outcome=InspectionResult.Outcome.FAIL)))
        .order_by("-due_on", "-pk")
    )


def inspection_detail(user) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("template", "building", "department", "inspector")


def inspection_results(inspection: Inspection) -> QuerySet[InspectionResult]:
    return inspection.results.select_related("item").prefetch_related("photos").order_by(
        "item__area", "item__position", "item_id")


def finding_list(user) -> QuerySet[Finding]:
    return (
        Finding.objects.visible_to(user)
        .select_related("inspection__template", "building", "department", "owner", "done_by", "verified_by",
                        "work_order")
        .order_by("status", "due_on", "-pk")
    )


def recommendation_list(user) -> QuerySet[Recommendation]:
    return scoped(Recommendation.objects, user).select_related(
        "building", "department", "asset", "proposed_by", "decided_by").order_by("status", "-proposed_at")


def recommendation_totals(user, *, department=None) -> list[dict]:
    """Building and equipment modifications by status: how many, and their estimated cost."""
    rows = dict(
        (row["status"], row)
        for row in scoped(Recommendation.objects, user).filter(within(department))
        .values("status").annotate(count=Count("pk"), cost=Sum("estimated_cost"))
    )
    return [{"status": value, "label": label, "count": rows.get(value, {}).get("count", 0),
             "cost": rows.get(value, {}).get("cost") or 0} for value, label in Recommendation.Status.choices]


def _pct(passed, failed):
    return round(100 * passed / (passed + failed), 1) if (passed + failed) else None


def compliance(user, *, start: dt.date, end: dt.date, by: str = "area", department=None) -> list[dict]:
    """Compliance % (passed / (passed + failed); not applicable left out) of completed inspections due in
    [start, end], per area, building or department."""
    field = {"area": "item__area", "building": "inspection__building__code",
             "department": "inspection__department__code"}[by]
    rows = (
        scoped(InspectionResult.objects, user)
        .filter(inspection__status=Inspection.Status.COMPLETED, inspection__due_on__gte=start,
                inspection__due_on__lte=end)
        .filter(within(department, "inspection__department"))
        .values(field)
        .annotate(passed=Count("pk", filter=Q(outcome="pass")), failed=Count("pk", filter=Q(outcome="fail")))
        .order_by(field)
    )
    labels = dict(Area.choices) if by == "area" else {}
    return [{"key": row[field], "label": labels.get(row[field], row[field] or "Whole building"),
             "passed": row["passed"], "failed": row["failed"], "pct": _pct(row["passed"], row["failed"])}
            for row in rows]


def open_findings_by_severity(user, *, on: dt.date | None = None, department=None) -> list[dict]:
    on = on or today()
    rows = (
        scoped(Finding.objects, user).exclude(status=Finding.Status.CLOSED).filter(within(department))
        .values("severity")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on, status=Finding.Status.OPEN)))
    )
    found = {row["severity"]: row for row in rows}
    return [{"severity": value, "label": label, "open": found.get(value, {}).get("open", 0),
             "overdue": found.get(value, {}).get("overdue", 0)} for value, label in Finding.Severity.choices]


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def readiness(user, *, on: dt.date | None = None, department=None) -> dict:
    """Emergency readiness at a glance: fire drills done per shift this quarter, generator load tests this
    month, and overdue life-safety findings."""
    on = on or today()
    inspections = scoped(Inspection.objects, user).filter(
        within(department) | Q(department__isnull=True) if department else Q())
    done = inspections.filter(status=Inspection.Status.COMPLETED)
    drills = dict(
        done.filter(template__purpose=InspectionTemplate.Purpose.FIRE_DRILL, due_on__gte=quarter_start(on),
                    due_on__lte=on).values_list("shift").annotate(n=Count("pk")).values_list("shift", "n")
    )
    generator = done.filter(template__purpose=InspectionTemplate.Purpose.GENERATOR_TEST,
                            due_on__gte=on.replace(day=1), due_on__lte=on).count()
    generator_due = inspections.filter(
        template__purpose=InspectionTemplate.Purpose.GENERATOR_TEST, due_on__gte=on.replace(day=1),
        due_on__lte=on).count()
    overdue_life_safety = scoped(Finding.objects, user).filter(within(department)).filter(
        area=Area.FIRE_LIFE_SAFETY, status=Finding.Status.OPEN, due_on__lt=on).count()
    return {
        "drills": [{"shift": label, "done": drills.get(value, 0)} for value, label in Shift.choices],
        "generator_tests": generator, "generator_tests_due": generator_due,
        "overdue_life_safety": overdue_life_safety,
        "quarter_start": quarter_start(on), "month_start": on.replace(day=1),
    }


# Templates and schedules ----------------------------------------------------------------------------------


def template_list(user) -> QuerySet[InspectionTemplate]:
    return (
        InspectionTemplate.objects.visible_to(user)
        .annotate(item_count=Count("items", filter=Q(items__is_active=True), distinct=True),
                  schedule_count=Count("schedules", filter=Q(schedules__is_active=True), distinct=True))
        .order_by("name")
    )


def template_items(template: InspectionTemplate) -> QuerySet[TemplateItem]:
    return template.items.order_by("area", "position", "pk")


def schedule_list(user) -> QuerySet[InspectionSchedule]:
    return (
        InspectionSchedule.objects.visible_to(user)
        .select_related("template", "building", "department")
        .order_by("template__name", "pk")
    )
