"""Generating Ward 4 West's roster in the browser: the scheduler starts a run, watches its progress
panel, accepts the result, and the roster's coverage row shows fewer gaps."""

import datetime as dt

import pytest
from django.utils import timezone

from staffing.models import Generation, StaffingRequirement
from tests.records.factories import EmployeeFactory
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ward(hospital):
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    day = ShiftTypeFactory(department=hospital.ward, code="D", name="Day", start_time=dt.time(7), duration_minutes=480)
    night = ShiftTypeFactory(department=hospital.ward, code="N", name="Night", start_time=dt.time(21),
                             duration_minutes=600, is_night=True)
    night.forbidden_successors.set([day])
    for n in range(4):
        EmployeeFactory(department=hospital.ward, first_name=f"Nurse{n}", last_name="Ward")
    for weekday in range(7):
        StaffingRequirement.objects.create(department=hospital.ward, shift_type=day, weekday=weekday, required_count=2)
        StaffingRequirement.objects.create(department=hospital.ward, shift_type=night, weekday=weekday,
                                           required_count=1)
    return ScheduleFactory(department=hospital.ward, start_date=monday, created_by=hospital.users["scheduler_med"])


def gaps_on(page) -> int:
    return page.locator("#coverage td.coverage-cell.is-gap").count()


def test_generate_watch_accept_and_see_coverage_improve(page, sign_in, ward):
    sign_in("scheduler_med")
    page.goto(ward.get_absolute_url())
    before = gaps_on(page)
    assert before > 0

    page.click("text=Generate & fairness")
    page.fill("input[name=time_limit]", "5")
    page.check("input[name=keep][value=all]")
    page.click("button:text-is('Generate')")  # runs in-process here (no broker); a worker runs it in production

    panel = page.locator("#generation-progress")
    panel.wait_for()
    assert panel.locator("[data-state]").get_attribute("data-state") in {"queued", "running", "proposed"}
    page.wait_for_selector("#generation-progress [data-state=proposed]", timeout=60_000)
    assert panel.locator("[data-figure=hard]").inner_text().startswith("0")
    assert panel.locator("[data-figure=score]").inner_text().strip() != "—"
    page.click("button:text-is('Accept')")
    page.wait_for_selector("#generation-progress [data-state=accepted]")
    assert Generation.objects.get().state == Generation.State.ACCEPTED

    page.goto(ward.get_absolute_url())
    assert gaps_on(page) < before
