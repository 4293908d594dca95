"""Fairness on the roster page: each person's nights, weekends and public holidays against their FTE
share, on the roster and over the twelve weeks before it, from the generation page's selector, in
constant queries."""

import datetime as dt

import pytest
from django.test import Client

from staffing import generation_selectors, selectors
from staffing.models import Schedule, ShiftAssignment
from tests.records.factories import EmployeeFactory
from tests.staffing.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def fairness_of(roster):
    schedule = Schedule.objects.select_related("department").get(pk=roster.schedule.pk)
    grid = selectors.roster_grid(schedule)
    return {line.employee_id: line for line in generation_selectors.roster_fairness(grid.context, grid.cells)
            ["fairness"]}


def test_it_counts_nights_and_weekends_on_the_roster_and_in_the_weeks_before(roster, hospital):
    saturday = roster.monday + dt.timedelta(days=5)
    ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.night,
                                   date=saturday)
    ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.day,
                                   date=roster.monday)
    earlier = ScheduleFactory(department=roster.ward, created_by=hospital.users["scheduler_med"],
                              start_date=roster.monday - dt.timedelta(days=28),
                              end_date=roster.monday - dt.timedelta(days=1))
    ShiftAssignment.objects.create(schedule=earlier, employee=hospital.staff_employee, shift_type=roster.night,
                                   date=roster.monday - dt.timedelta(days=3))  # a Friday night
    lines = fairness_of(roster)
    nora, stacy = lines[hospital.nurse.pk], lines[hospital.staff_employee.pk]
    assert nora.roster["nights"][0] == 1 and nora.roster["weekends"][0] == 1
    assert stacy.roster["nights"][0] == 0
    assert stacy.history["nights"][0] == 1 and stacy.history["weekends"][0] == 0
    assert nora.history["nights"][0] == 0
    # a fair share of the past night is split between the two (equal FTE)
    assert nora.history["nights"][1] == stacy.history["nights"][1] > 0


def test_the_roster_page_shows_the_fairness_table(roster, hospital):
    ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.night,
                                   date=roster.monday)
    page = client_for(hospital.users["scheduler_med"]).get(roster.schedule.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="fairness"' in html and "Last 12 weeks" in html and "Nightingale, Nora" in html
    assert client_for(hospital.users["head_surg"]).get(roster.schedule.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("size", [1, 20])
def test_the_roster_page_with_fairness_costs_the_same_queries_for_any_unit_size(roster, hospital, size,
                                                                                django_assert_max_num_queries):
    people = [EmployeeFactory(department=hospital.ward) for _ in range(size)]
    earlier = ScheduleFactory(department=roster.ward, created_by=hospital.users["scheduler_med"],
                              start_date=roster.monday - dt.timedelta(days=28),
                              end_date=roster.monday - dt.timedelta(days=1))
    for person in people:
        ShiftAssignment.objects.create(schedule=roster.schedule, employee=person, shift_type=roster.night,
                                       date=roster.monday)
        ShiftAssignment.objects.create(schedule=earlier, employee=person, shift_type=roster.night,
                                       date=earlier.start_date)
    client = client_for(hospital.users["scheduler_med"])
    with django_assert_max_num_queries(26):
        page = client.get(roster.schedule.get_absolute_url())
    assert page.content.count(b'data-kind="nights"') == size + 2
