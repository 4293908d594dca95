"""The staffing API answers only to signed-in callers, hides other departments (404), shows staff their
own rows, honours token scopes and costs the same queries for any list size."""

import datetime as dt

import pytest
from django.urls import reverse

from staffing import services, setup_services
from staffing.models import Schedule, ShiftAssignment, ShiftPreference
from tests.records.factories import EmployeeFactory, make_token
from tests.staffing.api_helpers import assign, every_route, soon, url
from tests.staffing.factories import RequirementFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


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
