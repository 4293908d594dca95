"""Labour rules resolve by the roster's unit: hospital, then the unit's ancestors down to the unit, then
the person's contract (reports and the roster check share this one resolution)."""

import pytest

from staffing.models import LabourRules
from staffing.rules import RulesBook, overtime_minutes

pytestmark = pytest.mark.django_db


def test_it_takes_the_contract_then_the_nearest_unit_then_the_hospital(hospital):
    LabourRules.objects.create(scope="hospital", max_weekly_minutes=2400)
    LabourRules.objects.create(scope="department", department=hospital.medicine, max_weekly_minutes=2280)
    LabourRules.objects.create(scope="department", department=hospital.ward, max_weekly_minutes=2160)
    LabourRules.objects.create(scope="employee", employee=hospital.nurse, max_weekly_minutes=1200)
    book = RulesBook.load()

    assert book.rules(hospital.ward.lineage_ids, hospital.nurse.pk).max_weekly_minutes == 1200
    assert book.rules(hospital.ward.lineage_ids, hospital.staff_employee.pk).max_weekly_minutes == 2160
    assert book.rules(hospital.medicine.lineage_ids, None).max_weekly_minutes == 2280
    assert book.rules(hospital.theatre.lineage_ids, hospital.surgeon.pk).max_weekly_minutes == 2400
    assert book.lowest_weekly_minutes() == 1200


def test_a_sub_units_person_works_under_the_rosters_unit_rules(hospital):
    """Nora's home is Ward 4 West; on Medicine's roster the ward's own rule does not apply to her."""
    LabourRules.objects.create(scope="department", department=hospital.medicine, max_weekly_minutes=2280)
    LabourRules.objects.create(scope="department", department=hospital.ward, max_weekly_minutes=1920)
    book = RulesBook.load()
    assert book.rules(hospital.medicine.lineage_ids, hospital.nurse.pk).max_weekly_minutes == 2280


def test_it_has_no_threshold_without_rules(hospital):
    book = RulesBook.load()
    assert book.rules(hospital.ward.lineage_ids, hospital.nurse.pk).max_weekly_minutes is None
    assert book.lowest_weekly_minutes() is None
    assert overtime_minutes([3000, 2000], None) == 0


def test_overtime_is_counted_week_by_week():
    assert overtime_minutes([2700, 2000, 2460], 2400) == 300 + 60
