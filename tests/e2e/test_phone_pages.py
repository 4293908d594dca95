"""A staff member's own pages fit a 390-pixel-wide phone without sideways scrolling, and the
calendar address is one tap to copy."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing.models import CalendarFeed, PublishedShift, Schedule, ShiftAssignment, ShiftPreference, TimeOff
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/hospital-ops-e2e"))

WIDEST = """Array.from(document.querySelectorAll("body *"))
  .map(e => [e.tagName + "." + e.className, Math.round(e.getBoundingClientRect().right)])
  .filter(([, right]) => right > 390).slice(0, 8)"""

SCROLLING_BOXES = """Array.from(document.querySelectorAll("body *"))
  .filter(e => !["INPUT", "TEXTAREA", "SELECT"].includes(e.tagName))
  .filter(e => ["auto", "scroll"].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + "." + e.className)"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def stacy(hospital):
    """Stacy's published shifts this week and next, a time-off request, a preference and a feed."""
    employee, ward = hospital.staff_employee, hospital.ward
    today = timezone.localdate()
    night = ShiftTypeFactory(department=ward, code="N", name="Night", start_time=dt.time(21),
                             duration_minutes=600, is_night=True)
    schedule = ScheduleFactory(department=ward, start_date=today - dt.timedelta(days=today.weekday()),
                               created_by=hospital.users["scheduler_med"])
    for n in range(7, 20, 2):
        shift = ShiftAssignment.objects.create(schedule=schedule, employee=employee, shift_type=night,
                                               date=schedule.start_date + dt.timedelta(days=n))
        PublishedShift.objects.create(schedule=schedule, employee=employee, shift_type=night, date=shift.date,
                                      starts_at=shift.starts_at, ends_at=shift.ends_at)
    Schedule.objects.filter(pk=schedule.pk).update(status=Schedule.Status.PUBLISHED, published_at=timezone.now())
    TimeOff.objects.create(employee=employee, requested_by=hospital.users["staff"], note="Sister's wedding in Leeds",
                           start_date=today + dt.timedelta(days=30), end_date=today + dt.timedelta(days=33))
    ShiftPreference.objects.create(employee=employee, date=today + dt.timedelta(days=12), shift_type=night,
                                   kind=ShiftPreference.Kind.AVOID, priority=3)
    return CalendarFeed.objects.create(employee=employee, token="x" * 43)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.parametrize("name", ["staffing:my-shifts", "staffing:my-time-off", "staffing:my-preferences"])
def test_a_staff_page_fits_a_phone(phone, hospital, stacy, name):
    sign_in(phone, "staff")
    phone.goto(reverse(name))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / f"phone-{name.split(':')[1]}.png"), full_page=True)
    width = phone.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
    assert width <= PHONE["width"], phone.evaluate(WIDEST)
    assert phone.evaluate(SCROLLING_BOXES) == []  # nor does a table scroll sideways inside the page


def test_the_calendar_address_is_copied_with_one_tap(phone, hospital, stacy):
    sign_in(phone, "staff")
    phone.goto(reverse("staffing:my-shifts"))
    phone.get_by_role("button", name="Copy").click()
    phone.wait_for_selector("#feed-copied:has-text('Copied')")
    address = phone.evaluate("navigator.clipboard.readText()")
    assert address.endswith(stacy.get_absolute_url())
    assert address.startswith("http://")
    subscribe = phone.get_by_role("link", name="Subscribe in my calendar app")
    assert subscribe.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
