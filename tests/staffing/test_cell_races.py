"""Two people write the same roster cell at the same moment: exactly one "created" it (201), the
other is told it updated (or left) that cell (200). Run for real on PostgreSQL through the API."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from staffing.models import ShiftAssignment
from tests.records.factories import make_user
from tests.staffing.test_races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

TRIES = 5


def client_of(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_cell(client, schedule, employee, day, shift_type):
    payload = {"schedule": schedule.pk, "employee": employee.pk, "date": str(day), "shift_type": shift_type.pk}
    response = client.post(reverse("staffing-api:assignment-list"), payload, format="json")
    return response.status_code, response.json()


@pytest.fixture
def writers(hospital):
    return client_of(hospital.users["scheduler_med"]), client_of(make_user(username="scheduler_2",
                                                                           scheduler_of=[hospital.ward]))


def test_two_writers_of_one_empty_cell_create_it_once(hospital, roster, writers):
    first, second = writers
    for day in roster.days[: TRIES * 2 : 2]:
        outcomes = race(
            lambda day=day: post_cell(first, roster.schedule, hospital.nurse, day, roster.day),
            lambda day=day: post_cell(second, roster.schedule, hospital.nurse, day, roster.day),
        )
        statuses = sorted(status for status, _body in outcomes)
        assert statuses == [200, 201], (day, outcomes)
        bodies = sorted(((b["created"], b["unchanged"]) for _s, b in outcomes))
        assert bodies == [(0, 1), (1, 0)], (day, outcomes)
        assert ShiftAssignment.objects.filter(employee=hospital.nurse, date=day).count() == 1


def test_two_writers_of_one_empty_cell_with_different_shifts_create_then_update(hospital, roster, writers):
    first, second = writers
    for day in roster.days[: TRIES * 2 : 2]:
        outcomes = race(
            lambda day=day: post_cell(first, roster.schedule, hospital.nurse, day, roster.day),
            lambda day=day: post_cell(second, roster.schedule, hospital.nurse, day, roster.late),
        )
        assert sorted(status for status, _body in outcomes) == [200, 201], (day, outcomes)
        assert sorted((b["created"], b["updated"]) for _s, b in outcomes) == [(0, 1), (1, 0)], (day, outcomes)
        created = next(body for status, body in outcomes if status == 201)
        assert created["created"] == 1
        assert ShiftAssignment.objects.filter(employee=hospital.nurse, date=day).count() == 1
