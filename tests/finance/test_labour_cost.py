"""Labour cost of a known roster: paid hours × rate, overtime above the weekly limit, night and weekend
differentials, the agency mark-up."""

import datetime as dt
from decimal import Decimal

import pytest

from finance import measures
from records.models import Employee
from staffing.models import Schedule, ShiftAssignment
from tests.records.factories import EmployeeFactory
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory, hospital_rules

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def roster(hospital):
    hospital_rules(max_weekly_minutes=2400)
    day = ShiftTypeFactory(department=hospital.ward, code="D", start_time=dt.time(7), duration_minutes=480,
                           paid_minutes=450)
    night = ShiftTypeFactory(department=hospital.ward, code="N", start_time=dt.time(19), duration_minutes=720,
                             paid_minutes=690, is_night=True)
    schedule = ScheduleFactory(department=hospital.ward, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=27),
                               status=Schedule.Status.PUBLISHED, created_by=hospital.users["head_med"])
    nurse = hospital.nurse  # 42.50 an hour
    agency = EmployeeFactory(department=hospital.ward, employment_type=Employee.EmploymentType.AGENCY,
                             hourly_rate=Decimal("40.00"))
    for offset in range(6):  # Monday to Saturday: 48 hours worked, 8 over the 40-hour week
        ShiftAssignment.objects.create(schedule=schedule, employee=nurse, shift_type=day,
                                       date=MONDAY + dt.timedelta(days=offset))
    ShiftAssignment.objects.create(schedule=schedule, employee=agency, shift_type=night,
                                   date=MONDAY + dt.timedelta(days=2))
    return schedule


def test_it_costs_a_known_roster(hospital, roster):
    figures = measures.labour_cost(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    month = figures[(hospital.ward.pk, dt.date(2026, 3, 1))]
    assert month.paid_hours == Decimal("56.50")  # 6 × 7.5 h + 11.5 h
    assert month.base == Decimal("2372.50")  # 45 h × 42.50 + 11.5 h × 40.00
    assert month.overtime_hours == Decimal("8.00")
    assert month.overtime_premium == Decimal("170.00")  # 8 h × 42.50 × 0.5
    assert month.weekend == Decimal("31.88")  # Saturday's 7.5 h × 42.50 × 10 %
    assert month.agency == Decimal("276.00")  # 460.00 × 0.6
    assert month.night == Decimal("110.40")  # 460.00 × 1.6 × 15 %
    assert month.total == Decimal("2960.78")


def test_draft_rosters_cost_nothing(hospital, roster):
    Schedule.objects.filter(pk=roster.pk).update(status=Schedule.Status.DRAFT)
    assert measures.labour_cost(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)) == {}


def test_it_costs_a_month_in_a_fixed_number_of_queries(hospital, roster, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        measures.labour_cost(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
