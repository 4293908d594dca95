"""Reads for open shifts and swaps: what a staff member may claim, offer or accept, and what waits for a
head's decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from records.models import Employee

from .access import HEAD, departments_where
from .cover_services import refusals_each
from .models import OpenShift, ShiftAssignment, SwapRequest


def _open_on_unit(employee: Employee, *, today: dt.date) -> Q:
    return Q(schedule__department_id=employee.department_id, status=OpenShift.Status.OPEN, date__gte=today)


def _claimed_by(employee: Employee) -> Q:
    return Q(claimed_by=employee, status=OpenShift.Status.CLAIMED)


def _open_shifts(query: Q) -> QuerySet[OpenShift]:
    return OpenShift.objects.filter(query).select_related("shift_type", "schedule__department").order_by("date", "pk")


def _published_ahead(*, today: dt.date) -> QuerySet[ShiftAssignment]:
    """Upcoming shifts on published rosters that are not on offer, by person (by name) and date."""
    on_offer = SwapRequest.objects.filter(status__in=[SwapRequest.Status.OFFERED, SwapRequest.Status.ACCEPTED])
    return (
        ShiftAssignment.objects.filter(schedule__published_at__isnull=False, date__gte=today)
        .exclude(pk__in=on_offer.values("assignment_id"))
        .select_related("shift_type", "employee", "schedule__department")
        .order_by("employee__last_name", "employee__first_name", "employee_id", "date", "pk")
    )


def _taking(shift: OpenShift):
    return shift.schedule, [(shift.date, shift.shift_type_id)], []


def _taking_in_return(assignment: ShiftAssignment):
    """The colleague's shift added, the person's own shift that day (if any) being the one given."""
    return assignment.schedule, [(assignment.date, assignment.shift_type_id)], [assignment.date]


def _allowed(employee: Employee, rows: list, change) -> list:
    verdicts = refusals_each(employee, [change(row) for row in rows])
    return [row for row, problems in zip(rows, verdicts, strict=True) if not problems]


def offerable_shifts(employee: Employee, *, today: dt.date) -> list[ShiftAssignment]:
    """The person's upcoming shifts on published rosters, not already on offer."""
    return list(_published_ahead(today=today).filter(employee=employee))


def return_shifts(employee: Employee, colleague: Employee, *, today: dt.date) -> list[ShiftAssignment]:
    """The colleague's upcoming published shifts on the person's unit, not on offer, that the rule check
    allows the person to take in return for one of theirs (their own shift that day, if any, being the
    one given), checked in one load. `colleague` is one of `colleagues(employee)`. The pair chosen is
    checked again for both people."""
    shifts = _published_ahead(today=today).filter(schedule__department_id=employee.department_id,
                                                  employee=colleague)
    return _allowed(employee, list(shifts), _taking_in_return)


@dataclass
class CoverChoices:
    open_shifts: list[OpenShift]  # open shifts of the unit the person may take
    claims: list[OpenShift]  # the person's claims waiting for the head
    offerable: list[ShiftAssignment]  # the person's shifts they may offer


def cover_choices(employee: Employee, *, today: dt.date) -> CoverChoices:
    """What My shifts offers the person: the upcoming open shifts of their unit that the rule check allows
    them to take (all of them; the page shows them a page at a time), their claims and `offerable_shifts`.
    The open shifts with the claims are read in one query and checked in one rule load; a colleague's
    shifts the person may take in return are asked for one colleague at a time (`return_shifts`)."""
    open_shifts = list(_open_shifts(_open_on_unit(employee, today=today) | _claimed_by(employee)))
    claimable = [s for s in open_shifts if s.status == OpenShift.Status.OPEN]
    return CoverChoices(
        open_shifts=_allowed(employee, claimable, _taking),
        claims=[s for s in open_shifts if s.status == OpenShift.Status.CLAIMED],
        offerable=offerable_shifts(employee, today=today),
    )


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
