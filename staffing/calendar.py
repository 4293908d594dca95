"""Published shifts as an iCalendar feed: a pure builder, fed by `selectors.feed_shifts`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from .models import PublishedShift


def build_calendar(
    shifts: Iterable[PublishedShift], *, name: str, host: str, time_zone: str, stamp: dt.datetime
) -> bytes:
    """One VEVENT per shift, in UTC, with a UID stable across republications (a changed shift on the
    same day updates the event in the subscriber's calendar). `stamp` is the feed's DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hospital Ops//Roster//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Shifts · {name}")
    calendar.add("x-wr-timezone", time_zone)
    stamp = stamp.astimezone(dt.UTC)
    for shift in shifts:
        unit = shift.schedule.department.name
        event = Event()
        event.add("uid", f"{shift.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.starts_at.astimezone(dt.UTC))
        event.add("dtend", shift.ends_at.astimezone(dt.UTC))
        event.add("summary", f"{shift.shift_type.code} · {shift.shift_type.name} — {unit}")
        event.add("location", unit)
        calendar.add_component(event)
    return calendar.to_ical()
