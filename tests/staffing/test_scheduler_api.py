"""The auto-scheduler's API: generation runs, open shifts and swaps, scoped (another department: 404),
bad input refused, list query counts pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffing.models import Generation, OpenShift
from tests.records.factories import EmployeeFactory, make_user

pytestmark = pytest.mark.django_db
GENERATIONS = "/api/v1/staffing/generations/"
OPEN_SHIFTS = "/api/v1/staffing/open-shifts/"


def test_a_scheduler_starts_one_run_and_a_second_is_a_conflict(as_user, roster):
    api = as_user("scheduler_med")
    first = api.post(GENERATIONS, {"schedule": roster.schedule.pk, "keep": "none", "time_limit": 5}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["state"] in ("queued", "proposed")
    second = api.post(GENERATIONS, {"schedule": roster.schedule.pk, "time_limit": 5}, format="json")
    assert second.status_code in (201, 409)
    assert Generation.objects.filter(state__in=Generation.OPEN).count() == 1


@pytest.mark.parametrize("body", [
    {"schedule": "x"}, {"time_limit": 10**9}, {"keep": "all", "time_limit": 1}, {"keep": "?" * 3000},
])
def test_bad_input_is_refused(as_user, roster, body):
    response = as_user("scheduler_med").post(GENERATIONS, {"schedule": roster.schedule.pk, **body}, format="json")
    assert response.status_code == 400
    assert not Generation.objects.exists()


def test_another_department_finds_nothing(as_user, roster):
    response = as_user("head_surg").post(GENERATIONS, {"schedule": roster.schedule.pk, "time_limit": 5},
                                         format="json")
    assert response.status_code == 404
    run = as_user("scheduler_med").post(GENERATIONS, {"schedule": roster.schedule.pk, "time_limit": 5},
                                        format="json").json()
    other = as_user("head_surg")
    assert other.get(f"{GENERATIONS}{run['id']}/").status_code == 404
    assert other.post(f"{GENERATIONS}{run['id']}/cancel/").status_code == 404


def test_the_list_costs_the_same_queries_for_one_and_for_many(as_user, roster, hospital):
    from staffing import generation_services as gen

    api = as_user("scheduler_med")
    run = gen.start_generation(actor=hospital.users["scheduler_med"], schedule=roster.schedule, time_limit=5)
    with CaptureQueriesContext(connection) as one:
        assert api.get(GENERATIONS).status_code == 200
    Generation.objects.filter(pk=run.pk).update(state="failed")
    for _ in range(5):
        other = gen.start_generation(actor=hospital.users["scheduler_med"], schedule=roster.schedule, time_limit=5)
        Generation.objects.filter(pk=other.pk).update(state="failed")
    with CaptureQueriesContext(connection) as many:
        response = api.get(GENERATIONS)
    assert response.json()["count"] == 6
    assert len(many) == len(one) <= 12


def test_open_shift_posted_claimed_and_decided_through_the_api(as_user, api, roster, hospital):
    posted = as_user("scheduler_med").post(
        OPEN_SHIFTS, {"schedule": roster.schedule.pk, "shift_type": roster.night.pk, "date": str(roster.days[4])},
        format="json")
    assert posted.status_code == 201, posted.content
    olga = EmployeeFactory(department=roster.ward, first_name="Olga")
    user = make_user(username="olga", employee=olga)
    api.force_login(user)
    assert api.get(OPEN_SHIFTS).json()["count"] == 1  # staff of the unit see it
    claimed = api.post(f"{OPEN_SHIFTS}{posted.json()['id']}/claim/")
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    taken = as_user("staff").post(f"{OPEN_SHIFTS}{posted.json()['id']}/claim/")
    assert taken.status_code == 409
    decided = as_user("head_med").post(f"{OPEN_SHIFTS}{posted.json()['id']}/decide/", {"approve": True},
                                       format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "filled"
    assert OpenShift.objects.get().status == "filled"


def test_swaps_through_the_api(as_user, api, roster, hospital):
    from staffing import services
    from staffing.models import ShiftAssignment

    nora_user = make_user(username="nora", employee=hospital.nurse)
    mine = ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.day,
                                          date=roster.days[0])
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    services.approve_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    services.publish_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    api.force_login(nora_user)
    offered = api.post("/api/v1/staffing/swaps/", {"assignment": mine.pk, "offered_to": hospital.staff_employee.pk},
                       format="json")
    assert offered.status_code == 201, offered.content
    swap = offered.json()["id"]
    assert as_user("staff").post(f"/api/v1/staffing/swaps/{swap}/accept/").status_code == 200
    assert as_user("head_surg").get(f"/api/v1/staffing/swaps/{swap}/").status_code == 404
    decided = as_user("head_med").post(f"/api/v1/staffing/swaps/{swap}/decide/", {"approve": True}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    mine.refresh_from_db()
    assert mine.employee == hospital.staff_employee
