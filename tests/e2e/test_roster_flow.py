"""A roster from draft to a staff member's phone: a scheduler fills cells in the grid and submits,
the head approves and publishes, and the staff member finds the shift under My shifts."""

import datetime as dt

import pytest
from django.utils import timezone

from staffing.models import Schedule, ShiftAssignment
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def upcoming(hospital):
    """Ward 4 West's draft roster from next Monday, with day (D) and night (N) shifts."""
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    day = ShiftTypeFactory(department=hospital.ward, code="D", name="Day", start_time=dt.time(7),
                           duration_minutes=480, colour="#2e7d32")
    night = ShiftTypeFactory(department=hospital.ward, code="N", name="Night", start_time=dt.time(21),
                             duration_minutes=600, is_night=True)
    night.forbidden_successors.set([day])
    schedule = ScheduleFactory(department=hospital.ward, start_date=monday, created_by=hospital.users["scheduler_med"])
    return schedule, day


def cell(employee, day):
    return f"#in-{employee.pk}-{day:%Y%m%d}"


def test_a_roster_goes_from_the_grid_to_my_shifts(page, sign_in, hospital, upcoming):
    schedule, day_shift = upcoming
    stacy, first, second = hospital.staff_employee, schedule.start_date, schedule.start_date + dt.timedelta(days=1)

    sign_in("scheduler_med")
    page.goto(schedule.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith("/cell/")):
        page.fill(cell(stacy, first), "d")
        page.keyboard.press("ArrowRight")  # moving on saves the cell and focuses the next day
    assert page.evaluate("document.activeElement.id") == cell(stacy, second)[1:]
    with page.expect_response(lambda r: r.url.endswith("/cell/")):
        page.keyboard.type("D")
        page.keyboard.press("Tab")
    page.wait_for_selector(f"td#cell-{stacy.pk}-{second:%Y%m%d}.shift-{day_shift.pk}")
    assert page.input_value(cell(stacy, first)) == "D"
    assert ShiftAssignment.objects.filter(schedule=schedule, employee=stacy).count() == 2
    page.fill("textarea[name=submit-comment]", "Ready for review")
    page.click("text=Submit for approval")
    page.wait_for_selector("#roster-status:has-text('Submitted')")

    page.context.clear_cookies()
    sign_in("head_med")
    page.goto(schedule.get_absolute_url())
    page.click("button:has-text('Approve')")
    page.wait_for_selector("#roster-status:has-text('Approved')")
    page.click("button:has-text('Publish')")
    page.wait_for_selector("#roster-status:has-text('Published')")
    assert Schedule.objects.get(pk=schedule.pk).status == Schedule.Status.PUBLISHED

    page.context.clear_cookies()
    sign_in("staff")
    page.click("nav >> text=My shifts")
    row = page.locator("table.my-shifts tbody tr").first
    assert f"{first:%a} {first.day} {first:%b %Y}" in row.inner_text()
    assert "Day" in row.inner_text()
    assert "07:00" in row.inner_text()


def test_a_refused_cell_shows_its_reason_and_keeps_its_value(page, sign_in, hospital, upcoming):
    schedule, _day = upcoming
    nora, first, second = hospital.nurse, schedule.start_date, schedule.start_date + dt.timedelta(days=1)
    sign_in("scheduler_med")
    page.goto(schedule.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith("/cell/")):
        page.fill(cell(nora, first), "N")
        page.keyboard.press("Tab")
    with page.expect_response(lambda r: r.url.endswith("/cell/") and r.status == 422):
        page.fill(cell(nora, second), "D")
        page.keyboard.press("Tab")
    error = page.locator(f"td#cell-{nora.pk}-{second:%Y%m%d} .cell-error")
    error.wait_for()
    assert "may not follow" in error.inner_text()
    assert page.input_value(cell(nora, second)) == ""
    assert "Not saved" in page.locator("#violations").inner_text()
    assert not ShiftAssignment.objects.filter(employee=nora, date=second).exists()
