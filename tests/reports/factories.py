import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import HOSPITAL, ReportRun

PDF = b"%PDF-1.7\n% a tiny stand-in for a report\n%%EOF\n"


def make_run(*, kind="board", period="2026-03", department=None, status=ReportRun.Status.SUCCEEDED, content=PDF):
    year, month = (int(part) for part in period.split("-"))
    run = ReportRun(
        kind=kind, period=period, period_start=dt.date(year, month, 1), period_end=dt.date(year, month, 28),
        scope=str(department.pk) if department else HOSPITAL, department=department, status=status,
        requested_at=timezone.now(), finished_at=timezone.now() if status == ReportRun.Status.SUCCEEDED else None,
    )
    if status == ReportRun.Status.SUCCEEDED:
        run.file.save(f"{kind}-{period}-{run.scope}.pdf", ContentFile(content), save=False)
        run.size = len(content)
    run.save()
    return run
