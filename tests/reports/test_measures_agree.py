"""Coverage, unfilled shifts and overtime are one definition: the roster page, the API and the reports
give the same figures for the same unit and month, staff rostered from a sub-unit included."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from reports.periods import Period
from reports.scope import Scope
from reports.sections import registry
from staffing.models import LabourRules, Schedule, ShiftAssignment
from tests.records.factories import EmployeeFactory, EmployeeSkillFactory, SkillFactory
from tests.reports.conftest import aware
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory, hospital_rules

pytestmark = pytest.mark.django_db

FEBRUARY = Period.parse("2021-02")  # Monday 1 to Sunday 28 February 2021: four whole ISO weeks


@pytest.fixture
def february(hospital):
    """Medicine's own roster for February 2021, published. Its day shift (10 h) needs two people every
    day and one ICU nurse on weekdays; a retired night shift still has a Saturday requirement.

    Nora's home is Ward 4 West, a unit under Medicine, whose own rules allow only 32 h a week; on
    Medicine's roster Medicine's rules (38 h) apply to her, as the roster check applies them. She works
    Monday to Thursday (40 h a week). Dora, of Medicine itself, works Monday to Friday (50 h a week)."""
    h = hospital
    hospital_rules(max_weekly_minutes=40 * 60)
    LabourRules.objects.create(scope="department", department=h.medicine, max_weekly_minutes=38 * 60)
    LabourRules.objects.create(scope="department", department=h.ward, max_weekly_minutes=32 * 60)
    icu = SkillFactory(code="ICU", name="Intensive care")
    EmployeeSkillFactory(employee=h.nurse, skill=icu)
    day = ShiftTypeFactory(department=h.medicine, code="D", name="Day", duration_minutes=600, paid_minutes=570)
    night = ShiftTypeFactory(department=h.medicine, code="N", name="Night", start_time=dt.time(21), is_active=False)
    for weekday in range(7):
        RequirementFactory(shift_type=day, weekday=weekday, required_count=2)
    for weekday in range(5):
        RequirementFactory(shift_type=day, weekday=weekday, required_count=1, skill=icu)
    RequirementFactory(shift_type=night, weekday=5, required_count=1)
    dora = EmployeeFactory(department=h.medicine, first_name="Dora", last_name="Doctor")
    roster = ScheduleFactory(
        department=h.medicine, start_date=FEBRUARY.start, end_date=FEBRUARY.end, status=Schedule.Status.PUBLISHED,
        created_by=h.users["head_med"], decided_by=h.users["ops"], decided_at=aware(dt.date(2021, 1, 10)),
        first_approved_at=aware(dt.date(2021, 1, 10)), published_at=aware(dt.date(2021, 1, 11)),
    )
    for n in range(28):
        date = FEBRUARY.start + dt.timedelta(days=n)
        if date.weekday() < 4:
            ShiftAssignment(schedule=roster, employee=h.nurse, shift_type=day, date=date).save()
        if date.weekday() < 5:
            ShiftAssignment(schedule=roster, employee=dora, shift_type=day, date=date).save()
    h.roster = roster
    return h


def roster_page(client, h) -> dict:
    client.force_login(h.users["head_med"])
    measures = client.get(reverse("staffing:schedule-detail", args=[h.roster.pk])).context["measures"]
    return {"coverage_pct": measures["total_pct"], "unfilled": measures["unfilled"],
            "hours": round(measures["hours"]), "overtime_hours": round(measures["overtime"], 1)}


def api(client, h) -> dict:
    client.force_login(h.users["head_med"])
    base = f"/api/v1/staffing/schedules/{h.roster.pk}"
    rows = client.get(f"{base}/coverage/").json()
    required = sum(row["required"] for row in rows)
    filled = sum(min(row["assigned"], row["required"]) for row in rows)
    overtime = sum(
        float(re.search(r"([\d.]+) h over", v["message"])[1])
        for v in client.get(f"{base}/violations/").json() if v["rule"] == "weekly_hours"
    )
    return {"coverage_pct": round(100 * filled / required, 1), "unfilled": required - filled,
            "overtime_hours": round(overtime, 1)}


def board_report(h) -> dict:
    data = registry.sections["staffing"].build(Scope(h.medicine), FEBRUARY)
    row = next(row for row in data["by_department"] if row["department"] == h.medicine)
    return {key: row[key] for key in ("coverage_pct", "unfilled", "hours", "overtime_hours")}


def activity_report(h) -> dict:
    figures = registry.sections["unit-activity"].build(Scope(h.medicine), FEBRUARY)["figures"]
    return {key: figures[key] for key in ("coverage_pct", "unfilled", "hours", "overtime_hours")}


def test_the_roster_page_the_api_and_the_reports_agree(client, february):
    page = roster_page(client, february)
    assert page["overtime_hours"] > 0 and page["unfilled"] > 0  # something to agree on

    assert api(client, february) == {key: page[key] for key in ("coverage_pct", "unfilled", "overtime_hours")}
    assert board_report(february) == page
    assert activity_report(february) == page


def test_the_hospital_board_report_counts_the_unit_the_same(client, february):
    page = roster_page(client, february)
    data = registry.sections["staffing"].build(Scope(None), FEBRUARY)
    row = next(row for row in data["by_department"] if row["department"] == february.medicine)
    assert {key: row[key] for key in page} == page
