import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from reports import services, tasks
from reports.models import HOSPITAL, ReportKind, ReportRun, ReportSchedule

from .conftest import MARCH

pytestmark = pytest.mark.django_db


def request_board(user, **kwargs):
    return services.request_report(kind=ReportKind.BOARD, period=MARCH, scope=HOSPITAL, requested_by=user, **kwargs)


def test_it_builds_a_requested_report_on_commit(march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, queued = request_board(march.users["ops"])
    run.refresh_from_db()
    assert queued
    assert run.status == ReportRun.Status.SUCCEEDED
    assert run.progress == 100
    assert run.size == len(run.file.read()) > 0
    assert run.attempts == 1


def test_it_records_the_checksum_of_the_file(march, django_capture_on_commit_callbacks):
    import hashlib

    with django_capture_on_commit_callbacks(execute=True):
        run, _ = request_board(march.users["ops"])
    run.refresh_from_db()
    assert run.sha256 == hashlib.sha256(run.file.read()).hexdigest()


def test_it_hands_back_the_same_run_for_a_second_request(march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = request_board(march.users["ops"])
        second, queued = request_board(march.users["admin"])
    assert second.pk == first.pk
    assert not queued
    assert ReportRun.objects.count() == 1


def test_it_keeps_one_file_when_the_task_is_delivered_twice(march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = request_board(march.users["ops"])
    run.refresh_from_db()
    tasks.build_report.delay(run.pk)  # a redelivery after the run succeeded
    again = ReportRun.objects.get(pk=run.pk)
    assert again.sha256 == run.sha256
    assert again.attempts == 1
    assert len(default_storage.listdir(f"reports/board/{MARCH}")[1]) == 1


def test_it_replaces_the_file_and_keeps_history_when_regenerated(march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = request_board(march.users["ops"])
    run.refresh_from_db()
    old_name = run.file.name
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)), \
            django_capture_on_commit_callbacks(execute=True):
        _, queued = request_board(march.users["ops"], regenerate=True)
    run.refresh_from_db()
    assert queued
    assert run.file.name != old_name
    assert not default_storage.exists(old_name)
    assert run.history.filter(history_change_reason="rebuilt").exists()
    assert run.history.filter(file=old_name).exists()


def test_it_marks_the_run_failed_after_the_configured_retries(march, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("the chart library fell over")

    monkeypatch.setattr(services, "build_context", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = request_board(march.users["ops"])
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert run.error == "RuntimeError: the chart library fell over"
    assert run.attempts == tasks.MAX_RETRIES + 1
    assert not run.file


def test_it_queues_a_failed_run_again_when_requested(march, django_capture_on_commit_callbacks):
    run = ReportRun.objects.create(kind=ReportKind.BOARD, period=MARCH, period_start=dt.date(2026, 3, 1),
                                   period_end=dt.date(2026, 3, 31), scope=HOSPITAL, status=ReportRun.Status.FAILED,
                                   requested_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC), attempts=3, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        again, queued = request_board(march.users["ops"])
    again.refresh_from_db()
    assert again.pk == run.pk
    assert queued
    assert again.status == ReportRun.Status.SUCCEEDED
    assert again.error == ""


def test_it_refuses_a_whole_hospital_report_to_a_department_head(march):
    with pytest.raises(PermissionDenied):
        request_board(march.users["head_med"])


def test_it_treats_another_department_as_unknown(march):
    with pytest.raises(ValidationError):
        services.request_report(kind=ReportKind.COMPLIANCE, period=MARCH, scope=str(march.surgery.pk),
                                requested_by=march.users["head_med"])


def test_it_refuses_reports_to_a_scheduler(march):
    with pytest.raises(PermissionDenied):
        services.request_report(kind=ReportKind.DEPARTMENT_ACTIVITY, period=MARCH, scope=str(march.ward.pk),
                                requested_by=march.users["scheduler_med"])


def test_it_refuses_a_weekly_board_report(march):
    with pytest.raises(ValidationError):
        services.request_report(kind=ReportKind.BOARD, period="2026-W10", scope=HOSPITAL,
                                requested_by=march.users["ops"])


def test_it_refuses_a_period_that_has_not_started(march):
    with time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)), pytest.raises(ValidationError):
        services.request_report(kind=ReportKind.BOARD, period="2026-04", scope=HOSPITAL,
                                requested_by=march.users["ops"])


def test_it_emails_recipients_a_link_and_no_attachment(march, mailoutbox, django_capture_on_commit_callbacks):
    schedule = ReportSchedule.objects.create(name="Board", kind=ReportKind.BOARD,
                                             frequency=ReportSchedule.Frequency.MONTHLY)
    march.users["board"].email = "board@example.org"
    march.users["board"].save()
    schedule.recipients.set([march.users["board"]])
    with time_machine.travel(dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)), \
            django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due_reports()
    run = ReportRun.objects.get()
    assert [message.to for message in mailoutbox] == [["board@example.org"]]
    assert f"/reports/runs/{run.pk}/" in mailoutbox[0].body
    assert mailoutbox[0].attachments == []


def test_it_does_not_email_a_recipient_who_cannot_open_the_report(march, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    schedule = ReportSchedule.objects.create(name="Compliance", kind=ReportKind.COMPLIANCE,
                                             frequency=ReportSchedule.Frequency.MONTHLY)
    march.users["head_surg"].email = "surgery@example.org"
    march.users["head_surg"].save()
    schedule.recipients.set([march.users["head_surg"]])
    with time_machine.travel(dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)), \
            django_capture_on_commit_callbacks(execute=True):
        services.dispatch_due_reports()
    assert mailoutbox == []
