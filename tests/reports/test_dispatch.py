"""The beat schedule: an hourly dispatcher queues each schedule's report for the period just closed."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from reports import services
from reports.models import HOSPITAL, ReportKind, ReportRun, ReportSchedule

pytestmark = pytest.mark.django_db

FIRST_OF_JUNE = dt.datetime(2026, 6, 1, 7, 5, tzinfo=dt.UTC)  # 02:05 in Chicago, a Monday


@pytest.fixture
def schedules(hospital):
    monthly = ReportSchedule.Frequency.MONTHLY
    return {
        "board": ReportSchedule.objects.create(name="Board", kind=ReportKind.BOARD, frequency=monthly),
        "compliance": ReportSchedule.objects.create(name="Compliance", kind=ReportKind.COMPLIANCE, frequency=monthly),
        "activity": ReportSchedule.objects.create(
            name="Activity",
            kind=ReportKind.DEPARTMENT_ACTIVITY,
            frequency=ReportSchedule.Frequency.WEEKLY,
            each_department=True,
        ),
    }


def dispatch(when, capture):
    with time_machine.travel(when, tick=False), capture(execute=False) as callbacks:
        runs = services.dispatch_due_reports()
    return runs, callbacks


def test_it_runs_the_dispatcher_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["dispatch-due-reports"]
    assert entry == {"task": "reports.tasks.dispatch_due_reports", "schedule": 3600}


def test_it_queues_exactly_the_due_reports_on_the_first(schedules, hospital, django_capture_on_commit_callbacks):
    runs, callbacks = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    assert sorted((run.kind, run.period, run.scope) for run in runs) == sorted(
        [
            (ReportKind.BOARD, "2026-05", HOSPITAL),
            (ReportKind.COMPLIANCE, "2026-05", HOSPITAL),
            (ReportKind.DEPARTMENT_ACTIVITY, "2026-W22", str(hospital.medicine.pk)),
            (ReportKind.DEPARTMENT_ACTIVITY, "2026-W22", str(hospital.surgery.pk)),
        ]
    )
    assert len(callbacks) == 4  # one build task each, sent on commit


def test_it_queues_nothing_more_an_hour_later(schedules, django_capture_on_commit_callbacks):
    dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    runs, callbacks = dispatch(FIRST_OF_JUNE + dt.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert runs == []
    assert callbacks == []
    assert ReportRun.objects.count() == 4


def test_it_skips_a_paused_schedule(schedules, django_capture_on_commit_callbacks):
    services.set_schedule_active(
        actor=schedules["board"].created_by or _ops(), schedule=schedules["board"], active=False
    )
    runs, _ = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    assert ReportKind.BOARD not in {run.kind for run in runs}


def built(runs, when):
    """What a worker does with the queued runs, without rendering anything."""
    ReportRun.objects.filter(pk__in=[r.pk for r in runs]).update(status=ReportRun.Status.SUCCEEDED, finished_at=when)


def test_it_queues_only_the_weekly_reports_on_a_monday_mid_month(schedules, django_capture_on_commit_callbacks):
    first, _ = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    built(first, FIRST_OF_JUNE + dt.timedelta(minutes=5))
    runs, _ = dispatch(dt.datetime(2026, 6, 8, 7, tzinfo=dt.UTC), django_capture_on_commit_callbacks)
    assert {(run.kind, run.period) for run in runs} == {(ReportKind.DEPARTMENT_ACTIVITY, "2026-W23")}


def test_it_builds_a_report_for_a_single_department_schedule(hospital, django_capture_on_commit_callbacks):
    ReportSchedule.objects.create(
        name="Medicine",
        kind=ReportKind.COMPLIANCE,
        department=hospital.medicine,
        frequency=ReportSchedule.Frequency.MONTHLY,
    )
    runs, _ = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    assert [(run.scope, run.department) for run in runs] == [(str(hospital.medicine.pk), hospital.medicine)]


def _ops():
    from django.contrib.auth.models import User

    return User.objects.get(username="ops")


def test_it_queues_again_a_run_that_no_worker_picked_up(schedules, django_capture_on_commit_callbacks):
    first, _ = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    runs, callbacks = dispatch(FIRST_OF_JUNE + dt.timedelta(hours=2), django_capture_on_commit_callbacks)
    assert {run.pk for run in runs} == {run.pk for run in first}  # stalled an hour: sent to the workers again
    assert len(callbacks) == len(first)
    assert ReportRun.objects.count() == len(first)  # and still one run per type, period and scope


def test_it_rebuilds_a_monthly_report_asked_for_before_the_month_closed(schedules, django_capture_on_commit_callbacks):
    early = ReportRun.objects.create(
        kind=ReportKind.BOARD,
        period="2026-05",
        scope=HOSPITAL,
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 5, 31),
        status=ReportRun.Status.SUCCEEDED,
        requested_at=dt.datetime(2026, 5, 20, 14, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC),
    )
    runs, _ = dispatch(FIRST_OF_JUNE, django_capture_on_commit_callbacks)
    early.refresh_from_db()
    assert early in runs
    assert (early.status, early.schedule) == (ReportRun.Status.QUEUED, schedules["board"])
