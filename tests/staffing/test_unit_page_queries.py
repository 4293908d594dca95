"""The unit page loads its rosters' rule context once: the same queries for one roster with one person
as for the current and the next roster with many people, and the same figures as each roster's grid."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staffing import selectors
from staffing.models import Schedule, ShiftPreference, ShiftTypeLimit, TimeOff
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    SkillFactory,
)
from tests.staffing.api_helpers import assign
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory, hospital_rules

pytestmark = pytest.mark.django_db

# The unit page's queries at most, with every kind of rule row present (2 of them are the session and the
# account with its roles and its own record; issue 9 asks for 15 in all).
UNIT_PAGE_MAX_QUERIES = 15


def unit_page_queries(client, hospital, today, role="head_med"):
    url = reverse("staffing:unit-detail", args=[hospital.ward.pk])
    client.force_login(hospital.users[role])
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        client.get(url)  # the session's first request records when it was seen
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.fixture
def busy_unit(hospital, roster):
    """Every kind of row the rules read: a skilled shift whose skill needs a credential, a shift limit,
    time off, a preference and a requirement per skill."""
    licence = CredentialTypeFactory()
    skill = SkillFactory()
    skill.required_credentials.add(licence)
    ShiftTypeFactory(department=hospital.ward, code="C", name="Charge", start_time=dt.time(7),
                     duration_minutes=480, required_skill=skill)
    rules = hospital_rules(max_weekly_minutes=40 * 60, min_rest_hours=11)
    ShiftTypeLimit.objects.create(rules=rules, shift_type=roster.night, max_shifts=6)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    RequirementFactory(shift_type=roster.day, weekday=1, required_count=1, skill=skill)
    EmployeeSkillFactory(employee=hospital.nurse, skill=skill)
    CredentialFactory(employee=hospital.nurse, credential_type=licence)
    TimeOff.objects.create(employee=hospital.nurse, start_date=roster.days[10], end_date=roster.days[11],
                           kind=TimeOff.Kind.VACATION, status=TimeOff.Status.APPROVED,
                           requested_by=hospital.users["scheduler_med"])
    ShiftPreference.objects.create(employee=hospital.nurse, date=roster.days[2], shift_type=roster.day,
                                   kind=ShiftPreference.Kind.AVOID)
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    return roster


@pytest.mark.parametrize("role", ["head_med", "ops", "scheduler_med"])
def test_it_costs_the_same_queries_for_one_roster_as_for_two_with_many_staff(client, hospital, busy_unit, role):
    today = busy_unit.days[3]
    one, _response = unit_page_queries(client, hospital, today, role)

    following = ScheduleFactory(department=hospital.ward, start_date=busy_unit.days[-1] + dt.timedelta(days=1),
                                created_by=hospital.users["scheduler_med"])
    staff = EmployeeFactory.create_batch(30, department=hospital.ward)
    next_days = following.days
    assign(hospital.users["scheduler_med"], busy_unit.schedule,
           *[(e, day, busy_unit.day) for e in staff for day in busy_unit.days[:4]])
    assign(hospital.users["scheduler_med"], following,
           *[(e, day, busy_unit.late) for e in staff for day in next_days[:4]])
    many, response = unit_page_queries(client, hospital, today, role)

    assert "Next roster" in response.text and following.get_absolute_url() in response.text
    assert one == many
    assert many <= UNIT_PAGE_MAX_QUERIES


def test_its_figures_are_each_rosters_own_grid(client, hospital, busy_unit):
    following = ScheduleFactory(department=hospital.ward, start_date=busy_unit.days[-1] + dt.timedelta(days=1),
                                created_by=hospital.users["scheduler_med"])
    assign(hospital.users["scheduler_med"], following,
           *[(hospital.nurse, day, busy_unit.night) for day in following.days[:8]])
    assign(hospital.users["scheduler_med"], busy_unit.schedule,
           *[(hospital.nurse, day, busy_unit.day) for day in busy_unit.days[22:28]])
    schedules = list(Schedule.objects.select_related("department").filter(department=hospital.ward))

    together = selectors.roster_grids(schedules)

    for schedule in schedules:
        alone = selectors.roster_grid(schedule)
        shared = together[schedule.pk]
        assert [e.pk for e in shared.employees] == [e.pk for e in alone.employees]
        assert shared.violations == alone.violations
        assert shared.coverage == alone.coverage
        assert (shared.hours, shared.overtime_hours) == (alone.hours, alone.overtime_hours)
    # the night run across the two rosters is seen from both sides, as each roster alone sees it
    assert together[following.pk].hard_count + together[following.pk].soft_count > 0


def test_the_unit_page_shows_both_rosters_figures(client, hospital, busy_unit):
    _count, response = unit_page_queries(client, hospital, busy_unit.days[3])
    grid = selectors.roster_grid(busy_unit.schedule)
    assert "Current roster" in response.text
    assert f"{grid.total_coverage_pct}%" in response.text
