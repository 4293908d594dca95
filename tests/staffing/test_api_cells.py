"""Roster cells over the API: one cell, and a whole roster in one all-or-nothing write."""


import pytest

from staffing.models import ShiftAssignment
from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign, cell, submit_as_scheduler, url
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db


# Bulk roster writes


def test_it_saves_a_two_week_roster_for_three_people(as_user, hospital, roster):
    third = EmployeeFactory(department=hospital.ward, first_name="Theo", last_name="Third")
    people = [(hospital.nurse, "D"), (hospital.staff_employee, "L"), (third, "N")]
    cells = [
        cell(employee, day, code if day.weekday() < 5 else None)
        for employee, code in people
        for day in roster.days[:14]
    ]

    response = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["cleared"], body["unchanged"]) == (30, 0, 0, 12)
    assert body["warnings"] == []
    assert roster.schedule.assignments.count() == 30
    assert set(roster.schedule.assignments.filter(employee=third).values_list("shift_type__code", flat=True)) == {"N"}


def test_it_counts_updated_and_cleared_cells(as_user, hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day),
           (hospital.nurse, roster.days[1], roster.day))
    cells = [cell(hospital.nurse, roster.days[0], roster.late.pk), cell(hospital.nurse, roster.days[1], None)]

    body = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells}, format="json"
    ).json()

    assert (body["created"], body["updated"], body["cleared"], body["unchanged"]) == (0, 1, 1, 0)
    assert list(roster.schedule.assignments.values_list("shift_type__code", flat=True)) == ["L"]


def test_it_lists_every_error_of_a_bad_roster_and_saves_nothing(as_user, hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.staff_employee, roster.days[5], roster.day))
    before = ShiftAssignment.objects.count()
    cells = [
        cell(hospital.nurse, roster.days[0], "N"),
        cell(hospital.nurse, roster.days[1], "D"),  # a day shift straight after a night
        cell(hospital.nurse, roster.days[2], "D"),
        {"employee": hospital.nurse.pk, "date": "2026-13-45", "shift_type": "D"},
        cell(hospital.staff_employee, roster.days[0], "X"),
        cell(hospital.surgeon, roster.days[0], "D"),  # not visible to the ward's scheduler
        cell(hospital.nurse, roster.days[2], "L"),  # the same cell twice
        {"date": str(roster.days[3]), "shift_type": True},
    ]

    response = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells}, format="json"
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors["cells"]) == {"3", "4", "5", "6", "7"}
    assert list(errors["cells"]["3"]) == ["date"]
    assert list(errors["cells"]["4"]) == ["shift_type"]
    assert list(errors["cells"]["5"]) == ["employee"]
    assert "Cell 2" in errors["cells"]["6"]["date"][0]
    assert set(errors["cells"]["7"]) == {"employee", "shift_type"}
    assert any("D may not follow N" in message for message in errors["non_field_errors"])
    assert ShiftAssignment.objects.count() == before
    assert not roster.schedule.assignments.filter(employee=hospital.nurse).exists()


def test_it_answers_a_hard_rule_breach_alone_with_every_message(as_user, hospital, roster):
    cells = [cell(hospital.nurse, roster.days[0], "N"), cell(hospital.nurse, roster.days[1], "L"),
             cell(hospital.staff_employee, roster.days[0], "N"), cell(hospital.staff_employee, roster.days[1], "D")]

    response = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells}, format="json"
    )

    assert response.status_code == 400
    assert len(response.json()["non_field_errors"]) == 2
    assert not ShiftAssignment.objects.exists()


def test_it_refuses_bulk_writes_to_another_departments_roster(as_user, roster, hospital):
    response = as_user("head_surg").post(
        url("assignment-bulk"),
        {"schedule": roster.schedule.pk, "cells": [cell(hospital.surgeon, roster.days[0], "D")]},
        format="json",
    )

    assert response.status_code == 400
    assert "schedule" in response.json()
    assert not ShiftAssignment.objects.exists()


def test_it_answers_bulk_writes_to_a_submitted_roster_with_409(as_user, hospital, roster):
    submit_as_scheduler(hospital, roster)

    response = as_user("scheduler_med").post(
        url("assignment-bulk"),
        {"schedule": roster.schedule.pk, "cells": [cell(hospital.nurse, roster.days[3], "D")]},
        format="json",
    )

    assert response.status_code == 409


def test_it_refuses_an_empty_bulk_write(as_user, roster):
    response = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": []}, format="json"
    )

    assert response.status_code == 400
    assert "cells" in response.json()


def test_it_returns_soft_warnings_with_a_saved_roster(as_user, hospital, roster):
    hospital_rules(max_consecutive_days=2)
    cells = [cell(hospital.nurse, day, "D") for day in roster.days[:3]]

    body = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells}, format="json"
    ).json()

    assert body["created"] == 3
    assert [(w["rule"], w["employee_name"]) for w in body["warnings"]] == [("max_consecutive", "Nora Nightingale")]


def test_it_sets_one_cell(as_user, hospital, roster):
    payload = {"schedule": roster.schedule.pk, **cell(hospital.nurse, roster.days[0], "D")}

    response = as_user("scheduler_med").post(url("assignment-list"), payload, format="json")

    assert (response.status_code, response.json()["created"]) == (201, 1)
    assert roster.schedule.assignments.get().employee == hospital.nurse


def test_it_answers_an_unknown_shift_code_in_one_cell(as_user, hospital, roster):
    payload = {"schedule": roster.schedule.pk, **cell(hospital.nurse, roster.days[0], "Q")}

    response = as_user("scheduler_med").post(url("assignment-list"), payload, format="json")

    assert response.status_code == 400
    assert "shift_type" in response.json()
