"""What the staffing API tests share: URLs, and cells written through the service."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staffing import services
from staffing.api.urls import router
from staffing.services import CellChange


def url(name, *args):
    return reverse(f"staffing-api:{name}", args=args)


def every_route():
    """Each URL the staffing router serves, with a made-up id where one is needed."""
    for pattern in router.urls:
        if "format" in pattern.pattern.regex.groupindex:
            continue
        kwargs = {name: "1" for name in pattern.pattern.regex.groupindex}
        yield pytest.param(pattern.name, kwargs, id=pattern.name)


def assign(actor, schedule, *cells):
    """Cells as (employee, day, shift type) through the service."""
    return services.set_cells(
        actor=actor, schedule=schedule, changes=[CellChange(employee, day, shift) for employee, day, shift in cells]
    )


def cell(employee, day, shift_type):
    return {"employee": employee.pk, "date": str(day), "shift_type": shift_type}


def soon(days=10):
    return timezone.localdate() + dt.timedelta(days=days)


def submit_as_scheduler(hospital, roster):
    assign(hospital.users["scheduler_med"], roster.schedule, (hospital.nurse, roster.days[0], roster.day))
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
