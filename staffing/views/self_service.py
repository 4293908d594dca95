"""Staff self-service (my shifts and calendar feed, my time off, my preferences) and time off for heads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.pages import label_empty_choices, refused, require
from records.models import Employee

from .. import access, selectors, services
from ..calendar import build_calendar
from ..filters import TimeOffFilter
from ..forms import (
    DecisionForm,
    PreferenceForm,
    TimeOffForm,
)
from ..models import CalendarFeed, TimeOff
from ._common import (
    FEED_AHEAD_DAYS,
    FEED_PAST_DAYS,
    MY_SHIFTS_LIMIT,
    TIME_OFF_PER_PAGE,
    _own_employee,
    _uses_rosters,
)
from .cover import my_cover_context


@login_required
@require_GET
def my_shifts(request):
    user = request.user
    employee = _own_employee(user)
    shifts = selectors.published_shifts(employee).filter(ends_at__gte=timezone.now())[:MY_SHIFTS_LIMIT]
    feed = CalendarFeed.objects.filter(employee=employee).first()
    feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else ""
    context = {
        "employee": employee,
        "shifts": shifts,
        "feed": feed,
        "feed_url": feed_url,
        # webcal:// asks the phone's calendar app to subscribe rather than download the file once
        "feed_webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed else "",
        **my_cover_context(employee, request.GET.get("page")),
    }
    return render(request, "staffing/my_shifts.html", context)


@login_required
@require_POST
def calendar_feed_renew(request):
    employee = _own_employee(request.user)
    services.renew_calendar_feed(actor=request.user, employee=employee)
    messages.success(request, _("Your calendar address is ready. Any earlier address no longer works."))
    return redirect("staffing:my-shifts")


@login_required
@require_POST
def calendar_feed_revoke(request):
    employee = _own_employee(request.user)
    services.revoke_calendar_feed(actor=request.user, employee=employee)
    messages.success(request, _("Your calendar address is switched off."))
    return redirect("staffing:my-shifts")


@require_GET
def ical_feed(request, token):
    """An employee's published shifts as iCalendar, found by the feed's secret token alone."""
    feed = CalendarFeed.objects.select_related("employee__user").filter(token=token).first()
    if feed is None or feed.employee.status == Employee.Status.TERMINATED:
        raise Http404  # an unknown address, or a leaver's
    if feed.employee.user is not None and not feed.employee.user.is_active:
        raise Http404
    shifts = selectors.feed_shifts(
        feed.employee, today=timezone.localdate(), past_days=FEED_PAST_DAYS, ahead_days=FEED_AHEAD_DAYS
    )
    body = build_calendar(
        shifts,
        name=feed.employee.full_name,
        host=request.get_host().split(":")[0] or "hospital-ops",
        time_zone=settings.HOSPITAL_TIME_ZONE,
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _my_time_off_page(request, employee, form=None, status=200):
    context = {
        "employee": employee,
        "requests": selectors.time_off_list(request.user).filter(employee=employee),
        "form": form or TimeOffForm(),
        "today": timezone.localdate(),
    }
    return render(request, "staffing/my_time_off.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_time_off(request):
    user = request.user
    employee = _own_employee(user)
    if request.method == "GET":
        return _my_time_off_page(request, employee)
    form = TimeOffForm(request.POST)
    if form.is_valid():
        try:
            services.request_time_off(actor=user, employee=employee, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as refused:
            raise Http404 from refused
        else:
            messages.success(request, _("Your request is sent to your department head."))
            return redirect("staffing:my-time-off")
    return _my_time_off_page(request, employee, form=form, status=400)


@login_required
@require_POST
def time_off_cancel(request, pk):
    user = request.user
    time_off = get_object_or_404(selectors.time_off_list(user), pk=pk)
    try:
        services.cancel_time_off(actor=user, time_off=time_off)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Request cancelled."))
    if time_off.employee.user_id == user.pk:
        return redirect("staffing:my-time-off")
    return redirect("staffing:time-off-list")


def _my_preferences_page(request, employee, form=None, status=200):
    shift_types = _own_shift_types(request.user, employee)
    context = {
        "employee": employee,
        "preferences": selectors.preference_list(request.user).filter(
            employee=employee, date__gte=timezone.localdate()
        ),
        "form": form or PreferenceForm(shift_types=shift_types),
    }
    return render(request, "staffing/my_preferences.html", context, status=status)


def _own_shift_types(user, employee):
    return selectors.shift_types_above(employee.department).filter(is_active=True)


@login_required
@require_http_methods(["GET", "POST"])
def my_preferences(request):
    user = request.user
    employee = _own_employee(user)
    if request.method == "GET":
        return _my_preferences_page(request, employee)
    form = PreferenceForm(request.POST, shift_types=_own_shift_types(user, employee))
    if form.is_valid():
        try:
            services.set_preference(actor=user, employee=employee, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as refused:
            raise Http404 from refused
        else:
            messages.success(request, _("Preference saved."))
            return redirect("staffing:my-preferences")
    return _my_preferences_page(request, employee, form=form, status=400)


@login_required
@require_POST
def preference_remove(request, pk):
    user = request.user
    preference = get_object_or_404(selectors.preference_list(user).filter(employee__user_id=user.pk), pk=pk)
    services.remove_preference(actor=user, preference=preference)
    messages.success(request, _("Preference removed."))
    return redirect("staffing:my-preferences")


# Time off decisions for heads ---------------------------------------------------------------------------


def _time_off_list_page(request, decision_form=None, failed_pk=None, status=200):
    user = request.user
    queryset = selectors.time_off_list(user).exclude(employee__user_id=user.pk)
    filterset = TimeOffFilter(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    requests = filterset.qs if filterset.is_valid() else queryset.none()
    waiting_first = Case(When(status=TimeOff.Status.REQUESTED, then=Value(0)), default=Value(1))
    requests = requests.order_by(waiting_first, "-start_date", "pk")
    page = Paginator(requests, TIME_OFF_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.can_decide = row.status == TimeOff.Status.REQUESTED and access.can_decide_time_off(user, row)
        row.form = decision_form if failed_pk == row.pk else None
    context = {"filter": filterset, "page": page, "requests": page.object_list}
    return render(request, "staffing/time_off_list.html", context, status=status)


@login_required
@require_GET
def time_off_list(request):
    require(_uses_rosters(request.user))
    return _time_off_list_page(request)


@login_required
@require_GET
def time_off_detail(request, pk):
    """One request for the head deciding it: the shifts the person holds on those days, each with its
    roster, and the ways forward (approve, approve and remove the draft shifts, deny)."""
    user = request.user
    require(_uses_rosters(user))
    time_off = get_object_or_404(selectors.time_off_list(user), pk=pk)
    shifts = selectors.rostered_shifts(time_off)
    context = {
        "time_off": time_off,
        "shifts": shifts,
        "can_decide": time_off.status == TimeOff.Status.REQUESTED and access.can_decide_time_off(user, time_off),
        "can_remove": bool(shifts) and all(shift.removable for shift in shifts),
        "form": DecisionForm(),
    }
    return render(request, "staffing/time_off_detail.html", context)


@login_required
@require_POST
def time_off_decide(request, pk):
    user = request.user
    require(_uses_rosters(user))
    time_off = get_object_or_404(selectors.time_off_list(user), pk=pk)
    form = DecisionForm(request.POST)
    back = request.POST.get("next", "")
    back = back if back.startswith("?") else ""
    if not form.is_valid():
        return _time_off_list_page(request, decision_form=form, failed_pk=time_off.pk, status=400)
    decision = form.cleaned_data["decision"]
    approve = decision != "deny"
    try:
        services.decide_time_off(
            actor=user, time_off=time_off, approve=approve, note=form.cleaned_data["note"],
            remove_draft_shifts=decision == DecisionForm.APPROVE_AND_REMOVE,
        )
    except ValidationError as error:
        if services.is_rostered_refusal(error):
            messages.error(request, error.messages[0] + " " + error.messages[-1])
            return redirect("staffing:time-off-detail", pk=time_off.pk)
        refused(request, error)
    except PermissionDenied as error:
        refused(request, error)
    else:
        messages.success(
            request,
            (_("Time off of %(name)s approved.") if approve else _("Time off of %(name)s denied."))
            % {"name": time_off.employee.full_name},
        )
    return redirect(reverse("staffing:time-off-list") + back)
