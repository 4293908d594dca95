import pytest
from django.urls import reverse

from reports.models import ReportDownload, ReportKind, ReportRun, ReportSchedule

from .factories import make_run

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, args=args), **kwargs)


def test_it_lands_a_board_member_on_the_board_archive(client, hospital):
    run = make_run()
    response = get(client, hospital.users["board"], "reports:home")
    assert response.status_code == 200
    assert "Board reports" in response.text
    assert reverse("reports:run-download", args=[run.pk]) in response.text


def test_it_shows_a_board_member_only_board_reports_newest_first(client, hospital):
    older, newer = make_run(period="2026-02"), make_run(period="2026-03")
    make_run(kind=ReportKind.COMPLIANCE)
    make_run(kind=ReportKind.DEPARTMENT_ACTIVITY, department=hospital.medicine)
    make_run(period="2026-01", status=ReportRun.Status.FAILED)
    response = get(client, hospital.users["board"], "reports:archive")
    assert list(response.context["runs"]) == [newer, older]


def test_it_shows_period_generated_time_and_size(client, hospital):
    make_run()
    response = get(client, hospital.users["board"], "reports:archive")
    assert "March 2026" in response.text
    assert "Download PDF" in response.text
    assert "bytes" in response.text


def test_it_answers_404_to_a_board_member_for_a_compliance_report(client, hospital):
    run = make_run(kind=ReportKind.COMPLIANCE)
    assert get(client, hospital.users["board"], "reports:run-download", run.pk).status_code == 404


@pytest.mark.parametrize("name", ["reports:run-request", "reports:schedule-list"])
def test_it_answers_404_to_a_board_member_elsewhere(client, hospital, name):
    assert get(client, hospital.users["board"], name).status_code == 404


def test_it_answers_404_for_another_departments_report(client, hospital):
    run = make_run(kind=ReportKind.COMPLIANCE, department=hospital.medicine)
    assert get(client, hospital.users["head_surg"], "reports:run-detail", run.pk).status_code == 404
    assert get(client, hospital.users["head_surg"], "reports:run-download", run.pk).status_code == 404


def test_it_shows_a_head_their_departments_reports(client, hospital):
    own = make_run(kind=ReportKind.COMPLIANCE, department=hospital.medicine)
    make_run(kind=ReportKind.COMPLIANCE, department=hospital.surgery)
    make_run(kind=ReportKind.COMPLIANCE)
    response = get(client, hospital.users["head_med"], "reports:archive")
    assert list(response.context["runs"]) == [own]


def test_it_serves_the_pdf_and_records_the_download(client, hospital):
    run = make_run()
    response = get(client, hospital.users["board"], "reports:run-download", run.pk, REMOTE_ADDR="10.1.2.3",
                   HTTP_USER_AGENT="Board tablet")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    download = ReportDownload.objects.get()
    assert (download.user, download.ip_address, download.user_agent) == (hospital.users["board"], "10.1.2.3",
                                                                          "Board tablet")


def test_it_never_links_the_media_url(client, hospital, settings):
    make_run()
    response = get(client, hospital.users["board"], "reports:archive")
    assert settings.MEDIA_URL not in response.text


def test_it_polls_progress_while_the_run_is_running(client, hospital):
    run = make_run(status=ReportRun.Status.RUNNING)
    ReportRun.objects.filter(pk=run.pk).update(progress=45)
    response = get(client, hospital.users["ops"], "reports:run-progress", run.pk)
    assert 'hx-trigger="every 1s"' in response.text
    assert 'value="45"' in response.text


def test_it_stops_polling_when_the_run_is_ready(client, hospital):
    run = make_run()
    response = get(client, hospital.users["ops"], "reports:run-progress", run.pk)
    assert "hx-trigger" not in response.text
    assert reverse("reports:run-download", args=[run.pk]) in response.text


def test_it_shows_the_error_of_a_failed_run(client, hospital):
    run = make_run(status=ReportRun.Status.FAILED)
    ReportRun.objects.filter(pk=run.pk).update(error="RuntimeError: disk full", attempts=3)
    response = get(client, hospital.users["ops"], "reports:run-detail", run.pk)
    assert "RuntimeError: disk full" in response.text


def test_it_queues_a_report_from_the_form(client, hospital, django_capture_on_commit_callbacks):
    client.force_login(hospital.users["head_med"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:run-request"),
                               {"kind": "compliance", "period": "2026-03", "scope": str(hospital.medicine.pk)})
    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert (run.requested_by, run.department) == (hospital.users["head_med"], hospital.medicine)


def test_it_offers_a_head_only_their_departments(client, hospital):
    response = get(client, hospital.users["head_med"], "reports:run-request")
    scopes = [value for value, _ in response.context["form"].fields["scope"].choices]
    assert scopes == [str(hospital.medicine.pk), str(hospital.ward.pk)]


def test_it_refuses_the_eleventh_request_in_an_hour_from_the_form(client, hospital,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(hospital.users["ops"])
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(10):
            client.post(reverse("reports:run-request"), {"kind": "board", "period": "2026-03", "scope": "hospital"})
        response = client.post(reverse("reports:run-request"),
                               {"kind": "board", "period": "2026-03", "scope": "hospital"})
    assert response.status_code == 429
    assert "You have requested 10 reports in the last hour" in response.text


def test_it_lets_a_manager_pause_a_schedule(client, hospital):
    schedule = ReportSchedule.objects.create(name="Board", kind="board", frequency="monthly")
    client.force_login(hospital.users["ops"])
    client.post(reverse("reports:schedule-toggle", args=[schedule.pk]))
    schedule.refresh_from_db()
    assert not schedule.is_active


def test_it_lets_a_manager_add_a_schedule_with_recipients(client, hospital):
    client.force_login(hospital.users["ops"])
    response = client.post(reverse("reports:schedule-create"), {
        "name": "Surgery compliance", "kind": "compliance", "frequency": "monthly",
        "department": hospital.surgery.pk, "recipients": [hospital.users["head_surg"].pk], "is_active": "on",
    })
    assert response.status_code == 302
    schedule = ReportSchedule.objects.get()
    assert list(schedule.recipients.all()) == [hospital.users["head_surg"]]
    assert schedule.history.filter(history_change_reason="created").exists()


def test_it_hides_schedules_from_a_department_head(client, hospital):
    assert get(client, hospital.users["head_med"], "reports:schedule-list").status_code == 404
