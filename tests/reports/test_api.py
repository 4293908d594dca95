import pytest
from django.urls import reverse

from reports.models import ReportDownload, ReportKind, ReportRun
from tests.records.factories import make_token

from .factories import make_run

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/reports/runs/"


def login(client, user):
    client.force_login(user)
    return client


def test_it_lists_only_board_reports_to_a_board_member(client, hospital):
    board = make_run()
    make_run(kind=ReportKind.COMPLIANCE)
    response = login(client, hospital.users["board"]).get(RUNS)
    assert [row["id"] for row in response.json()["results"]] == [board.pk]


def test_it_lists_runs_in_fixed_queries(client, hospital, django_assert_max_num_queries):
    for month in range(1, 10):
        make_run(period=f"2026-0{month}")
    login(client, hospital.users["ops"])
    with django_assert_max_num_queries(8):
        response = client.get(RUNS)
    assert response.json()["count"] == 9


def test_it_accepts_a_request_with_a_status_url(client, hospital, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = login(client, hospital.users["ops"]).post(
            RUNS, {"kind": "board", "period": "2026-03", "scope": "hospital"}, content_type="application/json"
        )
    run = ReportRun.objects.get()
    assert response.status_code == 202
    assert response.json()["id"] == run.pk
    assert response.json()["status"] == "queued"
    assert response.json()["status_url"].endswith(reverse("reports-api:run-detail", args=[run.pk]))


def test_it_reports_status_and_progress(client, hospital):
    run = make_run(status=ReportRun.Status.RUNNING)
    ReportRun.objects.filter(pk=run.pk).update(progress=60)
    body = login(client, hospital.users["ops"]).get(f"{RUNS}{run.pk}/").json()
    assert (body["status"], body["progress"], body["download_url"]) == ("running", 60, None)


def test_it_hands_back_the_same_run_for_the_same_request(client, hospital,
                                                                    django_capture_on_commit_callbacks):
    login(client, hospital.users["ops"])
    data = {"kind": "board", "period": "2026-03", "scope": "hospital"}
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(RUNS, data, content_type="application/json").json()
        second = client.post(RUNS, data, content_type="application/json").json()
    assert first["id"] == second["id"]
    assert second["queued"] is False


def test_it_refuses_the_eleventh_request_in_an_hour(client, hospital, django_capture_on_commit_callbacks):
    login(client, hospital.users["ops"])
    data = {"kind": "board", "period": "2026-03", "scope": "hospital"}
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(10):
            assert client.post(RUNS, data, content_type="application/json").status_code == 202
        response = client.post(RUNS, data, content_type="application/json")
    assert response.status_code == 429
    assert "10 reports in the last hour" in response.json()["detail"]
    assert "Retry-After" in response


def test_it_refuses_a_head_another_departments_scope(client, hospital):
    response = login(client, hospital.users["head_med"]).post(
        RUNS, {"kind": "compliance", "period": "2026-03", "scope": str(hospital.surgery.pk)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "scope" in response.json()


def test_it_downloads_the_pdf_and_records_who_and_where(client, hospital):
    run = make_run()
    response = login(client, hospital.users["ops"]).get(f"{RUNS}{run.pk}/download/", REMOTE_ADDR="10.9.8.7",
                                                          HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ReportDownload.objects.get().ip_address == "10.9.8.7"


def test_it_answers_404_for_another_departments_download(client, hospital):
    run = make_run(kind=ReportKind.COMPLIANCE, department=hospital.medicine)
    response = login(client, hospital.users["head_surg"]).get(f"{RUNS}{run.pk}/download/")
    assert response.status_code == 404
    assert not ReportDownload.objects.exists()


def test_it_answers_404_to_a_board_member_for_a_compliance_run(client, hospital):
    run = make_run(kind=ReportKind.COMPLIANCE)
    assert login(client, hospital.users["board"]).get(f"{RUNS}{run.pk}/").status_code == 404


def test_it_needs_the_reports_scope_on_a_token(client, hospital):
    _, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})
    response = client.get(RUNS, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403


def test_it_lets_a_reports_token_read(client, hospital):
    make_run()
    _, key = make_token(user=hospital.users["ops"], scopes={"reports": "read"})
    response = client.get(RUNS, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.json()["count"] == 1
