"""Rosters over the API: creation, the approval workflow, copying, coverage and rule findings."""

import datetime as dt

import pytest

from staffing.models import Schedule
from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign, cell, submit_as_scheduler, url
from tests.staffing.factories import RequirementFactory, ScheduleFactory, hospital_rules

pytestmark = pytest.mark.django_db


# Schedules and their workflow over HTTP


def test_it_creates_a_roster(as_user, roster):
    payload = {"department": roster.ward.pk, "start_date": "2027-01-04", "end_date": "2027-01-31"}

    response = as_user("scheduler_med").post(url("schedule-list"), payload, format="json")

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["created_by_name"]) == ("draft", "scheduler_med")


def test_it_refuses_a_roster_overlapping_another(as_user, roster):
    payload = {"department": roster.ward.pk, "start_date": str(roster.days[3]), "end_date": str(roster.days[20])}

    response = as_user("scheduler_med").post(url("schedule-list"), payload, format="json")

    assert response.status_code == 400
    assert "start_date" in response.json()


def test_it_treats_another_departments_unit_as_not_found_when_creating_a_roster(as_user, hospital):
    payload = {"department": hospital.theatre.pk, "start_date": "2027-01-04", "end_date": "2027-01-31"}

    response = as_user("scheduler_med").post(url("schedule-list"), payload, format="json")

    assert response.status_code == 400
    assert "department" in response.json()


def test_it_filters_rosters_by_status_and_period(as_user, hospital, roster):
    later = ScheduleFactory(department=hospital.ward, start_date=dt.date(2027, 1, 4),
                            created_by=roster.schedule.created_by, status=Schedule.Status.PUBLISHED)
    client = as_user("head_med")

    by_status = client.get(url("schedule-list"), {"status": "published"}).json()["results"]
    by_period = client.get(url("schedule-list"), {"date_from": "2026-12-20", "date_to": "2026-12-24"}).json()["results"]
    by_department = client.get(url("schedule-list"), {"department": hospital.medicine.pk}).json()["count"]

    assert [row["id"] for row in by_status] == [later.pk]
    assert [row["id"] for row in by_period] == [roster.schedule.pk]
    assert by_department == 2


def test_the_whole_roster_workflow_over_http(api, hospital, roster):
    api.force_login(hospital.users["scheduler_med"])
    cells = [cell(hospital.nurse, roster.days[0], "D"), cell(hospital.staff_employee, roster.days[0], "L")]
    assert api.post(url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": cells},
                    format="json").status_code == 200
    submitted = api.post(url("schedule-submit", roster.schedule.pk), {"comment": "Ready"}, format="json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")

    api.force_login(hospital.users["head_med"])
    approved = api.post(url("schedule-approve", roster.schedule.pk), {}, format="json")
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    assert approved.json()["decided_by_name"] == "head_med"

    api.force_login(hospital.users["scheduler_med"])
    published = api.post(url("schedule-publish", roster.schedule.pk), format="json")
    assert (published.status_code, published.json()["status"]) == (200, "published")
    revised = api.post(url("schedule-revise", roster.schedule.pk), {"reason": "Sick cover"}, format="json")
    assert (revised.json()["status"], revised.json()["revision"]) == ("draft", 2)


def test_it_answers_a_second_approval_with_409(as_user, hospital, roster):
    submit_as_scheduler(hospital, roster)
    as_user("head_med").post(url("schedule-approve", roster.schedule.pk), {}, format="json")

    response = as_user("ops").post(url("schedule-approve", roster.schedule.pk), {}, format="json")

    assert response.status_code == 409
    assert "already approved this roster" in response.json()["non_field_errors"][0]


def test_it_answers_approving_your_own_submission_with_403(as_user, hospital, roster):
    assign(hospital.users["head_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    client = as_user("head_med")
    client.post(url("schedule-submit", roster.schedule.pk), {}, format="json")

    response = client.post(url("schedule-approve", roster.schedule.pk), {}, format="json")

    assert response.status_code == 403
    assert "someone else" in response.json()["detail"]
    assert Schedule.objects.get(pk=roster.schedule.pk).status == Schedule.Status.SUBMITTED


def test_it_refuses_a_scheduler_approving_with_403(as_user, hospital, roster):
    submit_as_scheduler(hospital, roster)

    response = as_user("scheduler_med").post(url("schedule-approve", roster.schedule.pk), {}, format="json")

    assert response.status_code == 403


def test_it_needs_a_reason_to_reject(as_user, hospital, roster):
    submit_as_scheduler(hospital, roster)

    response = as_user("head_med").post(url("schedule-reject", roster.schedule.pk), {"reason": ""}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Schedule.objects.get(pk=roster.schedule.pk).status == Schedule.Status.SUBMITTED


def test_it_rejects_a_roster_back_to_draft(as_user, hospital, roster):
    submit_as_scheduler(hospital, roster)

    response = as_user("head_med").post(
        url("schedule-reject", roster.schedule.pk), {"reason": "Nights are short"}, format="json"
    )

    assert (response.json()["status"], response.json()["rejection_reason"]) == ("draft", "Nights are short")


def test_it_answers_publishing_a_draft_with_409(as_user, roster):
    response = as_user("scheduler_med").post(url("schedule-publish", roster.schedule.pk), format="json")

    assert response.status_code == 409
    assert "approved" in response.json()["non_field_errors"][0]


def test_it_copies_the_previous_roster(as_user, hospital, roster):
    previous = ScheduleFactory(department=hospital.ward, start_date=roster.monday - dt.timedelta(days=28),
                               created_by=hospital.users["scheduler_med"])
    assign(hospital.users["scheduler_med"], previous, (hospital.nurse, previous.start_date, roster.day),
           (hospital.nurse, previous.start_date + dt.timedelta(days=1), roster.late))

    response = as_user("scheduler_med").post(url("schedule-copy-previous", roster.schedule.pk), format="json")

    assert response.status_code == 200
    assert (response.json()["copied"], response.json()["skipped"]) == (2, [])
    assert response.json()["schedule"]["id"] == roster.schedule.pk
    assert roster.schedule.assignments.count() == 2


# Coverage and rule findings


@pytest.fixture
def small_roster(hospital, roster):
    """Mondays need two on D and one on L. On the first Monday the nurse works D and two people
    work L; the nurse also works D on Tuesday and Wednesday, one day more in a row than allowed."""
    hospital_rules(max_consecutive_days=2)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    RequirementFactory(shift_type=roster.late, weekday=0, required_count=1)
    third = EmployeeFactory(department=hospital.ward, first_name="Theo", last_name="Third")
    monday = roster.days[0]
    assign(
        hospital.users["scheduler_med"], roster.schedule,
        (hospital.nurse, monday, roster.day), (hospital.nurse, roster.days[1], roster.day),
        (hospital.nurse, roster.days[2], roster.day),
        (hospital.staff_employee, monday, roster.late), (third, monday, roster.late),
    )
    return roster


def test_it_answers_the_coverage_of_a_roster(as_user, small_roster):
    rows = as_user("scheduler_med").get(url("schedule-coverage", small_roster.schedule.pk)).json()

    first_monday = [(r["date"], r["shift_type_code"], r["required"], r["assigned"], r["gap"], r["over"])
                    for r in rows[:2]]
    assert first_monday == [("2026-12-07", "D", 2, 1, 1, 0), ("2026-12-07", "L", 1, 2, 0, 1)]
    assert len(rows) == 8  # four Mondays, two shifts
    assert rows[2:4] == [
        {"date": "2026-12-14", "shift_type": small_roster.day.pk, "shift_type_code": "D", "skill": None,
         "skill_code": None, "required": 2, "assigned": 0, "gap": 2, "over": 0, "source": "fixed", "census": None},
        {"date": "2026-12-14", "shift_type": small_roster.late.pk, "shift_type_code": "L", "skill": None,
         "skill_code": None, "required": 1, "assigned": 0, "gap": 1, "over": 0, "source": "fixed", "census": None},
    ]


def test_it_answers_the_rule_findings_of_a_roster(as_user, hospital, small_roster):
    rows = as_user("scheduler_med").get(url("schedule-violations", small_roster.schedule.pk)).json()

    assert rows == [
        {"rule": "max_consecutive", "severity": "soft", "employee": hospital.nurse.pk,
         "employee_name": "Nora Nightingale", "date": "2026-12-07",
         "message": "Nora Nightingale works 3 days in a row from Mon 7 Dec; at most 2."}
    ]


def test_it_refuses_a_roster_for_a_unit_without_shift_types(as_user, hospital):
    payload = {"department": hospital.ward.pk, "start_date": "2027-01-04", "end_date": "2027-01-31"}

    response = as_user("scheduler_med").post(url("schedule-list"), payload, format="json")

    assert response.status_code == 400
    assert "department" in response.json()


def test_it_refuses_a_roster_in_the_year_9999(as_user, roster):
    payload = {"department": roster.ward.pk, "start_date": "9999-12-01", "end_date": "9999-12-28"}

    response = as_user("scheduler_med").post(url("schedule-list"), payload, format="json")

    assert response.status_code == 400


def test_it_answers_400_for_an_employee_id_no_database_holds(as_user, roster):
    cell = {"employee": 10**30, "date": str(roster.days[0]), "shift_type": "D"}

    response = as_user("scheduler_med").post(
        url("assignment-bulk"), {"schedule": roster.schedule.pk, "cells": [cell]}, format="json"
    )

    assert response.status_code == 400
