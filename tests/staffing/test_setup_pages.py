"""Unit setup pages: shift types, staffing requirements, labour rules and contracts."""


import pytest
from django.urls import reverse

from staffing.models import (
    LabourRules,
    ShiftType,
    StaffingRequirement,
)
from tests.staffing.factories import RequirementFactory
from tests.staffing.page_helpers import as_user

pytestmark = pytest.mark.django_db


# Setup: shift types, requirements, labour rules


def shift_type_data(**overrides):
    data = {"code": "T", "name": "Twilight", "start_time": "18:00", "duration_minutes": 360, "paid_minutes": 330,
            "colour": "#aa3377", "is_active": "on"}
    data.update(overrides)
    return data


def test_it_creates_a_shift_type_with_forbidden_successors(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:shift-type-create", args=[hospital.ward.pk]),
        shift_type_data(forbidden_successors=[roster.day.pk]),
    )
    created = ShiftType.objects.get(department=hospital.ward, code="T")
    assert response.status_code == 302
    assert list(created.forbidden_successors.all()) == [roster.day]


def test_it_refuses_a_shift_type_paid_beyond_its_length(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:shift-type-create", args=[hospital.ward.pk]), shift_type_data(paid_minutes=400)
    )
    assert response.status_code == 400
    assert "cannot exceed" in response.text
    assert not ShiftType.objects.filter(code="T").exists()


def test_it_refuses_a_duplicate_shift_code(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:shift-type-create", args=[hospital.ward.pk]), shift_type_data(code="D")
    )
    assert response.status_code == 400
    assert ShiftType.objects.filter(department=hospital.ward, code="D").count() == 1


def test_it_edits_a_shift_type(client, hospital, roster):
    as_user(client, hospital, "head_med").post(
        reverse("staffing:shift-type-edit", args=[roster.late.pk]),
        shift_type_data(code="L", name="Late shift", start_time="14:00", duration_minutes=480, paid_minutes=450),
    )
    roster.late.refresh_from_db()
    assert roster.late.name == "Late shift"


def test_it_lets_a_scheduler_read_but_not_edit_shift_types(client, hospital, roster):
    client = as_user(client, hospital, "scheduler_med")
    assert client.get(reverse("staffing:shift-type-list")).status_code == 200
    assert client.get(reverse("staffing:shift-type-edit", args=[roster.day.pk])).status_code == 404


def test_it_hides_another_departments_shift_type(client, hospital, roster):
    response = as_user(client, hospital, "head_surg").get(reverse("staffing:shift-type-edit", args=[roster.day.pk]))
    assert response.status_code == 404


def test_it_sets_a_weekday_pattern_at_once(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:requirement-create", args=[hospital.ward.pk]),
        {"shift_type": roster.day.pk, "weekdays": ["0", "1", "2", "3", "4"], "required_count": 3,
         "under_weight": 100, "over_weight": 1},
    )
    assert response.status_code == 302
    assert sorted(StaffingRequirement.objects.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]


def test_it_refuses_a_requirement_with_neither_weekday_nor_date(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:requirement-create", args=[hospital.ward.pk]),
        {"shift_type": roster.day.pk, "required_count": 3, "under_weight": 100, "over_weight": 1},
    )
    assert response.status_code == 400
    assert "Tick one or more weekdays" in response.text
    assert not StaffingRequirement.objects.exists()


def test_it_edits_a_requirement(client, hospital, roster):
    requirement = RequirementFactory(shift_type=roster.day, weekday=2, required_count=1)
    as_user(client, hospital, "head_med").post(
        reverse("staffing:requirement-edit", args=[requirement.pk]),
        {"shift_type": roster.day.pk, "weekdays": ["2"], "required_count": 4, "under_weight": 100, "over_weight": 1},
    )
    requirement.refresh_from_db()
    assert requirement.required_count == 4


def test_it_shows_the_weekly_pattern(client, hospital, roster):
    RequirementFactory(shift_type=roster.night, weekday=6, required_count=7)
    response = as_user(client, hospital, "scheduler_med").get(reverse("staffing:requirement-list"))
    assert response.status_code == 200
    assert ">7<" in response.text


def test_it_saves_the_units_rules_with_a_shift_limit(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:unit-rules", args=[hospital.ward.pk]),
        {"min_rest_hours": "11", "max_consecutive_nights": "3", f"limit_{roster.night.pk}": "8"},
    )
    rules = LabourRules.objects.get(department=hospital.ward)
    assert response.status_code == 302
    assert rules.max_consecutive_nights == 3
    assert [(limit.shift_type, limit.max_shifts) for limit in rules.shift_limits.all()] == [(roster.night, 8)]


def test_it_refuses_bad_labour_rules(client, hospital, roster):
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:unit-rules", args=[hospital.ward.pk]), {"min_rest_hours": "99"}
    )
    assert response.status_code == 400
    assert not LabourRules.objects.exists()


def test_it_keeps_the_hospital_default_for_managers(client, hospital):
    assert as_user(client, hospital, "head_med").get(reverse("staffing:hospital-rules")).status_code == 404
    response = as_user(client, hospital, "ops").post(reverse("staffing:hospital-rules"), {"min_rest_hours": "11"})
    assert response.status_code == 302
    assert LabourRules.objects.get(scope=LabourRules.Scope.HOSPITAL).min_rest_hours == 11


def test_it_saves_contract_rules_for_an_employee(client, hospital, roster):
    client = as_user(client, hospital, "head_med")
    choice = client.post(reverse("staffing:contract-rules-create"), {"employee": hospital.nurse.employee_number})
    assert choice.status_code == 302
    client.post(choice["Location"], {"max_weekly_minutes": "1200"})
    assert LabourRules.objects.get(employee=hospital.nurse).max_weekly_minutes == 1200


def test_it_hides_contract_rules_of_another_department(client, hospital, roster):
    response = as_user(client, hospital, "head_surg").get(
        reverse("staffing:contract-rules", args=[hospital.nurse.pk])
    )
    assert response.status_code == 404
