"""Demo data for reports: the three report schedules, and something for the board to download.

At the small scale the last two months' board reports are built synchronously (WeasyPrint in-process),
so the board login finds them in its archive. At the large scale, only schedules and a few queued and
failed runs are written: rendering belongs to the workers and to the benchmark.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from records import access
from records.demo import DemoContext

from . import services
from .models import HOSPITAL, ReportDownload, ReportKind, ReportRun, ReportSchedule
from .periods import Period, last_closed_month, last_closed_week
from .scope import Scope


def build_schedules(ctx: DemoContext) -> None:
    users = ctx.data["users"]
    groups = {name: Group.objects.get(name=name) for name in (access.BOARD_MEMBER, access.OPERATIONS_MANAGER)}
    board = ReportSchedule.objects.create(
        name="Monthly board report", kind=ReportKind.BOARD, frequency=ReportSchedule.Frequency.MONTHLY,
        created_by=users["ops"],
    )
    board.recipient_roles.set([groups[access.BOARD_MEMBER], groups[access.OPERATIONS_MANAGER]])
    compliance = ReportSchedule.objects.create(
        name="Monthly compliance report", kind=ReportKind.COMPLIANCE, frequency=ReportSchedule.Frequency.MONTHLY,
        created_by=users["ops"],
    )
    compliance.recipients.set([users["ops"]])
    ReportSchedule.objects.create(
        name="Weekly department activity", kind=ReportKind.DEPARTMENT_ACTIVITY,
        frequency=ReportSchedule.Frequency.WEEKLY, each_department=True, notify_department_heads=True,
        created_by=users["ops"],
    )
    ReportSchedule.objects.create(
        name="Monthly utilisation by department", kind=ReportKind.UTILISATION,
        frequency=ReportSchedule.Frequency.MONTHLY, each_department=True, notify_department_heads=True,
        created_by=users["ops"],
    )
    facilities = ReportSchedule.objects.create(
        name="Monthly facilities and equipment report", kind=ReportKind.FACILITIES,
        frequency=ReportSchedule.Frequency.MONTHLY, created_by=users["ops"],
    )
    facilities.recipients.set([users["ops"]])
    ctx.data["report_schedules"] = {"board": board, "compliance": compliance}
    ctx.log("report schedules: board (monthly), compliance (monthly), department activity (weekly, each department), "
            "utilisation (monthly, each department), facilities and equipment (monthly)")


def _run(ctx: DemoContext, kind: str, period: Period, schedule, **fields) -> ReportRun:
    moment = min(  # at 02:00 the night after the period closed, never in the future
        timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(2, 0))), timezone.now()
    )
    run = ReportRun(kind=kind, period=period.key, period_start=period.start, period_end=period.end, scope=HOSPITAL,
                    schedule=schedule, requested_at=moment, **fields)
    run._change_reason = "demo data"
    run.save()
    return run


def build_runs(ctx: DemoContext) -> None:
    schedules = ctx.data["report_schedules"]
    last = last_closed_month(ctx.today)
    if ctx.large:
        _run(ctx, ReportKind.BOARD, last, schedules["board"])
        _run(ctx, ReportKind.COMPLIANCE, last, schedules["compliance"])
        _run(ctx, ReportKind.COMPLIANCE, last.previous(), schedules["compliance"], status=ReportRun.Status.FAILED,
             attempts=3, error="SoftTimeLimitExceeded: the worker stopped the task after 15 minutes",
             finished_at=timezone.now())
        _run(ctx, ReportKind.DEPARTMENT_ACTIVITY, last_closed_week(ctx.today), None,
             requested_by=ctx.data["users"]["ops"])
        ctx.log("report runs: 3 queued, 1 failed (no rendering at the large scale)")
        return
    board_user = ctx.data["users"]["board"]
    for period in (last.previous(), last):
        run = _run(ctx, ReportKind.BOARD, period, None, status=ReportRun.Status.RUNNING, attempts=1,
                   started_at=timezone.now())
        content, pages = services.render_report(kind=ReportKind.BOARD, scope=Scope(None), period=period)
        run = services.finish_run(run.pk, content=content, pages=pages)  # no schedule yet: nobody is e-mailed
        run.schedule = schedules["board"]
        run.save(update_fields=["schedule"])
    ReportDownload.objects.create(run=ReportRun.objects.get(kind=ReportKind.BOARD, period=last.previous().key),
                                  user=board_user, ip_address="10.20.0.15", user_agent="demo")
    ctx.log(f"report runs: board reports for {last.previous().label} and {last.label} built")


STEPS = [build_schedules, build_runs]


def flush() -> None:
    for run in ReportRun.objects.exclude(file=""):
        run.file.delete(save=False)
    ReportDownload.objects.all().delete()
    ReportRun.objects.all().delete()
    ReportSchedule.objects.all().delete()
    for model in (ReportRun, ReportSchedule):
        model.history.model.objects.all().delete()
