"""The roster rules: each hard rule refused with its reason, each soft rule reported."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from records.models import Employee
from staffing import services
from staffing.models import LabourRules, ShiftPreference, ShiftTypeLimit, TimeOff
from staffing.services import CellChange
from tests.records.factories import CredentialFactory, CredentialTypeFactory, EmployeeSkillFactory, SkillFactory
from tests.staffing.factories import RequirementFactory, hospital_rules

pytestmark = pytest.mark.django_db


def put(hospital, roster, *cells, employee=None):
    employee = employee or hospital.nurse
    return services.set_cells(
        actor=hospital.users["scheduler_med"],
        schedule=roster.schedule,
        changes=[CellChange(employee, day, shift) for day, shift in cells],
    )


def refusal(hospital, roster, *cells, employee=None) -> str:
    with pytest.raises(ValidationError) as error:
        put(hospital, roster, *cells, employee=employee)
    return " ".join(error.value.messages)


def warnings(result, rule):
    return [v.message for v in result if v.rule == rule]


def test_it_refuses_a_forbidden_succession(hospital, roster):
    message = refusal(hospital, roster, (roster.days[0], roster.night), (roster.days[1], roster.day))
    assert "D may not follow N the next day" in message
    assert not roster.schedule.assignments.exists()


def test_it_allows_the_succession_the_other_way_round(hospital, roster):
    put(hospital, roster, (roster.days[0], roster.day), (roster.days[1], roster.night))
    assert roster.schedule.assignments.count() == 2


def test_it_refuses_too_little_rest(hospital, roster):
    hospital_rules(min_rest_hours=11)
    message = refusal(hospital, roster, (roster.days[0], roster.late), (roster.days[1], roster.day))
    assert "rest 9.0 h" in message and "minimum is 11" in message


def test_it_refuses_a_shift_on_approved_time_off(hospital, roster):
    TimeOff.objects.create(
        employee=hospital.nurse,
        start_date=roster.days[2],
        end_date=roster.days[4],
        status=TimeOff.Status.APPROVED,
        requested_by=hospital.users["staff"],
    )
    assert "approved time off" in refusal(hospital, roster, (roster.days[3], roster.day))


def test_it_ignores_time_off_still_requested(hospital, roster):
    TimeOff.objects.create(
        employee=hospital.nurse,
        start_date=roster.days[3],
        end_date=roster.days[3],
        requested_by=hospital.users["staff"],
    )
    put(hospital, roster, (roster.days[3], roster.day))
    assert roster.schedule.assignments.filter(employee=hospital.nurse, date=roster.days[3]).exists()


def test_it_refuses_a_shift_needing_a_skill_the_employee_lacks(hospital, roster):
    roster.night.required_skill = SkillFactory(name="Telemetry")
    roster.night.save()
    assert "needs the skill Telemetry" in refusal(hospital, roster, (roster.days[0], roster.night))
    EmployeeSkillFactory(employee=hospital.nurse, skill=roster.night.required_skill)
    put(hospital, roster, (roster.days[0], roster.night))


def test_it_refuses_a_shift_after_the_licence_expires(hospital, roster):
    licence = CredentialTypeFactory()
    roster.day.required_credential = licence
    roster.day.save()
    CredentialFactory(
        employee=hospital.nurse, credential_type=licence, issued_on=dt.date(2024, 1, 1), expiry_date=roster.days[9]
    )
    put(hospital, roster, (roster.days[9], roster.day))
    assert "has expired" in refusal(hospital, roster, (roster.days[10], roster.day))


def test_it_refuses_a_shift_needing_a_licence_nobody_holds(hospital, roster):
    roster.day.required_credential = CredentialTypeFactory()
    roster.day.save()
    assert "is missing" in refusal(hospital, roster, (roster.days[0], roster.day))


def test_it_refuses_two_shifts_that_overlap_across_units(hospital, roster):
    """A night on the ward that runs into a day shift on another roster."""
    from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

    other_unit = hospital.medicine
    early = ShiftTypeFactory(department=other_unit, code="E", start_time=dt.time(6), duration_minutes=480)
    other = ScheduleFactory(department=other_unit, created_by=hospital.users["head_med"])
    services.set_cells(
        actor=hospital.users["head_med"], schedule=other, changes=[CellChange(hospital.nurse, roster.days[1], early)]
    )
    assert "overlaps" in refusal(hospital, roster, (roster.days[0], roster.night))


def test_it_refuses_someone_from_another_unit(hospital, roster):
    assert "not active staff of this unit" in refusal(
        hospital, roster, (roster.days[0], roster.day), employee=hospital.surgeon
    )


def test_it_refuses_a_date_outside_the_period(hospital, roster):
    assert "outside the roster" in refusal(hospital, roster, (roster.days[0] - dt.timedelta(days=1), roster.day))


def test_it_warns_about_a_long_run_of_days(hospital, roster):
    hospital_rules(max_consecutive_days=5)
    result = put(hospital, roster, *[(day, roster.day) for day in roster.days[:6]])
    assert warnings(result, "max_consecutive") == ["Nora Nightingale works 6 days in a row from Mon 7 Dec; at most 5."]


def test_it_warns_about_weekly_overtime(hospital, roster):
    hospital_rules(max_weekly_minutes=40 * 60)
    result = put(hospital, roster, *[(day, roster.day) for day in roster.days[:6]])
    assert "8.0 h over the 40 h threshold" in warnings(result, "weekly_hours")[0]


def test_it_warns_about_too_many_nights_in_a_row(hospital, roster):
    hospital_rules(max_consecutive_nights=3)
    result = put(hospital, roster, *[(day, roster.night) for day in roster.days[:4]])
    assert len(warnings(result, "max_nights")) == 1


def test_it_warns_about_weekends(hospital, roster):
    hospital_rules(max_weekends_per_period=1)
    result = put(hospital, roster, (roster.days[5], roster.day), (roster.days[13], roster.day))
    assert warnings(result, "max_weekends") == ["Nora Nightingale works 2 weekends; at most 1."]


def test_it_warns_about_a_short_run_and_short_rest_days(hospital, roster):
    hospital_rules(min_consecutive_days=2, min_consecutive_days_off=2)
    result = put(
        hospital, roster, (roster.days[1], roster.day), (roster.days[3], roster.day), (roster.days[4], roster.day)
    )
    assert len(warnings(result, "min_consecutive")) == 1  # day 1 alone; runs at the ends are exempt
    assert len(warnings(result, "min_days_off")) == 1  # day 2 alone


def test_it_applies_a_contract_over_the_hospital_default(hospital, roster):
    hospital_rules(max_minutes_per_period=160 * 60, min_minutes_per_period=8 * 60)
    LabourRules.objects.create(scope="employee", employee=hospital.nurse, max_minutes_per_period=16 * 60)
    result = put(hospital, roster, *[(day, roster.day) for day in roster.days[:3]])
    assert warnings(result, "max_minutes") == ["Nora Nightingale works 24.0 h; at most 16.0 h."]


def test_it_warns_about_shifts_of_one_type(hospital, roster):
    rules = hospital_rules()
    ShiftTypeLimit.objects.create(rules=rules, shift_type=roster.night, max_shifts=1)
    result = put(hospital, roster, (roster.days[0], roster.night), (roster.days[3], roster.night))
    assert warnings(result, "max_shifts") == ["Nora Nightingale has 2 N shifts; at most 1."]


def test_it_reports_preferences_ignored(hospital, roster):
    ShiftPreference.objects.create(employee=hospital.nurse, date=roster.days[0], shift_type=roster.night, kind="avoid")
    ShiftPreference.objects.create(employee=hospital.nurse, date=roster.days[2], shift_type=roster.day, kind="want")
    result = put(hospital, roster, (roster.days[0], roster.night))
    assert sorted(warnings(result, "preference")) == [
        "Nora Nightingale asked not to work N on Mon 7 Dec.",
        "Nora Nightingale asked to work D on Wed 9 Dec.",
    ]


def test_it_computes_coverage_with_date_overrides(hospital, roster):
    for weekday in range(7):
        RequirementFactory(shift_type=roster.day, weekday=weekday, required_count=2)
    RequirementFactory(shift_type=roster.day, weekday=None, on_date=roster.days[1], required_count=0)
    put(hospital, roster, (roster.days[0], roster.day), (roster.days[1], roster.day))
    from staffing.rules import coverage

    ctx, cells, _ = services.schedule_violations(roster.schedule)
    rows = {(row.date, row.shift_type_id): row for row in coverage(ctx, cells)}
    assert (rows[(roster.days[0], roster.day.pk)].gap, rows[(roster.days[0], roster.day.pk)].over) == (1, 0)
    assert (rows[(roster.days[1], roster.day.pk)].required, rows[(roster.days[1], roster.day.pk)].over) == (0, 1)
    assert rows[(roster.days[2], roster.day.pk)].gap == 2


def test_a_night_across_the_autumn_clock_change_lasts_its_real_length(hospital, roster, settings):
    settings.HOSPITAL_TIME_ZONE = "America/Chicago"
    night = roster.night  # 21:00 for 600 minutes
    starts, ends = night.span_on(dt.date(2026, 10, 31))  # clocks go back at 02:00 on 1 Nov
    assert (ends - starts) == dt.timedelta(minutes=600)
    assert (timezone.localtime(ends).hour, timezone.localtime(ends).minute) == (6, 0)
    starts, ends = night.span_on(dt.date(2026, 3, 7))  # clocks go forward at 02:00 on 8 Mar
    assert (ends - starts) == dt.timedelta(minutes=600)
    assert timezone.localtime(ends).hour == 8


def test_it_keeps_terminated_staff_off_new_rosters(hospital, roster):
    Employee.objects.filter(pk=hospital.nurse.pk).update(status="terminated", termination_date=dt.date(2026, 1, 1))
    assert "not active staff" in refusal(hospital, roster, (roster.days[0], roster.day))
