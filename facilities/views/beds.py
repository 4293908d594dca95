"""Bed pages: the bed board (a unit or the whole hospital, refreshing itself), placing a waiting patient,
discharging from the board, the bed registry, the housekeeping queue and the stay access log."""

from __future__ import annotations

import datetime as dt
from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import form_page, refused, require
from records import access as roles
from records.models import Department

from .. import access, bed_selectors, bed_services
from ..bed_forms import AssignForm, BedForm, BedStatusForm
from ..models import Bed, CleaningTask, PatientStay

BEDS_PER_PAGE = 50
LOG_PER_PAGE = 50
POLL_SECONDS = 10


def _board_context(request, unit: Department | None) -> dict:
    data = bed_selectors.board(request.user, unit)
    now = timezone.now()
    movable = set(roles.departments_where(request.user, roles.HEAD, roles.SCHEDULER).values_list("pk", flat=True))
    marker = 987654321  # links reversed once, then filled in per bed: hundreds of reverse() calls cost seconds
    status_link = reverse("facilities:bed-status", args=[marker])
    discharge_link = reverse("facilities:stay-discharge", args=[marker])
    statuses, kinds = dict(Bed.Status.choices), dict(Bed.Kind.choices)
    statuses, kinds = {k: str(v) for k, v in statuses.items()}, {k: str(v) for k, v in kinds.items()}
    days: dict[dt.date, str] = {}
    for group in data["units"]:
        group["can_move"] = group["unit"].pk in movable
        for bed in group["beds"]:
            bed.status_label, bed.kind_label = statuses[bed.status], kinds[bed.kind]  # translated once, not per bed
            bed.status_link = status_link.replace(str(marker), str(bed.pk))
            if bed.stay is not None:
                bed.stay.discharge_link = discharge_link.replace(str(marker), str(bed.stay.pk))
                bed.stay.days_in = (now - bed.stay.admitted_at).days
                if bed.stay.expected_discharge:  # a few distinct dates for hundreds of beds: each formatted once
                    bed.stay.out_label = days.get(bed.stay.expected_discharge) or days.setdefault(
                        bed.stay.expected_discharge, date_format(bed.stay.expected_discharge, "D j M"))
    for stay in data["waiting"]:
        since = stay.waiting_since or now
        stay.hours_waiting = int((now - since).total_seconds() // 3600)
        stay.can_place = stay.unit_id in movable
    stays = [bed.stay for group in data["units"] for bed in group["beds"] if bed.stay] + data["waiting"]
    bed_selectors.record_stay_access(request.user, request.path, [stay.encounter_number for stay in stays])
    return data | {"unit": unit, "now": now, "poll_seconds": POLL_SECONDS,
                   "board_url": request.path, "can_clean": access.can_clean_beds(request.user)}


@login_required
@require_GET
def board(request, unit_pk: int | None = None):
    """The bed board; HTMX asks for the board body alone every ten seconds."""
    require(access.uses_bed_board(request.user))
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk) if unit_pk else None
    context = _board_context(request, unit)
    if request.headers.get("HX-Request"):
        return render(request, "facilities/beds/_board.html", context)
    context["units_menu"] = bed_selectors.board_units(request.user)
    context["month_ago"] = timezone.localdate() - dt.timedelta(days=30)
    return render(request, "facilities/beds/board.html", context)


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/facilities/") else default


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, stay_pk: int):
    """Offer the beds that fit a waiting patient, and place them in the one chosen."""
    stay = get_object_or_404(bed_selectors.stay_list(request.user).filter(status=PatientStay.Status.PENDING),
                             pk=stay_pk)
    require(access.can_move_patients(request.user, stay.unit))
    beds = bed_selectors.fitting_beds(request.user, stay)
    form = AssignForm(request.POST or None, beds=beds)
    if request.method == "POST" and form.is_valid():
        try:
            bed_services.assign_bed(actor=request.user, stay=stay, bed=form.cleaned_data["bed"])
        except (ValidationError, PermissionDenied) as error:
            refused(request, error)
        else:
            messages.success(request, _("%(enc)s placed in %(bed)s.") % {"enc": stay, "bed": form.cleaned_data["bed"]})
            return redirect(reverse("facilities:bed-board-unit", args=[stay.unit_id]))
    bed_selectors.record_stay_access(request.user, request.path, [stay.encounter_number])
    return render(request, "facilities/beds/assign.html", {"stay": stay, "form": form, "has_beds": beds.exists()},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def discharge(request, stay_pk: int):
    stay = get_object_or_404(bed_selectors.current_stays(request.user), pk=stay_pk)
    require(access.can_move_patients(request.user, stay.unit))
    try:
        bed_services.discharge_from_board(actor=request.user, stay=stay)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("%(enc)s discharged; %(bed)s waits for cleaning.") % {"enc": stay, "bed": stay.bed})
    return redirect(_back(request, reverse("facilities:bed-board-unit", args=[stay.unit_id])))


# Registry ----------------------------------------------------------------------------------------


def _bed_rows(beds):
    for bed in beds:
        yield [bed.unit.code, bed.room.floor.building.code, bed.room.number, bed.label, bed.get_kind_display(),
               ", ".join(bed.attribute_names), "yes" if bed.is_staffed else "no", bed.get_status_display(),
               bed.status_reason, bed.blocked_until, "yes" if bed.is_active else "no"]


BED_HEADERS = ["Unit", "Building", "Room", "Bed", "Kind", "Attributes", "Staffed", "Status", "Reason",
               "Expected back", "In use"]


@login_required
@require_GET
def bed_list(request):
    """The bed registry: filter by unit, status and kind; CSV/XLSX."""
    require(access.uses_bed_board(request.user))
    beds = bed_selectors.bed_list(request.user).order_by("unit__code", "room__number", "label")
    units = Department.objects.visible_to(request.user).filter(kind=Department.Kind.UNIT).order_by("code")
    unit = units.filter(pk=request.GET["unit"]).first() if request.GET.get("unit", "").isdigit() else None
    if unit is not None:
        beds = beds.filter(unit__path__startswith=unit.path)
    status = request.GET.get("status", "")
    if status in Bed.Status.values:
        beds = beds.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Bed.Kind.values:
        beds = beds.filter(kind=kind)
    fmt = request.GET.get("export")
    if fmt:
        return export_response("beds", BED_HEADERS, _bed_rows(beds.select_related("room__floor__building")), fmt,
                               sheet="Beds")
    page = Paginator(beds, BEDS_PER_PAGE).get_page(request.GET.get("page"))
    manageable = set(roles.departments_where(request.user, roles.HEAD).values_list("pk", flat=True))
    return render(request, "facilities/beds/bed_list.html", {
        "page": page, "units": units, "unit": unit, "status": status, "kind": kind,
        "statuses": Bed.Status.choices, "kinds": Bed.Kind.choices, "manageable": manageable,
        "new_units": units.filter(pk__in=manageable, rooms__kind="patient").distinct(),
    })


def _bed_form_page(request, unit: Department, instance: Bed | None = None):
    require(access.can_manage_beds(request.user, unit))

    def save(form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if instance is None:
            data["unit"] = unit
        return bed_services.save_bed(actor=request.user, data=data, instance=instance)

    return form_page(
        request, BedForm(request.POST or None, instance=copy(instance) if instance else None, unit=unit),
        "facilities/beds/bed_form.html", save=save,
        success=lambda bed: _("Bed %(bed)s saved.") % {"bed": bed},
        then=lambda bed: f"{reverse('facilities:bed-list')}?unit={unit.pk}",
        context={"unit": unit, "bed": instance},
    )


@login_required
@require_http_methods(["GET", "POST"])
def bed_create(request, unit_pk: int):
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk)
    return _bed_form_page(request, unit)


@login_required
@require_http_methods(["GET", "POST"])
def bed_edit(request, pk: int):
    bed = get_object_or_404(bed_selectors.bed_list(request.user), pk=pk)
    return _bed_form_page(request, bed.unit, bed)


@login_required
@require_http_methods(["GET", "POST"])
def bed_status(request, pk: int):
    """Block, release or put a bed out of service, with the reason; its status history below."""
    bed = get_object_or_404(bed_selectors.bed_list(request.user), pk=pk)
    require(access.uses_bed_board(request.user))
    can_manage = access.can_manage_beds(request.user, bed.unit)
    form = BedStatusForm(request.POST or None)
    if request.method == "POST":
        require(can_manage)
        if form.is_valid():
            try:
                bed_services.change_bed_status(actor=request.user, bed=bed, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Bed %(bed)s is now %(status)s.") % {
                    "bed": bed, "status": Bed.Status(form.cleaned_data["status"]).label.lower()})
                return redirect(reverse("facilities:bed-status", args=[bed.pk]))
    history = bed.history.select_related("history_user").order_by("-history_date")[:30]
    return render(request, "facilities/beds/bed_status.html",
                  {"bed": bed, "form": form, "history": history, "can_manage": can_manage},
                  status=400 if request.method == "POST" else 200)


# Housekeeping -------------------------------------------------------------------------------------


@login_required
@require_GET
def housekeeping(request):
    """Environmental services' queue: beds to clean, oldest first, and today's finished ones."""
    require(access.can_clean_beds(request.user))
    tasks = bed_selectors.cleaning_queue(request.user)
    now = timezone.now()
    waiting = list(tasks.exclude(status=CleaningTask.Status.DONE).order_by("opened_at")[:200])
    for task in waiting:
        task.minutes_waiting = int((now - task.opened_at).total_seconds() // 60)
    done = tasks.filter(status=CleaningTask.Status.DONE, finished_at__gte=now - dt.timedelta(hours=12))
    return render(request, "facilities/beds/housekeeping.html",
                  {"waiting": waiting, "done": done.order_by("-finished_at")[:50], "poll_seconds": POLL_SECONDS})


@login_required
@require_POST
def cleaning_step(request, pk: int, step: str):
    require(access.can_clean_beds(request.user))
    task = get_object_or_404(bed_selectors.cleaning_queue(request.user), pk=pk)
    service = {"start": bed_services.start_cleaning, "finish": bed_services.finish_cleaning}.get(step)
    require(service is not None)
    try:
        service(actor=request.user, task=task)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Bed %(bed)s: cleaning %(step)s.") % {
            "bed": task.bed, "step": _("started") if step == "start" else _("finished")})
    return redirect(_back(request, reverse("facilities:housekeeping")))


# Stay access log ----------------------------------------------------------------------------------


@login_required
@require_GET
def stay_access_log(request):
    require(access.can_read_stay_access_log(request.user))
    rows = bed_selectors.stay_access_log(request.user)
    encounter = request.GET.get("encounter", "").strip()[:40]
    if encounter:
        rows = rows.filter(encounter_numbers__icontains=encounter)
    page = Paginator(rows, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/beds/access_log.html", {"page": page, "encounter": encounter})
