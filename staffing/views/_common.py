"""Helpers shared by the staffing pages, and their limits."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from hospital_ops.pages import require
from records.models import Employee

from .. import access, selectors

SCHEDULES_PER_PAGE = 25
TIME_OFF_PER_PAGE = 50
HISTORY_LIMIT = 50
FEED_PAST_DAYS = 30
FEED_AHEAD_DAYS = 120
MY_SHIFTS_LIMIT = 120


# Shared helpers -------------------------------------------------------------------------------


def _uses_rosters(user) -> bool:
    """Managers, heads and schedulers: everyone who sees a department's rosters."""
    return access.uses_rosters(user)


def _own_employee(user) -> Employee:
    """The signed-in person's employee record and unit, as signing in read them (`records.access.signed_in_user`);
    404 for an account that is nobody's."""
    try:
        employee = user.employee
    except Employee.DoesNotExist:
        employee = None
    require(employee is not None)
    return employee


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(form, "add_service_error"):
        form.add_service_error(error)
    else:
        form.add_error(None, error)


def _text_colour(colour: str) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#111" if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else "#fff"


@login_required
@require_GET
def shift_colours(request):
    """A stylesheet with one class per shift type the user can see (`.shift-12`): the content
    security policy allows no inline styles, and each unit picks its own colours."""
    rows = selectors.shift_type_list(request.user).values_list("pk", "colour")
    body = "".join(
        f".shift-{pk}{{background-color:{colour};color:{_text_colour(colour)}}}\n"
        for pk, colour in rows
        if colour and len(colour) == 7
    )
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = '"' + hashlib.sha256(body.encode()).hexdigest()[:16] + '"'
    return response


# Rosters list and creation ----------------------------------------------------------------------
