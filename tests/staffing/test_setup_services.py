"""Roster setup: shift types, staffing requirements and labour rules. Heads and managers change it,
schedulers only read it; bad input saves nothing; every change leaves a history row."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from staffing import setup_services
from staffing.models import LabourRules, ShiftType, ShiftTypeLimit, StaffingRequirement
from tests.staffing.factories import RequirementFactory, ShiftTypeFactory, hospital_rules

pytestmark = pytest.mark.django_db


def limits(*pairs):
    """Shift limits as the service takes them: rows of a shift type and its most shifts in a period."""
    return [{"shift_type": shift_type, "max_shifts": most} for shift_type, most in pairs]


def shift_data(unit, **overrides):
    data = {
        "department": unit,
        "code": "E",
        "name": "Early",
        "start_time": dt.time(6),
        "duration_minutes": 480,
        "paid_minutes": 450,
    }
    data.update(overrides)
    return data


# Shift types


def test_it_lets_a_head_create_a_shift_type_with_history(hospital):
    shift_type = setup_services.save_shift_type(actor=hospital.users["head_med"], data=shift_data(hospital.ward))

    assert (shift_type.department, shift_type.code) == (hospital.ward, "E")
    assert shift_type.history.get().history_change_reason == "created"


def test_it_lets_an_operations_manager_create_a_shift_type(hospital):
    setup_services.save_shift_type(actor=hospital.users["ops"], data=shift_data(hospital.theatre))

    assert ShiftType.objects.filter(department=hospital.theatre, code="E").exists()


def test_it_refuses_a_scheduler_creating_a_shift_type(hospital):
    with pytest.raises(PermissionDenied):
        setup_services.save_shift_type(actor=hospital.users["scheduler_med"], data=shift_data(hospital.ward))

    assert not ShiftType.objects.exists()


def test_it_refuses_a_head_creating_a_shift_type_in_another_department(hospital):
    with pytest.raises(PermissionDenied):
        setup_services.save_shift_type(actor=hospital.users["head_med"], data=shift_data(hospital.theatre))

    assert not ShiftType.objects.exists()


def test_it_refuses_a_scheduler_changing_a_shift_type(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward, name="Day")

    with pytest.raises(PermissionDenied):
        setup_services.save_shift_type(actor=hospital.users["scheduler_med"], instance=shift_type, data={"name": "X"})

    shift_type.refresh_from_db()
    assert shift_type.name == "Day"


def test_it_rejects_paid_minutes_above_the_length_and_saves_nothing(hospital):
    with pytest.raises(ValidationError, match="Paid minutes cannot exceed"):
        setup_services.save_shift_type(
            actor=hospital.users["head_med"], data=shift_data(hospital.ward, paid_minutes=500)
        )

    assert not ShiftType.objects.exists()


def test_it_rejects_a_duplicate_code_in_a_unit(hospital):
    ShiftTypeFactory(department=hospital.ward, code="E")

    with pytest.raises(ValidationError, match="already has a shift type with this code"):
        setup_services.save_shift_type(actor=hospital.users["head_med"], data=shift_data(hospital.ward))

    assert ShiftType.objects.count() == 1


def test_it_keeps_a_shift_type_in_its_unit(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)

    with pytest.raises(ValidationError) as error:
        setup_services.save_shift_type(
            actor=hospital.users["ops"], instance=shift_type, data={"department": hospital.theatre}
        )

    assert "department" in error.value.message_dict
    shift_type.refresh_from_db()
    assert shift_type.department == hospital.ward


def test_it_updates_a_shift_type_with_history(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward, name="Day")

    setup_services.save_shift_type(actor=hospital.users["head_med"], instance=shift_type, data={"name": "Long day"})

    shift_type.refresh_from_db()
    assert shift_type.name == "Long day"
    assert shift_type.history.first().history_change_reason == "updated"


def test_it_sets_forbidden_successors_with_history(hospital):
    day = ShiftTypeFactory(department=hospital.ward, code="D")
    night = ShiftTypeFactory(department=hospital.ward, code="N", start_time=dt.time(21))

    setup_services.save_shift_type(
        actor=hospital.users["head_med"], instance=night, data={"forbidden_successors": [day]}
    )

    assert list(night.forbidden_successors.all()) == [day]
    latest = night.history.first()
    assert [row.to_shifttype_id for row in latest.forbidden_successors.all()] == [day.pk]
    assert latest.history_change_reason == "forbidden successors changed"


def test_it_leaves_forbidden_successors_alone_when_not_given(hospital):
    day = ShiftTypeFactory(department=hospital.ward, code="D")
    night = ShiftTypeFactory(department=hospital.ward, code="N", start_time=dt.time(21))
    night.forbidden_successors.set([day])

    setup_services.save_shift_type(actor=hospital.users["head_med"], instance=night, data={"name": "Nights"})

    assert list(night.forbidden_successors.all()) == [day]


def test_it_refuses_a_forbidden_successor_of_another_unit(hospital):
    theatre_day = ShiftTypeFactory(department=hospital.theatre, code="OR")

    with pytest.raises(ValidationError, match="same unit"):
        setup_services.save_shift_type(
            actor=hospital.users["ops"], data=shift_data(hospital.ward) | {"forbidden_successors": [theatre_day]}
        )

    assert not ShiftType.objects.filter(department=hospital.ward).exists()


# Staffing requirements


def test_it_creates_a_requirement_in_the_shift_types_unit_with_history(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)

    requirement = setup_services.save_requirement(
        actor=hospital.users["head_med"], data={"shift_type": shift_type, "weekday": 0, "required_count": 3}
    )

    assert requirement.department == hospital.ward
    assert requirement.history.get().history_change_reason == "created"


def test_it_refuses_a_scheduler_changing_a_requirement(hospital):
    requirement = RequirementFactory(shift_type=ShiftTypeFactory(department=hospital.ward), required_count=2)

    with pytest.raises(PermissionDenied):
        setup_services.save_requirement(
            actor=hospital.users["scheduler_med"], instance=requirement, data={"required_count": 9}
        )

    requirement.refresh_from_db()
    assert requirement.required_count == 2


def test_it_rejects_a_requirement_with_both_a_weekday_and_a_date(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)

    with pytest.raises(ValidationError, match="either a weekday or a date"):
        setup_services.save_requirement(
            actor=hospital.users["head_med"],
            data={"shift_type": shift_type, "weekday": 0, "on_date": dt.date(2026, 12, 7), "required_count": 1},
        )

    assert not StaffingRequirement.objects.exists()


def test_it_rejects_a_requirement_on_a_shift_of_another_unit(hospital):
    theatre_shift = ShiftTypeFactory(department=hospital.theatre)

    with pytest.raises(ValidationError, match="shift type of this unit"):
        setup_services.save_requirement(
            actor=hospital.users["ops"],
            data={"department": hospital.ward, "shift_type": theatre_shift, "weekday": 1, "required_count": 1},
        )

    assert not StaffingRequirement.objects.exists()


# Labour rules


def test_it_lets_an_operations_manager_set_the_hospital_default(hospital):
    rules = setup_services.save_labour_rules(
        actor=hospital.users["ops"], data={"scope": "hospital", "min_rest_hours": 11}
    )

    assert rules.history.get().history_change_reason == "created"


def test_it_refuses_a_head_changing_the_hospital_default(hospital):
    rules = hospital_rules(min_rest_hours=11)

    with pytest.raises(PermissionDenied):
        setup_services.save_labour_rules(actor=hospital.users["head_med"], instance=rules, data={"min_rest_hours": 8})

    rules.refresh_from_db()
    assert rules.min_rest_hours == 11


def test_it_lets_a_head_set_unit_rules_with_shift_limits_and_history(hospital):
    night = ShiftTypeFactory(department=hospital.ward, code="N")

    rules = setup_services.save_labour_rules(
        actor=hospital.users["head_med"],
        data={"scope": "department", "department": hospital.ward, "max_consecutive_nights": 3,
              "shift_limits": limits((night, 6))},
    )

    limit = rules.shift_limits.get()
    assert (limit.shift_type, limit.max_shifts) == (night, 6)
    assert limit.history.get().history_change_reason == "created"


def test_it_refuses_a_scheduler_setting_unit_rules(hospital):
    with pytest.raises(PermissionDenied):
        setup_services.save_labour_rules(
            actor=hospital.users["scheduler_med"], data={"scope": "department", "department": hospital.ward}
        )

    assert not LabourRules.objects.exists()


def test_it_replaces_shift_limits_with_history(hospital):
    day = ShiftTypeFactory(department=hospital.ward, code="D")
    night = ShiftTypeFactory(department=hospital.ward, code="N")
    rules = setup_services.save_labour_rules(
        actor=hospital.users["head_med"],
        data={"scope": "department", "department": hospital.ward, "shift_limits": limits((day, 20), (night, 6))},
    )

    setup_services.save_labour_rules(
        actor=hospital.users["head_med"], instance=rules, data={"shift_limits": limits((night, 4))}
    )

    assert list(rules.shift_limits.values_list("shift_type__code", "max_shifts")) == [("N", 4)]
    reasons = set(ShiftTypeLimit.history.values_list("history_type", "history_change_reason"))
    assert {("-", "removed"), ("~", "updated")} <= reasons


def test_it_rejects_a_limit_on_a_shift_of_another_unit_and_saves_nothing(hospital):
    theatre_shift = ShiftTypeFactory(department=hospital.theatre)

    with pytest.raises(ValidationError, match="is not a shift of"):
        setup_services.save_labour_rules(
            actor=hospital.users["ops"],
            data={"scope": "department", "department": hospital.ward, "shift_limits": limits((theatre_shift, 3))},
        )

    assert not LabourRules.objects.exists()


def test_it_rejects_two_limits_for_one_shift_type(hospital):
    night = ShiftTypeFactory(department=hospital.ward, code="N")

    with pytest.raises(ValidationError, match="two limits"):
        setup_services.save_labour_rules(
            actor=hospital.users["head_med"],
            data={"scope": "department", "department": hospital.ward, "shift_limits": limits((night, 3), (night, 4))},
        )

    assert not LabourRules.objects.exists()


def test_it_rejects_a_minimum_above_the_maximum(hospital):
    with pytest.raises(ValidationError, match="minimum run of working days"):
        setup_services.save_labour_rules(
            actor=hospital.users["head_med"],
            data={"scope": "department", "department": hospital.ward, "min_consecutive_days": 5,
                  "max_consecutive_days": 3},
        )

    assert not LabourRules.objects.exists()


def test_it_keeps_what_rules_apply_to(hospital):
    rules = setup_services.save_labour_rules(
        actor=hospital.users["ops"], data={"scope": "department", "department": hospital.ward}
    )

    with pytest.raises(ValidationError) as error:
        setup_services.save_labour_rules(actor=hospital.users["ops"], instance=rules, data={"department": None})

    assert "department" in error.value.message_dict


def test_it_lets_a_head_set_an_employee_contract(hospital):
    rules = setup_services.save_labour_rules(
        actor=hospital.users["head_med"],
        data={"scope": "employee", "employee": hospital.nurse, "max_weekly_minutes": 1200},
    )

    assert hospital.nurse.labour_rules == rules


def test_it_refuses_a_head_setting_a_contract_in_another_department(hospital):
    with pytest.raises(PermissionDenied):
        setup_services.save_labour_rules(
            actor=hospital.users["head_med"], data={"scope": "employee", "employee": hospital.surgeon}
        )

    assert not LabourRules.objects.exists()


def test_it_asks_for_the_unit_of_unit_rules(hospital):
    with pytest.raises(ValidationError) as error:
        setup_services.save_labour_rules(actor=hospital.users["ops"], data={"scope": "department"})

    assert "department" in error.value.message_dict
