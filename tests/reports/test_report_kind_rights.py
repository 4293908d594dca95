"""Who may build the utilisation and the facilities-and-equipment reports, on which scope, and who sees them:
managers everything; department heads on their own departments and units; schedulers, finance officers, board
members and staff none; the board reads board reports only. Through the service, the page, the API and a
schedule alike."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import access, services
from reports.models import HOSPITAL, ReportKind, ReportRun, ReportSchedule

from .factories import make_run

pytestmark = pytest.mark.django_db

NEW_KINDS = (ReportKind.UTILISATION, ReportKind.FACILITIES)
RUNS = "/api/v1/reports/runs/"


def request(hospital, role, kind, scope, capture):
    with capture(execute=False):
        return services.request_report(kind=kind, period="2026-03", scope=scope, requested_by=hospital.users[role])


def test_managers_may_request_every_report(hospital):
    assert access.requestable_kinds(hospital.users["ops"]) == list(ReportKind.values)
    assert access.requestable_kinds(hospital.users["admin"]) == list(ReportKind.values)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_manager_builds_them_for_the_hospital(hospital, kind, django_capture_on_commit_callbacks):
    run, queued = request(hospital, "ops", kind, HOSPITAL, django_capture_on_commit_callbacks)
    assert queued and (run.kind, run.scope, run.status) == (kind, HOSPITAL, ReportRun.Status.QUEUED)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_head_builds_them_for_their_department_and_its_units(hospital, kind, django_capture_on_commit_callbacks):
    run, _ = request(hospital, "head_med", kind, str(hospital.medicine.pk), django_capture_on_commit_callbacks)
    assert run.department == hospital.medicine
    unit_run, _ = request(hospital, "head_med", kind, str(hospital.ward.pk), django_capture_on_commit_callbacks)
    assert unit_run.department == hospital.ward
    assert access.can_request_kind(hospital.users["head_med"], kind, hospital.ward)
    assert not access.can_request_kind(hospital.users["head_med"], kind, hospital.theatre)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_head_may_not_build_them_for_another_department_or_the_hospital(hospital, kind,
                                                                         django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError):
        request(hospital, "head_med", kind, str(hospital.surgery.pk), django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        request(hospital, "head_med", kind, HOSPITAL, django_capture_on_commit_callbacks)
    assert not ReportRun.objects.exists()


@pytest.mark.parametrize("role", ["scheduler_med", "finance", "board", "staff"])
def test_other_roles_build_none(hospital, role, django_capture_on_commit_callbacks):
    assert access.requestable_kinds(hospital.users[role]) == []
    for kind in NEW_KINDS:
        with pytest.raises(PermissionDenied):
            request(hospital, role, kind, str(hospital.ward.pk), django_capture_on_commit_callbacks)
    assert not ReportRun.objects.exists()


def test_an_unknown_report_is_refused_with_the_choices(hospital, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as error:
        request(hospital, "ops", "beds", HOSPITAL, django_capture_on_commit_callbacks)
    assert "utilisation" in str(error.value) and "facilities" in str(error.value)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_board_sees_neither(client, hospital, kind):
    run = make_run(kind=kind)
    assert not ReportRun.objects.visible_to(hospital.users["board"]).filter(pk=run.pk).exists()
    client.force_login(hospital.users["board"])
    assert client.get(reverse("reports:run-detail", args=[run.pk])).status_code == 404
    assert client.get(f"{RUNS}{run.pk}/").status_code == 404


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_another_departments_head_gets_404(client, hospital, kind):
    run = make_run(kind=kind, department=hospital.medicine)
    client.force_login(hospital.users["head_surg"])
    assert client.get(reverse("reports:run-detail", args=[run.pk])).status_code == 404
    assert client.get(f"{RUNS}{run.pk}/download/").status_code == 404
    client.force_login(hospital.users["head_med"])
    assert client.get(reverse("reports:run-detail", args=[run.pk])).status_code == 200


def test_the_request_form_offers_what_the_user_may_build(client, hospital):
    client.force_login(hospital.users["head_med"])
    response = client.get(reverse("reports:run-request"), {"kind": "utilisation"})
    kinds = [value for value, _ in response.context["form"].fields["kind"].choices]
    assert "utilisation" in kinds and "facilities" in kinds
    assert response.context["form"].initial["kind"] == "utilisation"


def test_the_form_queues_a_facilities_report(client, hospital, django_capture_on_commit_callbacks):
    client.force_login(hospital.users["head_med"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:run-request"),
                               {"kind": "facilities", "period": "2026-03", "scope": str(hospital.medicine.pk)})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and (run.kind, run.department) == ("facilities", hospital.medicine)


def test_the_api_queues_a_utilisation_report_and_refuses_a_bad_kind(client, hospital,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(hospital.users["ops"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(RUNS, {"kind": "utilisation", "period": "2026-03", "scope": "hospital"},
                               content_type="application/json")
    assert response.status_code == 202
    assert ReportRun.objects.get().kind == "utilisation"
    bad = client.post(RUNS, {"kind": "beds", "period": "2026-03", "scope": "hospital"},
                      content_type="application/json")
    assert bad.status_code == 400 and "kind" in bad.json()
    assert ReportRun.objects.count() == 1


def test_the_api_refuses_a_head_the_hospital(client, hospital):
    client.force_login(hospital.users["head_med"])
    response = client.post(RUNS, {"kind": "facilities", "period": "2026-03", "scope": "hospital"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


def test_a_monthly_schedule_builds_both_for_each_department(hospital, django_capture_on_commit_callbacks):
    for kind in NEW_KINDS:
        ReportSchedule.objects.create(name=str(kind), kind=kind, frequency=ReportSchedule.Frequency.MONTHLY,
                                      each_department=True)
    with time_machine.travel(dt.datetime(2026, 6, 1, 7, 5, tzinfo=dt.UTC), tick=False), \
            django_capture_on_commit_callbacks(execute=False):
        runs = services.dispatch_due_reports()
    assert sorted((run.kind, run.department.code, run.period) for run in runs) == [
        ("facilities", "MED", "2026-05"), ("facilities", "SURG", "2026-05"),
        ("utilisation", "MED", "2026-05"), ("utilisation", "SURG", "2026-05"),
    ]
