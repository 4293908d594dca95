"""Unit setup: shift types, staffing requirements and labour rules."""

from __future__ import annotations

from collections import defaultdict
from copy import copy

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hospital_ops.pages import form_data, form_page, label_empty_choices, require
from hospital_ops.scoping import within
from records.models import Department, Employee

from .. import access, selectors, setup_services
from ..filters import ShiftTypeFilter
from ..forms import (
    WEEKDAYS,
    ContractChoiceForm,
    LabourRulesForm,
    RequirementForm,
    ShiftTypeForm,
)
from ..models import LabourRules, ShiftType
from ._common import _uses_rosters


@login_required
@require_GET
def shift_type_list(request):
    user = request.user
    require(_uses_rosters(user))
    queryset = selectors.shift_type_list(user).filter(department_id__in=Department.objects.visible_to(user))
    filterset = ShiftTypeFilter(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    shift_types = filterset.qs if filterset.is_valid() else queryset.none()
    units = defaultdict(list)
    for shift_type in shift_types:
        units[shift_type.department].append(shift_type)
    manageable = set(access.manageable_units(user).values_list("pk", flat=True))
    context = {
        "filter": filterset,
        "units": [
            {"unit": unit, "shift_types": rows, "can_manage": unit.pk in manageable} for unit, rows in units.items()
        ],
        "new_units": access.manageable_units(user).filter(shift_types__isnull=True),
    }
    return render(request, "staffing/shift_type_list.html", context)


def _shift_type_form_page(request, unit: Department, instance: ShiftType | None = None):
    user = request.user
    require(access.can_set_up_unit(user, unit))

    def save(form):
        data = form_data(form) | {"forbidden_successors": list(form.cleaned_data["forbidden_successors"])}
        if instance is None:
            data["department"] = unit
        return setup_services.save_shift_type(actor=user, instance=instance, data=data)

    return form_page(
        request,
        ShiftTypeForm(request.POST or None, instance=copy(instance) if instance else None, department=unit),
        "staffing/shift_type_form.html",
        save=save,
        success=lambda saved: _("Shift type %(shift)s saved.") % {"shift": saved},
        then=lambda saved: f"{reverse('staffing:shift-type-list')}?department={unit.pk}",
        context={"unit": unit, "shift_type": instance},
    )


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
    require(_uses_rosters(user))
    wanted = request.GET.get("department", "")
    requirements = selectors.requirement_list(user)
    if wanted.isdigit():
        unit = get_object_or_404(Department.objects.visible_to(user), pk=int(wanted))
        requirements = requirements.filter(within(unit))
    manageable = set(access.manageable_units(user).values_list("pk", flat=True))
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
    weekdays = [str(label) for _value, label in WEEKDAYS]  # translated once, not once per requirement
    for entry in units.values():
        entry["pattern"] = sorted(
            entry["pattern"].values(), key=lambda line: (line["shift_type"].start_time, line["shift_type"].code,
                                                         line["skill"].name if line["skill"] else "")
        )
        for line in entry["pattern"]:
            line["cells"] = list(zip(weekdays, line["days"], strict=True))
    context = {
        "units": list(units.values()),
        "weekdays": weekdays,
        "departments": Department.objects.visible_to(user).filter(is_active=True).order_by("path"),
        "selected": wanted,
        "new_units": access.manageable_units(user).filter(shift_types__isnull=False, staffing_requirements__isnull=True)
        .distinct(),
    }
    return render(request, "staffing/requirement_list.html", context)


def _requirement_form_page(request, unit: Department, instance=None):
    user = request.user
    require(access.can_set_up_unit(user, unit))

    def save(form):
        data = {name: form.cleaned_data[name] for name in
                ("shift_type", "skill", "required_count", "under_weight", "over_weight")}
        days, on_date = form.cleaned_data["weekdays"], form.cleaned_data["on_date"]
        return _save_requirements(user, unit, instance, data, days, on_date)

    return form_page(
        request,
        RequirementForm(request.POST or None, department=unit, instance=instance),
        "staffing/requirement_form.html",
        save=save,
        success=lambda saved: _("%(count)s requirement(s) saved.") % {"count": saved},
        then=lambda saved: f"{reverse('staffing:requirement-list')}?department={unit.pk}",
        context={"unit": unit, "requirement": instance},
    )


def _save_requirements(user, unit, instance, data, weekdays, on_date) -> int:
    """One requirement (an edit, or a date override), or the weekly pattern for the ticked weekdays."""
    if instance is not None:
        data.update(weekday=weekdays[0] if weekdays else None, on_date=on_date)
        setup_services.save_requirement(actor=user, instance=instance, data=data)
        return 1
    if on_date:
        data.update(department=unit, weekday=None, on_date=on_date)
        setup_services.save_requirement(actor=user, data=data)
        return 1
    return setup_services.save_requirement_pattern(actor=user, department=unit, data=data, weekdays=weekdays)


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
    require(_uses_rosters(user))
    rows = list(selectors.labour_rules_list(user))
    manageable = set(access.manageable_units(user).values_list("pk", flat=True))
    context = {
        "hospital": next((r for r in rows if r.scope == LabourRules.Scope.HOSPITAL), None),
        "units": [r for r in rows if r.scope == LabourRules.Scope.DEPARTMENT],
        "contracts": [r for r in rows if r.scope == LabourRules.Scope.EMPLOYEE],
        "fields": [LabourRules._meta.get_field(name) for name in LabourRules.RULE_FIELDS],
        "manageable": manageable,
        "can_edit_hospital": access.can_edit_hospital_rules(user),
        "new_units": access.manageable_units(user).exclude(labour_rules__isnull=False),
        "can_add_contract": bool(manageable),
    }
    return render(request, "staffing/labour_rules_list.html", context)


def _rules_form_page(request, *, rules_row: LabourRules | None, target: dict, shift_types, title: str):
    user = request.user
    limits = {limit.shift_type_id: limit.max_shifts for limit in rules_row.shift_limits.all()} if rules_row else {}

    def save(form):
        data = {name: form.cleaned_data[name] for name in LabourRules.RULE_FIELDS}
        if rules_row is None:
            data.update(target)
        if shift_types:
            data["shift_limits"] = form.shift_limits()
        return setup_services.save_labour_rules(actor=user, instance=rules_row, data=data)

    return form_page(
        request,
        LabourRulesForm(request.POST or None, instance=copy(rules_row) if rules_row else None,
                        shift_types=shift_types, limits=limits),
        "staffing/labour_rules_form.html",
        save=save,
        success=lambda saved: _("%(title)s saved.") % {"title": title},
        then=lambda saved: "staffing:labour-rules-list",
        context={"rules_row": rules_row, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hospital_rules_edit(request):
    require(access.can_edit_hospital_rules(request.user))
    row = LabourRules.objects.filter(scope=LabourRules.Scope.HOSPITAL).first()
    return _rules_form_page(request, rules_row=row, target={"scope": LabourRules.Scope.HOSPITAL},
                            shift_types=[], title=_("Hospital default rules"))


@login_required
@require_http_methods(["GET", "POST"])
def unit_rules_edit(request, unit_pk):
    user = request.user
    unit = get_object_or_404(Department.objects.visible_to(user), pk=unit_pk)
    require(access.can_set_up_unit(user, unit))
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
    require(access.can_set_contract(user, employee))
    row = LabourRules.objects.filter(employee=employee).first()
    return _rules_form_page(
        request, rules_row=row, target={"scope": LabourRules.Scope.EMPLOYEE, "employee": employee},
        shift_types=selectors.shift_types_above(employee.department),
        title=_("Contract rules of %(name)s") % {"name": employee.full_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_rules_create(request):
    user = request.user
    require(access.manageable_units(user).exists())
    form = ContractChoiceForm(request.POST or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            return redirect("staffing:contract-rules", employee_pk=form.cleaned_data["employee"].pk)
        return render(request, "staffing/contract_choice.html", {"form": form}, status=400)
    return render(request, "staffing/contract_choice.html", {"form": form})


# Staff self-service -------------------------------------------------------------------------------------
