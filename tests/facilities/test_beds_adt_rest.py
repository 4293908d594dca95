"""ADT events over REST: every event type, idempotent repeats, ordering, malformed bodies, and tokens."""

import pytest
from rest_framework.test import APIClient

from facilities.models import AdtEvent, Bed, PatientStay
from tests.facilities.beds_helpers import at, beds_fixture, integration_fixture, refresh  # noqa: F401
from tests.records.factories import make_token

URL = "/api/v1/facilities/adt/"


@pytest.fixture
def ehr(integration):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {integration[1]}")
    return client


def send(client, event, event_id, hours, **fields):
    body = {"event": event, "event_id": event_id, "event_time": at(hours).isoformat(), "encounter_number": "E1",
            "mrn": "M1"} | fields
    return client.post(URL, body, format="json")


def test_every_event_type_changes_the_right_stay_and_bed(ehr, beds):
    assert send(ehr, "pre-admit", "1", 0, unit="MED-4W", waiting_location="ED").status_code == 201
    assert PatientStay.objects.get().status == "pending"
    assert send(ehr, "admit", "2", 1, unit="MED-4W", room="401", bed="A").status_code == 201
    assert send(ehr, "update", "3", 2, expected_discharge="2030-01-05").status_code == 201
    assert send(ehr, "transfer", "4", 3, bed="401-B").status_code == 201
    refresh(beds["a"], beds["b"])
    assert (beds["a"].status, beds["b"].status) == ("dirty", "occupied")
    assert send(ehr, "cancel-transfer", "5", 4).status_code == 201
    assert PatientStay.objects.get().bed == beds["a"]
    assert send(ehr, "discharge", "6", 5).status_code == 201
    assert PatientStay.objects.get().status == "discharged"
    assert send(ehr, "cancel-discharge", "7", 6).status_code == 201
    assert PatientStay.objects.get().status == "active"
    assert send(ehr, "cancel-admit", "8", 7).status_code == 201
    stay = PatientStay.objects.get()
    refresh(beds["a"])
    assert stay.status == "cancelled" and beds["a"].status == Bed.Status.AVAILABLE
    assert stay.expected_discharge.isoformat() == "2030-01-05"
    assert AdtEvent.objects.filter(outcome="applied").count() == 8


def test_a_repeat_answers_200_with_the_first_result_and_changes_nothing(ehr, beds):
    first = send(ehr, "admit", "X1", 1, unit="MED-4W", bed="401-A")
    again = send(ehr, "admit", "X1", 1, unit="MED-4W", bed="401-A")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["outcome"] == "applied"
    assert PatientStay.objects.count() == 1 and AdtEvent.objects.count() == 1


def test_a_late_event_is_refused_with_its_reason_and_stored(ehr, beds):
    send(ehr, "admit", "1", 1, unit="MED-4W", bed="401-A")
    send(ehr, "transfer", "2", 10, bed="401-B")
    late = send(ehr, "discharge", "3", 5)
    assert late.status_code == 409
    assert "older than the last one" in late.json()["detail"]
    assert AdtEvent.objects.get(sender_event_id="3").outcome == "refused"
    assert PatientStay.objects.get().status == "active"


def test_an_admission_to_a_taken_bed_is_refused(ehr, beds):
    send(ehr, "admit", "1", 1, unit="MED-4W", bed="401-A")
    answer = send(ehr, "admit", "2", 2, unit="MED-4W", bed="401-A", encounter_number="E2", mrn="M2")
    assert answer.status_code == 409 and "401-A" in answer.json()["detail"]


@pytest.mark.parametrize("body", [
    {"event": "admit"},
    {"event": "teleport", "event_id": "9", "event_time": "2026-01-01T10:00:00Z", "encounter_number": "E1"},
    {"event": "admit", "event_id": "9", "event_time": "1850-01-01T10:00:00Z", "encounter_number": "E1", "mrn": "1",
     "bed": "401-A"},
    {"event": "admit", "event_id": "9", "event_time": "2026-01-01T10:00:00Z", "encounter_number": "E" * 500},
    [1, 2, 3],
])
def test_a_malformed_event_is_answered_400_stored_and_changes_nothing(ehr, beds, body):
    answer = ehr.post(URL, body, format="json")
    assert answer.status_code in (400, 409)
    assert not PatientStay.objects.exists()
    assert AdtEvent.objects.count() == 1


def test_a_read_token_cannot_send_events(beds, integration):
    _, key = make_token(user=integration[0], scopes={"facilities": "read"})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert send(client, "admit", "1", 1, unit="MED-4W", bed="401-A").status_code == 403


def test_a_department_head_cannot_send_events(as_user, beds):
    assert send(as_user("head_med"), "admit", "1", 1, unit="MED-4W", bed="401-A").status_code == 403
