"""Helpers shared by the staffing pages, and their limits."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from records import access
from records.models import Employee

from .. import selectors

SCHEDULES_PER_PAGE = 25
TIME_OFF_PER_PAGE = 50
HISTORY_LIMIT = 50
FEED_PAST_DAYS = 30
FEED_AHEAD_DAYS = 120
MY_SHIFTS_LIMIT = 120


# Shared helpers -------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _uses_rosters(user) -> bool:
    """Managers, heads and schedulers: everyone who sees a department's rosters."""
    return access.can_browse_people(user)


def _own_employee(user) -> Employee:
    employee = Employee.objects.filter(user_id=user.pk).select_related("department").first()
    _require(employee is not None)
    return employee


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _refused(request, error) -> None:
    """A service said no with a reason: show it. No reason means out of scope: 404."""
    if isinstance(error, PermissionDenied):
        if not str(error):
            raise Http404 from error
        messages.error(request, str(error))
    else:
        messages.error(request, " ".join(_messages_of(error)))


def _add_service_error(form, error: ValidationError) -> None:
    if hasattr(form, "add_service_error"):
        form.add_service_error(error)
    else:
        form.add_error(None, error)


def _label_empty_choices(form, label: str) -> None:
    """Filter drop-downs read "All" instead of a row of dashes, once. Only what the drop-down shows is
    relabelled: given back to a choice field, a list that holds the empty choice gains a second one."""
    for field in form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = label
        if hasattr(field, "choices") and not hasattr(field, "queryset"):
            field.widget.choices = [(value, label if value == "" else text) for value, text in field.choices]


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
