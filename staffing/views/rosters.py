"""Rosters: the list, the grid and its cell edits, the workflow actions, exports and unit pages."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hospital_ops import data_version
from hospital_ops.exports import stream_export
from hospital_ops.pages import label_empty_choices, refused, require
from hospital_ops.scoping import hospital_zone
from records.models import Department

from .. import access, generation_selectors, selectors, services
from ..filters import AssignmentFilter, ScheduleFilter
from ..forms import (
    CellForm,
    CommentForm,
    ReasonForm,
    ScheduleCreateForm,
)
from ..models import Schedule, ShiftType
from ._common import (
    HISTORY_LIMIT,
    SCHEDULES_PER_PAGE,
    _add_service_error,
    _uses_rosters,
)


def _schedule_list_page(request, create_form=None, status=200):
    user = request.user
    filterset = ScheduleFilter(request.GET, queryset=selectors.schedule_list(user), request=request)
    label_empty_choices(filterset.form, _("All"))
    schedules = filterset.qs if filterset.is_valid() else Schedule.objects.none()
    schedules = schedules.order_by("-start_date", "department__path", "pk")
    page = Paginator(schedules, SCHEDULES_PER_PAGE).get_page(request.GET.get("page"))
    can_create = access.schedulable_units(user).exists()
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
    require(_uses_rosters(request.user))
    return _schedule_list_page(request)


@login_required
@require_POST
def schedule_create(request):
    user = request.user
    require(_uses_rosters(user))
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
    return {
        "employee": employee,
        "day": day,
        "row": row,
        "col": col,
        "shift_type_id": assignment.shift_type_id if assignment else None,
        "code": assignment.code if assignment else "",
        "findings": grid.violations_by_cell.get((employee.pk, day), []),
        "locked": (employee.pk, day) in grid.locked,
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


def _page_frame(request, schedule: Schedule) -> dict:
    """What the roster page shows around its grid: the rights of the person looking, the history, the forms."""
    user = request.user
    can_schedule = access.can_schedule(user, schedule.department)
    return {
        "schedule": schedule,
        "can_edit": schedule.is_editable and can_schedule,
        "can_schedule": can_schedule,
        "can_decide": access.can_decide_roster(user, schedule),
        "is_own_submission": schedule.submitted_by_id == user.pk and access.can_manage_department(
            user, schedule.department
        ),
        "history": schedule.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :HISTORY_LIMIT
        ],
        "submit_form": CommentForm(prefix="submit"),
        "approve_form": CommentForm(prefix="approve"),
        "reject_form": ReasonForm(prefix="reject"),
        "revise_form": ReasonForm(prefix="revise"),
        "change_warnings": [],
        "change_errors": [],
    }


def _roster_context(request, schedule: Schedule, grid=None, **extra) -> dict:
    """The page frame with the grid, its coverage, findings and measures worked out (a cell edit's answer
    redraws parts of them)."""
    grid = grid or selectors.roster_grid(schedule)
    context = _page_frame(request, schedule)
    context.update({
        "grid": grid,
        "rows": [{"employee": employee, "hours": grid.hours.get(employee.pk, 0)} for employee in grid.employees],
        "cell_url": reverse("staffing:schedule-cell", args=[schedule.pk]),
        "coverage_rows": _coverage_rows(grid),
        "coverage_from_census": any(line.census is not None for line in grid.coverage),
        "measures": _measures(grid),
    })
    context.update(extra)
    return context


# The roster page's grid, coverage, findings, measures and fairness, drawn as HTML pieces. A large unit's
# roster is half a megabyte of it: it is drawn again only when something it is drawn from has changed
# (hospital_ops.data_version moves with any write to staff, rosters and rules; with beds and stays too when
# the unit is staffed by ratio, its coverage read from the census), or on another day.
DRAWN_PIECES = {
    "legend": "staffing/_roster_legend.html",
    "table": "staffing/_roster_table.html",
    "lock_people": "staffing/_lock_people.html",
    "violations": "staffing/_violations.html",
    "measures": "staffing/_measures.html",
    "fairness": "staffing/_fairness.html",
}
DRAWN_TOPICS = ("auth", "records", "staffing")
CENSUS_TOPIC = "facilities"


def _kept(name: str, parts: tuple, build) -> dict:
    """`build()` (a dict; its "reads_census" says whether it read the census) kept until anything it is drawn
    from changes, or the day does."""
    today = timezone.localdate(timezone.now(), hospital_zone())
    return data_version.kept(name, (*parts, today.isoformat()), build, topics=DRAWN_TOPICS,
                             reads=lambda built: (CENSUS_TOPIC,) if built["reads_census"] else ())


def _drawn(request, schedule: Schedule, can_edit: bool) -> dict:
    """The heavy pieces of the roster page, from the cache when their data has not changed since they were
    drawn."""

    def draw() -> dict:
        context = _roster_context(request, schedule)
        grid = context["grid"]
        if grid.context is not None and grid.context.days:
            context.update(generation_selectors.roster_fairness(grid.context, grid.cells))
        drawn = {
            name: mark_safe(render_to_string(template, context))  # noqa: S308 - rendered by the template engine
            for name, template in DRAWN_PIECES.items() if name != "fairness" or context.get("fairness")
        }
        drawn.update(days=len(grid.days), staff=len(grid.employees), locked=len(grid.locked),
                     reads_census=bool(grid.context is not None and grid.context.requirements.ratios))
        return drawn

    return _kept("roster-drawn", (schedule.pk, int(can_edit), get_language()), draw)


def _roster_page(request, schedule: Schedule, **extra) -> dict:
    context = _page_frame(request, schedule)
    context["drawn"] = _drawn(request, schedule, context["can_edit"])
    context.update(extra)
    return context


@login_required
@require_GET
def schedule_detail(request, pk):
    return render(request, "staffing/schedule_detail.html", _roster_page(request, _schedule(request, pk)))


def _cell_error_status(error: ValidationError) -> int:
    codes = {e.code for e in getattr(error, "error_list", [])}
    if services.UNKNOWN_SHIFT in codes:
        return 400
    return 409 if services.CONFLICT in codes else 422


@login_required
@require_POST
def schedule_cell(request, pk):
    """One grid cell changed (HTMX): save it through the rules, answer the cell and, out of band,
    the coverage rows, the row's hours, the measures and the violations panel."""
    user = request.user
    schedule = _schedule(request, pk)
    require(access.can_schedule(user, schedule.department))
    form = CellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Send an employee, a date and a shift code."), content_type="text/plain")
    day = form.cleaned_data["date"]
    employee = selectors.roster_cell_employee(schedule, form.cleaned_data["employee"], day)
    if employee is None:
        return HttpResponseBadRequest(_("This cell is not on this roster."), content_type="text/plain")

    errors, warnings, status = [], [], 200
    try:
        warnings = services.set_cell_code(
            actor=user, schedule=schedule, employee=employee, date=day, code=form.cleaned_data["code"]
        ).warnings
    except PermissionDenied as refused:
        raise Http404 from refused
    except ValidationError as error:
        errors, status = list(error.messages), _cell_error_status(error)
    update = selectors.cell_update(schedule, employee, day, warnings)
    context = _roster_context(request, update.schedule, grid=update.grid)
    context.update({
        "cell": _cell(update.grid, employee, day, update.row, update.col, can_edit=context["can_edit"],
                      error=" ".join(errors)),
        "row_hours": {"employee": employee, "hours": update.hours},
        "change_errors": errors,
        "change_warnings": update.warnings,
        "oob": True,
    })
    return render(request, "staffing/_cell_update.html", context, status=status)


def _action(request, pk, *, form_class=None, prefix="", call, done: str):
    """A workflow button: parse its form, call the service, report the outcome on the roster page."""
    schedule = _schedule(request, pk)
    form = form_class(request.POST, prefix=prefix) if form_class else None
    if form is not None and not form.is_valid():
        context = _roster_page(request, schedule, **{f"{prefix}_form": form, "open_action": prefix})
        return render(request, "staffing/schedule_detail.html", context, status=400)
    data = form.cleaned_data if form is not None else {}
    try:
        outcome = call(schedule, data)
    except ValidationError as error:
        fields = set(getattr(error, "error_dict", {})) - {NON_FIELD_ERRORS}
        if form is not None and fields & set(form.fields):
            form.add_service_error(error)
            context = _roster_page(request, schedule, **{f"{prefix}_form": form, "open_action": prefix})
            return render(request, "staffing/schedule_detail.html", context, status=400)
        refused(request, error)
    except PermissionDenied as error:
        refused(request, error)
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


def roster_table(schedule: Schedule) -> tuple[list[str], list[list]]:
    """The roster as plain rows: one per employee (as the grid orders them), one column per day with the
    shift code, then the hours."""
    employees, codes, hours = selectors.roster_sheet(schedule)
    days = schedule.days
    headers = [gettext_lazy("Number"), gettext_lazy("Employee"), gettext_lazy("Job title")]
    headers += [f"{day:%a} {day.isoformat()}" for day in days]
    headers.append(gettext_lazy("Hours"))
    rows = [
        [employee.employee_number, f"{employee.last_name}, {employee.first_name}", employee.job_title.name,
         *(codes.get((employee.pk, day), "") for day in days), round(hours[employee.pk], 2)]
        for employee in employees
    ]
    return headers, rows


@login_required
@require_GET
def schedule_export(request, pk, fmt):
    schedule = _schedule(request, pk)
    headers, rows = roster_table(schedule)
    name = f"roster-{schedule.department.code}-{schedule.start_date.isoformat()}-r{schedule.revision}"
    # the sheet: "Roster MED-4W 2026-12-07", " r2" for a later revision; a long unit code is cut, never the date
    revision = f" r{schedule.revision}" if schedule.revision > 1 else ""
    return stream_export(name, headers, rows, fmt, sheet=f"{_('Roster')} {schedule.department.code}",
                         sheet_suffix=f" {schedule.start_date.isoformat()}{revision}")


@login_required
@require_GET
def assignment_export(request, fmt):
    """Roster cells the user sees (filtered as the API filters them: unit, dates, employee, shift type),
    streamed: a hundred thousand rows cost the memory of one batch."""
    require(_uses_rosters(request.user))
    filterset = AssignmentFilter(request.GET, queryset=selectors.assignment_list(request.user), request=request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(
            " ".join(str(e) for errors in filterset.errors.values() for e in errors), content_type="text/plain"
        )
    rows = selectors.assignment_export_rows(filterset.qs)
    return stream_export("shifts", selectors.ASSIGNMENT_EXPORT_COLUMNS, rows, fmt, sheet=_("Shifts"))


@login_required
@require_GET
def schedule_print(request, pk):
    schedule = _schedule(request, pk)
    context = _roster_context(request, schedule)
    context["can_edit"] = False
    context["printed_at"] = timezone.localtime()
    return render(request, "staffing/schedule_print.html", context)


# A unit's rosters and measures ---------------------------------------------------------------------


def _roster_summary(grid) -> dict | None:
    if grid is None:
        return None
    return {
        "schedule": grid.schedule,
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
    require(_uses_rosters(user))
    unit = get_object_or_404(Department.objects.visible_to(user), pk=pk)
    today = timezone.localdate()
    schedules = selectors.schedule_list(user).filter(department=unit)
    # The current roster, the next one and the eight latest, in one query.
    current = schedules.filter(start_date__lte=today, end_date__gte=today).values("pk")[:1]
    upcoming = schedules.filter(start_date__gt=today).order_by("start_date", "pk").values("pk")[:1]
    recent = schedules.order_by("-start_date", "pk").values("pk")[:8]
    shown = list(schedules.filter(Q(pk__in=current) | Q(pk__in=upcoming) | Q(pk__in=recent)))
    current = next((s for s in shown if s.start_date <= today <= s.end_date), None)
    upcoming = min((s for s in shown if s.start_date > today), key=lambda s: (s.start_date, s.pk), default=None)
    summarised = [s for s in (current, upcoming) if s is not None]

    def summarise() -> dict:
        grids = selectors.roster_grids(summarised)  # one load shared by both rosters
        return {
            "summaries": {pk: _roster_summary(grid) for pk, grid in grids.items()},
            "shift_types": next(iter(grids.values())).shift_types if grids else None,
            "reads_census": any(grid.context.requirements.ratios for grid in grids.values()),
        }

    # kept like the roster page's drawing, until anything the rule checks read changes
    summaries = _kept("unit-summaries", (unit.pk, *(s.pk for s in summarised)), summarise)
    shift_types = summaries["shift_types"]
    if shift_types is None:
        shift_types = ShiftType.objects.filter(department=unit).order_by("start_time", "code")
    context = {
        "unit": unit,
        "today": today,
        "current": summaries["summaries"].get(current.pk) if current else None,
        "next": summaries["summaries"].get(upcoming.pk) if upcoming else None,
        "recent": sorted(shown, key=lambda s: (-s.start_date.toordinal(), s.pk))[:8],
        "shift_types": shift_types,
        "can_schedule": access.can_schedule(user, unit),
        "can_manage": access.can_manage_department(user, unit),
    }
    return render(request, "staffing/unit_detail.html", context)


# Roster setup: shift types ---------------------------------------------------------------------------
