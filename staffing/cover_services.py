"""Finding cover: repairs of a roster with the fewest people moved, open shifts and shift swaps.

Every placement is checked with `rules` for each person it touches (a hard breach refuses it) under
the roster's row lock and the people's row locks; an approval writes the cells and, for a published
roster, what staff see (`PublishedShift`, which feeds My shifts and the calendar feeds), in one
transaction, with history.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from hospital_ops.history import save_checked
from records.models import Employee

from . import access, rules, services, tasks
from .generation_services import JOB_KIND, fairness_weight_of, limit_weight_of
from .models import Generation, OpenShift, PublishedShift, Schedule, ShiftAssignment, ShiftType, SwapRequest

CONFLICT = services.CONFLICT


# Rules for one person ---------------------------------------------------------------------------


def refusals(schedule: Schedule, employee: Employee, *, add: list[tuple[dt.date, int]] = (),
             remove: list[dt.date] = ()) -> list[str]:
    """The hard rules `employee` would break on `schedule` with cells added and removed."""
    return refusals_each(employee, [(schedule, add, remove)])[0]


def refusals_each(employee: Employee, changes: list[tuple[Schedule, list[tuple[dt.date, int]], list[dt.date]]]
                  ) -> list[list[str]]:
    """For each change (a roster of one unit, cells added, days removed), taken on its own: the hard
    rules `employee` would break. One load of the rosters and the person's cells, whatever the number
    of changes (My shifts checks every open shift the person could take at once)."""
    if not changes:
        return []
    rosters = list({schedule.pk: schedule for schedule, _add, _remove in changes}.values())
    loaded = rules.load_rosters(rosters, employee_ids={employee.pk}, hard_only=True)
    verdicts: dict[tuple, list[str]] = {}  # the same change asked twice (colleagues on the same shift) is checked once
    found = []
    for schedule, add, remove in changes:
        key = (schedule.pk, tuple(add), tuple(remove))
        if key not in verdicts:
            verdicts[key] = _refusals(employee, *loaded[schedule.pk], add, remove)
        found.append(verdicts[key])
    return found


def _refusals(employee: Employee, ctx: rules.RosterContext, cells: list[rules.Cell], add, remove) -> list[str]:
    person = ctx.employees.get(employee.pk)
    # Staff of the unit: its active people, and anyone already on the roster (rules.roster_employees).
    if person is None or not (person.home or cells):
        return [_("%(name)s is not staff of this unit.") % {"name": employee.full_name}]
    removed = set(remove)
    mine = [c for c in cells if c.date not in removed]
    mine += [rules.Cell(employee.pk, day, shift_type_id) for day, shift_type_id in add]
    return [v.message for v in rules.check_employee(ctx, employee.pk, mine) if v.is_hard]


def _place(schedule: Schedule, employee: Employee, shift_type: ShiftType, day: dt.date, *, reason: str) -> None:
    starts_at, ends_at = shift_type.span_on(day)
    bulk_create_with_history(
        [ShiftAssignment(schedule=schedule, employee=employee, shift_type=shift_type, date=day,
                         starts_at=starts_at, ends_at=ends_at)],
        ShiftAssignment, default_change_reason=reason,
    )
    if schedule.published_at is not None:
        PublishedShift.objects.create(schedule=schedule, employee=employee, shift_type=shift_type, date=day,
                                      starts_at=starts_at, ends_at=ends_at)


def _reassign(assignment: ShiftAssignment, *, employee: Employee | None = None, shift_type: ShiftType | None = None,
              reason: str) -> None:
    """Change who works a cell, or which shift it is, and what staff see of it."""
    old_employee = assignment.employee_id
    if employee is not None:
        assignment.employee = employee
    if shift_type is not None:
        assignment.shift_type = shift_type
    assignment._change_reason = reason
    assignment.save()
    PublishedShift.objects.filter(schedule=assignment.schedule_id, employee_id=old_employee,
                                  date=assignment.date).update(
        employee_id=assignment.employee_id, shift_type_id=assignment.shift_type_id,
        starts_at=assignment.starts_at, ends_at=assignment.ends_at)


def _lock_people(*employees) -> None:
    list(Employee.objects.select_for_update().filter(pk__in=[e.pk for e in employees if e]).order_by("pk"))


# Repair -------------------------------------------------------------------------------------------


@transaction.atomic
def find_cover(*, actor, schedule: Schedule, employee: Employee, start: dt.date, end: dt.date,
               time_limit: int = 30) -> Generation:
    """Re-optimise the roster without `employee` from `start` to `end` (a sick call, approved leave),
    with a price on every changed cell, so the fewest people are moved. A published roster is
    reopened as a revision first. The result awaits the head's approval (accept)."""
    schedule = services._locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    if schedule.status == Schedule.Status.PUBLISHED:
        schedule = services.start_revision(
            actor=actor, schedule=schedule,
            reason=f"cover for {employee.full_name} {date_format(start)}–{date_format(end)}")
    services._require_draft(schedule)
    if end < start or not (schedule.start_date <= start <= schedule.end_date):
        raise ValidationError(_("Give days within the roster, the first before the last."))
    if Generation.objects.filter(schedule=schedule, state__in=Generation.OPEN).exists():
        raise ValidationError(_("This roster is already being generated, or a result awaits a decision."),
                              code=CONFLICT)
    from hospital_ops import jobs

    days = [d for d in schedule.days if start <= d <= end]
    job = jobs.create_job(kind=JOB_KIND, owner=actor, department=schedule.department)
    generation = save_checked(Generation(
        schedule=schedule, job=job, requested_by=actor, mode=Generation.Mode.REPAIR, keep=Generation.Keep.NONE,
        time_limit=time_limit, fairness_weight=fairness_weight_of(schedule.department),
        limit_weight=limit_weight_of(schedule.department),
        absent=[[employee.pk, d.isoformat()] for d in days],
    ), f"cover asked by {actor.get_username()} for {employee.full_name}")
    tasks.run_generation.delay_on_commit(generation.pk)
    return generation


# Open shifts --------------------------------------------------------------------------------------


@transaction.atomic
def post_open_shift(*, actor, schedule: Schedule, shift_type: ShiftType, day: dt.date, note: str = "") -> OpenShift:
    schedule = services._locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    if day not in set(schedule.days):
        raise ValidationError(_("This date is not on this roster."))
    if shift_type.department_id != schedule.department_id:
        raise ValidationError(_("Choose a shift type of this unit."))
    post = save_checked(OpenShift(schedule=schedule, shift_type=shift_type, date=day, note=note[:200],
                                  posted_by=actor), f"posted by {actor.get_username()}")
    tasks.notify_open_shift.delay_on_commit(post.pk)
    return post


def eligible_staff(open_shift: OpenShift) -> list[Employee]:
    """Who the rule check allows on this shift."""
    people = rules.roster_employees(open_shift.schedule).order_by("last_name", "first_name")
    return [e for e in people
            if not refusals(open_shift.schedule, e, add=[(open_shift.date, open_shift.shift_type_id)])]


@transaction.atomic
def claim_open_shift(*, actor, open_shift: OpenShift, employee: Employee) -> OpenShift:
    """The first eligible claim wins, under the open shift's row lock; later ones are told it is taken."""
    if employee.user_id != actor.pk:
        raise PermissionDenied
    open_shift = OpenShift.objects.select_for_update(of=("self",)).get(pk=open_shift.pk)
    if open_shift.status != OpenShift.Status.OPEN:
        raise ValidationError(_("This shift has already been taken."), code=CONFLICT)
    problems = refusals(open_shift.schedule, employee, add=[(open_shift.date, open_shift.shift_type_id)])
    if problems:
        raise ValidationError(problems)
    open_shift.status, open_shift.claimed_by, open_shift.claimed_at = (
        OpenShift.Status.CLAIMED, employee, timezone.now())
    return save_checked(open_shift, f"claimed by {employee.full_name}")


@transaction.atomic
def decide_open_shift(*, actor, open_shift: OpenShift, approve: bool) -> OpenShift:
    """The head approves the claim (the rules checked again, the cell written) or reopens the shift."""
    schedule = services._locked(open_shift.schedule)
    if not access.can_manage_department(actor, schedule.department):
        raise PermissionDenied
    open_shift = OpenShift.objects.select_for_update(of=("self",)).select_related("claimed_by", "shift_type").get(
        pk=open_shift.pk)
    if open_shift.status != OpenShift.Status.CLAIMED:
        raise ValidationError(_("Only a claimed shift awaits a decision."), code=CONFLICT)
    open_shift.decided_by, open_shift.decided_at = actor, timezone.now()
    if not approve:
        open_shift.status, open_shift.claimed_by, open_shift.claimed_at = OpenShift.Status.OPEN, None, None
        return save_checked(open_shift, f"claim refused by {actor.get_username()}")
    _lock_people(open_shift.claimed_by)
    problems = refusals(schedule, open_shift.claimed_by, add=[(open_shift.date, open_shift.shift_type_id)])
    if problems:
        raise ValidationError(problems)
    _place(schedule, open_shift.claimed_by, open_shift.shift_type, open_shift.date,
           reason=f"open shift {open_shift.pk} filled")
    open_shift.status = OpenShift.Status.FILLED
    return save_checked(open_shift, f"claim approved by {actor.get_username()}")


# Swaps --------------------------------------------------------------------------------------------


@transaction.atomic
def offer_swap(*, actor, assignment: ShiftAssignment, to: Employee | None = None,
               in_return: ShiftAssignment | None = None, note: str = "") -> SwapRequest:
    """Offer one of one's published shifts to a named colleague (optionally for one of theirs), or to
    anyone eligible."""
    assignment = ShiftAssignment.objects.select_related("schedule", "employee").get(pk=assignment.pk)
    if assignment.employee.user_id != actor.pk:
        raise PermissionDenied
    if assignment.schedule.published_at is None:
        raise ValidationError(_("Only a published shift can be offered."))
    if in_return is not None and (to is None or in_return.employee_id != to.pk):
        raise ValidationError(_("A shift in return must be the colleague's own."))
    return save_checked(SwapRequest(assignment=assignment, offered_by=assignment.employee, offered_to=to,
                                    in_return=in_return, note=note[:200]),
                        f"offered by {assignment.employee.full_name}")


def swap_refusals(swap: SwapRequest, taker: Employee) -> list[str]:
    """Every hard rule the swap would break, for either person."""
    given = swap.assignment
    back = swap.in_return
    problems = []
    for_taker_add = [(given.date, given.shift_type_id)]
    for_taker_remove = [back.date] if back else []
    problems += refusals(given.schedule, taker, add=for_taker_add, remove=for_taker_remove)
    if back is not None:
        problems += refusals(back.schedule, swap.offered_by, add=[(back.date, back.shift_type_id)],
                             remove=[given.date])
    return problems


@transaction.atomic
def accept_swap(*, actor, swap: SwapRequest, employee: Employee) -> SwapRequest:
    if employee.user_id != actor.pk:
        raise PermissionDenied
    swap = SwapRequest.objects.select_for_update(of=("self",)).select_related("assignment__schedule").get(pk=swap.pk)
    if swap.status != SwapRequest.Status.OFFERED:
        raise ValidationError(_("This offer has already been taken or withdrawn."), code=CONFLICT)
    if swap.offered_to_id not in (None, employee.pk) or employee.pk == swap.offered_by_id:
        raise PermissionDenied
    problems = swap_refusals(swap, employee)
    if problems:
        raise ValidationError(problems)
    swap.status, swap.taken_by = SwapRequest.Status.ACCEPTED, employee
    return save_checked(swap, f"accepted by {employee.full_name}")


@transaction.atomic
def decide_swap(*, actor, swap: SwapRequest, approve: bool) -> SwapRequest:
    """The head's decision: on approval the rules are checked again for both people and both cells
    change (and what staff see) in one transaction."""
    swap = SwapRequest.objects.select_related("assignment__schedule").get(pk=swap.pk)
    schedule = services._locked(swap.assignment.schedule)
    if not access.can_manage_department(actor, schedule.department):
        raise PermissionDenied
    swap = SwapRequest.objects.select_for_update(of=("self",)).select_related(
        "assignment__schedule", "assignment__shift_type", "in_return__schedule", "in_return__shift_type",
        "taken_by", "offered_by").get(pk=swap.pk)
    if swap.status != SwapRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted swap awaits a decision."), code=CONFLICT)
    swap.decided_by, swap.decided_at = actor, timezone.now()
    if not approve:
        swap.status = SwapRequest.Status.REFUSED
        return save_checked(swap, f"refused by {actor.get_username()}")
    _lock_people(swap.offered_by, swap.taken_by)
    problems = swap_refusals(swap, swap.taken_by)
    if problems:
        raise ValidationError(problems)
    reason = f"swap {swap.pk} approved"
    given, back = swap.assignment, swap.in_return
    if back is not None and back.date == given.date:  # the same day: the two exchange shift types
        given_type, back_type = given.shift_type, back.shift_type
        _reassign(given, shift_type=back_type, reason=reason)
        _reassign(back, shift_type=given_type, reason=reason)
    else:
        _reassign(given, employee=swap.taken_by, reason=reason)
        if back is not None:
            _reassign(back, employee=swap.offered_by, reason=reason)
    swap.status = SwapRequest.Status.APPROVED
    return save_checked(swap, f"approved by {actor.get_username()}")


