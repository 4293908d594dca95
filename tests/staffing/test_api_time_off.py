"""Time off and shift preferences over the API."""


import pytest

from staffing import services
from staffing.models import ShiftPreference, TimeOff
from tests.staffing.api_helpers import soon, url
from tests.staffing.factories import ShiftTypeFactory

pytestmark = pytest.mark.django_db


# Time off


def test_it_files_a_staff_members_request_for_themselves(as_user, hospital):
    payload = {"kind": "vacation", "start_date": str(soon()), "end_date": str(soon(14)), "note": "Family"}

    response = as_user("staff").post(url("time-off-list"), payload, format="json")

    assert response.status_code == 201
    assert (response.json()["employee"], response.json()["status"]) == (hospital.staff_employee.pk, "requested")


def test_it_asks_whom_the_time_off_is_for_when_the_caller_has_no_staff_record(as_user):
    payload = {"start_date": str(soon()), "end_date": str(soon(14))}

    response = as_user("scheduler_med").post(url("time-off-list"), payload, format="json")

    assert response.status_code == 400
    assert "employee" in response.json()


def test_it_treats_a_colleague_as_not_found_for_a_staff_members_request(as_user, hospital):
    payload = {"employee": hospital.nurse.pk, "start_date": str(soon()), "end_date": str(soon(14))}

    response = as_user("staff").post(url("time-off-list"), payload, format="json")

    assert response.status_code == 400
    assert "employee" in response.json()
    assert not TimeOff.objects.exists()


def staff_request(hospital):
    return services.request_time_off(
        actor=hospital.users["staff"], employee=hospital.staff_employee, kind="vacation",
        start_date=soon(), end_date=soon(12),
    )


def test_it_lets_the_head_approve_time_off(as_user, hospital):
    time_off = staff_request(hospital)

    response = as_user("head_med").post(url("time-off-approve", time_off.pk), {"note": "Enjoy"}, format="json")

    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert response.json()["decision_note"] == "Enjoy"


def test_it_refuses_staff_approving_their_own_time_off(as_user, hospital):
    time_off = staff_request(hospital)

    response = as_user("staff").post(url("time-off-approve", time_off.pk), {}, format="json")

    assert response.status_code == 403
    assert TimeOff.objects.get(pk=time_off.pk).status == TimeOff.Status.REQUESTED


def test_it_answers_a_second_decision_with_409(as_user, hospital):
    time_off = staff_request(hospital)
    client = as_user("head_med")
    client.post(url("time-off-deny", time_off.pk), {"note": "Short-staffed"}, format="json")

    response = client.post(url("time-off-approve", time_off.pk), {}, format="json")

    assert response.status_code == 409


def test_it_lets_staff_cancel_their_request(as_user, hospital):
    time_off = staff_request(hospital)

    response = as_user("staff").post(url("time-off-cancel", time_off.pk), format="json")

    assert response.json()["status"] == "cancelled"


# Preferences


def test_it_lets_staff_state_and_remove_a_preference(as_user, hospital, roster):
    client = as_user("staff")
    payload = {"date": str(soon()), "shift_type": roster.night.pk, "kind": "avoid", "priority": 5}

    created = client.post(url("preference-list"), payload, format="json")
    removed = client.delete(url("preference-detail", created.json()["id"]))

    assert created.status_code == 201
    assert created.json()["employee"] == hospital.staff_employee.pk
    assert removed.status_code == 204
    assert not ShiftPreference.objects.exists()


def test_it_refuses_a_preference_for_a_shift_of_another_unit(as_user, hospital, roster):
    theatre_shift = ShiftTypeFactory(department=hospital.theatre)
    payload = {"date": str(soon()), "shift_type": theatre_shift.pk, "kind": "want"}

    response = as_user("staff").post(url("preference-list"), payload, format="json")

    assert response.status_code == 400
    assert "shift_type" in response.json()


def test_it_lets_a_head_state_a_preference_for_their_staff(as_user, hospital, roster):
    payload = {"employee": hospital.nurse.pk, "date": str(soon()), "shift_type": roster.day.pk, "kind": "want"}

    response = as_user("head_med").post(url("preference-list"), payload, format="json")

    assert response.status_code == 201
    assert response.json()["employee_name"] == "Nora Nightingale"
