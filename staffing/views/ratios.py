"""Census-driven staffing pages: a unit's ratios and HPPD targets (set by its heads and managers), and nursing
hours per patient day against target by unit and month (heads and managers; export as CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
from copy import copy

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hospital_ops.exports import export_response
from hospital_ops.pages import form_data, form_page, require
from hospital_ops.scoping import hospital_zone, within
from records.models import Department

from .. import access, hppd, ratio_services, selectors
from ..models import HppdTarget, StaffingRatio
from ..ratio_forms import HppdPeriodForm, HppdTargetForm, RatioForm
from ._common import _uses_rosters

RATIOS_PER_PAGE = 200


@login_required
@require_GET
def ratio_list(request):
    """Every visible unit's ratios and HPPD targets, newest first."""
    user = request.user
    require(_uses_rosters(user))
    wanted = request.GET.get("department", "")
    ratios = selectors.ratio_list(user)
    targets = selectors.hppd_target_list(user)
    if wanted.isdigit():
        unit = get_object_or_404(Department.objects.visible_to(user), pk=int(wanted))
        ratios, targets = ratios.filter(within(unit)), targets.filter(within(unit))
    units: dict[int, dict] = {}
    manageable = set(access.manageable_units(user).values_list("pk", flat=True))

    def entry(department):
        return units.setdefault(department.pk, {"unit": department, "ratios": [], "targets": [],
                                                "can_manage": department.pk in manageable})

    for ratio in ratios[:RATIOS_PER_PAGE]:
        entry(ratio.department)["ratios"].append(ratio)
    for target in targets[:RATIOS_PER_PAGE]:
        entry(target.department)["targets"].append(target)
    context = {
        "units": sorted(units.values(), key=lambda e: e["unit"].path),
        "departments": Department.objects.visible_to(user).filter(is_active=True).order_by("path"),
        "selected": wanted,
        "new_units": access.manageable_units(user).filter(shift_types__isnull=False).distinct(),
        "today": timezone.localdate(timezone.now(), hospital_zone()),
    }
    return render(request, "staffing/ratio_list.html", context)


def _ratio_form_page(request, unit: Department, instance: StaffingRatio | None = None):
    user = request.user
    require(access.can_set_up_unit(user, unit))

    def save(form):
        data = form_data(form)
        if instance is None:
            data["department"] = unit
        return ratio_services.save_ratio(actor=user, instance=instance, data=data)

    return form_page(
        request,
        RatioForm(request.POST or None, instance=copy(instance) if instance else None, department=unit),
        "staffing/ratio_form.html",
        save=save,
        success=lambda saved: _("Staffing ratio %(ratio)s saved.") % {"ratio": saved},
        then=lambda saved: f"{reverse('staffing:ratio-list')}?department={unit.pk}",
        context={"unit": unit, "ratio": instance},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ratio_create(request, unit_pk):
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk)
    return _ratio_form_page(request, unit)


@login_required
@require_http_methods(["GET", "POST"])
def ratio_edit(request, pk):
    ratio = get_object_or_404(selectors.ratio_list(request.user), pk=pk)
    return _ratio_form_page(request, ratio.department, ratio)


def _target_form_page(request, unit: Department, instance: HppdTarget | None = None):
    user = request.user
    require(access.can_set_up_unit(user, unit))

    def save(form):
        data = form_data(form)
        if instance is None:
            data["department"] = unit
        return ratio_services.save_hppd_target(actor=user, instance=instance, data=data)

    return form_page(
        request,
        HppdTargetForm(request.POST or None, instance=copy(instance) if instance else None),
        "staffing/hppd_target_form.html",
        save=save,
        success=lambda saved: _("Target %(target)s saved.") % {"target": saved},
        then=lambda saved: f"{reverse('staffing:ratio-list')}?department={unit.pk}",
        context={"unit": unit, "target": instance},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hppd_target_create(request, unit_pk):
    unit = get_object_or_404(Department.objects.visible_to(request.user), pk=unit_pk)
    return _target_form_page(request, unit)


@login_required
@require_http_methods(["GET", "POST"])
def hppd_target_edit(request, pk):
    target = get_object_or_404(selectors.hppd_target_list(request.user), pk=pk)
    return _target_form_page(request, target.department, target)


# Nursing hours per patient day -----------------------------------------------------------------------------

HPPD_HEADERS = ["Unit code", "Unit", "Month", "Nursing hours", "Patient days", "Hours per patient day",
                "Target", "Actual − target"]


@login_required
@require_GET
def hppd_page(request):
    """Actual vs target HPPD per unit and month over a range of months, for a unit's subtree or the whole
    of what the user runs; `?format=csv|xlsx` downloads the table."""
    user = request.user
    require(access.can_see_hppd(user))
    units = access.manageable_units(user)
    today = timezone.localdate(timezone.now(), hospital_zone())
    last = today.replace(day=1)
    first = (last - dt.timedelta(days=150)).replace(day=1)
    data = request.GET if "start" in request.GET else {"start": f"{first:%Y-%m}", "end": f"{last:%Y-%m}"}
    form = HppdPeriodForm(data, units=units)
    context = {"form": form, "rows": [], "totals": [], "whole": None}
    if not form.is_valid():
        return render(request, "staffing/hppd.html", context, status=400)
    unit, start, end = form.cleaned_data["unit"], form.cleaned_data["start"], form.cleaned_data["end"]
    rows = hppd.hppd_rows(user, unit=unit, start=start, end=end)
    months = hppd.by_month(rows)
    whole = hppd.HppdFigure()
    for figure in months.values():
        whole.add(figure)
    fmt = request.GET.get("format")
    if fmt:
        table = [[r.unit.code, r.unit.name, f"{r.month:%Y-%m}", r.figure.hours, r.figure.patient_days,
                  r.figure.actual, r.figure.target, r.figure.variance] for r in rows]
        table += [["", _("All units shown"), f"{month:%Y-%m}", f.hours, f.patient_days, f.actual, f.target,
                   f.variance] for month, f in months.items()]
        return export_response(f"hppd-{start:%Y-%m}-{end:%Y-%m}", HPPD_HEADERS, table, fmt, sheet="HPPD",
                               sheet_suffix=f" {start:%Y-%m}")
    context |= {"rows": rows, "totals": list(months.items()), "whole": whole, "unit": unit,
                "query": request.GET.urlencode() if "start" in request.GET else f"start={first:%Y-%m}&end={last:%Y-%m}"}
    return render(request, "staffing/hppd.html", context)
