import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from staffing import selectors, services, setup_services
from staffing.api.urls import router
from staffing.models import Schedule, ShiftAssignment, ShiftPreference, ShiftType, TimeOff
from staffing.services import CellChange
from tests.records.factories import EmployeeFactory, make_token
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory, hospital_rules

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"staffing-api:{name}", args=args)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api, hospital):
    def sign_in(role):
        api.force_login(hospital.users[role])
        return api

    return sign_in


def every_route():
    """Each URL the staffing router serves, with a made-up id where one is needed."""
    for pattern in router.urls:
        if "format" in pattern.pattern.regex.groupindex:
            continue
        kwargs = {name: "1" for name in pattern.pattern.regex.groupindex}
        yield pytest.param(pattern.name, kwargs, id=pattern.name)


def assign(actor, schedule, *cells):
    """Cells as (employee, day, shift type) through the service."""
    return services.set_cells(
        actor=actor, schedule=schedule, changes=[CellChange(employee, day, shift) for employee, day, shift in cells]
    )


def cell(employee, day, shift_type):
    return {"employee": employee.pk, "date": str(day), "shift_type": shift_type}


def soon(days=10):
    return timezone.localdate() + dt.timedelta(days=days)


# Anonymous callers


@pytest.mark.parametrize(("name", "kwargs"), list(every_route()))
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_it_refuses_anonymous_callers_on_every_route(api, hospital, name, kwargs, method):
    response = getattr(api, method)(reverse(f"staffing-api:{name}", kwargs=kwargs), {}, format="json")

    assert response.status_code == 401


# Scoping: another department's rows are not found


@pytest.mark.parametrize("name", ["schedule-detail", "schedule-coverage", "schedule-violations"])
def test_it_hides_the_wards_roster_from_the_head_of_surgery(as_user, roster, name):
    response = as_user("head_surg").get(url(name, roster.schedule.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["submit", "approve", "publish", "copy-previous"])
def test_it_answers_404_to_the_head_of_surgery_acting_on_the_wards_roster(as_user, roster, action):
    response = as_user("head_surg").post(url(f"schedule-{action}", roster.schedule.pk), {}, format="json")

    assert response.status_code == 404
    assert Schedule.objects.get(pk=roster.schedule.pk).status == Schedule.Status.DRAFT


def test_it_hides_the_wards_assignment_from_the_head_of_surgery(as_user, hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    assignment = ShiftAssignment.objects.get()

    assert as_user("head_surg").get(url("assignment-detail", assignment.pk)).status_code == 404
    assert as_user("head_surg").get(url("assignment-list")).json()["count"] == 0


def test_it_hides_the_wards_time_off_from_the_head_of_surgery(as_user, hospital):
    time_off = services.request_time_off(
        actor=hospital.users["staff"], employee=hospital.staff_employee, kind="vacation",
        start_date=soon(), end_date=soon(12),
    )

    assert as_user("head_surg").get(url("time-off-detail", time_off.pk)).status_code == 404
    assert as_user("head_surg").post(url("time-off-approve", time_off.pk), {}).status_code == 404


@pytest.mark.parametrize("name", ["shift-type-detail", "requirement-detail"])
def test_it_hides_the_wards_setup_from_the_head_of_surgery(as_user, roster, name):
    requirement = RequirementFactory(shift_type=roster.day)
    pk = roster.day.pk if name == "shift-type-detail" else requirement.pk

    assert as_user("head_surg").get(url(name, pk)).status_code == 404
    assert as_user("head_surg").patch(url(name, pk), {}, format="json").status_code == 404


def test_it_hides_the_wards_labour_rules_from_the_head_of_surgery(as_user, hospital):
    rules = setup_services.save_labour_rules(
        actor=hospital.users["ops"], data={"scope": "department", "department": hospital.ward, "min_rest_hours": 11}
    )

    assert as_user("head_surg").get(url("labour-rules-detail", rules.pk)).status_code == 404


def test_it_hides_a_wards_preference_from_the_head_of_surgery(as_user, hospital, roster):
    preference = services.set_preference(
        actor=hospital.users["staff"], employee=hospital.staff_employee, date=soon(), shift_type=roster.day,
        kind="want",
    )

    assert as_user("head_surg").delete(url("preference-detail", preference.pk)).status_code == 404
    assert ShiftPreference.objects.filter(pk=preference.pk).exists()


def test_it_gives_a_board_member_no_rosters(as_user, roster):
    assert as_user("board").get(url("schedule-list")).json()["count"] == 0


# Staff see their own


def test_it_shows_a_staff_member_only_their_own_time_off(as_user, hospital):
    own = services.request_time_off(
        actor=hospital.users["staff"], employee=hospital.staff_employee, kind="vacation",
        start_date=soon(), end_date=soon(12),
    )
    services.request_time_off(
        actor=hospital.users["head_med"], employee=hospital.nurse, kind="training", start_date=soon(),
        end_date=soon(),
    )

    response = as_user("staff").get(url("time-off-list"))

    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_it_shows_a_staff_member_only_their_own_published_shifts(as_user, hospital, roster):
    scheduler = hospital.users["scheduler_med"]
    assign(scheduler, roster.schedule, (hospital.staff_employee, roster.days[0], roster.day),
           (hospital.nurse, roster.days[0], roster.day))
    draft = ScheduleFactory(department=hospital.ward, start_date=roster.days[-1] + dt.timedelta(days=1),
                            created_by=scheduler)
    assign(scheduler, draft, (hospital.staff_employee, draft.start_date, roster.day))
    Schedule.objects.filter(pk=roster.schedule.pk).update(status=Schedule.Status.PUBLISHED)

    response = as_user("staff").get(url("assignment-list"))

    rows = response.json()["results"]
    assert [(row["employee"], row["date"]) for row in rows] == [(hospital.staff_employee.pk, str(roster.days[0]))]


def test_it_shows_a_staff_member_no_draft_shifts(as_user, hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.staff_employee, roster.days[0], roster.day))

    assert as_user("staff").get(url("assignment-list")).json()["count"] == 0


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


def submit_as_scheduler(hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)


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


# Tokens


def test_it_refuses_a_read_only_token_writing(api, hospital, roster):
    _token, key = make_token(user=hospital.users["scheduler_med"], scopes={"staffing": "read"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    reading = api.get(url("schedule-list"))
    writing = api.post(url("schedule-submit", roster.schedule.pk), {}, format="json")

    assert reading.status_code == 200
    assert writing.status_code == 403
    assert Schedule.objects.get(pk=roster.schedule.pk).status == Schedule.Status.DRAFT


def test_it_refuses_a_token_without_the_staffing_scope(api, hospital, roster):
    _token, key = make_token(user=hospital.users["scheduler_med"], scopes={"records": "write"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(url("schedule-list")).status_code == 403


def test_it_opens_the_api_root_to_a_staffing_token(api, hospital):
    _token, key = make_token(user=hospital.users["scheduler_med"], scopes={"staffing": "read"})
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(reverse("staffing-api:api-root")).status_code == 200


# Constant queries


@pytest.mark.parametrize("count", [1, 30])
def test_it_lists_assignments_in_constant_queries(as_user, hospital, roster, django_assert_max_num_queries, count):
    employees = EmployeeFactory.create_batch(count, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule, *[(e, roster.days[0], roster.day) for e in employees])
    client = as_user("head_med")
    client.get(url("api-root"))  # the session's first request records when it was seen

    with django_assert_max_num_queries(7):
        response = client.get(url("assignment-list"), {"page_size": 50})

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_it_lists_rosters_in_constant_queries(as_user, hospital, django_assert_max_num_queries, count):
    users = hospital.users
    for n in range(count):
        ScheduleFactory(department=hospital.ward, start_date=dt.date(2027, 1, 4) + dt.timedelta(weeks=5 * n),
                        created_by=users["scheduler_med"], submitted_by=users["scheduler_med"],
                        decided_by=users["head_med"], status=Schedule.Status.APPROVED)
    client = as_user("head_med")
    client.get(url("api-root"))  # the session's first request records when it was seen

    with django_assert_max_num_queries(7):
        response = client.get(url("schedule-list"), {"page_size": 50})

    assert len(response.json()["results"]) == count
    assert response.json()["results"][0]["decided_by_name"] == "head_med"


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
         "skill_code": None, "required": 2, "assigned": 0, "gap": 2, "over": 0},
        {"date": "2026-12-14", "shift_type": small_roster.late.pk, "shift_type_code": "L", "skill": None,
         "skill_code": None, "required": 1, "assigned": 0, "gap": 1, "over": 0},
    ]


def test_it_answers_the_rule_findings_of_a_roster(as_user, hospital, small_roster):
    rows = as_user("scheduler_med").get(url("schedule-violations", small_roster.schedule.pk)).json()

    assert rows == [
        {"rule": "max_consecutive", "severity": "soft", "employee": hospital.nurse.pk,
         "employee_name": "Nora Nightingale", "date": "2026-12-07",
         "message": "Nora Nightingale works 3 days in a row from Mon 07 Dec; at most 2."}
    ]


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


# The roster grid the pages share


@pytest.fixture
def overtime_roster(hospital, roster):
    """40 h a week before overtime; the nurse works six day shifts (48 h) in the first week and one in the
    second; Mondays need two on D."""
    hospital_rules(max_weekly_minutes=40 * 60)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    assign(
        hospital.users["scheduler_med"], roster.schedule,
        *[(hospital.nurse, day, roster.day) for day in [*roster.days[:6], roster.days[8]]],
    )
    return roster


def test_the_roster_grid_measures_hours_overtime_and_coverage(hospital, overtime_roster):
    grid = selectors.roster_grid(overtime_roster.schedule)

    nurse = hospital.nurse.pk
    assert grid.hours_by_week[nurse] == {(2026, 50): 48.0, (2026, 51): 8.0}
    assert grid.hours[nurse] == 56.0
    assert grid.overtime_hours[nurse] == 8.0
    assert grid.coverage_pct[overtime_roster.day.pk] == 12.5  # 1 of 8 required places on four Mondays
    assert grid.coverage_pct[overtime_roster.late.pk] is None
    assert grid.unfilled_shifts == 7
    assert [v.rule for v in grid.warnings] == ["weekly_hours"]


def test_the_roster_grid_sorts_rows_by_name_and_keys_cells_by_employee_and_day(hospital, overtime_roster):
    grid = selectors.roster_grid(overtime_roster.schedule)

    assert [e.last_name for e in grid.employees] == ["Nightingale", "Staff"]
    assert grid.assignments[(hospital.nurse.pk, overtime_roster.days[0])].shift_type.code == "D"
    assert len(grid.days) == 28
    assert grid.weeks == [(2026, 50), (2026, 51), (2026, 52), (2026, 53)]


def test_the_roster_grid_gives_each_row_its_cells_and_measures(hospital, overtime_roster):
    nurse_row, staff_row = selectors.roster_grid(overtime_roster.schedule).rows

    assert nurse_row.cells[0].assignment.shift_type.code == "D"
    assert nurse_row.cells[6].assignment is None
    assert (nurse_row.week_hours, nurse_row.overtime_hours) == ([48.0, 8.0, 0.0, 0.0], 8.0)
    assert (staff_row.hours, staff_row.overtime_hours) == (0.0, 0.0)


@pytest.mark.parametrize("count", [1, 25])
def test_the_roster_grid_costs_the_same_queries_for_any_unit_size(
    hospital, roster, django_assert_max_num_queries, count
):
    employees = EmployeeFactory.create_batch(count, department=hospital.ward)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, roster.day) for e in employees for day in roster.days[:5]])
    schedule = Schedule.objects.select_related("department").get(pk=roster.schedule.pk)

    with django_assert_max_num_queries(14):
        grid = selectors.roster_grid(schedule)

    assert len(grid.employees) == count + 2


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
