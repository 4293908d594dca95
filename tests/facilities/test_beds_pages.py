"""The bed pages: board per unit and hospital, assigning, discharging, the registry, housekeeping and the
access log; each role inside and outside its units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities import bed_services
from facilities.models import Bed, CleaningTask, PatientStay, StayAccess
from records import access
from tests.facilities.beds_helpers import at, beds_fixture, refresh  # noqa: F401
from tests.records.factories import make_user


@pytest.fixture
def flow(beds, hospital):
    stay = bed_services.admit(actor=None, encounter_number="ENC-1", mrn="M1", bed=beds["a"], at=at(0))
    waiting = bed_services.pre_admit(actor=None, encounter_number="ENC-2", mrn="M2", unit=hospital.ward, at=at(1),
                                     needs_isolation=True, waiting_location="ED")
    return stay, waiting


def test_the_unit_board_shows_beds_stays_and_waiting_patients(client, hospital, flow):
    client.force_login(hospital.users["head_med"])
    page = client.get(f"/facilities/beds/board/{hospital.ward.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "ENC-1" in body and "ENC-2" in body and "401-A" in body and 'hx-trigger="every 10s"' in body
    assert StayAccess.objects.filter(user=hospital.users["head_med"]).first().encounter_numbers == ["ENC-1", "ENC-2"]


def test_the_board_refresh_answers_the_board_alone(client, hospital, flow):
    client.force_login(hospital.users["ops"])
    page = client.get("/facilities/beds/board/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and b"<html" not in page.content and b"ENC-1" in page.content


def test_another_departments_board_is_not_found(client, hospital, flow):
    client.force_login(hospital.users["head_surg"])
    assert client.get(f"/facilities/beds/board/{hospital.ward.pk}/").status_code == 404
    assert b"ENC-1" not in client.get("/facilities/beds/board/").content
    assert client.get(f"/facilities/beds/stays/{flow[1].pk}/assign/").status_code == 404
    assert client.post(f"/facilities/beds/stays/{flow[0].pk}/discharge/").status_code == 404


@pytest.mark.parametrize("role", ["board", "staff", "finance"])
def test_roles_without_units_see_no_board(client, hospital, flow, role):
    client.force_login(hospital.users[role])
    assert client.get("/facilities/beds/board/").status_code == 404
    assert client.get("/facilities/beds/").status_code == 404


def test_assign_offers_only_fitting_beds_and_places_the_patient(client, hospital, beds, flow):
    client.force_login(hospital.users["scheduler_med"])
    page = client.get(f"/facilities/beds/stays/{flow[1].pk}/assign/")
    options = page.context["form"].fields["bed"].queryset
    assert list(options) == [beds["iso"]]
    answer = client.post(f"/facilities/beds/stays/{flow[1].pk}/assign/", {"bed": beds["b"].pk})
    assert answer.status_code == 400  # not an isolation bed: not even a choice
    answer = client.post(f"/facilities/beds/stays/{flow[1].pk}/assign/", {"bed": beds["iso"].pk})
    assert answer.status_code == 302
    assert PatientStay.objects.get(pk=flow[1].pk).bed == beds["iso"]


def test_discharge_from_the_board_opens_a_cleaning_task_that_evs_finish(client, hospital, beds, flow):
    client.force_login(hospital.users["head_med"])
    assert client.post(f"/facilities/beds/stays/{flow[0].pk}/discharge/").status_code == 302
    task = CleaningTask.objects.get(bed=beds["a"])
    client.get("/facilities/beds/board/")  # shows (and so clears) the discharge message
    evs = make_user(username="evs", groups=[access.ENVIRONMENTAL_SERVICES])
    client.force_login(evs)
    queue = client.get("/facilities/beds/housekeeping/")
    assert queue.status_code == 200 and b"401-A" in queue.content and b"ENC-1" not in queue.content
    assert client.get("/facilities/beds/board/").status_code == 404  # cleaners see beds, never stays
    client.post(f"/facilities/beds/housekeeping/{task.pk}/start/")
    client.post(f"/facilities/beds/housekeeping/{task.pk}/finish/")
    refresh(beds["a"])
    assert beds["a"].status == Bed.Status.AVAILABLE


def test_the_housekeeping_queue_is_for_cleaners(client, hospital, flow):
    client.force_login(hospital.users["head_med"])
    assert client.get("/facilities/beds/housekeeping/").status_code == 404


def test_a_head_blocks_a_bed_with_a_reason(client, hospital, beds):
    client.force_login(hospital.users["head_med"])
    refused = client.post(f"/facilities/beds/{beds['b'].pk}/status/", {"status": "blocked", "reason": ""})
    assert refused.status_code == 400
    client.post(f"/facilities/beds/{beds['b'].pk}/status/", {"status": "blocked", "reason": "Broken rail"})
    refresh(beds["b"])
    assert beds["b"].status == "blocked" and beds["b"].status_reason == "Broken rail"
    client.force_login(hospital.users["scheduler_med"])
    assert client.post(f"/facilities/beds/{beds['b'].pk}/status/", {"status": "available"}).status_code == 404


def test_a_head_adds_a_bed_and_bad_input_changes_nothing(client, hospital, beds):
    client.force_login(hospital.users["head_med"])
    url = f"/facilities/beds/new/{hospital.ward.pk}/"
    room = beds["a"].room
    assert client.post(url, {"room": room.pk, "label": "A", "kind": "general"}).status_code == 400
    assert client.post(url, {"room": room.pk, "label": "X" * 50, "kind": "general"}).status_code == 400
    assert client.post(url, {"room": room.pk, "label": "C", "kind": "icu", "is_active": "on"}).status_code == 302
    assert Bed.objects.filter(room=room).count() == 3
    client.force_login(hospital.users["head_surg"])
    assert client.get(url).status_code == 404


def test_the_registry_exports_and_pins_its_queries(client, hospital, beds):
    client.force_login(hospital.users["ops"])
    assert client.get("/facilities/beds/?export=csv").content.decode().count("\n") == 5
    with CaptureQueriesContext(connection) as few:
        client.get("/facilities/beds/")
    for n in range(20):
        Bed.objects.create(room=beds["a"].room, unit=hospital.ward, label=f"Z{n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/facilities/beds/")
    assert len(many) == len(few)


def test_the_board_query_count_does_not_grow_with_beds(client, hospital, beds, flow):
    client.force_login(hospital.users["ops"])
    with CaptureQueriesContext(connection) as few:
        client.get("/facilities/beds/board/", HTTP_HX_REQUEST="true")
    for n in range(30):
        bed = Bed.objects.create(room=beds["a"].room, unit=hospital.ward, label=f"Z{n}")
        bed_services.admit(actor=None, encounter_number=f"E{n}", mrn=f"MM{n}", bed=bed, at=at(2))
    with CaptureQueriesContext(connection) as many:
        client.get("/facilities/beds/board/", HTTP_HX_REQUEST="true")
    assert len(many) == len(few) <= 12


def test_only_administrators_read_the_access_log(client, hospital, flow):
    client.force_login(hospital.users["ops"])
    client.get("/facilities/beds/board/")
    assert client.get("/facilities/beds/access-log/").status_code == 404
    client.force_login(hospital.users["admin"])
    page = client.get("/facilities/beds/access-log/?encounter=ENC-1")
    assert page.status_code == 200 and b"ops" in page.content
