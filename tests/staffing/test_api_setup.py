"""Unit setup over the API: heads and managers change shift types, requirements and rules; schedulers read."""


import pytest

from staffing.models import ShiftType
from tests.staffing.api_helpers import url
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db


# Setup: heads and managers change it, schedulers read it


def shift_payload(unit, **overrides):
    payload = {"department": unit.pk, "code": "E", "name": "Early", "start_time": "06:00",
               "duration_minutes": 480, "paid_minutes": 450}
    payload.update(overrides)
    return payload


def test_it_lets_a_head_create_a_shift_type(as_user, hospital, roster):
    response = as_user("head_med").post(
        url("shift-type-list"), shift_payload(hospital.ward, forbidden_successors=[roster.day.pk]), format="json"
    )

    assert response.status_code == 201
    assert response.json()["forbidden_successors"] == [roster.day.pk]
    assert ShiftType.objects.get(code="E").history.exists()


def test_it_refuses_a_scheduler_creating_a_shift_type(as_user, hospital):
    response = as_user("scheduler_med").post(url("shift-type-list"), shift_payload(hospital.ward), format="json")

    assert response.status_code == 403
    assert not ShiftType.objects.exists()


def test_it_lets_a_scheduler_read_the_shift_types(as_user, roster):
    response = as_user("scheduler_med").get(url("shift-type-list"))

    assert [row["code"] for row in response.json()["results"]] == ["D", "L", "N"]
    assert response.json()["results"][2]["forbidden_successors"] == [roster.day.pk, roster.late.pk]


def test_it_shows_staff_the_shift_types_of_their_unit(as_user, roster):
    response = as_user("staff").get(url("shift-type-list"))

    assert [row["code"] for row in response.json()["results"]] == ["D", "L", "N"]


def test_it_answers_bad_shift_type_input_with_field_errors(as_user, hospital):
    response = as_user("head_med").post(
        url("shift-type-list"), shift_payload(hospital.ward, code="e?", colour="red"), format="json"
    )

    assert response.status_code == 400
    assert {"code", "colour"} <= set(response.json())


def test_it_changes_forbidden_successors_through_patch(as_user, roster):
    response = as_user("head_med").patch(
        url("shift-type-detail", roster.night.pk), {"forbidden_successors": [roster.day.pk]}, format="json"
    )

    assert response.status_code == 200
    assert list(roster.night.forbidden_successors.all()) == [roster.day]


def test_it_creates_a_requirement_in_the_shift_types_unit(as_user, roster):
    response = as_user("head_med").post(
        url("requirement-list"), {"shift_type": roster.day.pk, "weekday": 0, "required_count": 3}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["department"], response.json()["shift_type_code"]) == (roster.ward.pk, "D")


def test_it_creates_unit_rules_with_shift_limits(as_user, roster):
    payload = {"scope": "department", "department": roster.ward.pk, "max_consecutive_nights": 3,
               "shift_limits": [{"shift_type": roster.night.pk, "max_shifts": 6}]}

    response = as_user("head_med").post(url("labour-rules-list"), payload, format="json")

    assert response.status_code == 201
    assert response.json()["shift_limits"] == [{"shift_type": roster.night.pk, "shift_type_code": "N", "max_shifts": 6}]


def test_it_refuses_a_head_changing_the_hospital_default(as_user, hospital):
    rules = hospital_rules(min_rest_hours=11)

    response = as_user("head_med").patch(url("labour-rules-detail", rules.pk), {"min_rest_hours": 8}, format="json")

    assert response.status_code == 403
    rules.refresh_from_db()
    assert rules.min_rest_hours == 11
