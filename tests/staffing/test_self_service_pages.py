"""Time off, preferences, My shifts and the calendar address, and the decisions on a head's home page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing import services
from staffing.models import (
    CalendarFeed,
    Schedule,
    ShiftPreference,
    TimeOff,
)
from tests.staffing.page_helpers import as_user, place, set_status

pytestmark = pytest.mark.django_db


# Time off


def test_it_takes_a_time_off_request(client, hospital):
    start = timezone.localdate() + dt.timedelta(days=20)
    response = as_user(client, hospital, "staff").post(
        reverse("staffing:my-time-off"),
        {"kind": "vacation", "start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 302
    assert TimeOff.objects.get(employee=hospital.staff_employee).status == TimeOff.Status.REQUESTED


def test_it_refuses_time_off_ending_before_it_starts(client, hospital):
    start = timezone.localdate() + dt.timedelta(days=20)
    response = as_user(client, hospital, "staff").post(
        reverse("staffing:my-time-off"),
        {"kind": "vacation", "start_date": start.isoformat(), "end_date": (start - dt.timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 400
    assert "cannot be before" in response.text
    assert not TimeOff.objects.exists()


def test_it_cancels_my_own_request(client, hospital):
    start = timezone.localdate() + dt.timedelta(days=20)
    request = TimeOff.objects.create(employee=hospital.staff_employee, start_date=start, end_date=start,
                                     requested_by=hospital.users["staff"])
    as_user(client, hospital, "staff").post(reverse("staffing:time-off-cancel", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == TimeOff.Status.CANCELLED


def waiting_request(hospital, **fields):
    start = fields.pop("start", timezone.localdate() + dt.timedelta(days=20))
    return TimeOff.objects.create(employee=hospital.nurse, start_date=start, end_date=start,
                                  requested_by=hospital.users["head_med"], **fields)


def test_it_lists_requests_for_the_head(client, hospital):
    waiting_request(hospital, note="Wedding")
    response = as_user(client, hospital, "head_med").get(reverse("staffing:time-off-list"), {"status": "requested"})
    assert response.status_code == 200
    assert "Wedding" in response.text


def test_it_approves_time_off(client, hospital):
    request = waiting_request(hospital)
    as_user(client, hospital, "head_med").post(
        reverse("staffing:time-off-decide", args=[request.pk]), {"decision": "approve", "note": "Enjoy"}
    )
    request.refresh_from_db()
    assert (request.status, request.decision_note) == (TimeOff.Status.APPROVED, "Enjoy")


def test_it_shows_why_time_off_cannot_be_approved(client, hospital, roster):
    place(hospital, roster, hospital.nurse, roster.monday, roster.day)
    request = waiting_request(hospital, start=roster.monday)
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:time-off-decide", args=[request.pk]), {"decision": "approve"}, follow=True
    )
    request.refresh_from_db()
    assert request.status == TimeOff.Status.REQUESTED
    assert "rostered on those days" in response.text


def test_it_refuses_a_decision_without_a_choice(client, hospital):
    request = waiting_request(hospital)
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:time-off-decide", args=[request.pk]), {"decision": "maybe"}
    )
    request.refresh_from_db()
    assert response.status_code == 400
    assert request.status == TimeOff.Status.REQUESTED


def test_it_hides_another_departments_time_off(client, hospital):
    request = waiting_request(hospital)
    response = as_user(client, hospital, "head_surg").post(
        reverse("staffing:time-off-decide", args=[request.pk]), {"decision": "approve"}
    )
    request.refresh_from_db()
    assert response.status_code == 404
    assert request.status == TimeOff.Status.REQUESTED


def test_it_hides_the_decision_list_from_staff(client, hospital):
    assert as_user(client, hospital, "staff").get(reverse("staffing:time-off-list")).status_code == 404


# Preferences


def test_it_saves_a_preference(client, hospital, roster):
    day = timezone.localdate() + dt.timedelta(days=10)
    response = as_user(client, hospital, "staff").post(
        reverse("staffing:my-preferences"),
        {"date": day.isoformat(), "shift_type": roster.night.pk, "kind": "avoid", "priority": 7},
    )
    assert response.status_code == 302
    assert ShiftPreference.objects.get(employee=hospital.staff_employee).priority == 7


def test_it_refuses_a_priority_above_ten(client, hospital, roster):
    day = timezone.localdate() + dt.timedelta(days=10)
    response = as_user(client, hospital, "staff").post(
        reverse("staffing:my-preferences"),
        {"date": day.isoformat(), "shift_type": roster.night.pk, "kind": "avoid", "priority": 11},
    )
    assert response.status_code == 400
    assert not ShiftPreference.objects.exists()


def test_it_removes_a_preference(client, hospital, roster):
    preference = ShiftPreference.objects.create(
        employee=hospital.staff_employee, date=timezone.localdate() + dt.timedelta(days=5), shift_type=roster.day,
        kind="want",
    )
    as_user(client, hospital, "staff").post(reverse("staffing:preference-remove", args=[preference.pk]))
    assert not ShiftPreference.objects.exists()


# My shifts and the calendar address


def test_it_lists_my_published_shifts_only(client, hospital, roster):
    place(hospital, roster, hospital.staff_employee, roster.monday, roster.day)
    client = as_user(client, hospital, "staff")
    assert "Day" not in client.get(reverse("staffing:my-shifts")).text.split("Upcoming shifts")[1]
    set_status(roster.schedule, Schedule.Status.APPROVED)
    services.publish_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    response = client.get(reverse("staffing:my-shifts"))
    assert f"{roster.monday:%a} {roster.monday.day} {roster.monday:%b %Y}" in response.text


def test_it_creates_and_revokes_my_calendar_address(client, hospital):
    client = as_user(client, hospital, "staff")
    client.post(reverse("staffing:calendar-renew"))
    feed = CalendarFeed.objects.get(employee=hospital.staff_employee)
    assert feed.token in client.get(reverse("staffing:my-shifts")).text
    client.post(reverse("staffing:calendar-revoke"))
    assert not CalendarFeed.objects.exists()


def test_it_shows_waiting_decisions_on_the_heads_home_page(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    response = as_user(client, hospital, "head_med").get(reverse("reports:home"))
    assert "Rosters awaiting your approval" in response.text


def test_it_leaves_the_decision_card_off_a_staff_home_page(client, hospital):
    response = as_user(client, hospital, "staff").get(reverse("reports:home"))
    assert "Rosters awaiting your approval" not in response.text
