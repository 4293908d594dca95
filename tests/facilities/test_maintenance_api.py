"""Preventive maintenance plans and operating hours over REST: scoped like the equipment register (another
department's asset: 404 or "not found"; board: nothing), written by whoever keeps them, bad input refused
with a message and nothing saved, every change in the history."""

import datetime as dt

import pytest
from django.urls import reverse

from facilities import equipment_services as services
from facilities.models import MaintenancePlan, OperatingHours

from .equipment_fixtures import asset, kind, site

pytestmark = pytest.mark.django_db

PLANS = "facilities-api:maintenance-plan-list"
HOURS = "facilities-api:operating-hours-list"


@pytest.fixture
def h(hospital):
    return site(hospital)


def client_as(api, h, role):
    api.force_login(h.users[role])
    return api


def ct():
    return kind("CT", "CT scanner", modality="CT")


def plan_for(h, target, **extra):
    return services.save_maintenance_plan(actor=h.users["ops"], data={
        "name": extra.pop("name", f"Check {target}"), "asset": target, "tasks": "Check", "interval_days": 90,
        "starts_on": dt.date(2026, 3, 2), **extra})


def hours_for(h, scanner, weekday=0):
    return services.save_operating_hours(actor=h.users["ops"], data={
        "asset": scanner, "weekday": weekday, "opens": dt.time(8), "hours": 10})


# Maintenance plans ---------------------------------------------------------------------------------------


def test_plans_are_scoped_to_the_assets_a_user_sees(api, h):
    mine, theirs = plan_for(h, asset(h.ward)), plan_for(h, asset(h.theatre))
    shared = services.save_maintenance_plan(actor=h.users["ops"], data={
        "name": "Every pump", "kind": kind(), "tasks": "Check", "interval_days": 365, "starts_on": dt.date(2026, 1, 1)})
    api = client_as(api, h, "head_med")
    ids = {row["id"] for row in api.get(reverse(PLANS)).json()["results"]}
    assert ids == {mine.pk, shared.pk}
    assert api.get(reverse("facilities-api:maintenance-plan-detail", args=[theirs.pk])).status_code == 404
    assert client_as(api, h, "technician").get(reverse(PLANS)).json()["count"] == 3


def test_the_board_sees_no_plans(api, h):
    plan_for(h, asset(h.ward))
    assert client_as(api, h, "board").get(reverse(PLANS)).json()["count"] == 0


def test_plans_filter_by_asset_kind_and_interval(api, h):
    pump = asset(h.ward)
    plan_for(h, pump)
    plan_for(h, asset(h.ward), interval_days=None, interval_hours=500)
    api = client_as(api, h, "technician")
    assert api.get(reverse(PLANS), {"asset": pump.pk}).json()["count"] == 1
    assert api.get(reverse(PLANS), {"by": "hours"}).json()["results"][0]["interval_hours"] == 500
    assert api.get(reverse(PLANS), {"asset": "x"}).status_code == 400


def test_a_technician_creates_and_changes_a_plan_with_history(api, h):
    pump = asset(h.theatre)
    api = client_as(api, h, "technician")
    response = api.post(reverse(PLANS), {"name": "Pump check", "asset": pump.pk, "tasks": "Occlusion test",
                                         "interval_days": 180, "starts_on": "2026-03-02"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["asset_tag"] == pump.tag
    plan = MaintenancePlan.objects.get()
    response = api.patch(reverse("facilities-api:maintenance-plan-detail", args=[plan.pk]),
                         {"interval_days": None, "interval_hours": 400}, format="json")
    assert response.status_code == 200, response.json()
    assert [r.history_change_reason for r in plan.history.order_by("history_date")] == ["planned", "plan changed"]
    assert plan.history.latest().history_user == h.users["technician"]


@pytest.mark.parametrize("role", ["head_med", "scheduler_med", "staff", "inspector"])
def test_only_clinical_engineering_writes_plans(api, h, role):
    pump = asset(h.ward)
    plan = plan_for(h, pump)
    api = client_as(api, h, role)
    body = {"name": "Mine", "asset": pump.pk, "tasks": "Check", "interval_days": 30, "starts_on": "2026-03-02"}
    # who sees the asset is refused the right (403); who does not, is told it does not exist (400)
    assert api.post(reverse(PLANS), body, format="json").status_code in (400, 403)
    assert api.patch(reverse("facilities-api:maintenance-plan-detail", args=[plan.pk]), {"name": "Renamed"},
                     format="json").status_code in (403, 404)
    assert MaintenancePlan.objects.get().name == plan.name


def test_a_plan_cannot_be_deleted(api, h):
    plan = plan_for(h, asset(h.ward))
    response = client_as(api, h, "ops").delete(reverse("facilities-api:maintenance-plan-detail", args=[plan.pk]))
    assert response.status_code == 405
    assert MaintenancePlan.objects.exists()


@pytest.mark.parametrize(("body", "message"), [
    ({"interval_hours": 100}, "not both"),
    ({"interval_days": None}, "not both"),
    ({"kind": "KIND"}, "one kind of equipment or for one asset"),
    ({"interval_days": 0}, "greater than or equal to 1"),
    ({"name": "x" * 300}, "no more than 120"),
    ({"starts_on": "1900-01-01"}, ""),
    ({"asset": 1.5}, "whole number"),
])
def test_bad_plan_input_is_refused_with_a_message(api, h, body, message):
    pump = asset(h.ward)
    body = {k: kind().pk if v == "KIND" else v for k, v in body.items()}
    data = {"name": "Pump check", "asset": pump.pk, "tasks": "Check", "interval_days": 90, "starts_on": "2026-03-02"}
    response = client_as(api, h, "technician").post(reverse(PLANS), data | body, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not MaintenancePlan.objects.exists()


def test_a_plan_for_an_asset_out_of_scope_is_not_found(api, h):
    theirs = asset(h.theatre)
    plan_for(h, asset(h.ward))
    response = client_as(api, h, "head_med").get(reverse(PLANS), {"asset": theirs.pk})
    assert response.json()["count"] == 0


# Operating hours -------------------------------------------------------------------------------------------


def test_operating_hours_are_scoped(api, h):
    mine = hours_for(h, asset(h.ward, kind_=ct()))
    theirs = hours_for(h, asset(h.theatre, kind_=ct()))
    api = client_as(api, h, "head_med")
    assert [row["id"] for row in api.get(reverse(HOURS)).json()["results"]] == [mine.pk]
    assert api.get(reverse("facilities-api:operating-hours-detail", args=[theirs.pk])).status_code == 404
    assert client_as(api, h, "board").get(reverse(HOURS)).json()["count"] == 0


def test_a_head_sets_changes_and_closes_a_weekday_with_history(api, h):
    scanner = asset(h.ward, kind_=ct())
    api = client_as(api, h, "head_med")
    response = api.post(reverse(HOURS), {"asset": scanner.pk, "weekday": 2, "opens": "07:30", "hours": "12.5"},
                        format="json")
    assert response.status_code == 201, response.json()
    row = OperatingHours.objects.get()
    url = reverse("facilities-api:operating-hours-detail", args=[row.pk])
    assert api.patch(url, {"hours": 24}, format="json").json()["hours"] == "24.00"
    assert api.get(reverse(HOURS), {"asset": scanner.pk, "weekday": 2}).json()["count"] == 1
    assert api.delete(url).status_code == 204
    assert not OperatingHours.objects.exists()
    reasons = list(OperatingHours.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["hours set", "hours changed", "closed"]


@pytest.mark.parametrize(("body", "message"), [
    ({"weekday": 7}, "less than or equal to 6"),
    ({"hours": 25}, "less than or equal to 24"),
    ({"opens": "25:00"}, "Time has wrong format"),
    ({"weekday": 0}, "already has hours for this weekday"),
])
def test_bad_operating_hours_are_refused(api, h, body, message):
    scanner = asset(h.ward, kind_=ct())
    hours_for(h, scanner, weekday=0)
    data = {"asset": scanner.pk, "weekday": 1, "opens": "08:00", "hours": 10}
    response = client_as(api, h, "head_med").post(reverse(HOURS), data | body, format="json")
    assert response.status_code == 400
    assert message in str(response.json())
    assert OperatingHours.objects.count() == 1


def test_only_diagnostic_equipment_has_operating_hours(api, h):
    pump = asset(h.ward)
    response = client_as(api, h, "head_med").post(
        reverse(HOURS), {"asset": pump.pk, "weekday": 1, "opens": "08:00", "hours": 10}, format="json")
    assert response.status_code == 400
    assert "Only diagnostic equipment" in str(response.json())


def test_a_head_cannot_set_another_departments_hours(api, h):
    theirs = asset(h.theatre, kind_=ct())
    row = hours_for(h, theirs)
    api = client_as(api, h, "head_med")
    response = api.post(reverse(HOURS), {"asset": theirs.pk, "weekday": 3, "opens": "08:00", "hours": 8},
                        format="json")
    assert response.status_code == 400 and "does not exist" in str(response.json())
    assert api.delete(reverse("facilities-api:operating-hours-detail", args=[row.pk])).status_code == 404
    assert OperatingHours.objects.count() == 1


def test_staff_cannot_change_hours_they_see(api, h):
    scanner = asset(h.ward, kind_=ct())
    row = hours_for(h, scanner)
    api = client_as(api, h, "scheduler_med")
    url = reverse("facilities-api:operating-hours-detail", args=[row.pk])
    assert api.patch(url, {"hours": 2}, format="json").status_code == 403
    assert api.delete(url).status_code == 403
    row.refresh_from_db()
    assert row.hours == 10
