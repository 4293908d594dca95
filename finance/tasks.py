"""Finance notifications and background imports. Tasks take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail

from . import access
from .models import ExpenditureRequest


def _send(subject: str, body: str, addresses) -> int:
    addresses = sorted({a for a in addresses if a})
    if not addresses:
        return 0
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses])


@shared_task
def notify_expenditure_waiting(request_id: int) -> int:
    """Tell the holders of the next level that a request waits for them."""
    from .services.expenditure import bands

    request = ExpenditureRequest.objects.select_related("department", "raised_by").get(pk=request_id)
    if request.status != ExpenditureRequest.Status.REQUESTED:
        return 0
    chain = bands()
    level = max(request.approvals.values_list("level", flat=True), default=0) + 1
    people = access.approvers_for(request.department, level, chain).exclude(pk=request.raised_by_id)
    while not people.exists() and level < max((band.level for band in chain), default=0):
        level += 1  # nobody else holds this level: the next one up may approve
        people = access.approvers_for(request.department, level, chain).exclude(pk=request.raised_by_id)
    return _send(
        f"Expenditure to approve: {request} ({request.total} {settings.FINANCE_CURRENCY})",
        f"{request} for {request.department.name} waits for your approval (level {level}).\n\n"
        f"{settings.SITE_URL}{request.get_absolute_url()}\n",
        people.values_list("email", flat=True),
    )


@shared_task
def notify_expenditure_decided(request_id: int) -> int:
    request = ExpenditureRequest.objects.select_related("raised_by").get(pk=request_id)
    return _send(
        f"Expenditure {request.get_status_display().lower()}: {request}",
        f"{request} is {request.get_status_display().lower()}.\n\n{settings.SITE_URL}{request.get_absolute_url()}\n",
        [request.raised_by.email],
    )


@shared_task
def import_ledger_file(job_id: int, path: str, batch_id: str, user_id: int | None) -> None:
    from .services.actuals import run_ledger_import_job

    run_ledger_import_job(job_id=job_id, path=path, batch_id=batch_id, user_id=user_id)
