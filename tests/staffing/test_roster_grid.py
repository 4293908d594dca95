"""The roster grid the pages and API share: measures, ordering and constant queries."""


import pytest

from staffing import selectors
from staffing.models import Schedule
from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign
from tests.staffing.factories import RequirementFactory, hospital_rules

pytestmark = pytest.mark.django_db


# The roster grid the pages share


@pytest.fixture
def overtime_roster(hospital, roster):
    """40 h a week before overtime; the nurse works six day shifts (48 h) in the first week and one in the
    second; Mondays need two on D."""
    hospital_rules(max_weekly_minutes=40 * 60)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    assign(
        hospital.users["scheduler_med"], roster.schedule,
        *[(hospital.nurse, day, roster.day) for day in [*roster.days[:6], roster.days[8]]],
    )
    return roster


def test_the_roster_grid_measures_hours_overtime_and_coverage(hospital, overtime_roster):
    grid = selectors.roster_grid(overtime_roster.schedule)

    nurse = hospital.nurse.pk
    assert grid.hours_by_week[nurse] == {(2026, 50): 48.0, (2026, 51): 8.0}
    assert grid.hours[nurse] == 56.0
    assert grid.overtime_hours[nurse] == 8.0
    assert grid.coverage_pct[overtime_roster.day.pk] == 12.5  # 1 of 8 required places on four Mondays
    assert grid.coverage_pct[overtime_roster.late.pk] is None
    assert grid.unfilled_shifts == 7
    assert [v.rule for v in grid.warnings] == ["weekly_hours"]


def test_the_roster_grid_sorts_rows_by_name_and_keys_cells_by_employee_and_day(hospital, overtime_roster):
    grid = selectors.roster_grid(overtime_roster.schedule)

    assert [e.last_name for e in grid.employees] == ["Nightingale", "Staff"]
    assert grid.assignments[(hospital.nurse.pk, overtime_roster.days[0])].code == "D"
    assert len(grid.days) == 28
    assert grid.weeks == [(2026, 50), (2026, 51), (2026, 52), (2026, 53)]


def test_the_roster_grid_gives_each_row_its_cells_and_measures(hospital, overtime_roster):
    grid = selectors.roster_grid(overtime_roster.schedule)
    nurse, staff = (e.pk for e in grid.employees)
    days = overtime_roster.days

    assert grid.assignments[(nurse, days[0])].code == "D"
    assert (nurse, days[6]) not in grid.assignments
    week_hours = [grid.hours_by_week.get(nurse, {}).get(week, 0.0) for week in grid.weeks]
    assert (week_hours, grid.overtime_hours[nurse]) == ([48.0, 8.0, 0.0, 0.0], 8.0)
    assert (grid.hours[staff], grid.overtime_hours[staff]) == (0.0, 0.0)


@pytest.mark.parametrize("count", [1, 25])
def test_the_roster_grid_costs_the_same_queries_for_any_unit_size(
    hospital, roster, django_assert_max_num_queries, count
):
    employees = EmployeeFactory.create_batch(count, department=hospital.ward)
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, roster.day) for e in employees for day in roster.days[:5]])
    schedule = Schedule.objects.select_related("department").get(pk=roster.schedule.pk)

    with django_assert_max_num_queries(14):
        grid = selectors.roster_grid(schedule)

    assert len(grid.employees) == count + 2
