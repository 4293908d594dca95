"""What the staffing page tests share: signing in, the roster page, posting a cell."""

from django.urls import reverse

from staffing import services
from staffing.models import Schedule
from staffing.services import CellChange


def as_user(client, hospital, name):
    client.force_login(hospital.users[name])
    return client


def detail(schedule):
    return reverse("staffing:schedule-detail", args=[schedule.pk])


def cell_post(client, schedule, employee, day, code):
    return client.post(
        reverse("staffing:schedule-cell", args=[schedule.pk]),
        {"employee": employee.pk, "date": day.isoformat(), "code": code},
        HTTP_HX_REQUEST="true",
    )


def place(hospital, roster, employee, day, shift_type):
    services.set_cells(actor=hospital.users["scheduler_med"], schedule=roster.schedule,
                       changes=[CellChange(employee, day, shift_type)])


def set_status(schedule, status, **fields):
    Schedule.objects.filter(pk=schedule.pk).update(status=status, **fields)
    schedule.refresh_from_db()
