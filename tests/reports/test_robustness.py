"""Runs that race, schedules that cannot work, board members with another role, files gone missing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from records import access
from reports import services
from reports.models import ReportKind, ReportRun, ReportSchedule
from tests.records.factories import make_user
from tests.reports.factories import make_run

pytestmark = pytest.mark.django_db


def test_a_late_failure_leaves_a_finished_run_alone(hospital):
    run = make_run()
    services.fail_run(run.pk, error="RuntimeError: the other delivery lost", final=True)
    run.refresh_from_db()
    assert (run.status, run.error) == (ReportRun.Status.SUCCEEDED, "")


def test_a_monthly_report_cannot_be_scheduled_weekly(hospital):
    with pytest.raises(ValidationError) as error:
        services.save_schedule(
            actor=hospital.users["ops"],
            data={"name": "Board weekly", "kind": ReportKind.BOARD, "frequency": ReportSchedule.Frequency.WEEKLY},
        )
    assert "frequency" in error.value.message_dict
    assert not ReportSchedule.objects.exists()


def test_a_board_member_who_also_heads_a_department_sees_board_reports(client, hospital):
    board_head = make_user(username="board_head", groups=[access.BOARD_MEMBER], head_of=[hospital.surgery])
    board_report, medicine_report = make_run(), make_run(kind=ReportKind.COMPLIANCE, department=hospital.medicine)
    visible = set(ReportRun.objects.visible_to(board_head))
    assert board_report in visible and medicine_report not in visible
    client.force_login(board_head)
    assert client.get(reverse("reports:run-download", args=[board_report.pk])).status_code == 200


def test_a_missing_file_answers_404_and_records_no_download(client, hospital):
    run = make_run()
    run.file.storage.delete(run.file.name)
    client.force_login(hospital.users["board"])
    assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 404
    assert not run.downloads.exists()


def test_a_roster_under_revision_still_counts_in_reports(march, hospital):
    """Staff go on working a published roster while its revision is drafted and approved again."""
    import datetime as dt

    from reports.periods import Period
    from reports.scope import Scope
    from reports.selectors import roster_timeliness, staffing_by_month
    from staffing import services as staffing_services
    from staffing.models import Schedule

    schedule = Schedule.objects.get()
    schedule.published_at = schedule.decided_at
    schedule.save()
    month = Period.parse("2026-03")
    before = staffing_by_month(Scope(None), [month])
    staffing_services.start_revision(actor=hospital.users["ops"], schedule=schedule, reason="Sick cover")
    assert staffing_by_month(Scope(None), [month]) == before
    assert roster_timeliness(Scope(None), dt.date(2026, 3, 1), dt.date(2026, 3, 31))["on_time"] == 1
