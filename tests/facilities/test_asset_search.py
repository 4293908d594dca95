"""The maintenance plan form's asset search: at most 20 suggestions, only assets the user may see (never
retired ones); the form takes the asset by tag and checks its scope on the server."""

import pytest
from django.urls import reverse

from facilities import equipment_services as services
from facilities.models import Asset, MaintenancePlan

from .equipment_fixtures import asset, kind, site

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


def search(client, **params):
    return client.get(reverse("facilities:asset-search"), params)


def test_it_suggests_at_most_twenty_matches(client, h):
    for n in range(25):
        asset(h.ward, tag=f"PUMP-{n:03d}")
    page = search(signed_in(client, h, "technician"), q="pump").content.decode()
    assert page.count("<option") == 20
    assert 'value="PUMP-000"' in page


def test_every_word_must_match(client, h):
    asset(h.ward, tag="VENT-1", manufacturer="Hamilton")
    asset(h.ward, tag="VENT-2", manufacturer="Draeger")
    page = search(signed_in(client, h, "technician"), q="vent draeger").content.decode()
    assert 'value="VENT-2"' in page and 'value="VENT-1"' not in page


def test_it_reads_the_form_fields_own_name(client, h):
    asset(h.ward, tag="PUMP-7")
    assert 'value="PUMP-7"' in search(signed_in(client, h, "technician"), asset="PUMP").content.decode()


def test_a_head_is_offered_only_their_departments_assets(client, h):
    asset(h.ward, tag="PUMP-WARD")
    asset(h.theatre, tag="PUMP-THEATRE")
    page = search(signed_in(client, h, "head_med"), q="pump").content.decode()
    assert "PUMP-WARD" in page and "PUMP-THEATRE" not in page


def test_retired_assets_are_not_offered(client, h):
    asset(h.ward, tag="PUMP-OLD", status=Asset.Status.RETIRED)
    assert "PUMP-OLD" not in search(signed_in(client, h, "technician"), q="pump").content.decode()


def test_an_empty_search_offers_nothing(client, h):
    asset(h.ward)
    assert "<option" not in search(signed_in(client, h, "technician"), q=" ").content.decode()


@pytest.mark.parametrize("role", ["board"])
def test_the_board_gets_404(client, h, role):
    assert search(signed_in(client, h, role), q="pump").status_code == 404


def test_the_search_costs_the_same_with_many_assets(client, h, django_assert_max_num_queries):
    client = signed_in(client, h, "technician")
    asset(h.ward, tag="PUMP-A")
    with django_assert_max_num_queries(10) as one:
        search(client, q="pump")
    for n in range(40):
        asset(h.ward, tag=f"PUMP-B{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        search(client, q="pump")


def test_the_plan_form_renders_a_search_field_not_every_asset(client, h):
    for n in range(30):
        asset(h.ward, tag=f"PUMP-{n:03d}")
    page = signed_in(client, h, "technician").get(reverse("facilities:plan-create")).content.decode()
    assert 'list="asset-options"' in page and reverse("facilities:asset-search") in page
    assert "PUMP-001" not in page


def plan_data(**changes):
    data = {"name": "Pump check", "kind": "", "asset": "", "tasks": "Check", "interval_days": "90",
            "interval_hours": "", "starts_on": "2026-03-02", "is_active": "on"}
    data.update(changes)
    return data


def test_the_plan_form_takes_the_asset_by_tag(client, h):
    pump = asset(h.theatre, tag="PUMP-77")
    response = signed_in(client, h, "technician").post(reverse("facilities:plan-create"), plan_data(asset="PUMP-77"))
    assert response.status_code == 302
    assert MaintenancePlan.objects.get().asset == pump


def test_the_plan_form_shows_the_current_assets_tag(client, h):
    pump = asset(h.ward, tag="PUMP-88")
    plan = services.save_maintenance_plan(actor=h.users["ops"], data={
        "name": "Pump check", "asset": pump, "tasks": "Check", "interval_days": 90, "starts_on": "2026-03-02"})
    page = signed_in(client, h, "technician").get(reverse("facilities:plan-edit", args=[plan.pk])).content.decode()
    assert 'value="PUMP-88"' in page


@pytest.mark.parametrize("tag", ["NO-SUCH-TAG", "PUMP-OLD"])
def test_the_plan_form_refuses_a_tag_it_does_not_offer(client, h, tag):
    asset(h.ward, tag="PUMP-OLD", status=Asset.Status.RETIRED)
    response = signed_in(client, h, "technician").post(reverse("facilities:plan-create"), plan_data(asset=tag))
    assert response.status_code == 400
    assert f"No asset you can see has the tag {tag}" in response.content.decode()
    assert not MaintenancePlan.objects.exists()


def test_the_kind_name_matches_too(client, h):
    asset(h.ward, tag="EQ-DEF-1", kind_=kind("DEFIB", "Defibrillator"))
    asset(h.ward, tag="EQ-PMP-1")
    page = search(signed_in(client, h, "technician"), q="defib").content.decode()
    assert "EQ-DEF-1" in page and "EQ-PMP-1" not in page
