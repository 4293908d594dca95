"""Every change to report runs and schedules: requesting, building, failing, dispatching, telling people."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hospital_ops import jobs
from hospital_ops.exports import xlsx_file
from records.models import Department

from . import access
from .builder import REPORT_TYPES, TEMPLATE, build_context
from .models import HOSPITAL, ReportDownload, ReportRun, ReportSchedule
from .periods import Period, last_closed_month, last_closed_week
from .rendering import render_document
from .scope import Scope

logger = logging.getLogger(__name__)

REPORT_JOB = "report"  # the kind of the background job that builds a run (registered in apps.py)


def resolve_scope(user, value) -> Scope:
    """'hospital' or a department id the user may report on; anything else reads as unknown."""
    value = str(value if value is not None else "").strip()
    if value == HOSPITAL:
        if not access.can_report_on(user, None):
            raise PermissionDenied(_("Only managers can request whole-hospital reports; choose your department."))
        return Scope(None)
    department = None
    if value.isdigit():
        department = Department.objects.visible_to(user).filter(pk=int(value)).first()
    if department is None:
        raise ValidationError({"scope": _('Choose "hospital" or a department you may see.')})
    if not access.can_report_on(user, department):
        raise PermissionDenied(_("Only the department's heads and managers can request its reports."))
    return Scope(department)


def _period_for(kind: str, period: Period | str) -> Period:
    if isinstance(period, str):
        period = Period.parse(period)
    if REPORT_TYPES[kind].months_only and not period.is_month:
        raise ValidationError({"period": _("This report covers a calendar month: give it as 2026-03.")})
    if period.start > timezone.localdate():
        raise ValidationError({"period": _("That period has not started yet.")})
    return period


def _enqueue(run: ReportRun) -> None:
    from . import tasks

    tasks.build_report.delay_on_commit(run.pk)


# Requesting and scheduling runs ------------------------------------------------------------------------


def _new_run(*, kind: str, period: Period, scope: Scope, requested_by=None, schedule=None) -> tuple[ReportRun, bool]:
    """The run for (kind, period, scope), created if there is none. The unique constraint settles races."""
    lookup = {"kind": kind, "period": period.key, "scope": scope.key}
    existing = ReportRun.objects.select_for_update().filter(**lookup).first()
    if existing is not None:
        return existing, False
    run = ReportRun(
        **lookup,
        period_start=period.start,
        period_end=period.end,
        department=scope.department,
        requested_by=requested_by,
        schedule=schedule,
        requested_at=timezone.now(),
    )
    run.provisional = _period_open(run)
    run.full_clean(validate_constraints=False)
    run._change_reason = "scheduled" if schedule else "requested"
    try:
        with transaction.atomic():
            run.job = jobs.create_job(kind=REPORT_JOB, owner=requested_by, department=scope.department)
            run.save()
    except IntegrityError:  # someone else created it between our read and our write
        return ReportRun.objects.select_for_update().get(**lookup), False
    return run, True


def _requeue(run: ReportRun, *, requested_by, reason: str) -> ReportRun:
    run.status = ReportRun.Status.QUEUED
    run.progress = 0
    run.error = ""
    run.attempts = 0
    run.started_at = run.finished_at = None
    run.requested_at = timezone.now()
    run.provisional = _period_open(run)
    if requested_by is not None:
        run.requested_by = requested_by
    if run.job_id:
        jobs.requeue_job(run.job_id, reason=reason)
    else:
        run.job = jobs.create_job(kind=REPORT_JOB, owner=run.requested_by, department=run.department)
    run._change_reason = reason
    run.save()
    _enqueue(run)
    return run


@transaction.atomic
def request_report(
    *, kind: str, period: Period | str, scope, requested_by, regenerate: bool = False
) -> tuple[ReportRun, bool]:
    """Queue a report, or hand back the one already queued, running or built for that period and scope.

    Returns (run, queued): `queued` is False when an existing run answers the request. A failed run is
    queued again; a built one only when `regenerate` (its file is then replaced, its history kept)."""
    if kind not in REPORT_TYPES:
        raise ValidationError({"kind": _("Choose one of: %s.") % ", ".join(REPORT_TYPES)})
    if not access.can_request_reports(requested_by):
        raise PermissionDenied(_("Only managers and department heads can request reports."))
    if not isinstance(scope, Scope):
        scope = resolve_scope(requested_by, scope)
    if not access.can_request_kind(requested_by, kind, scope.department):
        raise PermissionDenied(_("You may not request the %(report)s on this scope.")
                               % {"report": REPORT_TYPES[kind].title.lower()})
    period = _period_for(kind, period)
    run, created = _new_run(kind=kind, period=period, scope=scope, requested_by=requested_by)
    if created:
        _enqueue(run)
        return run, True
    if run.status == ReportRun.Status.FAILED or (regenerate and run.status == ReportRun.Status.SUCCEEDED):
        return _requeue(run, requested_by=requested_by, reason="regenerated" if regenerate else "retried"), True
    if is_stalled(run):
        return _requeue(run, requested_by=requested_by, reason="stalled, queued again"), True
    return run, False


# A run queued or running this long lost its worker (hard time limit, a lost message): build it again.
STALLED_AFTER = dt.timedelta(hours=1)


def is_stalled(run: ReportRun, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if run.status == ReportRun.Status.RUNNING:
        return run.started_at is not None and now - run.started_at > STALLED_AFTER
    if run.status == ReportRun.Status.QUEUED:
        return run.requested_at is not None and now - run.requested_at > STALLED_AFTER
    return False


def _period_open(run: ReportRun) -> bool:
    """The run's period has not ended yet (in the hospital's time zone): what is built now is provisional."""
    return timezone.localdate() <= run.period_end


def built_before_period_closed(run: ReportRun) -> bool:
    """A report built while its period was still running (provisional): not the report of the closed
    period. Judged by when the build started, since that is when its figures were read (and, for runs
    recorded without that mark, by when it finished)."""
    if run.status != ReportRun.Status.SUCCEEDED:
        return False
    return run.provisional or timezone.localdate(run.finished_at) <= run.period_end


def _schedule_scopes(schedule: ReportSchedule) -> list[Scope]:
    if schedule.each_department:
        return [Scope(d) for d in Department.objects.filter(parent__isnull=True, is_active=True).order_by("path")]
    return [Scope(schedule.department)]


def due_period(schedule: ReportSchedule, today: dt.date) -> Period:
    """The last closed period of the schedule: last month, or last ISO week."""
    if schedule.frequency == ReportSchedule.Frequency.MONTHLY:
        return last_closed_month(today)
    return last_closed_week(today)


@transaction.atomic
def dispatch_due_reports(*, now: dt.datetime | None = None) -> list[ReportRun]:
    """Queue every active schedule's run for its last closed period that does not exist yet.

    Run hourly by beat: on the 1st the monthly reports of the month just ended are queued, on Monday
    the weekly ones; later runs find them in place and queue nothing (one run per type, period and
    scope), and a missed day is caught up on the next run."""
    today = timezone.localdate(now or timezone.now())
    queued = []
    for schedule in ReportSchedule.objects.filter(is_active=True).select_related("department").order_by("pk"):
        period = due_period(schedule, today)
        for scope in _schedule_scopes(schedule):
            run, created = _new_run(kind=schedule.kind, period=period, scope=scope, schedule=schedule)
            if created:
                _enqueue(run)
                queued.append(run)
                continue
            if built_before_period_closed(run) or is_stalled(run, now=now):
                run.schedule = schedule
                queued.append(_requeue(run, requested_by=None, reason="rebuilt for the closed period"))
            elif run.schedule_id is None:
                run.schedule = schedule
                run._change_reason = "joined a schedule"
                run.save(update_fields=["schedule"])
                if run.status == ReportRun.Status.SUCCEEDED:
                    _notify_on_commit(run)
    return queued


# Building a run ------------------------------------------------------------------------------------------


@transaction.atomic
def start_run(run_id: int) -> ReportRun | None:
    """Mark the run running, or None if it is already finished (a task delivered twice does nothing)."""
    run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status not in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING):
        return None
    run.status = ReportRun.Status.RUNNING
    run.attempts += 1
    run.progress = 0
    run.started_at = timezone.now()
    run.finished_at = None
    run.provisional = _period_open(run)
    run._change_reason = f"attempt {run.attempts} started"
    run.save()
    if run.job_id:
        jobs.start_job(run.job_id, message=_("Building the report…"))
    return run


def set_progress(run_id: int, percent: int, *, job_id: int | None = None) -> None:
    """Progress is polled by pages, not audited: plain updates of the run and its job, no history row."""
    ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(progress=max(0, min(percent, 99)))
    if job_id:
        jobs.set_progress(job_id, percent)


@transaction.atomic
def finish_run(run_id: int, *, content: bytes, pages: int, workbook: bytes | None = None) -> ReportRun:
    """Store the built PDF (and, for a report with a named list, its workbook) and mark the run ready."""
    run = ReportRun.objects.select_for_update().get(pk=run_id)
    if run.status != ReportRun.Status.RUNNING:
        raise ValidationError(_("This report run is no longer running."), code="conflict")
    digest = hashlib.sha256(content).hexdigest()
    old_names = {run.file.name, run.workbook.name} - {""}
    scope = run.department.code.lower() if run.department_id else HOSPITAL
    stem = f"{run.kind}/{run.period}/{run.kind}-{scope}-{run.period}-{digest[:12]}"
    run.file.save(f"{stem}.pdf", ContentFile(content), save=False)
    if workbook is not None:
        run.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
    else:
        run.workbook = ""
    run.sha256, run.size, run.pages = digest, len(content), pages
    run.status, run.progress, run.error = ReportRun.Status.SUCCEEDED, 100, ""
    run.finished_at = timezone.now()
    run._change_reason = "built" if not old_names else "rebuilt"
    run.save()
    if run.job_id:
        jobs.finish_job(run.job_id, message=_("The report is ready."), result={
            "report_run": run.pk, "url": run.get_absolute_url(), "label": _("Open the report"),
            "pages": pages, "size": run.size, "sha256": digest, "provisional": run.provisional,
        })
    stale = old_names - {run.file.name, run.workbook.name}
    if stale:
        storage = run.file.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in stale])
    _notify_on_commit(run)
    return run


@transaction.atomic
def fail_run(run_id: int, *, error: str, final: bool) -> ReportRun:
    """Record a failed attempt: queued again for a retry, or failed for good with the error shown."""
    run = ReportRun.objects.select_for_update().get(pk=run_id)
    if run.status != ReportRun.Status.RUNNING:
        return run  # another delivery of the task finished it (or it was queued again): leave it be
    run.error = error[:4000]
    if final:
        run.status = ReportRun.Status.FAILED
        run.finished_at = timezone.now()
        run._change_reason = f"failed after {run.attempts} attempts"
    else:
        run.status = ReportRun.Status.QUEUED
        run._change_reason = f"attempt {run.attempts} failed, retrying"
    run.save()
    if run.job_id:
        jobs.fail_job(run.job_id, error=run.error, retrying=not final)
    return run


def build_run(run_id: int) -> ReportRun | None:
    """Build one run's PDF: read the measures for its scope and period, render, store. Idempotent."""
    run = start_run(run_id)
    if run is None:
        return None
    scope = Scope(run.department)
    context = build_context(
        run.kind, scope, Period.parse(run.period),
        on_progress=lambda percent: set_progress(run.pk, percent, job_id=run.job_id),
    )
    content, pages = render_document(TEMPLATE, context)
    return finish_run(run.pk, content=content, pages=pages, workbook=render_workbook(context))


def render_workbook(context: dict) -> bytes | None:
    """The workbook a report's sections hand over (the named list beside the PDF), or None."""
    book = next((part.data["workbook"] for part in context["sections"] if "workbook" in part.data), None)
    if book is None:
        return None
    with xlsx_file(book["sheet"], book["headers"], book["rows"]) as file:
        return file.read()


def render_report_files(*, kind: str, scope: Scope, period: Period) -> tuple[bytes, int, bytes | None]:
    """A report's PDF, its page count and its workbook (None for reports without one), without a run."""
    context = build_context(kind, scope, period)
    content, pages = render_document(TEMPLATE, context)
    return content, pages, render_workbook(context)


def render_report(*, kind: str, scope: Scope, period: Period) -> tuple[bytes, int]:
    """A report's PDF straight away, without a run (demo data, benchmarks, previews)."""
    return render_document(TEMPLATE, build_context(kind, scope, period))


# Telling people ------------------------------------------------------------------------------------------


def _notify_on_commit(run: ReportRun) -> None:
    if run.schedule_id:
        from . import tasks

        tasks.notify_report_ready.delay_on_commit(run.pk)


def recipients_of(run: ReportRun) -> list:
    """Active users with an address whom the run's schedule names, by name or role, and who may open it."""
    schedule = run.schedule
    if schedule is None:
        return []
    query = Q(pk__in=schedule.recipients.values("pk")) | Q(groups__in=schedule.recipient_roles.all())
    if schedule.notify_department_heads and run.department_id:
        query |= Q(pk__in=access.heads_of(run.department).values("pk"))
    users = get_user_model().objects.filter(query, is_active=True).exclude(email="")
    if run.provisional:  # the board hears of the final report only
        users = users.exclude(groups__name=access.BOARD_MEMBER)
    users = users.distinct().order_by("pk")
    return [user for user in users if ReportRun.objects.visible_to(user).filter(pk=run.pk).exists()]


def notify_report_ready(run_id: int) -> int:
    """E-mail each recipient a link to the report (never the file). Returns the number of messages."""
    run = ReportRun.objects.select_related("schedule", "department").filter(pk=run_id).first()
    if run is None or run.status != ReportRun.Status.SUCCEEDED:
        return 0
    link = settings.SITE_URL + reverse("reports:run-detail", args=[run.pk])
    label = Period.parse(run.period).label
    kind = str(run.get_kind_display())
    what = f"Provisional {kind[0].lower()}{kind[1:]}" if run.provisional else kind
    subject = f"{settings.HOSPITAL_NAME}: {what} for {label} is ready"
    caveat = (
        f"This report is provisional: {label} has not ended, so its figures stop short of the period's end. "
        "The final report is built when the period closes.\n\n" if run.provisional else ""
    )
    messages = [
        (
            subject,
            f"Hello {user.get_full_name() or user.username},\n\n"
            f"The {what.lower()} for {label} ({run.scope_label}) is "
            f"ready. Sign in to read and download it:\n\n{link}\n\n{caveat}"
            "The report is confidential: please do not forward it.\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        for user in recipients_of(run)
    ]
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


# Schedules and downloads ---------------------------------------------------------------------------------


@transaction.atomic
def save_schedule(*, actor, data: dict, schedule: ReportSchedule | None = None) -> ReportSchedule:
    if not access.can_manage_report_schedules(actor):
        raise PermissionDenied(_("Only managers can change report schedules."))
    creating = schedule is None
    schedule = schedule or ReportSchedule(created_by=actor)
    recipients = data.pop("recipients", None)
    roles = data.pop("recipient_roles", None)
    for field, value in data.items():
        setattr(schedule, field, value)
    schedule.full_clean()
    kind = REPORT_TYPES.get(schedule.kind)
    if kind is not None and kind.months_only and schedule.frequency != ReportSchedule.Frequency.MONTHLY:
        raise ValidationError({"frequency": _("This report covers a calendar month: schedule it monthly.")})
    schedule._change_reason = "created" if creating else "changed"
    schedule.save()
    if recipients is not None:
        schedule.recipients.set(recipients)
    if roles is not None:
        schedule.recipient_roles.set(roles)
    return schedule


@transaction.atomic
def set_schedule_active(*, actor, schedule: ReportSchedule, active: bool) -> ReportSchedule:
    if not access.can_manage_report_schedules(actor):
        raise PermissionDenied(_("Only managers can pause or resume report schedules."))
    schedule = ReportSchedule.objects.select_for_update().get(pk=schedule.pk)
    schedule.is_active = active
    schedule._change_reason = "resumed" if active else "paused"
    schedule.save()
    return schedule


def record_download(*, run: ReportRun, user, ip_address: str | None, user_agent: str) -> ReportDownload:
    return ReportDownload.objects.create(
        run=run, user=user, ip_address=ip_address or None, user_agent=(user_agent or "")[:255], sha256=run.sha256
    )

