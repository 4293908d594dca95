"""The padlock on the roster grid: locked cells are marked (with a label for screen readers), read in
one query whatever the roster's size, and a scheduler locks or unlocks a cell from the roster page."""

import pytest
from django.test import Client
from django.urls import reverse

from staffing import generation_services as gen
from staffing import selectors
from staffing.models import CellLock, Schedule
from tests.records.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_locked_cell_shows_a_padlock_with_a_label_and_others_do_not(roster, hospital):
    scheduler = hospital.users["scheduler_med"]
    gen.set_lock(actor=scheduler, schedule=roster.schedule, employee=hospital.nurse, date=roster.days[1], locked=True)
    page = client_for(scheduler).get(roster.schedule.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    key = f"cell-{hospital.nurse.pk}-{roster.days[1]:%Y%m%d}"
    start = html.index(f'id="{key}"')
    cell = html[start:html.index("</td>", start)]
    assert "is-locked" in cell and "&#128274;" in cell and 'aria-label="locked' in cell
    other = html[html.index(f'id="cell-{hospital.nurse.pk}-{roster.days[2]:%Y%m%d}"'):]
    assert "&#128274;" not in other[:other.index("</td>")]
    assert "1 locked cell;" in html


@pytest.mark.parametrize("count", [1, 25])
def test_the_grid_reads_its_locks_in_one_query_for_any_number(roster, hospital, count,
                                                              django_assert_max_num_queries):
    scheduler = hospital.users["scheduler_med"]
    people = EmployeeFactory.create_batch(count, department=hospital.ward)
    for person in people:
        gen.set_lock(actor=scheduler, schedule=roster.schedule, employee=person, date=roster.days[0], locked=True)
    schedule = Schedule.objects.select_related("department").get(pk=roster.schedule.pk)
    with django_assert_max_num_queries(14):
        grid = selectors.roster_grid(schedule)
    assert grid.locked == {(p.pk, roster.days[0]) for p in people}


def test_the_scheduler_locks_and_unlocks_a_cell_from_the_roster_page(roster, hospital):
    client = client_for(hospital.users["scheduler_med"])
    url = reverse("staffing:schedule-lock", args=[roster.schedule.pk])
    data = {"employee": hospital.nurse.pk, "date": roster.days[3].isoformat(), "next": "roster"}
    response = client.post(url, {**data, "locked": "on"})
    assert response.status_code == 302 and response.url == roster.schedule.get_absolute_url()
    assert CellLock.objects.filter(schedule=roster.schedule, employee=hospital.nurse, date=roster.days[3]).exists()
    client.post(url, {**data, "locked": ""})
    assert not CellLock.objects.exists()


def test_the_lock_form_is_only_on_an_editable_roster_for_its_scheduler(roster, hospital):
    url = roster.schedule.get_absolute_url()
    assert b"Lock cell" in client_for(hospital.users["scheduler_med"]).get(url).content
    assert b"Lock cell" not in client_for(hospital.users["staff"]).get(url).content
    assert b"Lock cell" in client_for(hospital.users["head_med"]).get(url).content
    roster.schedule.status = Schedule.Status.PUBLISHED
    roster.schedule.save(update_fields=["status"])
    assert b"Lock cell" not in client_for(hospital.users["scheduler_med"]).get(url).content
    assert client_for(hospital.users["head_surg"]).get(url).status_code == 404


def test_it_refuses_a_lock_from_another_department_or_off_the_roster(roster, hospital):
    url = reverse("staffing:schedule-lock", args=[roster.schedule.pk])
    outsider = client_for(hospital.users["head_surg"])
    assert outsider.post(url, {"employee": hospital.nurse.pk, "date": roster.days[0].isoformat(),
                               "locked": "on"}).status_code == 404
    scheduler = client_for(hospital.users["scheduler_med"])
    assert scheduler.post(url, {"employee": hospital.surgeon.pk, "date": roster.days[0].isoformat(),
                                "locked": "on"}).status_code == 400
    assert scheduler.post(url, {"employee": hospital.nurse.pk, "date": "1900-01-01", "locked": "on"}).status_code == 400
    assert not CellLock.objects.exists()
