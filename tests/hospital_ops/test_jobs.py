"""Background jobs: one model with history, a small service API, one progress panel, one status endpoint."""

import ast
import datetime as dt
import pathlib

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from hospital_ops import jobs
from hospital_ops.models import Job
from reports import services as report_services
from reports.models import HOSPITAL, ReportKind
from tests.records.factories import make_token

pytestmark = pytest.mark.django_db

APRIL = dt.datetime(2026, 4, 2, 15, tzinfo=dt.UTC)


def job_url(job) -> str:
    return f"/api/v1/jobs/{job.pk}/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def drafting():
    """A cancellable kind, as the auto-scheduler will register one."""
    kind = jobs.register_kind(jobs.JobKind("test-drafting", "Drafting a roster", app="staffing", cancellable=True))
    yield kind
    jobs.KINDS.pop(kind.key)


def request_report(user, capture, *, kind=ReportKind.BOARD, scope=HOSPITAL):
    with time_machine.travel(APRIL, tick=False), capture(execute=True):
        run, _ = report_services.request_report(kind=kind, period="2026-03", scope=scope, requested_by=user)
    run.refresh_from_db()
    return run


# A report run's job --------------------------------------------------------------------------------------


def test_a_report_is_built_by_a_job_that_keeps_its_history(hospital, django_capture_on_commit_callbacks):
    run = request_report(hospital.users["ops"], django_capture_on_commit_callbacks)
    job = run.job
    assert (job.kind, job.status, job.progress, job.owner, job.department) == (
        "report", Job.Status.SUCCEEDED, 100, hospital.users["ops"], None)
    assert job.result["url"] == run.get_absolute_url()
    assert job.started_at <= job.finished_at
    reasons = list(job.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["queued", "started", "succeeded"]


def test_a_failed_attempt_and_its_retry_show_on_the_job(hospital, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_services, "render_document", broken)
    run = request_report(hospital.users["ops"], django_capture_on_commit_callbacks)
    assert (run.job.status, run.job.error) == (Job.Status.FAILED, "RuntimeError: disk full")
    reasons = list(run.job.history.values_list("history_change_reason", flat=True))
    assert reasons.count("attempt failed, retrying") == 2 and "failed" in reasons


def test_progress_is_one_update_and_no_history(hospital, drafting, django_assert_num_queries):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    jobs.start_job(job.pk)
    rows = job.history.count()
    with django_assert_num_queries(1):
        jobs.set_progress(job.pk, 42, "Night shifts")
    job.refresh_from_db()
    assert (job.progress, job.message, job.history.count()) == (42, "Night shifts", rows)


def test_a_finished_job_is_not_started_again(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["ops"])
    jobs.start_job(job.pk)
    jobs.finish_job(job.pk, result={"cells": 112})
    assert jobs.start_job(job.pk) is None


# The status endpoint -------------------------------------------------------------------------------------


def test_the_owner_and_managers_follow_a_departments_job(hospital, django_capture_on_commit_callbacks):
    run = request_report(hospital.users["head_med"], django_capture_on_commit_callbacks,
                         kind=ReportKind.COMPLIANCE, scope=str(hospital.medicine.pk))
    for name in ("head_med", "ops"):
        response = as_user(hospital.users[name]).get(job_url(run.job))
        assert response.status_code == 200, name
    body = response.json()
    assert (body["kind"], body["status"], body["progress"], body["scope"]) == (
        "report", "succeeded", 100, str(hospital.medicine.pk))
    assert (body["owner"], body["can_cancel"]) == ("head_med", False)


@pytest.mark.parametrize("name", ["head_surg", "scheduler_med", "board", "staff", "finance"])
def test_others_get_404(hospital, name, django_capture_on_commit_callbacks):
    run = request_report(hospital.users["head_med"], django_capture_on_commit_callbacks,
                         kind=ReportKind.COMPLIANCE, scope=str(hospital.medicine.pk))
    assert as_user(hospital.users[name]).get(job_url(run.job)).status_code == 404


def test_a_hospital_job_is_for_managers_and_its_owner(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["head_med"])
    assert as_user(hospital.users["head_med"]).get(job_url(job)).status_code == 200
    assert as_user(hospital.users["ops"]).get(job_url(job)).status_code == 200
    assert as_user(hospital.users["scheduler_med"]).get(job_url(job)).status_code == 404


def test_it_refuses_the_anonymous(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["ops"])
    assert APIClient().get(job_url(job)).status_code in (401, 403)


def test_a_token_follows_the_jobs_of_the_apps_it_holds(hospital, django_capture_on_commit_callbacks):
    run = request_report(hospital.users["ops"], django_capture_on_commit_callbacks)
    for scopes, status in (({"records": "read"}, 404), ({"reports": "read"}, 200)):
        _token, key = make_token(user=hospital.users["ops"], scopes=scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get(job_url(run.job)).status_code == status, scopes


# Cancelling ------------------------------------------------------------------------------------------------


def test_a_queued_job_is_cancelled_at_once(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    response = as_user(hospital.users["scheduler_med"]).post(f"{job_url(job)}cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert jobs.start_job(job.pk) is None


def test_a_running_job_stops_when_its_worker_next_looks(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    jobs.start_job(job.pk)
    body = as_user(hospital.users["head_med"]).post(f"{job_url(job)}cancel/").json()
    assert (body["status"], body["cancel_requested"]) == ("running", True)
    assert jobs.cancel_requested(job.pk)
    job = jobs.acknowledge_cancel(job.pk)
    assert job.status == Job.Status.CANCELLED
    reasons = list(job.history.values_list("history_change_reason", flat=True))
    assert "cancel requested by head_med" in reasons and "cancelled" in reasons


def test_a_report_cannot_be_cancelled(hospital, django_capture_on_commit_callbacks):
    with time_machine.travel(APRIL, tick=False), django_capture_on_commit_callbacks(execute=False):
        run, _ = report_services.request_report(kind=ReportKind.BOARD, period="2026-03", scope=HOSPITAL,
                                                requested_by=hospital.users["ops"])
    response = as_user(hospital.users["ops"]).post(f"{job_url(run.job)}cancel/")
    assert response.status_code == 400
    run.job.refresh_from_db()
    assert run.job.status == Job.Status.QUEUED


def test_nobody_outside_the_scope_cancels(hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    assert as_user(hospital.users["head_surg"]).post(f"{job_url(job)}cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED


# The progress panel ---------------------------------------------------------------------------------------


def test_the_panel_polls_while_the_job_runs_and_stops_when_done(client, hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    jobs.start_job(job.pk)
    jobs.set_progress(job.pk, 30, "Day shifts")
    client.force_login(hospital.users["scheduler_med"])
    url = reverse("job-progress", args=[job.pk])
    running = client.get(url).text
    assert 'hx-trigger="every 1s"' in running and 'value="30"' in running and "Day shifts" in running
    jobs.finish_job(job.pk, result={"url": "/staffing/schedules/1/", "label": "Open the roster"})
    done = client.get(url).text
    assert "hx-trigger" not in done
    assert 'href="/staffing/schedules/1/"' in done


def test_the_panel_answers_404_outside_the_scope(client, hospital, drafting):
    job = jobs.create_job(kind=drafting.key, owner=hospital.users["scheduler_med"], department=hospital.ward)
    client.force_login(hospital.users["head_surg"])
    assert client.get(reverse("job-progress", args=[job.pk])).status_code == 404


# hospital_ops stays below every app ------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["models.py", "jobs.py", "job_api.py"])
def test_the_job_modules_import_no_app(module):
    import hospital_ops

    tree = ast.parse((pathlib.Path(hospital_ops.__file__).parent / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    apps = {"records", "facilities", "staffing", "finance", "reports"}
    assert not {name for name in imported if name.split(".")[0] in apps}
