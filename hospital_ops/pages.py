"""Page building blocks every app's views use: out of scope is 404, a service's refusal lands on the
form, and the one create/edit form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Select
from django.http import Http404
from django.shortcuts import redirect, render


def require(allowed: bool) -> None:
    """Out of the user's reach: answer 404, so a page's existence leaks nothing."""
    if not allowed:
        raise Http404


def form_data(form) -> dict[str, Any]:
    """A model form's cleaned values for its own fields, as a service takes them."""
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.cleaned_data}


def refused(request, error: PermissionDenied | ValidationError) -> None:
    """A service said no with a reason: show it. No reason means out of scope: 404."""
    if isinstance(error, PermissionDenied):
        if not str(error):
            raise Http404 from error
        messages.error(request, str(error))
    else:
        messages.error(request, " ".join(error.messages))


def label_empty_choices(form, label: str) -> None:
    """Filter drop-downs read "All …" instead of a row of dashes."""
    for field in form.fields.values():
        if isinstance(field.widget, Select):
            field.empty_label = label
            if not hasattr(field, "queryset"):
                field.widget.choices = [(value, label if value == "" else text) for value, text in field.widget.choices]


def form_page(
    request,
    form,
    template: str,
    *,
    save: Callable[[Any], Any],
    success: Callable[[Any], str],
    then: Callable[[Any], Any],
    context: dict | None = None,
):
    """The create/edit page: GET shows the form; a valid POST calls `save(form)` (a service call) and,
    when it succeeds, says `success(saved)` and redirects to `then(saved)`. A rule the service enforces
    lands on the form (400, nothing saved); a refused right is a 404."""
    context = {"form": form, **(context or {})}
    if request.method != "POST":
        return render(request, template, context)
    if form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, success(saved))
            return redirect(then(saved))
    return render(request, template, context, status=400)
