"""A ratio-staffed unit's roster page reads the census on top of everything else (the ratios turn it into head
counts) and still costs at most 15 queries, the same for one person as for thirty."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from staffing.models import Schedule, StaffingRatio
from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign
from tests.staffing.census_helpers import patients, ward_bed  # noqa: F401
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory
from tests.staffing.test_roster_page_queries import PAGE_MAX_QUERIES, page_queries

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def ratio_roster(hospital, ward_bed):  # noqa: F811
    day = ShiftTypeFactory(department=hospital.ward, code="D", start_time=dt.time(7), duration_minutes=480,
                           paid_minutes=450)
    night = ShiftTypeFactory(department=hospital.ward, code="N", start_time=dt.time(23), duration_minutes=480,
                             paid_minutes=450, is_night=True)
    for shift_type, per in ((day, 5), (night, 6)):
        StaffingRatio.objects.create(department=hospital.ward, shift_type=shift_type, patients_per_person=Decimal(per),
                                     effective_from=dt.date(2026, 1, 1))
    patients(ward_bed, 9, MONDAY, MONDAY + dt.timedelta(days=5))
    schedule = ScheduleFactory(department=hospital.ward, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=6),
                               status=Schedule.Status.DRAFT, created_by=hospital.users["head_med"])
    return schedule, day, night


@pytest.mark.parametrize("role", ["head_med", "scheduler_med", "ops"])
def test_the_census_costs_no_query_beyond_the_limit(client, hospital, ratio_roster, role):
    schedule, day, night = ratio_roster
    scheduler = hospital.users["scheduler_med"]
    url = reverse("staffing:schedule-detail", args=[schedule.pk])
    assign(scheduler, schedule, (hospital.nurse, MONDAY, night))
    cache.clear()
    one, response = page_queries(client, hospital.users[role], url)
    assert "<sup>c</sup> census" in response.text  # the coverage row did read the census

    staff = EmployeeFactory.create_batch(30, department=hospital.ward)
    assign(scheduler, schedule, *[(e, MONDAY + dt.timedelta(days=n), day) for e in staff for n in range(3)])
    cache.clear()
    many, response = page_queries(client, hospital.users[role], url)

    assert staff[0].last_name in response.text
    assert one == many
    assert many <= PAGE_MAX_QUERIES
