"""Every roster change with rules: drafting cells, the approval workflow, time off and preferences.

Each write locks the schedule row (on PostgreSQL; on SQLite the IMMEDIATE transaction serialises
writers), re-reads it, checks the status and the actor's rights, validates with `rules`, writes,
and keeps history. Notifications leave after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from hospital_ops.history import save_checked, short_reason
from hospital_ops.validators import EARLIEST_OPERATING_DATE, LATEST_DATE
from records.models import Employee

from . import access, rules, selectors, tasks
from .models import CalendarFeed, PublishedShift, Schedule, ShiftAssignment, ShiftPreference, ShiftType, TimeOff

CONFLICT = "conflict"
UNKNOWN_SHIFT = "unknown_shift"
ROSTERED = "rostered"
EARLIEST, LATEST = EARLIEST_OPERATING_DATE, LATEST_DATE  # dates anyone could mean for a roster or time off


@dataclass
class CellChange:
    employee: Employee
    date: dt.date
    shift_type: ShiftType | None  # None clears the cell


@dataclass
class CellsWritten:
    """What a write did to the cells it was given, counted against the roster as it stood under the
    lock (so of two writers of one empty cell, only the first "created" it)."""

    warnings: list[rules.Violation]  # soft rules the changed rows break (saved anyway)
    created: int = 0
    updated: int = 0
    cleared: int = 0
    unchanged: int = 0


def _locked(schedule: Schedule) -> Schedule:
    return Schedule.objects.select_for_update(of=("self",)).select_related("department").get(pk=schedule.pk)


def _lock_employees(employee_ids) -> None:
    """Lock these people's rows, in key order. Every write that puts someone on a roster and every
    time-off approval takes this lock after the rosters' locks, so the two never both commit for the
    same person and day, and never deadlock."""
    list(
        Employee.objects.select_for_update(of=("self",))
        .filter(pk__in=set(employee_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _require_draft(schedule: Schedule) -> None:
    if schedule.status != Schedule.Status.DRAFT:
        raise ValidationError(
            _("This roster is %(status)s; only a draft can be changed.") % {"status": schedule.get_status_display()},
            code=CONFLICT,
        )


def _hard_errors(violations: list[rules.Violation]) -> list[str]:
    return [v.message for v in violations if v.is_hard]


# Schedules ------------------------------------------------------------------------------------


@transaction.atomic
def create_schedule(*, actor, department, start_date: dt.date, end_date: dt.date, comment: str = "") -> Schedule:
    if not access.can_schedule(actor, department):
        raise PermissionDenied
    if not department.shift_types.filter(is_active=True).exists():
        raise ValidationError({"department": _("Set up this unit's shift types before its first roster.")})
    if not (EARLIEST <= start_date <= LATEST and EARLIEST <= end_date <= LATEST):
        raise ValidationError({"start_date": _("Choose dates between 2000 and 2100.")})
    overlapping = Schedule.objects.filter(department=department, start_date__lte=end_date, end_date__gte=start_date)
    if overlapping.exists():
        raise ValidationError(
            {"start_date": _("%(unit)s already has a roster for part of that period.") % {"unit": department.name}}
        )
    schedule = Schedule(
        department=department, start_date=start_date, end_date=end_date, created_by=actor, comment=comment
    )
    try:
        with transaction.atomic():
            return save_checked(schedule, "created")
    except IntegrityError as error:  # the PostgreSQL exclusion constraint, under a race
        raise ValidationError({"start_date": _("This unit already has a roster for part of that period.")}) from error


def _apply(schedule: Schedule, changes: list[CellChange], *, reason: str, dry_run: bool = False) -> CellsWritten:
    """Validate the roster as it would be after `changes` and write it (unless `dry_run`), or raise
    with every error. The caller holds the roster's lock."""
    reason = short_reason(reason)  # bulk history writes send no pre-create signal, so cut it here
    _lock_employees(change.employee.pk for change in changes)
    existing = {(a.employee_id, a.date): a for a in schedule.assignments.all()}
    final = {key: a.shift_type_id for key, a in existing.items()}
    for change in changes:
        key = (change.employee.pk, change.date)
        if change.shift_type is None:
            final.pop(key, None)
        else:
            final[key] = change.shift_type.pk
    cells = [rules.Cell(emp, day, shift) for (emp, day), shift in final.items()]
    touched = {change.employee.pk for change in changes}
    ctx = rules.load_context(schedule)
    strangers = sorted({c.employee.full_name for c in changes if c.shift_type and c.employee.pk not in ctx.employees})
    if strangers:
        raise ValidationError([_("%(name)s is not active staff of this unit.") % {"name": name} for name in strangers])
    violations = []
    for employee_id in sorted(touched):
        violations += rules.check_employee(ctx, employee_id, [c for c in cells if c.employee_id == employee_id])
    errors = _hard_errors(violations)
    if errors:
        raise ValidationError(errors)
    written = CellsWritten(warnings=[v for v in violations if not v.is_hard])
    if dry_run:
        return written

    to_create, to_update, to_delete = [], [], []
    for change in changes:
        key = (change.employee.pk, change.date)
        current = existing.get(key)
        if change.shift_type is None:
            if current is not None:
                to_delete.append(current)
                written.cleared += 1
            else:
                written.unchanged += 1
            continue
        starts_at, ends_at = ctx.shift_types[change.shift_type.pk].span_on(change.date)
        if current is None:
            to_create.append(
                ShiftAssignment(
                    schedule=schedule,
                    employee=change.employee,
                    shift_type=change.shift_type,
                    date=change.date,
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
            written.created += 1
        elif current.shift_type_id != change.shift_type.pk:
            current.shift_type, current.starts_at, current.ends_at = change.shift_type, starts_at, ends_at
            to_update.append(current)
            written.updated += 1
        else:
            written.unchanged += 1
    try:
        with transaction.atomic():
            for assignment in to_delete:
                assignment._change_reason = reason
                assignment.delete()
            if to_update:
                bulk_update_with_history(
                    to_update,
                    ShiftAssignment,
                    ["shift_type", "starts_at", "ends_at"],
                    default_change_reason=reason,
                    batch_size=500,
                )
            if to_create:
                bulk_create_with_history(to_create, ShiftAssignment, batch_size=500, default_change_reason=reason)
    except IntegrityError as error:
        raise ValidationError(
            _("Another change reached these shifts first (two shifts at the same time). Reload and try again."),
            code=CONFLICT,
        ) from error
    return written


@transaction.atomic
def set_cells(
    *, actor, schedule: Schedule, changes: list[CellChange], reason: str = "edited", dry_run: bool = False
) -> list[rules.Violation]:
    """Set or clear roster cells, all or nothing. Returns the soft-rule warnings for those employees.
    With `dry_run`, checks everything and writes nothing."""
    return write_cells(actor=actor, schedule=schedule, changes=changes, reason=reason, dry_run=dry_run).warnings


@transaction.atomic
def write_cells(
    *, actor, schedule: Schedule, changes: list[CellChange], reason: str = "edited", dry_run: bool = False
) -> CellsWritten:
    """`set_cells`, answering also how many cells were created, updated, cleared or left as they were."""
    schedule = _locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    _require_draft(schedule)
    seen = set()
    for change in changes:
        key = (change.employee.pk, change.date)
        if key in seen:
            raise ValidationError(
                _("%(name)s appears twice for %(day)s.") % {"name": change.employee.full_name, "day": change.date}
            )
        seen.add(key)
    return _apply(schedule, changes, reason=reason, dry_run=dry_run)


@transaction.atomic
def set_cell_code(*, actor, schedule: Schedule, employee: Employee, date: dt.date, code: str) -> CellsWritten:
    """One grid cell as typed: a shift code of the unit, or nothing to clear it."""
    shift_type = None
    if code:
        shift_type = ShiftType.objects.filter(department=schedule.department, code=code.upper(), is_active=True).first()
        if shift_type is None:
            raise ValidationError(_("%(code)s is not a shift of this unit.") % {"code": code}, code=UNKNOWN_SHIFT)
    return write_cells(actor=actor, schedule=schedule, changes=[CellChange(employee, date, shift_type)])


@transaction.atomic
def copy_previous_roster(*, actor, schedule: Schedule) -> tuple[int, list[str]]:
    """Start a draft from the unit's previous roster, shifted to this period. Cells that would break
    a hard rule here (time off, a lapsed credential, someone who left) are skipped and explained."""
    schedule = _locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    _require_draft(schedule)
    source = (
        Schedule.objects.filter(department=schedule.department, start_date__lt=schedule.start_date)
        .order_by("-start_date")
        .first()
    )
    if source is None:
        raise ValidationError(_("This unit has no earlier roster to copy."))
    offset = schedule.start_date - source.start_date
    ctx = rules.load_context(schedule)
    taken = {(a.employee_id, a.date) for a in schedule.assignments.all()}
    candidates = []
    skipped: list[str] = []
    for assignment in source.assignments.select_related("employee", "shift_type"):
        day = assignment.date + offset
        if day > schedule.end_date or (assignment.employee_id, day) in taken:
            continue
        cell = rules.Cell(assignment.employee_id, day, assignment.shift_type_id)
        problems = _hard_errors(rules.check_cell(ctx, cell))
        if problems:
            skipped += problems
            continue
        candidates.append(CellChange(assignment.employee, day, assignment.shift_type))
    # Successions and rest are checked per employee over the whole copy; drop what breaks them.
    kept = []
    by_employee: dict[int, list[CellChange]] = {}
    for change in candidates:
        by_employee.setdefault(change.employee.pk, []).append(change)
    for employee_id, employee_changes in by_employee.items():
        cells = [rules.Cell(employee_id, c.date, c.shift_type.pk) for c in employee_changes]
        problems = _hard_errors(rules.check_employee(ctx, employee_id, cells))
        if problems:
            skipped += problems
            accepted: list[CellChange] = []
            for change in employee_changes:  # keep shifts one by one while the row stays valid
                trial = [rules.Cell(employee_id, c.date, c.shift_type.pk) for c in [*accepted, change]]
                if not _hard_errors(rules.check_employee(ctx, employee_id, trial)):
                    accepted.append(change)
            kept += accepted
        else:
            kept += employee_changes
    _apply(schedule, kept, reason=f"copied from roster {source.pk}")
    return len(kept), skipped


def schedule_violations(schedule: Schedule) -> tuple[rules.RosterContext, list[rules.Cell], list[rules.Violation]]:
    return rosters_violations([schedule])[schedule.pk]


def rosters_violations(
    schedules: list[Schedule],
) -> dict[int, tuple[rules.RosterContext, list[rules.Cell], list[rules.Violation]]]:
    """The rule findings of each of one unit's rosters, by roster pk, loaded together (the same queries
    for one roster as for several)."""
    return {
        pk: (ctx, cells, rules.check_roster(ctx, cells)) for pk, (ctx, cells) in rules.load_rosters(schedules).items()
    }


@transaction.atomic
def submit_schedule(*, actor, schedule: Schedule, comment: str = "") -> Schedule:
    schedule = _locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    _require_draft(schedule)
    schedule.status = Schedule.Status.SUBMITTED
    schedule.submitted_by, schedule.submitted_at = actor, timezone.now()
    schedule.rejection_reason = ""
    schedule.comment = comment
    save_checked(schedule, f"submitted: {comment}" if comment else "submitted")
    tasks.notify_schedule_submitted.delay_on_commit(schedule.pk)
    return schedule


def _check_decider(actor, schedule: Schedule) -> None:
    if access.can_decide_roster(actor, schedule):
        return
    if schedule.submitted_by_id == actor.pk:
        raise PermissionDenied(_("You submitted this roster, so someone else must approve or reject it."))
    raise PermissionDenied(_("Only a head of this unit or an operations manager decides on its roster."))


def _require_submitted(schedule: Schedule) -> None:
    if schedule.status == Schedule.Status.SUBMITTED:
        return
    if schedule.decided_by_id and schedule.status in (Schedule.Status.APPROVED, Schedule.Status.PUBLISHED):
        when = timezone.localtime(schedule.decided_at)
        raise ValidationError(
            _("%(who)s already approved this roster at %(when)s.")
            % {
                "who": schedule.decided_by.get_full_name() or schedule.decided_by.username,
                "when": date_format(when, "DATETIME_FORMAT"),
            },
            code=CONFLICT,
        )
    raise ValidationError(
        _("This roster is %(status)s, not awaiting approval.") % {"status": schedule.get_status_display()},
        code=CONFLICT,
    )


@transaction.atomic
def approve_schedule(*, actor, schedule: Schedule, comment: str = "") -> Schedule:
    schedule = _locked(schedule)
    if not access.can_manage_department(actor, schedule.department):
        raise PermissionDenied
    _require_submitted(schedule)
    _check_decider(actor, schedule)
    errors = _hard_errors(schedule_violations(schedule)[2])
    if errors:
        raise ValidationError([_("The roster still breaks hard rules:"), *errors])
    schedule.status = Schedule.Status.APPROVED
    schedule.decided_by, schedule.decided_at = actor, timezone.now()
    schedule.first_approved_at = schedule.first_approved_at or schedule.decided_at
    schedule.approval_comment = comment
    save_checked(schedule, f"approved: {comment}" if comment else "approved")
    tasks.notify_schedule_approved.delay_on_commit(schedule.pk)
    return schedule


@transaction.atomic
def reject_schedule(*, actor, schedule: Schedule, reason: str) -> Schedule:
    schedule = _locked(schedule)
    if not access.can_manage_department(actor, schedule.department):
        raise PermissionDenied
    _require_submitted(schedule)
    _check_decider(actor, schedule)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the roster is rejected, so the scheduler can fix it.")})
    schedule.status = Schedule.Status.DRAFT
    schedule.decided_by, schedule.decided_at = actor, timezone.now()
    schedule.rejection_reason = reason.strip()
    save_checked(schedule, f"rejected: {reason.strip()}")
    tasks.notify_schedule_rejected.delay_on_commit(schedule.pk)
    return schedule


@transaction.atomic
def publish_schedule(*, actor, schedule: Schedule) -> Schedule:
    schedule = _locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    if schedule.status != Schedule.Status.APPROVED:
        raise ValidationError(_("Only an approved roster can be published."), code=CONFLICT)
    schedule.status = Schedule.Status.PUBLISHED
    schedule.published_at = timezone.now()
    save_checked(schedule, "published")
    _publish_shifts(schedule)
    tasks.notify_schedule_published.delay_on_commit(schedule.pk)
    return schedule


def _publish_shifts(schedule: Schedule) -> None:
    """Replace what staff see of this roster with its shifts as they are now."""
    PublishedShift.objects.filter(schedule=schedule).delete()
    PublishedShift.objects.bulk_create(
        [
            PublishedShift(
                schedule=schedule,
                employee_id=employee_id,
                shift_type_id=shift_type_id,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
            )
            for employee_id, shift_type_id, day, starts_at, ends_at in schedule.assignments.values_list(
                "employee_id", "shift_type_id", "date", "starts_at", "ends_at"
            )
        ],
        batch_size=1000,
    )


@transaction.atomic
def start_revision(*, actor, schedule: Schedule, reason: str) -> Schedule:
    """Reopen a published roster as the next revision's draft; it must be approved again. Staff keep
    seeing the published shifts until the revision is published."""
    schedule = _locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    if schedule.status != Schedule.Status.PUBLISHED:
        raise ValidationError(_("Only a published roster is amended through a revision."), code=CONFLICT)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the revision is for.")})
    schedule.status = Schedule.Status.DRAFT
    schedule.revision += 1
    schedule.submitted_by = schedule.submitted_at = schedule.decided_by = schedule.decided_at = None
    schedule.rejection_reason = schedule.approval_comment = ""
    schedule.revision_reason = reason.strip()
    return save_checked(schedule, f"revision {schedule.revision}: {reason.strip()}")


# Time off and preferences ---------------------------------------------------------------------


@transaction.atomic
def request_time_off(*, actor, employee: Employee, kind: str, start_date: dt.date, end_date: dt.date, note: str = ""):
    if not access.can_act_for(actor, employee):
        raise PermissionDenied
    if not (EARLIEST <= start_date <= LATEST and EARLIEST <= end_date <= LATEST):
        raise ValidationError({"start_date": _("Choose dates between 2000 and 2100.")})
    if end_date < timezone.localdate() - dt.timedelta(days=60):
        raise ValidationError({"start_date": _("Time off more than 60 days in the past cannot be requested.")})
    overlapping = TimeOff.objects.filter(
        employee=employee,
        start_date__lte=end_date,
        end_date__gte=start_date,
        status__in=[TimeOff.Status.REQUESTED, TimeOff.Status.APPROVED],
    )
    if overlapping.exists():
        raise ValidationError({"start_date": _("This overlaps another request for the same days.")})
    time_off = TimeOff(
        employee=employee, kind=kind, start_date=start_date, end_date=end_date, note=note, requested_by=actor
    )
    return save_checked(time_off, "requested")


def _shift_line(shift) -> str:
    line = _("%(day)s: %(code)s · %(name)s on %(roster)s (%(status)s)") % {
        "day": f"{date_format(shift.date, 'D')} {date_format(shift.date)}",
        "code": shift.shift_type.code,
        "name": shift.shift_type.name,
        "roster": shift.schedule,
        "status": shift.schedule.get_status_display().lower(),
    }
    return f"{line}. {shift.how_to_remove}" if shift.how_to_remove else line


def _rostered_error(employee: Employee, shifts, *, removing: bool) -> ValidationError:
    """The refusal of an approval over rostered shifts: each shift in date order, and the way forward."""
    lines = [_("%(name)s is rostered on those days:") % {"name": employee.full_name}]
    lines += [_shift_line(shift) for shift in shifts]
    if all(shift.removable for shift in shifts):
        lines.append(
            _("Approve and remove these shifts from their draft rosters (the cells stay open for cover), "
              "or deny the request.")
        )
    elif removing:
        lines.append(_("Shifts on rosters past draft are not removed with an approval: change those rosters "
                       "first as said above, or deny the request."))
    else:
        lines.append(_("Change those rosters first as said above, or deny the request."))
    return ValidationError([ValidationError(line, code=ROSTERED) for line in lines])


def is_rostered_refusal(error: ValidationError) -> bool:
    """Whether a refused time-off approval was refused because the person is rostered those days."""
    return any(e.code == ROSTERED for e in getattr(error, "error_list", []))


def _lock_rosters_of(employee: Employee, start_date: dt.date, end_date: dt.date) -> set[int]:
    """Lock, in key order, the rosters on which the person holds a shift (drafted or published) on
    these days; return their ids."""
    days = {"employee": employee, "date__gte": start_date, "date__lte": end_date}
    drafted = ShiftAssignment.objects.filter(**days).values("schedule_id")
    published = PublishedShift.objects.filter(**days).values("schedule_id")
    return set(
        Schedule.objects.select_for_update()
        .filter(Q(pk__in=drafted) | Q(pk__in=published))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def decide_time_off(
    *, actor, time_off: TimeOff, approve: bool, note: str = "", remove_draft_shifts: bool = False
) -> TimeOff:
    """Approve or deny a request. An approval is refused while the person is rostered on those days,
    listing the shifts; with `remove_draft_shifts` the shifts on draft rosters are taken off (their
    cells left open for cover, history kept) and the request approved, provided every clashing shift
    is on a draft. Shifts that staff already see (published, or on a roster past draft) are never
    removed this way: the refusal says how to change those rosters."""
    time_off = (
        TimeOff.objects.select_for_update(of=("self",)).select_related("employee__department").get(pk=time_off.pk)
    )
    if not access.can_manage_department(actor, time_off.employee.department):
        raise PermissionDenied
    if time_off.employee.user_id == actor.pk:
        raise PermissionDenied(_("Someone else decides on your own time off."))
    if time_off.status != TimeOff.Status.REQUESTED:
        raise ValidationError(
            _("This request was already %(status)s.") % {"status": time_off.get_status_display().lower()},
            code=CONFLICT,
        )
    reason = "approved" if approve else "denied"
    if approve:
        # The rosters first, then the person (the order set_cells takes them): from here on nobody
        # rosters them, and the rosters holding their shifts keep their status.
        locked = _lock_rosters_of(time_off.employee, time_off.start_date, time_off.end_date)
        _lock_employees([time_off.employee_id])
        shifts = selectors.rostered_shifts(time_off)
        if shifts and not (remove_draft_shifts and all(shift.removable for shift in shifts)):
            raise _rostered_error(time_off.employee, shifts, removing=remove_draft_shifts)
        if any(shift.schedule.pk not in locked for shift in shifts):
            raise ValidationError(
                _("%(name)s was rostered on those days a moment ago. Reload and decide again.")
                % {"name": time_off.employee.full_name},
                code=CONFLICT,
            )
        for shift in shifts:
            if not access.can_schedule(actor, shift.schedule.department):
                raise PermissionDenied(
                    _("Only a scheduler or head of %(unit)s can take the shift off %(roster)s.")
                    % {"unit": shift.schedule.department.name, "roster": shift.schedule}
                )
        removed = ShiftAssignment.objects.filter(pk__in=[shift.assignment_id for shift in shifts]).order_by("pk")
        for assignment in removed:
            assignment._change_reason = f"removed: time off {time_off.pk} approved"
            assignment._history_user = actor  # also outside a request (tasks, commands)
            assignment.delete()
        if shifts:
            reason = f"approved; {len(shifts)} draft shift(s) removed"
    time_off.status = TimeOff.Status.APPROVED if approve else TimeOff.Status.DENIED
    time_off.decided_by, time_off.decided_at, time_off.decision_note = actor, timezone.now(), note
    return save_checked(time_off, reason)


@transaction.atomic
def cancel_time_off(*, actor, time_off: TimeOff) -> TimeOff:
    time_off = (
        TimeOff.objects.select_for_update(of=("self",)).select_related("employee__department").get(pk=time_off.pk)
    )
    if not access.can_act_for(actor, time_off.employee):
        raise PermissionDenied
    if time_off.status not in (TimeOff.Status.REQUESTED, TimeOff.Status.APPROVED):
        raise ValidationError(_("This request is already closed."), code=CONFLICT)
    time_off.status = TimeOff.Status.CANCELLED
    return save_checked(time_off, "cancelled")


@transaction.atomic
def set_preference(*, actor, employee: Employee, date: dt.date, shift_type: ShiftType, kind: str, priority: int = 1):
    if not access.can_act_for(actor, employee):
        raise PermissionDenied
    if date < timezone.localdate():
        raise ValidationError({"date": _("Preferences are for days still to come.")})
    if not employee.department.path.startswith(shift_type.department.path):
        raise ValidationError({"shift_type": _("Choose a shift of your own unit.")})
    preference = ShiftPreference.objects.filter(employee=employee, date=date, shift_type=shift_type).first()
    preference = preference or ShiftPreference(employee=employee, date=date, shift_type=shift_type)
    preference.kind, preference.priority = kind, priority
    return save_checked(preference, "updated" if preference.pk else "created")


@transaction.atomic
def remove_preference(*, actor, preference: ShiftPreference) -> None:
    if not access.can_act_for(actor, preference.employee):
        raise PermissionDenied
    preference._change_reason = "removed"
    preference.delete()


@transaction.atomic
def renew_calendar_feed(*, actor, employee: Employee) -> CalendarFeed:
    """Issue a new secret feed URL; the old one stops working at once."""
    if not access.can_act_for(actor, employee):
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        employee=employee, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        save_checked(feed, "renewed")
    return feed


@transaction.atomic
def revoke_calendar_feed(*, actor, employee: Employee) -> None:
    if not access.can_act_for(actor, employee):
        raise PermissionDenied
    CalendarFeed.objects.filter(employee=employee).delete()
