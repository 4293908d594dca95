"""Celery tasks: ids in, a service call, nothing else. Enqueued with `delay_on_commit`."""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.core.exceptions import ValidationError

from . import rendering, services

MAX_RETRIES = getattr(settings, "REPORT_MAX_RETRIES", 2)  # then the run is failed, with the error shown
RETRY_DELAY_SECONDS = 30


@worker_process_init.connect
def load_renderer(**_signal) -> None:
    """A worker process loads the PDF renderer when it starts, so that its first report does not wait for it."""
    rendering.load_renderer()


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
)
def build_report(self, run_id: int) -> str | None:
    retries = self.request.retries
    while True:
        try:
            run = services.build_run(run_id)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded on the run, then retried or final
            if isinstance(exc, ValidationError) and any(e.code == "conflict" for e in getattr(exc, "error_list", [])):
                return None  # another delivery of this task finished the run first
            final = retries >= self.max_retries
            services.fail_run(run_id, error=f"{type(exc).__name__}: {exc}", final=final)
            if final:
                return None
            if self.request.is_eager:  # run in-process (no broker): retry here, at once
                retries += 1
                continue
            raise self.retry(exc=exc, countdown=RETRY_DELAY_SECONDS * (retries + 1)) from exc
        return run.sha256 if run else None


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def notify_report_ready(run_id: int) -> int:
    return services.notify_report_ready(run_id)


@shared_task(soft_time_limit=9 * 60, time_limit=10 * 60)
def dispatch_due_reports() -> int:
    return len(services.dispatch_due_reports())
