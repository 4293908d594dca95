"""Background jobs: the kinds apps register, and every change of a job's state.

An app registers its kinds once (in its AppConfig.ready) and drives each job through these functions:

    job = jobs.create_job(kind="report", owner=user, department=None)   # queued
    jobs.start_job(job.pk)              # running; None if finished or cancelled meanwhile
    jobs.set_progress(job.pk, 40, "Staffing section")   # one UPDATE, no history row
    if jobs.cancel_requested(job.pk): jobs.acknowledge_cancel(job.pk); return
    jobs.finish_job(job.pk, result={...}) / jobs.fail_job(job.pk, error="...", retrying=False)

Pages show a job with templates/partials/job_progress.html; the API answers /api/v1/jobs/<id>/."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job


@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    app: str  # the API scope (records, staffing, reports, ...) an integration's token needs to follow it
    cancellable: bool = False


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> JobKind:
    if KINDS.get(kind.key, kind) != kind:
        raise ValueError(f"A job kind {kind.key!r} is already registered.")
    KINDS[kind.key] = kind
    return kind


def kind_of(job: Job) -> JobKind:
    return KINDS.get(job.kind) or JobKind(job.kind, job.kind, app="")


def _save(job: Job, reason: str, fields: list[str] | None = None) -> Job:
    job._change_reason = reason
    job.full_clean(validate_constraints=False)
    job.save(update_fields=fields)
    return job


def _locked(job_id: int) -> Job:
    return Job.objects.select_for_update().get(pk=job_id)


@transaction.atomic
def create_job(*, kind: str, owner=None, department=None, message: str = "") -> Job:
    if kind not in KINDS:
        raise ValidationError({"kind": _("Unknown kind of job: %s.") % kind})
    job = Job(kind=kind, owner=owner, department=department, message=message or _("Waiting for a worker…"))
    return _save(job, "queued")


@transaction.atomic
def requeue_job(job_id: int, *, message: str = "", reason: str = "queued again") -> Job:
    """Back in the queue (a retry, a rebuild): progress, error, result and times start afresh."""
    job = _locked(job_id)
    job.status, job.progress, job.error, job.result = Job.Status.QUEUED, 0, "", {}
    job.started_at = job.finished_at = job.cancel_requested_at = None
    job.message = message or _("Waiting for a worker…")
    return _save(job, reason)


@transaction.atomic
def start_job(job_id: int, *, message: str = "") -> Job | None:
    """Mark the job running; None when it is finished or was cancelled before a worker took it."""
    job = _locked(job_id)
    if job.is_finished:
        return None
    if job.cancel_requested_at is not None:
        _cancel(job)
        return None
    job.status, job.progress, job.started_at, job.finished_at = Job.Status.RUNNING, 0, timezone.now(), None
    job.message = message or _("Started.")
    return _save(job, "started")


def set_progress(job_id: int, percent: int, message: str | None = None) -> None:
    """Progress is polled by pages, not audited: one plain UPDATE of a running job, no history row.
    100 % is for finish_job."""
    values = {"progress": max(0, min(int(percent), 99))}
    if message is not None:
        values["message"] = message[:200]
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(**values)


def cancel_requested(job_id: int) -> bool:
    """Asked by a running worker between steps: stop, and call acknowledge_cancel."""
    return Job.objects.filter(pk=job_id, cancel_requested_at__isnull=False).exists()


@transaction.atomic
def finish_job(job_id: int, *, result: dict | None = None, message: str = "") -> Job:
    job = _locked(job_id)
    job.status, job.progress, job.error = Job.Status.SUCCEEDED, 100, ""
    job.result = result or {}
    job.message = message or _("Done.")
    job.finished_at = timezone.now()
    return _save(job, "succeeded")


@transaction.atomic
def fail_job(job_id: int, *, error: str, retrying: bool = False) -> Job:
    """A failed attempt: queued again for a retry, or failed for good with the error kept."""
    job = _locked(job_id)
    job.error = error[:4000]
    if retrying:
        job.status, job.message = Job.Status.QUEUED, _("The last attempt failed; retrying…")
        return _save(job, "attempt failed, retrying")
    job.status, job.message, job.finished_at = Job.Status.FAILED, _("Failed."), timezone.now()
    return _save(job, "failed")


def _cancel(job: Job) -> Job:
    job.status, job.finished_at, job.message = Job.Status.CANCELLED, timezone.now(), _("Cancelled.")
    return _save(job, "cancelled")


@transaction.atomic
def acknowledge_cancel(job_id: int) -> Job:
    """The worker stopped on request."""
    return _cancel(_locked(job_id))


@transaction.atomic
def request_cancel(*, job: Job, actor) -> Job:
    """Stop a job: a queued one is cancelled at once, a running one when its worker next looks.
    Only for kinds that allow it, by someone who may see the job."""
    if not Job.objects.visible_to(actor).filter(pk=job.pk).exists():
        raise PermissionDenied
    job = _locked(job.pk)
    if not kind_of(job).cancellable:
        raise ValidationError(_("This kind of job cannot be cancelled."))
    if job.is_finished:
        raise ValidationError(_("This job has already finished."), code="conflict")
    if job.status == Job.Status.QUEUED:
        return _cancel(job)
    if job.cancel_requested_at is None:
        job.cancel_requested_at = timezone.now()
        job.message = _("Cancelling…")
        _save(job, f"cancel requested by {actor.get_username()}")
    return job
