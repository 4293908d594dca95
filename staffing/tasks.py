"""Roster notifications by e-mail, and the nightly census forecasts. Tasks take ids and load what they need."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import timezone

from facilities import census_outlook
from hospital_ops.scoping import hospital_zone

from . import access
from .models import Schedule, StaffingRatio


def _link(schedule: Schedule) -> str:
    return f"{settings.SITE_URL}{schedule.get_absolute_url()}"


def _send(subject: str, body: str, addresses) -> int:
    addresses = sorted({a for a in addresses if a})
    if not addresses:
        return 0
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses])


@shared_task
def notify_schedule_submitted(schedule_id: int) -> int:
    schedule = Schedule.objects.select_related("department", "submitted_by").get(pk=schedule_id)
    deciders = access.roster_deciders(schedule)
    by = schedule.submitted_by.get_full_name() or schedule.submitted_by.username
    return _send(
        f"Roster to approve: {schedule}",
        f"{by} submitted the roster {schedule} (revision {schedule.revision}) for your approval.\n\n"
        f"{_link(schedule)}\n",
        deciders.values_list("email", flat=True),
    )


@shared_task
def notify_schedule_approved(schedule_id: int) -> int:
    schedule = Schedule.objects.select_related("department", "submitted_by", "decided_by").get(pk=schedule_id)
    by = schedule.decided_by.get_full_name() or schedule.decided_by.username
    return _send(
        f"Roster approved: {schedule}",
        f"{by} approved the roster {schedule}. Publish it to show it to the staff.\n\n{_link(schedule)}\n",
        [schedule.submitted_by.email if schedule.submitted_by else ""],
    )


@shared_task
def notify_schedule_rejected(schedule_id: int) -> int:
    schedule = Schedule.objects.select_related("department", "submitted_by", "decided_by").get(pk=schedule_id)
    by = schedule.decided_by.get_full_name() or schedule.decided_by.username
    return _send(
        f"Roster returned: {schedule}",
        f"{by} returned the roster {schedule} to draft.\n\nReason: {schedule.rejection_reason}\n\n{_link(schedule)}\n",
        [schedule.submitted_by.email if schedule.submitted_by else ""],
    )


@shared_task
def notify_schedule_published(schedule_id: int) -> int:
    schedule = Schedule.objects.select_related("department").get(pk=schedule_id)
    emails = schedule.assignments.values_list("employee__email", flat=True).distinct()
    return _send(
        f"Your roster is published: {schedule.department.name}",
        f"The roster {schedule} is published. Your shifts are under My shifts and in your calendar feed.\n\n"
        f"{settings.SITE_URL}/staffing/my-shifts/\n",
        emails,
    )




@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=15 * 60, time_limit=20 * 60)
def run_generation(generation_id: int) -> str:
    """Generate a roster. Delivered again after a worker restart, it runs the same generation again;
    a finished one is never run twice."""
    from .generation_services import run_generation as run

    return run(generation_id).state


@shared_task
def notify_moved(schedule_id: int, employee_ids: list[int], note: str) -> int:
    """Tell the people whose shifts a repair moved, and no one else."""
    from records.models import Employee

    schedule = Schedule.objects.select_related("department").get(pk=schedule_id)
    emails = Employee.objects.filter(pk__in=employee_ids).values_list("email", flat=True)
    return _send(f"Your shifts changed: {schedule.department.name}", f"{note}\n\n{_link(schedule)}\n", emails)


@shared_task
def notify_open_shift(open_shift_id: int) -> int:
    """Tell the staff the rules allow on a newly posted open shift."""
    from .cover_services import eligible_staff
    from .models import OpenShift

    post = OpenShift.objects.select_related("schedule__department", "shift_type").get(pk=open_shift_id)
    if post.status != OpenShift.Status.OPEN:
        return 0
    return _send(
        f"Open shift: {post.shift_type.code} on {post.date:%a %d %b} ({post.schedule.department.name})",
        f"A {post.shift_type.name} shift on {post.date:%A %d %B} is open and you are free to take it. "
        f"Claim it through the staffing API or ask your head of unit; the first eligible claim wins.\n\n"
        f"{post.note}\n",
        [e.email for e in eligible_staff(post)],
    )


@shared_task
def warm_census_forecasts(days_ahead: int = 89) -> int:
    """Fit, once a night, the census forecast of every unit with a staffing ratio in force from today, so the
    first roster page of the day reads its required head counts from the cache instead of fitting while the
    manager waits. Returns the number of units fitted."""
    today = timezone.localdate(timezone.now(), hospital_zone())
    unit_ids = set(
        StaffingRatio.objects.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .values_list("department_id", flat=True)
    )
    census_outlook.census_by_day(unit_ids=unit_ids, start=today, end=today + dt.timedelta(days=days_ahead))
    return len(unit_ids)
