"""The calendar feed's builder: published shifts in, iCalendar bytes out, no database needed."""

import datetime as dt

from icalendar import Calendar

from records.models import Department
from staffing.calendar import build_calendar
from staffing.models import PublishedShift, Schedule, ShiftType

STAMP = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def night(day: dt.date) -> PublishedShift:
    shift_type = ShiftType(code="N", name="Night", start_time=dt.time(21), duration_minutes=600)
    starts_at = dt.datetime.combine(day, dt.time(21), tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    ends_at = starts_at + dt.timedelta(hours=10)
    return PublishedShift(
        schedule=Schedule(pk=7, department=Department(name="Ward 4 West")),
        employee_id=3,
        shift_type=shift_type,
        date=day,
        starts_at=starts_at,
        ends_at=ends_at,
    )


def build(shifts):
    return build_calendar(shifts, name="Nora Nightingale", host="ops.example", time_zone="Europe/London",
                          stamp=STAMP)


def test_it_builds_one_event_per_shift_in_utc():
    body = build([night(dt.date(2026, 12, 7))])
    assert isinstance(body, bytes)
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["uid"]) == "shift-7-3-20261207@ops.example"
    assert event.decoded("dtstart") == dt.datetime(2026, 12, 8, 3, tzinfo=dt.UTC)
    assert event.decoded("dtend") == dt.datetime(2026, 12, 8, 13, tzinfo=dt.UTC)
    assert b"DTSTART:20261208T030000Z" in body
    assert str(event["summary"]) == "N · Night — Ward 4 West"
    assert event.decoded("dtstamp") == STAMP


def test_it_names_the_calendar_after_the_person():
    calendar = Calendar.from_ical(build([]))
    assert str(calendar["x-wr-calname"]) == "Shifts · Nora Nightingale"
    assert str(calendar["x-wr-timezone"]) == "Europe/London"
    assert calendar.walk("VEVENT") == []
