"""Staffing ratios turn a unit's census into head counts: the midnight census for days gone, the forecast for
today and later; the roster's coverage row, the rule check and the auto-scheduler read the same numbers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from hospital_ops.scoping import hospital_zone
from staffing import rules, selectors
from staffing.models import Schedule, StaffingRatio, StaffingRequirement
from staffing.requirements import load_requirements, ratio_head_count
from staffing.scheduler import model as sched_model
from staffing.scheduler import solve as sched_solve
from tests.staffing.census_helpers import patients, ward_bed  # noqa: F401
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def shifts(hospital):
    day = ShiftTypeFactory(department=hospital.ward, code="D", start_time=dt.time(7), duration_minutes=480,
                           paid_minutes=450)
    night = ShiftTypeFactory(department=hospital.ward, code="N", start_time=dt.time(23), duration_minutes=480,
                             paid_minutes=450, is_night=True)
    return day, night


def ratio(shift_type, per, **fields):
    fields.setdefault("effective_from", dt.date(2026, 1, 1))
    return StaffingRatio.objects.create(department=shift_type.department, shift_type=shift_type,
                                        patients_per_person=Decimal(per), **fields)


@pytest.fixture
def census(ward_bed):  # noqa: F811
    """Midnight census of Ward 4 West: 12 on Monday 2 March, 7 on Tuesday, 3 on Wednesday, 0 on Thursday."""
    patients(ward_bed, 3, MONDAY, MONDAY + dt.timedelta(days=2))
    patients(ward_bed, 4, MONDAY, MONDAY + dt.timedelta(days=1))
    patients(ward_bed, 5, MONDAY, MONDAY)
    return ward_bed


def needs(unit, start, end, shift_type):
    requirements = load_requirements(department_ids=[unit.pk], start=start, end=end)[unit.pk]
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    return [requirements.need(day, shift_type.pk, None) for day in days]


def test_it_turns_the_past_census_into_head_counts(hospital, shifts, census):
    day, night = shifts
    ratio(day, 5)
    ratio(night, 6, minimum=2)
    end = MONDAY + dt.timedelta(days=3)
    # 12, 7, 3, 0 patients: days 1:5 → 3, 2, 1, 0; nights 1:6 → 2, 2, 1, 0 but never fewer than 2
    assert [n.count for n in needs(hospital.ward, MONDAY, end, day)] == [3, 2, 1, 0]
    assert [n.count for n in needs(hospital.ward, MONDAY, end, night)] == [2, 2, 2, 2]
    first = needs(hospital.ward, MONDAY, MONDAY, day)[0]
    assert (first.source, first.census) == ("census", 12.0)


def test_hours_per_patient_day_are_spread_over_the_shift(hospital, shifts, census):
    day, _night = shifts
    StaffingRatio.objects.create(department=hospital.ward, shift_type=day, basis=StaffingRatio.Basis.HOURS,
                                 hours_per_patient_day=Decimal("8"), share_percent=40,
                                 effective_from=dt.date(2026, 1, 1))
    # 8 h × 12 patients × 40 % ÷ 8 h shifts = 4.8 → 5; with 7 patients 2.8 → 3; with 3, 1.2 → 2
    assert [n.count for n in needs(hospital.ward, MONDAY, MONDAY + dt.timedelta(days=2), day)] == [5, 3, 2]


def test_future_days_read_the_forecast(hospital, shifts, ward_bed):  # noqa: F811
    day, night = shifts
    today = timezone.localdate(timezone.now(), hospital_zone())
    patients(ward_bed, 12, today - dt.timedelta(days=120), None)  # twelve weeks and more of a steady 12
    ratio(day, 5, effective_from=today - dt.timedelta(days=7))
    ratio(night, 6, effective_from=today - dt.timedelta(days=7))
    ahead = needs(hospital.ward, today, today + dt.timedelta(days=13), day)
    assert {(n.source, n.census, n.count) for n in ahead} == {("forecast", 12.0, 3)}  # ⌈12 ÷ 5⌉
    assert {n.count for n in needs(hospital.ward, today, today + dt.timedelta(days=13), night)} == {2}  # ⌈12 ÷ 6⌉
    yesterday = needs(hospital.ward, today - dt.timedelta(days=1), today - dt.timedelta(days=1), day)[0]
    assert (yesterday.source, yesterday.census, yesterday.count) == ("census", 12.0, 3)


def test_a_dated_requirement_wins_and_the_weekly_pattern_returns_when_the_ratio_ends(hospital, shifts, census):
    day, _night = shifts
    for weekday in range(7):
        StaffingRequirement.objects.create(department=hospital.ward, shift_type=day, weekday=weekday, required_count=4)
    StaffingRequirement.objects.create(department=hospital.ward, shift_type=day, on_date=MONDAY, required_count=6)
    ratio(day, 5, effective_from=MONDAY, effective_until=MONDAY + dt.timedelta(days=1))
    counts = needs(hospital.ward, MONDAY - dt.timedelta(days=1), MONDAY + dt.timedelta(days=2), day)
    assert [(n.count, n.source) for n in counts] == [(4, "fixed"), (6, "fixed"), (2, "census"), (4, "fixed")]


def test_a_newer_ratio_replaces_the_older_from_its_first_day(hospital, shifts, census):
    day, _night = shifts
    ratio(day, 5)
    ratio(day, 4, effective_from=MONDAY + dt.timedelta(days=1))
    assert [n.count for n in needs(hospital.ward, MONDAY, MONDAY + dt.timedelta(days=1), day)] == [3, 2]  # 12÷5, 7÷4


@pytest.mark.parametrize(("basis", "fields", "census_value", "expected"), [
    ("patients", {"patients_per_person": Decimal("2")}, 7.0, 4),
    ("patients", {"patients_per_person": Decimal("5")}, 10.0, 2),  # exactly 2, not 3
    ("patients", {"patients_per_person": Decimal("5")}, 10.01, 3),
    ("hours", {"hours_per_patient_day": Decimal("18"), "share_percent": 50}, 8.0, 9),  # 18 × 8 × ½ ÷ 8
])
def test_the_arithmetic(shifts, basis, fields, census_value, expected):
    day, _night = shifts
    assert ratio_head_count(StaffingRatio(shift_type=day, basis=basis, minimum=0, **fields), census_value) == expected


@pytest.fixture
def ward_roster(hospital, shifts, census):
    day, night = shifts
    ratio(day, 5)
    ratio(night, 6, minimum=2)
    return ScheduleFactory(department=hospital.ward, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=3),
                           status=Schedule.Status.DRAFT, created_by=hospital.users["head_med"])


def test_the_roster_rule_check_and_the_scheduler_read_the_same_numbers(hospital, shifts, ward_roster):
    day, night = shifts
    expected = {(MONDAY + dt.timedelta(days=n), day.pk): c for n, c in enumerate([3, 2, 1, 0])}
    expected |= {(MONDAY + dt.timedelta(days=n), night.pk): 2 for n in range(4)}

    ctx = rules.load_context(ward_roster)
    checked = {(row.date, row.shift_type_id): row.required for row in rules.coverage(ctx, [])}
    grid = {(line.date, line.shift_type_id): line.required for line in selectors.roster_grid(ward_roster).coverage}
    assert checked == grid == expected

    built = sched_model.build(ctx, keep=[], fix_all=True)
    outcome = sched_solve.solve(built, time_limit=10, workers=1, lns=False)
    assert outcome.score == sched_model.penalty(ctx, []) == 100 * sum(expected.values())  # each place short: 100


def test_the_roster_page_says_the_count_came_from_the_census(client, hospital, ward_roster):
    client.force_login(hospital.users["head_med"])
    page = client.get(ward_roster.get_absolute_url()).content.decode()
    assert "0/3<sup class=\"coverage-basis is-census\">c</sup>" in page
    assert "required from the midnight census 12" in page
    assert "<sup>c</sup> census <sup>f</sup> forecast" in page


def test_the_api_coverage_names_its_source(as_user, hospital, ward_roster):
    answer = as_user("head_med").get(f"/api/v1/staffing/schedules/{ward_roster.pk}/coverage/")
    assert answer.status_code == 200
    rows = [row for row in answer.json() if row["date"] == MONDAY.isoformat()]
    assert {(row["shift_type_code"], row["required"], row["source"], row["census"]) for row in rows} == {
        ("D", 3, "census", 12.0), ("N", 2, "census", 12.0)}
