"""Preventive maintenance plan pages: clinical engineering creates and edits plans; others get 404; bad input
is rejected with a message and saves nothing."""

import pytest
from django.urls import reverse

from facilities import equipment_services as services
from facilities.models import MaintenancePlan

from .equipment_fixtures import asset, kind, site

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


def plan_data(**changes):
    data = {"name": "Pump safety check", "kind": kind().pk, "asset": "", "tasks": "Occlusion test\nBattery test",
            "interval_days": "180", "interval_hours": "", "starts_on": "2026-03-02", "is_active": "on"}
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["technician", "ops"])
def test_clinical_engineering_creates_a_plan_for_a_kind(client, h, role):
    response = signed_in(client, h, role).post(reverse("facilities:plan-create"), plan_data())
    assert response.status_code == 302
    plan = MaintenancePlan.objects.get()
    assert plan.kind == kind() and plan.asset is None and plan.interval_days == 180
    assert plan.history.get().history_change_reason == "planned"


def test_a_technician_edits_a_plan_for_one_asset(client, h):
    pump = asset(h.theatre)
    plan = services.save_maintenance_plan(actor=h.users["ops"], data={
        "name": "Pump check", "asset": pump, "tasks": "Check", "interval_days": 90,
        "starts_on": plan_data()["starts_on"]})
    response = signed_in(client, h, "technician").post(
        reverse("facilities:plan-edit", args=[plan.pk]),
        plan_data(kind="", asset=pump.tag, interval_days="", interval_hours="500"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.interval_hours == 500 and plan.interval_days is None and plan.name == "Pump safety check"


@pytest.mark.parametrize("role", ["head_med", "scheduler_med", "board", "staff", "inspector"])
def test_roles_outside_clinical_engineering_get_404(client, h, role):
    plan = services.save_maintenance_plan(actor=h.users["ops"], data={
        "name": "Kind check", "kind": kind(), "tasks": "Check", "interval_days": 90,
        "starts_on": plan_data()["starts_on"]})
    client = signed_in(client, h, role)
    assert client.get(reverse("facilities:plan-create")).status_code == 404
    assert client.post(reverse("facilities:plan-create"), plan_data()).status_code == 404
    assert client.get(reverse("facilities:plan-edit", args=[plan.pk])).status_code == 404
    assert MaintenancePlan.objects.count() == 1


def test_an_unknown_plan_is_404(client, h):
    assert signed_in(client, h, "technician").get(reverse("facilities:plan-edit", args=[999999])).status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"interval_hours": "100"}, "not both"),
    ({"interval_days": ""}, "not both"),
    ({"interval_days": "0"}, "greater than or equal to 1"),
    ({"interval_days": "99999999"}, "less than or equal to"),
    ({"name": "x" * 500}, "at most 120"),
    ({"starts_on": "1900-01-01"}, ""),
    ({"kind": ""}, "one kind of equipment or for one asset"),
])
def test_bad_input_is_refused_with_a_message_and_saves_nothing(client, h, changes, message):
    response = signed_in(client, h, "technician").post(reverse("facilities:plan-create"), plan_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MaintenancePlan.objects.exists()


def test_a_plan_for_both_a_kind_and_an_asset_is_refused(client, h):
    pump = asset(h.ward)
    response = signed_in(client, h, "technician").post(reverse("facilities:plan-create"),
                                                       plan_data(asset=pump.tag))
    assert response.status_code == 400
    assert "one kind of equipment or for one asset" in response.content.decode()
    assert not MaintenancePlan.objects.exists()
