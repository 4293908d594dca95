"""The staff calendar feed: published shifts only, found by a secret token that can be renewed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from staffing import services
from staffing.models import CalendarFeed, Schedule, ShiftAssignment
from staffing.services import CellChange
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db


def next_monday():
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


@pytest.fixture
def shifts(hospital):
    """Stacy's day shifts on the first three days of a published ward roster starting next Monday,
    and a night in a later draft roster."""
    ward, scheduler = hospital.ward, hospital.users["scheduler_med"]
    day = ShiftTypeFactory(department=ward, code="D", name="Day", start_time=dt.time(7), duration_minutes=480)
    night = ShiftTypeFactory(department=ward, code="N", name="Night", start_time=dt.time(21),
                             duration_minutes=600, is_night=True)
    published = ScheduleFactory(department=ward, start_date=next_monday(), created_by=scheduler)
    draft = ScheduleFactory(department=ward, start_date=next_monday() + dt.timedelta(days=28), created_by=scheduler)
    employee = hospital.staff_employee
    services.set_cells(actor=scheduler, schedule=published,
                       changes=[CellChange(employee, published.start_date + dt.timedelta(days=n), day)
                                for n in range(3)])
    services.set_cells(actor=scheduler, schedule=draft, changes=[CellChange(employee, draft.start_date, night)])
    Schedule.objects.filter(pk=published.pk).update(status=Schedule.Status.APPROVED)
    services.publish_schedule(actor=scheduler, schedule=published)
    feed = services.renew_calendar_feed(actor=hospital.users["staff"], employee=employee)
    return {"published": published, "draft": draft, "feed": feed, "employee": employee}


def events(response):
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_it_serves_a_calendar_without_signing_in(client, shifts):
    response = client.get(shifts["feed"].get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_it_lists_the_published_shifts(client, shifts):
    found = events(client.get(shifts["feed"].get_absolute_url()))
    expected = ShiftAssignment.objects.filter(schedule=shifts["published"]).order_by("starts_at")
    assert [(e.decoded("dtstart"), e.decoded("dtend")) for e in found] == [(a.starts_at, a.ends_at) for a in expected]


def test_it_gives_times_in_utc(client, shifts):
    body = client.get(shifts["feed"].get_absolute_url()).content.decode()
    starts = [line for line in body.splitlines() if line.startswith("DTSTART")]
    assert starts and all(line.endswith("Z") for line in starts)


def test_it_names_the_shift_and_the_unit(client, shifts):
    found = events(client.get(shifts["feed"].get_absolute_url()))
    assert str(found[0]["summary"]) == "D · Day — Ward 4 West"


def test_it_keeps_each_shifts_uid_stable(client, shifts):
    first = [str(e["uid"]) for e in events(client.get(shifts["feed"].get_absolute_url()))]
    second = [str(e["uid"]) for e in events(client.get(shifts["feed"].get_absolute_url()))]
    assert first == second
    assert len(set(first)) == 3


def test_it_leaves_draft_shifts_out(client, shifts):
    found = events(client.get(shifts["feed"].get_absolute_url()))
    assert shifts["draft"].start_date not in {e.decoded("dtstart").date() for e in found}
    assert all("Night" not in str(e["summary"]) for e in found)


def test_it_answers_404_for_an_unknown_token(client, shifts):
    assert client.get(reverse("staffing:ical-feed", args=["not-a-token"])).status_code == 404


def test_it_stops_the_old_address_once_renewed(client, hospital, shifts):
    old_url = shifts["feed"].get_absolute_url()
    client.force_login(hospital.users["staff"])
    client.post(reverse("staffing:calendar-renew"))
    client.logout()
    new_url = CalendarFeed.objects.get(employee=shifts["employee"]).get_absolute_url()
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_it_stops_the_address_once_revoked(client, hospital, shifts):
    url = shifts["feed"].get_absolute_url()
    client.force_login(hospital.users["staff"])
    client.post(reverse("staffing:calendar-revoke"))
    assert client.get(url).status_code == 404


def test_it_keeps_the_published_shifts_while_a_revision_is_drafted(client, hospital, shifts):
    scheduler, published = hospital.users["scheduler_med"], shifts["published"]
    before = [(str(e["uid"]), e.decoded("dtstart")) for e in events(client.get(shifts["feed"].get_absolute_url()))]
    services.start_revision(actor=scheduler, schedule=published, reason="Sick cover")
    services.set_cells(
        actor=scheduler, schedule=published, changes=[CellChange(shifts["employee"], published.start_date, None)]
    )
    during = [(str(e["uid"]), e.decoded("dtstart")) for e in events(client.get(shifts["feed"].get_absolute_url()))]
    assert during == before  # the draft change is not shown, and nothing disappears meanwhile

    services.submit_schedule(actor=scheduler, schedule=published)
    services.approve_schedule(actor=hospital.users["head_med"], schedule=published)
    services.publish_schedule(actor=scheduler, schedule=published)
    after = [(str(e["uid"]), e.decoded("dtstart")) for e in events(client.get(shifts["feed"].get_absolute_url()))]
    assert after == before[1:]  # the first day's shift is gone; the other two keep their uids
