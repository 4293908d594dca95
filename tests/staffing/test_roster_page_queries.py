"""The roster page and its print view cost the same queries for one person as for a full unit, and at
most 15 (issue 9), for each role that sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign

pytestmark = pytest.mark.django_db

PAGE_MAX_QUERIES = 15


def page_queries(client, user, url):
    client.force_login(user)
    client.get(url)  # the session's first request records when it was seen
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("role", ["head_med", "scheduler_med", "ops"])
@pytest.mark.parametrize("view", ["staffing:schedule-detail", "staffing:schedule-print"])
def test_it_costs_the_same_queries_for_one_person_as_for_thirty(client, hospital, roster, role, view):
    url = reverse(view, args=[roster.schedule.pk])
    scheduler = hospital.users["scheduler_med"]
    night = roster.night
    assign(scheduler, roster.schedule, (hospital.nurse, roster.days[0], night), (hospital.nurse, roster.days[1], night))
    one, _response = page_queries(client, hospital.users[role], url)

    staff = EmployeeFactory.create_batch(30, department=hospital.ward)
    assign(scheduler, roster.schedule, *[(e, day, roster.day) for e in staff for day in roster.days[:5]])
    many, response = page_queries(client, hospital.users[role], url)

    assert staff[0].last_name in response.text
    assert one == many
    assert many <= PAGE_MAX_QUERIES
