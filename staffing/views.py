"""Pages for rosters, their setup, time off, preferences and the staff calendar feed.

Everything is looked up through a scoped selector or `visible_to`, so another department's roster
or request is a 404. Writes go through `staffing.services` / `staffing.setup_services`: a refused
right without a reason is a 404, a refusal with a reason or a broken rule is shown to the user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from copy import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Value, When
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from hospital_ops.exports import export_response
from records import access
from records.models import Department, Employee

from . import rules, selectors, services, setup_services
from .filters import ScheduleFilter, ShiftTypeFilter, TimeOffFilter
from .forms import (
    WEEKDAYS,
    CellForm,
    CommentForm,
    ContractChoiceForm,
    DecisionForm,
    LabourRulesForm,
    PreferenceForm,
    ReasonForm,
    RequirementForm,
    ScheduleCreateForm,
    ShiftTypeForm,
    TimeOffForm,
    manageable_units,
    schedulable_units,
)
from .models import CalendarFeed, LabourRules, Schedule, ShiftAssignment, ShiftType, TimeOff

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
    """Filter drop-downs read "All" instead of a row of dashes."""
    for field in form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = label
        if hasattr(field, "choices") and not hasattr(field, "queryset"):
            field.choices = [(value, label if value == "" else text) for value, text in field.choices]


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


def _schedule_list_page(request, create_form=None, status=200):
    user = request.user
    filterset = ScheduleFilter(request.GET, queryset=selectors.schedule_list(user), request=request)
    _label_empty_choices(filterset.form, _("All"))
    schedules = filterset.qs if filterset.is_valid() else Schedule.objects.none()
    schedules = schedules.order_by("-start_date", "department__path", "pk")
    page = Paginator(schedules, SCHEDULES_PER_PAGE).get_page(request.GET.get("page"))
    can_create = schedulable_units(user).exists()
    context = {
        "filter": filterset,
        "page": page,
        "schedules": page.object_list,
        "create_form": create_form or (ScheduleCreateForm(user=user) if can_create else None),
        "can_create": can_create,
    }
    return render(request, "staffing/schedule_list.html", context, status=status)


@login_required
@require_GET
def schedule_list(request):
    _require(_uses_rosters(request.user))
    return _schedule_list_page(request)


@login_required
@require_POST
def schedule_create(request):
    user = request.user
    _require(_uses_rosters(user))
    form = ScheduleCreateForm(request.POST, user=user)
    if form.is_valid():
        try:
            schedule = services.create_schedule(
                actor=user, department=form.cleaned_data["department"], start_date=form.cleaned_data["start_date"],
                end_date=form.end_date, comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _add_service_error(form, error)
        except PermissionDenied as refused:
            raise Http404 from refused
        else:
            messages.success(request, _("Roster %(roster)s created.") % {"roster": schedule})
            return redirect(schedule)
    return _schedule_list_page(request, create_form=form, status=400)


# The roster page --------------------------------------------------------------------------------


def _schedule(request, pk) -> Schedule:
    return get_object_or_404(selectors.schedule_list(request.user), pk=pk)


def _cell(grid, employee, day, row: int, col: int, *, can_edit: bool, error: str = "") -> dict:
    assignment = grid.assignments.get((employee.pk, day))
    findings = grid.violations_by_cell.get((employee.pk, day), [])
    return {
        "employee": employee,
        "day": day,
        "row": row,
        "col": col,
        "assignment": assignment,
        "code": assignment.shift_type.code if assignment else "",
        "findings": findings,
        "hard": any(f.severity == rules.HARD for f in findings),
        "weekend": day.weekday() >= 5,
        "can_edit": can_edit,
        "error": error,
    }


def _coverage_rows(grid) -> list[dict]:
    """One row per shift type (and skill), one cell per day: the requirement line or None."""
    lines = defaultdict(dict)
    labels = {}
    for line in grid.coverage:
        key = (line.shift_type_id, line.skill_id)
        lines[key][line.date] = line
        labels[key] = f"{line.shift_type_code} · {line.skill_code}" if line.skill_code else line.shift_type_code
    order = {s.pk: n for n, s in enumerate(grid.shift_types)}
    return [
        {"label": labels[key], "shift_type_id": key[0], "cells": [lines[key].get(day) for day in grid.days]}
        for key in sorted(lines, key=lambda key: (order.get(key[0], 0), key[1] or 0))
    ]


def _measures(grid) -> dict:
    people = []
    for employee in grid.employees:
        by_week = grid.hours_by_week.get(employee.pk, {})
        people.append({
            "employee": employee,
            "weeks": [by_week.get(week, 0) for week in grid.weeks],
            "hours": grid.hours.get(employee.pk, 0),
            "overtime": grid.overtime_hours.get(employee.pk, 0),
        })
    return {
        "people": people,
        "weeks": [f"W{week}" for _year, week in grid.weeks],
        "shifts": [{"shift_type": s, "pct": grid.coverage_pct.get(s.pk)} for s in grid.shift_types],
        "total_pct": grid.total_coverage_pct,
        "unfilled": grid.unfilled_shifts,
        "overtime": sum(grid.overtime_hours.values()),
        "hours": sum(grid.hours.values()),
    }


def _roster_context(request, schedule: Schedule, grid=None, **extra) -> dict:
    user = request.user
    grid = grid or selectors.roster_grid(schedule)
    can_schedule = access.can_schedule(user, schedule.department)
    can_decide = access.can_manage_department(user, schedule.department)
    can_edit = schedule.is_editable and can_schedule
    rows = [
        {
            "employee": employee,
            "hours": grid.hours.get(employee.pk, 0),
            "cells": [_cell(grid, employee, day, r, c, can_edit=can_edit) for c, day in enumerate(grid.days)],
        }
        for r, employee in enumerate(grid.employees)
    ]
    history = schedule.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    context = {
        "schedule": schedule,
        "grid": grid,
        "rows": rows,
        "coverage_rows": _coverage_rows(grid),
        "measures": _measures(grid),
        "can_edit": can_edit,
        "can_schedule": can_schedule,
        "can_decide": can_decide and schedule.submitted_by_id != user.pk,
        "is_own_submission": can_decide and schedule.submitted_by_id == user.pk,
        "history": history,
        "submit_form": CommentForm(prefix="submit"),
        "approve_form": CommentForm(prefix="approve"),
        "reject_form": ReasonForm(prefix="reject"),
        "revise_form": ReasonForm(prefix="revise"),
        "change_warnings": [],
        "change_errors": [],
    }
    context.update(extra)
    return context


@login_required
@require_GET
def schedule_detail(request, pk):
    schedule = _schedule(request, pk)
    return render(request, "staffing/schedule_detail.html", _roster_context(request, schedule))


@login_required
@require_POST
def schedule_cell(request, pk):
    """One grid cell changed (HTMX): save it through the rules, answer the cell and, out of band,
    the coverage rows, the row's hours, the measures and the violations panel."""
    user = request.user
    schedule = _schedule(request, pk)
    _require(access.can_schedule(user, schedule.department))
    form = CellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Send an employee, a date and a shift code."), content_type="text/plain")
    day, code = form.cleaned_data["date"], form.cleaned_data["code"]
    employee = rules.roster_employees(schedule).filter(pk=form.cleaned_data["employee"]).first()
    if employee is None or not schedule.start_date <= day <= schedule.end_date:
        return HttpResponseBadRequest(_("This cell is not on this roster."), content_type="text/plain")

    errors, warnings, status = [], [], 200
    shift_type = None
    if code:
        shift_type = ShiftType.objects.filter(department=schedule.department, code=code, is_active=True).first()
        if shift_type is None:
            errors, status = [_("%(code)s is not a shift of this unit.") % {"code": code}], 400
    if not errors:
        try:
            warnings = services.set_cells(
                actor=user, schedule=schedule, changes=[services.CellChange(employee, day, shift_type)]
            )
        except PermissionDenied as refused:
            raise Http404 from refused
        except ValidationError as error:
            errors = _messages_of(error)
            status = 409 if getattr(error, "code", None) == services.CONFLICT else 422
    schedule.refresh_from_db()
    grid = selectors.roster_grid(schedule)
    context = _roster_context(request, schedule, grid=grid)
    row = next(n for n, e in enumerate(grid.employees) if e.pk == employee.pk) if employee.pk in {
        e.pk for e in grid.employees} else 0
    col = grid.days.index(day)
    names = {e.pk: e.full_name for e in grid.employees}
    context.update({
        "cell": _cell(grid, employee, day, row, col, can_edit=context["can_edit"], error=" ".join(errors)),
        "row_hours": {"employee": employee, "hours": grid.hours.get(employee.pk, 0)},
        "change_errors": errors,
        "change_warnings": [
            selectors.ViolationLine(w.rule, w.severity, w.employee_id, names.get(w.employee_id, ""), w.date,
                                    w.message)
            for w in warnings
        ],
        "oob": True,
    })
    return render(request, "staffing/_cell_update.html", context, status=status)


def _action(request, pk, *, form_class=None, prefix="", call, done: str):
    """A workflow button: parse its form, call the service, report the outcome on the roster page."""
    schedule = _schedule(request, pk)
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        context = _roster_context(request, schedule, **{f"{prefix}_form": form, "open_action": prefix})
        return render(request, "staffing/schedule_detail.html", context, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        outcome = call(schedule, data)
    except ValidationError as error:
        fields = set(getattr(error, "error_dict", {})) - {NON_FIELD_ERRORS}
        if form is not None and fields & set(form.fields):
            form.add_service_error(error)
            context = _roster_context(request, schedule, **{f"{prefix}_form": form, "open_action": prefix})
            return render(request, "staffing/schedule_detail.html", context, status=400)
        _refused(request, error)
    except PermissionDenied as error:
        _refused(request, error)
    else:
        messages.success(request, outcome if isinstance(outcome, str) else done)
    return redirect("staffing:schedule-detail", pk=schedule.pk)


def _copy_outcome(copied: int, skipped: list[str]) -> str:
    text = _("Copied %(count)s shift(s) from the previous roster.") % {"count": copied}
    if skipped:
        text += " " + _("Skipped %(count)s: %(why)s") % {"count": len(skipped), "why": " ".join(skipped[:5])}
    return text


@login_required
@require_POST
def schedule_copy(request, pk):
    return _action(
        request, pk,
        call=lambda s, d: _copy_outcome(*services.copy_previous_roster(actor=request.user, schedule=s)),
        done="",
    )


@login_required
@require_POST
def schedule_submit(request, pk):
    return _action(
        request, pk, form_class=CommentForm, prefix="submit",
        call=lambda s, d: services.submit_schedule(actor=request.user, schedule=s, comment=d["comment"]),
        done=_("Roster submitted for approval."),
    )


@login_required
@require_POST
def schedule_approve(request, pk):
    return _action(
        request, pk, form_class=CommentForm, prefix="approve",
        call=lambda s, d: services.approve_schedule(actor=request.user, schedule=s, comment=d["comment"]),
        done=_("Roster approved. Publish it to show it to the staff."),
    )


@login_required
@require_POST
def schedule_reject(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, prefix="reject",
        call=lambda s, d: services.reject_schedule(actor=request.user, schedule=s, reason=d["reason"]),
        done=_("Roster sent back to draft with your reason."),
    )


@login_required
@require_POST
def schedule_publish(request, pk):
    return _action(
        request, pk,
        call=lambda s, d: services.publish_schedule(actor=request.user, schedule=s),
        done=_("Roster published: its staff see their shifts now."),
    )


@login_required
@require_POST
def schedule_revise(request, pk):
    return _action(
        request, pk, form_class=ReasonForm, prefix="revise",
        call=lambda s, d: services.start_revision(actor=request.user, schedule=s, reason=d["reason"]),
        done=_("A new revision is open as a draft."),
    )


# Exports and print --------------------------------------------------------------------------------


def roster_table(grid) -> tuple[list[str], list[list]]:
    """The grid as plain rows: one per employee, one column per day with the shift code."""
    headers = [gettext_lazy("Number"), gettext_lazy("Employee"), gettext_lazy("Job title")]
    headers += [f"{day:%a} {day.isoformat()}" for day in grid.days]
    headers.append(gettext_lazy("Hours"))
    rows = []
    for employee in grid.employees:
        codes = [
            grid.assignments[(employee.pk, day)].shift_type.code if (employee.pk, day) in grid.assignments else ""
            for day in grid.days
        ]
        rows.append([
            employee.employee_number, f"{employee.last_name}, {employee.first_name}", employee.job_title.name,
            *codes, round(grid.hours.get(employee.pk, 0), 2),
        ])
    return headers, rows


@login_required
@require_GET
def schedule_export(request, pk, fmt):
    schedule = _schedule(request, pk)
    headers, rows = roster_table(selectors.roster_grid(schedule))
    name = f"roster-{schedule.department.code}-{schedule.start_date.isoformat()}-r{schedule.revision}"
    return export_response(name, headers, rows, fmt)


@login_required
@require_GET
def schedule_print(request, pk):
    schedule = _schedule(request, pk)
    context = _roster_context(request, schedule)
    context["can_edit"] = False
    for row in context["rows"]:
        for cell in row["cells"]:
            cell["can_edit"] = False
    context["printed_at"] = timezone.localtime()
    return render(request, "staffing/schedule_print.html", context)


# A unit's rosters and measures ---------------------------------------------------------------------


def _roster_summary(schedule: Schedule | None) -> dict | None:
    if schedule is None:
        return None
    grid = selectors.roster_grid(schedule)
    return {
        "schedule": schedule,
        "coverage_pct": grid.total_coverage_pct,
        "unfilled": grid.unfilled_shifts,
        "overtime": sum(grid.overtime_hours.values()),
        "hours": sum(grid.hours.values()),
        "hard": grid.hard_count,
        "soft": grid.soft_count,
        "shifts": [{"shift_type": s, "pct": grid.coverage_pct.get(s.pk)} for s in grid.shift_types],
        "people": len(grid.employees),
    }


@login_required
@require_GET
def unit_detail(request, pk):
    user = request.user
    _require(_uses_rosters(user))
    unit = get_object_or_404(Department.objects.visible_to(user), pk=pk)
    today = timezone.localdate()
    schedules = selectors.schedule_list(user).filter(department=unit)
    current = schedules.filter(start_date__lte=today, end_date__gte=today).first()
    upcoming = schedules.filter(start_date__gt=today).order_by("start_date").first()
    context = {
        "unit": unit,
        "today": today,
        "current": _roster_summary(current),
        "next": _roster_summary(upcoming),
        "recent": schedules.order_by("-start_date")[:8],
        "shift_types": ShiftType.objects.filter(department=unit).order_by("start_time", "code"),
        "can_schedule": access.can_schedule(user, unit),
        "can_manage": access.can_manage_department(user, unit),
    }
    return render(request, "staffing/unit_detail.html", context)


# Roster setup: shift types ---------------------------------------------------------------------------


@login_required
@require_GET
def shift_type_list(request):
    user = request.user
    _require(_uses_rosters(user))
    queryset = selectors.shift_type_list(user).filter(department_id__in=Department.objects.visible_to(user))
    filterset = ShiftTypeFilter(request.GET, queryset=queryset, request=request)
    _label_empty_choices(filterset.form, _("All"))
    shift_types = filterset.qs if filterset.is_valid() else queryset.none()
    units = defaultdict(list)
    for shift_type in shift_types:
        units[shift_type.department].append(shift_type)
    manageable = set(manageable_units(user).values_list("pk", flat=True))
    context = {
        "filter": filterset,
        "units": [
            {"unit": unit, "shift_types": rows, "can_manage": unit.pk in manageable} for unit, rows in units.items()
        ],
        "new_units": manageable_units(user).filter(shift_types__isnull=True),
    }
    return render(request, "staffing/shift_type_list.html", context)


def _shift_type_form_page(request, unit: Department, instance: ShiftType | None = None):
    user = request.user
    _require(access.can_manage_department(user, unit))
    form = ShiftTypeForm(request.POST or None, instance=copy(instance) if instance else None, department=unit)
    context = {"form": form, "unit": unit, "shift_type": instance}
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "forbidden_successors"}
            if instance is None:
                data["department"] = unit
            try:
                saved = setup_services.save_shift_type(
                    actor=user, instance=instance, data=data,
                    forbidden_successors=list(form.cleaned_data["forbidden_successors"]),
                )
            except ValidationError as error:
                form.add_service_error(error)
            except PermissionDenied as refused:
                raise Http404 from refused
            else:
                messages.success(request, _("Shift type %(shift)s saved.") % {"shift": saved})
                return redirect(f"{reverse('staffing:shift-type-list')}?department={unit.pk}")
        return render(request, "staffing/shift_type_form.html", context, status=400)
    return render(request, "staffing/shift_type_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def shift_type_create(request, unit_pk):
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk)
    return _shift_type_form_page(request, unit)


@login_required
@require_http_methods(["GET", "POST"])
def shift_type_edit(request, pk):
    shift_type = get_object_or_404(
        ShiftType.objects.visible_to(request.user).select_related("department"), pk=pk
    )
    return _shift_type_form_page(request, shift_type.department, shift_type)


# Roster setup: staffing requirements -----------------------------------------------------------------


@login_required
@require_GET
def requirement_list(request):
    user = request.user
    _require(_uses_rosters(user))
    wanted = request.GET.get("department", "")
    requirements = selectors.requirement_list(user)
    if wanted.isdigit():
        unit = get_object_or_404(Department.objects.visible_to(user), pk=int(wanted))
        requirements = requirements.filter(department__path__startswith=unit.path)
    manageable = set(manageable_units(user).values_list("pk", flat=True))
    units: dict = {}
    for requirement in requirements:
        entry = units.setdefault(requirement.department_id, {
            "unit": requirement.department, "pattern": {}, "overrides": [],
            "can_manage": requirement.department_id in manageable,
        })
        if requirement.on_date:
            entry["overrides"].append(requirement)
            continue
        key = (requirement.shift_type_id, requirement.skill_id)
        line = entry["pattern"].setdefault(key, {
            "shift_type": requirement.shift_type, "skill": requirement.skill, "days": [None] * 7,
        })
        line["days"][requirement.weekday] = requirement
    for entry in units.values():
        entry["pattern"] = sorted(
            entry["pattern"].values(), key=lambda line: (line["shift_type"].start_time, line["shift_type"].code,
                                                         line["skill"].name if line["skill"] else "")
        )
    context = {
        "units": list(units.values()),
        "weekdays": [label for _value, label in WEEKDAYS],
        "departments": Department.objects.visible_to(user).filter(is_active=True).order_by("path"),
        "selected": wanted,
        "new_units": manageable_units(user).filter(shift_types__isnull=False, staffing_requirements__isnull=True)
        .distinct(),
    }
    return render(request, "staffing/requirement_list.html", context)


def _requirement_form_page(request, unit: Department, instance=None):
    user = request.user
    _require(access.can_manage_department(user, unit))
    form = RequirementForm(request.POST or None, department=unit, instance=instance)
    context = {"form": form, "unit": unit, "requirement": instance}
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in
                    ("shift_type", "skill", "required_count", "under_weight", "over_weight")}
            try:
                saved = _save_requirements(user, unit, instance, data, form.cleaned_data["weekdays"],
                                           form.cleaned_data["on_date"])
            except ValidationError as error:
                form.add_service_error(error)
            except PermissionDenied as refused:
                raise Http404 from refused
            else:
                messages.success(request, _("%(count)s requirement(s) saved.") % {"count": saved})
                return redirect(f"{reverse('staffing:requirement-list')}?department={unit.pk}")
        return render(request, "staffing/requirement_form.html", context, status=400)
    return render(request, "staffing/requirement_form.html", context)


@transaction.atomic
def _save_requirements(user, unit, instance, data, weekdays, on_date) -> int:
    """Save one requirement, or set the weekly pattern for each ticked weekday (updating the
    entry a weekday already has), all or nothing."""
    if instance is not None:
        data.update(weekday=weekdays[0] if weekdays else None, on_date=on_date)
        setup_services.save_requirement(actor=user, instance=instance, data=data)
        return 1
    if on_date:
        setup_services.save_requirement(actor=user, data={**data, "department": unit, "weekday": None,
                                                          "on_date": on_date})
        return 1
    existing = {
        r.weekday: r for r in unit.staffing_requirements.filter(
            shift_type=data["shift_type"], skill=data["skill"], weekday__in=weekdays
        )
    }
    for weekday in weekdays:
        setup_services.save_requirement(
            actor=user, instance=existing.get(weekday),
            data={**data, "department": unit, "weekday": weekday, "on_date": None},
        )
    return len(weekdays)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_create(request, unit_pk):
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk)
    return _requirement_form_page(request, unit)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement = get_object_or_404(selectors.requirement_list(request.user), pk=pk)
    return _requirement_form_page(request, requirement.department, requirement)


# Roster setup: labour rules ------------------------------------------------------------------------


@login_required
@require_GET
def labour_rules_list(request):
    user = request.user
    _require(_uses_rosters(user))
    rows = list(selectors.labour_rules_list(user))
    manageable = set(manageable_units(user).values_list("pk", flat=True))
    context = {
        "hospital": next((r for r in rows if r.scope == LabourRules.Scope.HOSPITAL), None),
        "units": [r for r in rows if r.scope == LabourRules.Scope.DEPARTMENT],
        "contracts": [r for r in rows if r.scope == LabourRules.Scope.EMPLOYEE],
        "fields": [LabourRules._meta.get_field(name) for name in LabourRules.RULE_FIELDS],
        "manageable": manageable,
        "can_edit_hospital": access.is_hospital_wide(user),
        "new_units": manageable_units(user).exclude(labour_rules__isnull=False),
        "can_add_contract": bool(manageable),
    }
    return render(request, "staffing/labour_rules_list.html", context)


def _rules_form_page(request, *, rules_row: LabourRules | None, target: dict, shift_types, title: str):
    user = request.user
    limits = {limit.shift_type_id: limit.max_shifts for limit in rules_row.shift_limits.all()} if rules_row else {}
    form = LabourRulesForm(request.POST or None, instance=copy(rules_row) if rules_row else None,
                           shift_types=shift_types, limits=limits)
    context = {"form": form, "rules_row": rules_row, "title": title}
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in LabourRules.RULE_FIELDS}
            if rules_row is None:
                data.update(target)
            try:
                setup_services.save_labour_rules(
                    actor=user, instance=rules_row, data=data,
                    shift_limits=form.shift_limits() if shift_types else None,
                )
            except ValidationError as error:
                form.add_service_error(error)
            except PermissionDenied as refused:
                raise Http404 from refused
            else:
                messages.success(request, _("%(title)s saved.") % {"title": title})
                return redirect("staffing:labour-rules-list")
        return render(request, "staffing/labour_rules_form.html", context, status=400)
    return render(request, "staffing/labour_rules_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hospital_rules_edit(request):
    _require(access.is_hospital_wide(request.user))
    row = LabourRules.objects.filter(scope=LabourRules.Scope.HOSPITAL).first()
    return _rules_form_page(request, rules_row=row, target={"scope": LabourRules.Scope.HOSPITAL},
                            shift_types=[], title=_("Hospital default rules"))


@login_required
@require_http_methods(["GET", "POST"])
def unit_rules_edit(request, unit_pk):
    user = request.user
    unit = get_object_or_404(Department.objects.visible_to(user), pk=unit_pk)
    _require(access.can_manage_department(user, unit))
    row = LabourRules.objects.filter(department=unit).first()
    return _rules_form_page(
        request, rules_row=row, target={"scope": LabourRules.Scope.DEPARTMENT, "department": unit},
        shift_types=ShiftType.objects.filter(department=unit).order_by("start_time", "code"),
        title=_("Rules of %(unit)s") % {"unit": unit.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_rules_edit(request, employee_pk):
    user = request.user
    employee = get_object_or_404(Employee.objects.visible_to(user).select_related("department"), pk=employee_pk)
    _require(access.can_manage_department(user, employee.department))
    row = LabourRules.objects.filter(employee=employee).first()
    ancestors = [int(pk) for pk in employee.department.path.strip("/").split("/") if pk]
    return _rules_form_page(
        request, rules_row=row, target={"scope": LabourRules.Scope.EMPLOYEE, "employee": employee},
        shift_types=ShiftType.objects.filter(department_id__in=ancestors).order_by("start_time", "code"),
        title=_("Contract rules of %(name)s") % {"name": employee.full_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_rules_create(request):
    user = request.user
    _require(manageable_units(user).exists())
    form = ContractChoiceForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            return redirect("staffing:contract-rules", employee_pk=form.cleaned_data["employee"].pk)
        return render(request, "staffing/contract_choice.html", {"form": form}, status=400)
    return render(request, "staffing/contract_choice.html", {"form": form})


# Staff self-service -------------------------------------------------------------------------------------


@login_required
@require_GET
def my_shifts(request):
    user = request.user
    employee = _own_employee(user)
    shifts = (
        selectors.assignment_list(user)
        .filter(employee=employee, schedule__status=Schedule.Status.PUBLISHED, ends_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:MY_SHIFTS_LIMIT]
    )
    feed = CalendarFeed.objects.filter(employee=employee).first()
    context = {
        "employee": employee,
        "shifts": shifts,
        "feed": feed,
        "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
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
    feed = CalendarFeed.objects.select_related("employee").filter(token=token).first()
    if feed is None:
        raise Http404
    today = timezone.localdate()
    shifts = (
        ShiftAssignment.objects.filter(
            employee=feed.employee, schedule__status=Schedule.Status.PUBLISHED,
            date__gte=today - dt.timedelta(days=FEED_PAST_DAYS), date__lte=today + dt.timedelta(days=FEED_AHEAD_DAYS),
        )
        .select_related("shift_type", "schedule__department")
        .order_by("starts_at", "pk")
    )
    host = request.get_host().split(":")[0] or "hospital-ops"
    calendar = Calendar()
    calendar.add("prodid", "-//Hospital Ops//Roster//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Shifts · {feed.employee.full_name}")
    calendar.add("x-wr-timezone", settings.HOSPITAL_TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC)
    for shift in shifts:
        unit = shift.schedule.department.name
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", shift.starts_at.astimezone(dt.UTC))
        event.add("dtend", shift.ends_at.astimezone(dt.UTC))
        event.add("summary", f"{shift.shift_type.code} · {shift.shift_type.name} — {unit}")
        event.add("location", unit)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
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
        _refused(request, error)
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
    ancestors = [int(pk) for pk in employee.department.path.strip("/").split("/") if pk]
    return ShiftType.objects.filter(department_id__in=ancestors, is_active=True).order_by("start_time", "code")


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
    _label_empty_choices(filterset.form, _("All"))
    requests = filterset.qs if filterset.is_valid() else queryset.none()
    waiting_first = Case(When(status=TimeOff.Status.REQUESTED, then=Value(0)), default=Value(1))
    requests = requests.order_by(waiting_first, "-start_date", "pk")
    page = Paginator(requests, TIME_OFF_PER_PAGE).get_page(request.GET.get("page"))
    manageable = access.ALL if access.is_hospital_wide(user) else access.department_ids(user, access.HEAD)
    for row in page.object_list:
        row.can_decide = row.status == TimeOff.Status.REQUESTED and (
            manageable is access.ALL or row.employee.department_id in manageable
        )
        row.form = decision_form if failed_pk == row.pk else None
    context = {"filter": filterset, "page": page, "requests": page.object_list}
    return render(request, "staffing/time_off_list.html", context, status=status)


@login_required
@require_GET
def time_off_list(request):
    _require(_uses_rosters(request.user))
    return _time_off_list_page(request)


@login_required
@require_POST
def time_off_decide(request, pk):
    user = request.user
    _require(_uses_rosters(user))
    time_off = get_object_or_404(selectors.time_off_list(user), pk=pk)
    form = DecisionForm(request.POST)
    back = request.POST.get("next", "")
    back = back if back.startswith("?") else ""
    if not form.is_valid():
        return _time_off_list_page(request, decision_form=form, failed_pk=time_off.pk, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_time_off(actor=user, time_off=time_off, approve=approve, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            (_("Time off of %(name)s approved.") if approve else _("Time off of %(name)s denied."))
            % {"name": time_off.employee.full_name},
        )
    return redirect(reverse("staffing:time-off-list") + back)
