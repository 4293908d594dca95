"""A known month (March 2026) of people, credentials and one ward's roster, for report figures."""

import datetime as dt

import pytest
from django.utils import timezone

from records.models import Employee
from staffing.models import Schedule, ShiftAssignment
from tests.records.factories import CredentialFactory, EmployeeFactory
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory, hospital_rules

MARCH = "2026-03"


def aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def march(hospital):
    """Ward 4 West needs 2 people on its day shift every day of March 2026. Its roster (2–29 March,
    published, approved on 1 February) has Nora on every day and Stacy on weekdays: 48 of 62 places
    filled (77.4 %), 14 unfilled; Nora works 56 hours a week against a 40-hour limit, so 64 of the
    month's 384 hours are overtime (16.7 %).

    People: 4 employed at the end of March (Harriet hired on 10 March), Larry left on 20 March.
    Credentials on 31 March: Nora's valid, Stacy's expired on 15 March, Sam's expiring on 20 April:
    2 of 3 compliant (66.7 %)."""
    h = hospital
    hospital_rules(max_weekly_minutes=40 * 60)
    day_shift = ShiftTypeFactory(department=h.ward, code="D", name="Day")
    for weekday in range(7):
        RequirementFactory(shift_type=day_shift, weekday=weekday, required_count=2)
    schedule = ScheduleFactory(
        department=h.ward, start_date=dt.date(2026, 3, 2), status=Schedule.Status.PUBLISHED,
        decided_at=aware(dt.date(2026, 2, 1)), decided_by=h.users["head_med"],
        first_approved_at=aware(dt.date(2026, 2, 1)),
    )
    for n in range(28):
        day = dt.date(2026, 3, 2) + dt.timedelta(days=n)
        ShiftAssignment(schedule=schedule, employee=h.nurse, shift_type=day_shift, date=day).save()
        if day.weekday() < 5:
            ShiftAssignment(schedule=schedule, employee=h.staff_employee, shift_type=day_shift, date=day).save()
    h.hire = EmployeeFactory(department=h.theatre, first_name="Harriet", last_name="Hire",
                             hire_date=dt.date(2026, 3, 10))
    h.leaver = EmployeeFactory(department=h.ward, first_name="Larry", last_name="Leaver",
                               status=Employee.Status.TERMINATED, termination_date=dt.date(2026, 3, 20))
    verifier = h.users["admin"]
    verified = {"verified_by": verifier, "verified_at": aware(dt.date(2026, 1, 10))}
    CredentialFactory(employee=h.nurse, issued_on=dt.date(2025, 1, 1), expiry_date=dt.date(2027, 1, 1), **verified)
    CredentialFactory(employee=h.staff_employee, issued_on=dt.date(2024, 3, 15), expiry_date=dt.date(2026, 3, 15),
                      **verified)
    CredentialFactory(employee=h.surgeon, issued_on=dt.date(2024, 4, 20), expiry_date=dt.date(2026, 4, 20),
                      **verified)
    h.schedule, h.day_shift = schedule, day_shift
    return h
