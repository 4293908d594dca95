"""On My shifts, picking a colleague to offer a shift to fills "In return for" with that colleague's
shifts the person may take, and the offer in return goes through."""

import datetime as dt

import pytest
from django.urls import reverse

from staffing.models import PublishedShift, Schedule, ShiftAssignment, SwapRequest
from tests.e2e.test_phone_pages import stacy  # noqa: F401  (fixture)
from tests.staffing.factories import ShiftTypeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def noras_day(hospital, stacy):  # noqa: F811
    """Nora, on Stacy's ward, works a day shift three weeks on, when Stacy is free."""
    schedule = Schedule.objects.get(department=hospital.ward)
    day = ShiftTypeFactory(department=hospital.ward, code="D", name="Day", start_time=dt.time(7))
    shift = ShiftAssignment.objects.create(schedule=schedule, employee=hospital.nurse, shift_type=day,
                                           date=schedule.start_date + dt.timedelta(days=21))
    PublishedShift.objects.create(schedule=schedule, employee=hospital.nurse, shift_type=day, date=shift.date,
                                  starts_at=shift.starts_at, ends_at=shift.ends_at)
    return shift


def test_picking_a_colleague_offers_their_shifts_in_return(page, sign_in, hospital, noras_day):
    sign_in("staff")
    page.goto(reverse("staffing:my-shifts"))
    in_return = page.locator("#id_in_return")
    assert in_return.locator("option").all_inner_texts() == ["Nothing (a plain offer)"]

    page.select_option("#id_assignment", index=1)
    page.select_option("#id_offered_to", str(hospital.nurse.pk))
    page.wait_for_selector(f"#id_in_return option[value='{noras_day.pk}']", state="attached")
    assert in_return.locator("option").count() == 2
    page.select_option("#id_in_return", str(noras_day.pk))
    page.get_by_role("button", name="Offer shift").click()

    page.wait_for_selector("text=Shift offered in return for a colleague's.")
    swap = SwapRequest.objects.get()
    assert swap.in_return == noras_day and swap.offered_to == hospital.nurse
