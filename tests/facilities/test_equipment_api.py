"""The equipment API: scoped lists (404 outside), fault reports and the work-order steps, idempotent usage
sessions, and findings' four-eyes close."""

import pytest
from django.urls import reverse

from facilities.models import UsageSession, WorkOrder

from .equipment_fixtures import asset, kind, site


@pytest.fixture
def h(hospital):
    return site(hospital)


def client_as(api, h, role):
    api.force_login(h.users[role])
    return api


def test_the_asset_list_is_scoped_and_costs_the_same_for_one_and_many(api, h, django_assert_max_num_queries):
    asset(h.ward)
    asset(h.theatre)
    api = client_as(api, h, "head_med")
    with django_assert_max_num_queries(10) as one:
        assert api.get(reverse("facilities-api:asset-list")).json()["count"] == 1
    for _ in range(20):
        asset(h.ward)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api.get(reverse("facilities-api:asset-list")).json()["count"] == 21


def test_another_departments_asset_is_404(api, h):
    theirs = asset(h.theatre)
    url = reverse("facilities-api:asset-detail", args=[theirs.pk])
    assert client_as(api, h, "head_med").get(url).status_code == 404


def test_the_board_sees_no_equipment(api, h):
    asset(h.ward)
    assert client_as(api, h, "board").get(reverse("facilities-api:asset-list")).json()["count"] == 0


def test_a_head_registers_an_asset_and_a_duplicate_serial_is_refused(api, h):
    api = client_as(api, h, "head_med")
    body = {"tag": "PUMP-1", "kind": kind().pk, "manufacturer": "Baxter", "serial_number": "S1",
            "department": h.ward.pk, "criticality": "high"}
    assert api.post(reverse("facilities-api:asset-list"), body, format="json").status_code == 201
    response = api.post(reverse("facilities-api:asset-list"), body | {"tag": "PUMP-2"}, format="json")
    assert response.status_code == 400


def test_a_head_cannot_register_in_another_department(api, h):
    body = {"tag": "PUMP-1", "kind": kind().pk, "manufacturer": "Baxter", "department": h.theatre.pk}
    response = client_as(api, h, "head_med").post(reverse("facilities-api:asset-list"), body, format="json")
    assert response.status_code == 400  # a department out of scope is "not found"


def test_fault_report_and_steps_over_the_api(api, h):
    pump = asset(h.ward)
    api = client_as(api, h, "technician")
    response = api.post(reverse("facilities-api:work-order-list"),
                        {"asset": pump.pk, "title": "Alarm", "takes_out_of_service": True}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api.post(reverse("facilities-api:work-order-start", args=[pk])).json()["status"] == "in_progress"
    assert api.post(reverse("facilities-api:work-order-verify", args=[pk])).status_code == 409
    done = api.post(reverse("facilities-api:work-order-complete", args=[pk]), {"labour_hours": "2"}, format="json")
    assert done.json()["status"] == "completed"
    assert api.post(reverse("facilities-api:work-order-verify", args=[pk])).status_code == 403
    assert WorkOrder.objects.get().status == "completed"


def test_usage_sessions_are_idempotent_by_sender_id(api, h):
    ct = asset(h.ward, kind_=kind("CT", "CT scanner", modality="ct"))
    body = {"sessions": [{"sender_id": "RIS-1", "asset": ct.pk, "starts_at": "2026-03-02T08:00:00-06:00",
                          "ends_at": "2026-03-02T08:20:00-06:00", "exam_type": "CT head"}]}
    api = client_as(api, h, "head_med")
    assert api.post(reverse("facilities-api:usage-session-list"), body, format="json").json() == {
        "created": 1, "skipped": 0}
    assert api.post(reverse("facilities-api:usage-session-list"), body, format="json").json() == {
        "created": 0, "skipped": 1}
    assert UsageSession.objects.count() == 1


def test_usage_sessions_refuse_an_absurd_date(api, h):
    ct = asset(h.ward, kind_=kind("CT", "CT scanner", modality="ct"))
    body = {"sessions": [{"sender_id": "RIS-1", "asset": ct.pk, "starts_at": "1066-10-14T08:00:00Z",
                          "ends_at": "1066-10-14T09:00:00Z"}]}
    response = client_as(api, h, "head_med").post(reverse("facilities-api:usage-session-list"), body, format="json")
    assert response.status_code == 400
    assert not UsageSession.objects.exists()


def test_a_finding_is_done_by_its_owner_and_verified_by_someone_else_over_the_api(api, h):
    from .inspection_fixtures import inspection
    from .test_inspection_findings import conduct

    [finding] = conduct(h, inspection(h))
    api = client_as(api, h, "head_med")
    assert api.post(reverse("facilities-api:finding-list"), {}, format="json").status_code == 405
    done = api.post(reverse("facilities-api:finding-done", args=[finding.pk]), {"note": "Fixed"}, format="json")
    assert done.json()["status"] == "action_done"
    assert api.post(reverse("facilities-api:finding-verify", args=[finding.pk])).status_code == 403
    other = client_as(api, h, "inspector2")
    assert other.post(reverse("facilities-api:finding-verify", args=[finding.pk])).json()["status"] == "closed"
    assert client_as(api, h, "head_surg").get(
        reverse("facilities-api:finding-detail", args=[finding.pk])).status_code == 404
