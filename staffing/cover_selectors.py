"""Reads for open shifts and swaps: what a staff member may claim, offer or accept, and what waits for a
head's decision."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from records.models import Employee

from .access import HEAD, departments_where
from .cover_services import refusals_each
from .models import OpenShift, ShiftAssignment, SwapRequest


def open_shifts_for(employee: Employee, *, today: dt.date) -> list[OpenShift]:
    """Upcoming open shifts of the person's unit that the rule check allows them to take: all of them,
    checked in one load (the page shows them a page at a time)."""
    shifts = list(
        OpenShift.objects.filter(schedule__department_id=employee.department_id, status=OpenShift.Status.OPEN,
                                 date__gte=today)
        .select_related("shift_type", "schedule__department").order_by("date", "pk")
    )
    verdicts = refusals_each(employee, [(s.schedule, [(s.date, s.shift_type_id)], []) for s in shifts])
    return [s for s, problems in zip(shifts, verdicts, strict=True) if not problems]


def claims_of(employee: Employee) -> QuerySet[OpenShift]:
    """The person's claims still waiting for the head."""
    return (OpenShift.objects.filter(claimed_by=employee, status=OpenShift.Status.CLAIMED)
            .select_related("shift_type", "schedule__department").order_by("date", "pk"))


def offerable_shifts(employee: Employee, *, today: dt.date) -> QuerySet[ShiftAssignment]:
    """The person's upcoming shifts on published rosters, not already on offer."""
    on_offer = SwapRequest.objects.filter(status__in=[SwapRequest.Status.OFFERED, SwapRequest.Status.ACCEPTED])
    return (ShiftAssignment.objects.filter(employee=employee, schedule__published_at__isnull=False, date__gte=today)
            .exclude(pk__in=on_offer.values("assignment_id"))
            .select_related("shift_type").order_by("date", "pk"))


def return_shifts(employee: Employee, *, today: dt.date) -> list[ShiftAssignment]:
    """Colleagues' upcoming published shifts on the person's unit, not on offer, that the rule check
    allows the person to take in return for one of theirs (their own shift that day, if any, being the
    one given), checked in one load. The pair chosen is checked again for both people."""
    on_offer = SwapRequest.objects.filter(status__in=[SwapRequest.Status.OFFERED, SwapRequest.Status.ACCEPTED])
    shifts = list(
        ShiftAssignment.objects.filter(schedule__department_id=employee.department_id,
                                       schedule__published_at__isnull=False, date__gte=today,
                                       employee__in=colleagues(employee))
        .exclude(pk__in=on_offer.values("assignment_id"))
        .select_related("shift_type", "employee", "schedule__department")
        .order_by("employee__last_name", "employee__first_name", "employee_id", "date", "pk")
    )
    verdicts = refusals_each(employee, [(a.schedule, [(a.date, a.shift_type_id)], [a.date]) for a in shifts])
    return [a for a, problems in zip(shifts, verdicts, strict=True) if not problems]


def colleagues(employee: Employee) -> QuerySet[Employee]:
    return (Employee.objects.filter(department_id=employee.department_id, status=Employee.Status.ACTIVE)
            .exclude(pk=employee.pk).order_by("last_name", "first_name"))


def _open_to(employee: Employee) -> Q:
    return Q(status=SwapRequest.Status.OFFERED) & ~Q(offered_by=employee) & (
        Q(offered_to=employee)
        | Q(offered_to__isnull=True, assignment__schedule__department_id=employee.department_id))


def swaps_open_to(employee: Employee) -> QuerySet[SwapRequest]:
    """Offers the person may accept: made to them by name, or to anyone in their unit."""
    return SwapRequest.objects.filter(_open_to(employee))


def swaps_of(employee: Employee) -> QuerySet[SwapRequest]:
    """Swaps the person offered or took, and offers open to them."""
    return (SwapRequest.objects.filter(Q(offered_by=employee) | Q(taken_by=employee) | _open_to(employee))
            .select_related("assignment__shift_type", "offered_by", "offered_to", "taken_by", "in_return__shift_type")
            .order_by("-created_at", "-pk")[:50])


def awaiting_head(user) -> tuple[QuerySet[OpenShift], QuerySet[SwapRequest]]:
    """Claims and accepted swaps on the units the user heads (or all units, for a manager)."""
    units = departments_where(user, HEAD).values("pk")
    claims = (OpenShift.objects.filter(schedule__department__in=units, status=OpenShift.Status.CLAIMED)
              .select_related("shift_type", "claimed_by", "schedule__department").order_by("date", "pk"))
    swaps = (SwapRequest.objects.filter(assignment__schedule__department__in=units,
                                        status=SwapRequest.Status.ACCEPTED)
             .select_related("assignment__shift_type", "assignment__schedule__department", "offered_by",
                             "taken_by", "in_return__shift_type").order_by("assignment__date", "pk"))
    return claims, swaps
