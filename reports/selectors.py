"""Reads for the reports: runs and schedules the user may see, and the measures the report sections
show. Measures are SQL aggregates grouped by department, day, shift or week; Python only combines the
grouped rows (dozens to a few thousand), never the underlying shifts or credentials."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, DateField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from records.models import (
    Credential,
    Employee,
    credential_compliant,
    credential_current,
    credential_expired,
    credential_expiring,
    credential_unverified,
)
from staffing.models import Schedule, TimeOff
from staffing.selectors import ROSTER_IN_FORCE, UnitMonth, staffing_measures, worked_shifts

from . import access
from .models import HOSPITAL, ReportKind, ReportRun, ReportSchedule
from .periods import Period
from .scope import Scope

ON_TIME_DAYS = 14  # a roster is approved on time when decided more than this many days before it starts


# Targets: there is no objectives model yet, so reports measure against this table (see the notes page).
@dataclass(frozen=True)
class Target:
    op: str  # ">=" or "<="
    value: float

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.value if self.op == ">=" else value <= self.value

    def __str__(self):
        return f"{'≥' if self.op == '>=' else '≤'} {self.value:g} %"


TARGETS = {
    "coverage_pct": Target(">=", 95),
    "overtime_pct": Target("<=", 5),
    "compliance_pct": Target(">=", 98),
    "on_time_pct": Target(">=", 90),
    "turnover_pct": Target("<=", 1.5),
    "vacancy_pct": Target("<=", 8),
}


def pct(part, whole, digits: int = 1) -> float | None:
    return round(100 * part / whole, digits) if whole else None


# Runs, the archive and schedules ---------------------------------------------------------------------


def run_list(user) -> QuerySet[ReportRun]:
    return (
        ReportRun.objects.visible_to(user)
        .select_related("department", "requested_by", "schedule")
        .order_by("-period_start", "kind", "scope", "-pk")
    )


def board_archive(user) -> QuerySet[ReportRun]:
    return run_list(user).filter(kind=ReportKind.BOARD, scope=HOSPITAL, status=ReportRun.Status.SUCCEEDED)


def schedule_list(user) -> QuerySet[ReportSchedule]:
    if not access.can_manage_report_schedules(user):
        return ReportSchedule.objects.none()
    return ReportSchedule.objects.select_related("department").prefetch_related(
        "recipients", "recipient_roles"
    ).annotate(run_count=Count("runs")).order_by("kind", "name", "pk")


# Workforce -------------------------------------------------------------------------------------------


def employed_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}hire_date__lte": day}) & (
        Q(**{f"{prefix}termination_date__isnull": True}) | Q(**{f"{prefix}termination_date__gt": day})
    )


def workforce_trend(scope: Scope, months: list[Period]) -> list[dict]:
    """Headcount at each month's end, hires and leavers in the month: one query for all months."""
    aggregates = {}
    for n, month in enumerate(months):
        aggregates[f"headcount_{n}"] = Count("pk", filter=employed_on(month.end))
        aggregates[f"hires_{n}"] = Count("pk", filter=Q(hire_date__range=(month.start, month.end)))
        aggregates[f"leavers_{n}"] = Count("pk", filter=Q(termination_date__range=(month.start, month.end)))
    row = Employee.objects.filter(scope.q()).aggregate(**aggregates)
    return [
        {
            "period": month,
            "headcount": row[f"headcount_{n}"],
            "hires": row[f"hires_{n}"],
            "leavers": row[f"leavers_{n}"],
        }
        for n, month in enumerate(months)
    ]


def workforce_by_department(scope: Scope, period: Period) -> list[dict]:
    """Headcount, FTE, agency staff, hires and leavers per reporting department."""
    heads, owner = scope.groups()
    rows = (
        Employee.objects.filter(scope.q())
        .values("department_id")
        .annotate(
            headcount=Count("pk", filter=employed_on(period.end)),
            fte=Sum("fte", filter=employed_on(period.end)),
            agency=Count("pk", filter=employed_on(period.end) & Q(employment_type=Employee.EmploymentType.AGENCY)),
            hires=Count("pk", filter=Q(hire_date__range=(period.start, period.end))),
            leavers=Count("pk", filter=Q(termination_date__range=(period.start, period.end))),
        )
        .order_by()
    )
    totals = {head.pk: defaultdict(float) for head in heads}
    for row in rows:
        group = totals.get(owner.get(row["department_id"]))
        if group is not None:
            for key in ("headcount", "fte", "agency", "hires", "leavers"):
                group[key] += float(row[key] or 0)
    return [
        {
            "department": head,
            "headcount": int(totals[head.pk]["headcount"]),
            "fte": round(totals[head.pk]["fte"], 1),
            "agency": int(totals[head.pk]["agency"]),
            "hires": int(totals[head.pk]["hires"]),
            "leavers": int(totals[head.pk]["leavers"]),
        }
        for head in heads
    ]


# Credentials -----------------------------------------------------------------------------------------


def _credentials_held(scope: Scope, as_of: dt.date) -> QuerySet[Credential]:
    """Credentials on file on `as_of` for people employed that day."""
    return Credential.objects.filter(
        scope.q("employee__department"), employed_on(as_of, "employee__"), issued_on__lte=as_of
    )


# The bands a compliance report asks for, in days from its date: (after, up to).
EXPIRING_BANDS = {"expiring_30": (0, 30), "expiring_60": (30, 60), "expiring_90": (60, 90)}


def _band(as_of: dt.date, key: str) -> Q:
    beyond, within = EXPIRING_BANDS[key]
    return credential_expiring(as_of, within, beyond=beyond)


def credential_figures(scope: Scope, as_of: dt.date) -> dict:
    """Compliant = verified and not expired on `as_of`; the expiring bands are days from `as_of`."""
    figures = _credentials_held(scope, as_of).aggregate(
        total=Count("pk"),
        compliant=Count("pk", filter=credential_compliant(as_of)),
        expired=Count("pk", filter=credential_expired(as_of)),
        **{key: Count("pk", filter=_band(as_of, key)) for key in EXPIRING_BANDS},
        unverified=Count("pk", filter=credential_unverified(as_of)),
        people=Count("employee", distinct=True),
    )
    figures["compliance_pct"] = pct(figures["compliant"], figures["total"])
    figures["as_of"] = as_of
    return figures


def credential_compliance_by_department(scope: Scope, as_of: dt.date, *, rolled_up: bool = True) -> list[dict]:
    """Compliance per reporting department (rolled up) or per department on its own staff."""
    heads, owner = scope.groups()
    rows = (
        _credentials_held(scope, as_of)
        .values("employee__department_id")
        .annotate(
            total=Count("pk"),
            compliant=Count("pk", filter=credential_compliant(as_of)),
            expired=Count("pk", filter=credential_expired(as_of)),
            expiring=Count("pk", filter=credential_expiring(as_of, EXPIRING_BANDS["expiring_90"][1])),
            unverified=Count("pk", filter=credential_unverified(as_of)),
        )
        .order_by()
    )
    if rolled_up:
        departments = heads
        key_of = owner
    else:
        departments = sorted(scope.departments(), key=lambda d: d.path)
        key_of = {d.pk: d.pk for d in departments}
    sums = {d.pk: defaultdict(int) for d in departments}
    for row in rows:
        group = sums.get(key_of.get(row["employee__department_id"]))
        if group is not None:
            for key in ("total", "compliant", "expired", "expiring", "unverified"):
                group[key] += row[key]
    result = []
    for department in departments:
        figures = sums[department.pk]
        if not rolled_up and not figures["total"]:
            continue
        result.append(
            {
                "department": department,
                **{key: figures[key] for key in ("total", "compliant", "expired", "expiring", "unverified")},
                "compliance_pct": pct(figures["compliant"], figures["total"]),
            }
        )
    return result


def credential_action_list(scope: Scope, as_of: dt.date, band: str) -> list[dict]:
    """Named credentials to act on: expired, expiring in 0–30 / 31–60 / 61–90 days, or unverified."""
    filters = {
        "expired": credential_expired(as_of),
        **{key: _band(as_of, key) for key in EXPIRING_BANDS},
        "unverified": credential_unverified(as_of) & credential_current(as_of),
    }
    return list(
        _credentials_held(scope, as_of)
        .filter(filters[band])
        .values(
            "pk",
            "employee__first_name",
            "employee__last_name",
            "employee__employee_number",
            "employee__department__name",
            "credential_type__name",
            "number",
            "expiry_date",
        )
        .order_by("employee__department__path", "employee__last_name", "employee__first_name", "expiry_date", "pk")
    )


# Staffing --------------------------------------------------------------------------------------------
# Coverage, unfilled shifts, hours and overtime are staffing's measures (staffing.selectors); the report
# only groups them by its rows and months.


def staffing_by_month(scope: Scope, months: list[Period]) -> dict:
    """Coverage, unfilled shifts, worked and overtime hours per reporting department and month."""
    heads, owner = scope.groups()
    measures = staffing_measures(within=scope.department, start=months[0].start, end=months[-1].end)
    by_group: dict = defaultdict(UnitMonth)
    for (department_id, month), figures in measures.units.items():
        by_group[(owner.get(department_id), month)].add(figures)
    return {"heads": heads, "by_group": by_group, "cells": measures.coverage}


def month_figures(by_group: dict, month: Period, group_id: int | None = None) -> dict:
    """Totals for one month, for one reporting department or (group_id None) all of them."""
    total = UnitMonth()
    for (key, first), figures in by_group.items():
        if first == month.start and (group_id is None or key == group_id):
            total.add(figures)
    return staffing_figures(total)


def staffing_figures(total: UnitMonth) -> dict:
    """A staffing total as the reports show it (coverage None when nothing was required: no data)."""
    return {
        "required": total.required,
        "filled": total.filled,
        "unfilled": total.unfilled,
        "coverage_pct": pct(total.filled, total.required),
        "hours": round(total.minutes / 60),
        "overtime_hours": round(total.overtime_minutes / 60, 1),
        "overtime_pct": pct(total.overtime_minutes, total.minutes),
    }


def roster_timeliness(scope: Scope, start: dt.date, end: dt.date):
    """Rosters starting in the period, and how many were approved on time (decided more than 14 days
    before their first day)."""
    deadline = ExpressionWrapper(F("start_date") - dt.timedelta(days=ON_TIME_DAYS), output_field=DateField())
    return Schedule.objects.filter(scope.q(), start_date__gte=start, start_date__lte=end).aggregate(
        rosters=Count("pk"),
        approved=Count("pk", filter=ROSTER_IN_FORCE),
        on_time=Count("pk", filter=ROSTER_IN_FORCE & Q(first_approved_at__date__lt=deadline)),
    )


# Department activity ---------------------------------------------------------------------------------


def unit_activity(scope: Scope, period: Period) -> list[dict]:
    """Per unit of the scope: rosters touching the period, shifts and hours worked, time off."""
    departments = {d.pk: d for d in scope.departments()}
    rosters = defaultdict(lambda: defaultdict(int))
    for department_id, status, n in (
        Schedule.objects.filter(scope.q(), start_date__lte=period.end, end_date__gte=period.start)
        .values_list("department_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rosters[department_id][status] += n
    worked = worked_shifts(within=scope.department, start=period.start, end=period.end)
    shifts = {
        department_id: (n, minutes or 0, people)
        for department_id, n, minutes, people in worked
        .values_list("schedule__department_id")
        .annotate(n=Count("pk"), minutes=Sum("shift_type__duration_minutes"), people=Count("employee", distinct=True))
        .order_by()
    }
    time_off = {
        department_id: (approved, requested)
        for department_id, approved, requested in TimeOff.objects.filter(
            scope.q("employee__department"), start_date__lte=period.end, end_date__gte=period.start
        )
        .values_list("employee__department_id")
        .annotate(
            approved=Count("pk", filter=Q(status=TimeOff.Status.APPROVED)),
            requested=Count("pk", filter=Q(status=TimeOff.Status.REQUESTED)),
        )
        .order_by()
    }
    rows = []
    for pk in sorted(departments, key=lambda pk: departments[pk].path):
        n, minutes, people = shifts.get(pk, (0, 0, 0))
        approved, requested = time_off.get(pk, (0, 0))
        if not (n or rosters.get(pk) or approved or requested):
            continue
        rows.append(
            {
                "department": departments[pk],
                "rosters": dict(rosters.get(pk, {})),
                "shifts": n,
                "hours": round(minutes / 60),
                "people": people,
                "time_off_approved": approved,
                "time_off_requested": requested,
            }
        )
    return rows


def shifts_by_type(scope: Scope, period: Period) -> list[dict]:
    return list(
        worked_shifts(within=scope.department, start=period.start, end=period.end)
        .values("schedule__department__name", "shift_type__code", "shift_type__name")
        .annotate(shifts=Count("pk"), minutes=Sum("shift_type__duration_minutes"))
        .order_by("schedule__department__path", "shift_type__code")
    )


def today() -> dt.date:
    return timezone.localdate()
