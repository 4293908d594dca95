"""Staffing measures over many rosters cost a fixed number of queries, whatever the number of units."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from staffing.models import Schedule, ShiftAssignment
from staffing.selectors import staffing_measures
from tests.records.factories import DepartmentFactory, EmployeeFactory, EmployeeSkillFactory, SkillFactory
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory, hospital_rules

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def add_unit(parent, n: int, skill) -> None:
    unit = DepartmentFactory(code=f"U{n}", name=f"Unit {n}", parent=parent, kind="unit")
    shift = ShiftTypeFactory(department=unit, code="D", duration_minutes=600, paid_minutes=570)
    RequirementFactory(shift_type=shift, weekday=0, required_count=2)
    RequirementFactory(shift_type=shift, weekday=1, required_count=1, skill=skill)
    roster = ScheduleFactory(department=unit, start_date=MONDAY, status=Schedule.Status.PUBLISHED)
    person = EmployeeFactory(department=unit)
    EmployeeSkillFactory(employee=person, skill=skill)
    for day in range(6):
        ShiftAssignment(schedule=roster, employee=person, shift_type=shift, date=MONDAY + dt.timedelta(days=day)).save()


def queries(hospital) -> int:
    with CaptureQueriesContext(connection) as captured:
        measures = staffing_measures(within=None, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert measures.total().overtime_minutes > 0
    return len(captured)


def test_it_counts_a_hospital_month_in_the_same_queries_for_one_unit_or_five(hospital):
    hospital_rules(max_weekly_minutes=40 * 60)
    skill = SkillFactory()
    add_unit(hospital.medicine, 1, skill)
    one = queries(hospital)
    for n in range(2, 6):
        add_unit(hospital.surgery if n % 2 else hospital.medicine, n, skill)
    assert queries(hospital) == one <= 11  # 11: the staffing ratios are read with the requirements
