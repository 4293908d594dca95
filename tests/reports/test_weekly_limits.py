"""Overtime thresholds in reports resolve like the roster rules: contract, nearest unit, hospital."""

import pytest

from reports.selectors import WeeklyLimits
from staffing.models import LabourRules

pytestmark = pytest.mark.django_db


def test_it_takes_the_contract_then_the_nearest_unit_then_the_hospital(hospital):
    LabourRules.objects.create(scope="hospital", max_weekly_minutes=2400)
    LabourRules.objects.create(scope="department", department=hospital.medicine, max_weekly_minutes=2280)
    LabourRules.objects.create(scope="department", department=hospital.ward, max_weekly_minutes=2160)
    LabourRules.objects.create(scope="employee", employee=hospital.nurse, max_weekly_minutes=1200)
    limits = WeeklyLimits()

    assert limits.of(hospital.nurse.pk, hospital.ward.path) == 1200
    assert limits.of(hospital.staff_employee.pk, hospital.ward.path) == 2160
    assert limits.of(0, hospital.medicine.path) == 2280
    assert limits.of(hospital.surgeon.pk, hospital.theatre.path) == 2400
    assert limits.lowest() == 1200


def test_it_has_no_threshold_without_rules(hospital):
    limits = WeeklyLimits()
    assert limits.of(hospital.nurse.pk, hospital.ward.path) is None
    assert limits.lowest() is None
