"""Writes to a unit's roster setup: shift types, staffing requirements and labour rules.

Heads of the unit (or of a department above it) and operations managers change the setup;
schedulers read it. The hospital-wide default rules belong to operations managers and
administrators. Each write checks rights, validates the whole row (`full_clean`, constraints
included), keeps a history reason, and runs in one transaction: nothing is saved on an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from hospital_ops.history import save_checked
from records.models import Department

from . import access
from .models import LabourRules, Schedule, ShiftAssignment, ShiftType, ShiftTypeLimit, StaffingRequirement


def _apply(obj, data: dict[str, Any], *, fixed: Iterable[str] = ()):
    """Copy `data` onto `obj`, refusing to move the fields in `fixed` of a saved row."""
    for field, value in data.items():
        if obj.pk and field in fixed and getattr(obj, field) != value:
            raise ValidationError({field: _("This cannot be changed once saved; create a new entry instead.")})
        setattr(obj, field, value)
    return obj


def _require_manager(actor, department: Department | None, field: str = "department") -> None:
    if department is None:
        raise ValidationError({field: _("Choose the employee.") if field == "employee" else _("Choose the unit.")})
    if not access.can_manage_department(actor, department):
        raise PermissionDenied(_("Only a head of this unit or an operations manager changes its roster setup."))


def _in_unit(shift_type: ShiftType, department: Department) -> bool:
    """True when the shift type belongs to `department` or to one of its units."""
    return shift_type.department.path.startswith(department.path)


# Shift types ------------------------------------------------------------------------------------


@transaction.atomic
def save_shift_type(*, actor, instance: ShiftType | None = None, data: dict[str, Any]) -> ShiftType:
    """Create or change a shift type. `data["forbidden_successors"]` (shift types of the same unit that
    may not follow this one the next day) replaces the current set; leaving it out keeps it."""
    data = dict(data)
    forbidden_successors = data.pop("forbidden_successors", None)
    timing = None
    if instance is not None:
        instance = ShiftType.objects.select_for_update(of=("self",)).select_related("department").get(pk=instance.pk)
        _require_manager(actor, instance.department)
        timing = (instance.start_time, instance.duration_minutes)
    shift_type = _apply(instance or ShiftType(), data, fixed=("department",))
    _require_manager(actor, getattr(shift_type, "department", None))
    retimed = timing is not None and timing != (shift_type.start_time, shift_type.duration_minutes)
    if retimed and shift_type.assignments.exclude(schedule__status=Schedule.Status.DRAFT).exists():
        raise ValidationError(
            {
                "start_time": _(
                    "Rosters beyond draft use this shift: its times stay as approved. "
                    "Create a new shift type for the new times."
                )
            }
        )
    if forbidden_successors is not None:
        strangers = [s.code for s in forbidden_successors if s.department_id != shift_type.department_id]
        if strangers:
            raise ValidationError(
                {
                    "forbidden_successors": _("Choose shift types of the same unit (not %(codes)s).")
                    % {"codes": ", ".join(sorted(strangers))}
                }
            )
    reason = "updated" if shift_type.pk else "created"
    save_checked(shift_type, reason)
    if retimed:  # draft rosters follow the new times
        moved = list(shift_type.assignments.all())
        for assignment in moved:
            assignment.starts_at, assignment.ends_at = shift_type.span_on(assignment.date)
        try:
            with transaction.atomic():
                bulk_update_with_history(
                    moved,
                    ShiftAssignment,
                    ["starts_at", "ends_at"],
                    default_change_reason="shift times changed",
                    batch_size=500,
                )
        except IntegrityError as error:  # PostgreSQL: the new times would overlap someone's other shift
            raise ValidationError(
                {"start_time": _("With these times, someone's shifts in a draft roster would overlap.")}
            ) from error
    if forbidden_successors is not None:
        wanted = {s.pk for s in forbidden_successors}
        if wanted != set(shift_type.forbidden_successors.values_list("pk", flat=True)):
            shift_type._change_reason = "forbidden successors changed"
            shift_type.forbidden_successors.set(wanted)
    return shift_type


# Staffing requirements --------------------------------------------------------------------------


@transaction.atomic
def save_requirement(
    *, actor, instance: StaffingRequirement | None = None, data: dict[str, Any]
) -> StaffingRequirement:
    """Create or change how many people a unit needs on a shift (a weekday, or one date).
    Without a department, the shift type's unit is used."""
    data = dict(data)
    if instance is not None:
        instance = (
            StaffingRequirement.objects.select_for_update(of=("self",)).select_related("department").get(pk=instance.pk)
        )
        _require_manager(actor, instance.department)
    elif data.get("department") is None and data.get("shift_type") is not None:
        data["department"] = data["shift_type"].department
    requirement = _apply(instance or StaffingRequirement(), data, fixed=("department",))
    _require_manager(actor, getattr(requirement, "department", None))
    return save_checked(requirement, "updated" if requirement.pk else "created")


@transaction.atomic
def save_requirement_pattern(*, actor, department, data: dict[str, Any], weekdays: list[int]) -> int:
    """Set how many people the unit needs on a shift for each of `weekdays` (changing the entry a
    weekday already has), all or nothing. Returns how many weekdays were set."""
    existing = {
        r.weekday: r
        for r in department.staffing_requirements.filter(
            shift_type=data["shift_type"], skill=data.get("skill"), weekday__in=weekdays
        )
    }
    for weekday in weekdays:
        save_requirement(
            actor=actor,
            instance=existing.get(weekday),
            data={**data, "department": department, "weekday": weekday, "on_date": None},
        )
    return len(weekdays)


# Labour rules -------------------------------------------------------------------------------------


def _require_rules_manager(actor, rules: LabourRules) -> None:
    if rules.scope == LabourRules.Scope.HOSPITAL:
        if not access.can_edit_hospital_rules(actor):
            raise PermissionDenied(_("Only an operations manager changes the hospital's default rules."))
    elif rules.scope == LabourRules.Scope.DEPARTMENT:
        _require_manager(actor, rules.department if rules.department_id else None)
    elif rules.scope == LabourRules.Scope.EMPLOYEE:
        _require_manager(actor, rules.employee.department if rules.employee_id else None, field="employee")
        if not access.can_set_contract(actor, rules.employee):
            raise PermissionDenied(_("Nobody sets their own contract, nor that of someone whose role is above theirs."))
    else:
        raise ValidationError({"scope": _("Choose what the rules apply to.")})


def require_rules_manager(rules: LabourRules, *, actor) -> None:
    """Refuse anyone who may not change these rules (the API asks before it reads what was sent)."""
    _require_rules_manager(actor, rules)


def _check_limits(rules: LabourRules, shift_limits) -> None:
    errors = []
    seen = set()
    for shift_type, _max_shifts in shift_limits:
        if shift_type.pk in seen:
            errors.append(_("%(code)s has two limits; keep one.") % {"code": shift_type.code})
        seen.add(shift_type.pk)
        if rules.scope == LabourRules.Scope.DEPARTMENT and not _in_unit(shift_type, rules.department):
            errors.append(
                _("%(code)s is not a shift of %(unit)s.") % {"code": shift_type.code, "unit": rules.department.name}
            )
        if rules.scope == LabourRules.Scope.EMPLOYEE and not rules.employee.department.path.startswith(
            shift_type.department.path
        ):
            errors.append(
                _("%(code)s is not a shift of %(name)s's unit.")
                % {"code": shift_type.code, "name": rules.employee.full_name}
            )
    if errors:
        raise ValidationError({"shift_limits": errors})


@transaction.atomic
def save_labour_rules(*, actor, instance: LabourRules | None = None, data: dict[str, Any]) -> LabourRules:
    """Create or change labour rules: the hospital default, a unit's, or one employee's contract.

    `data["shift_limits"]`, rows of {"shift_type", "max_shifts"} (the most shifts of that type in a
    period), replaces the current limits; leaving it out keeps them. What the rules apply to is fixed
    once saved."""
    data = dict(data)
    rows = data.pop("shift_limits", None)
    shift_limits = None if rows is None else [(row["shift_type"], row["max_shifts"]) for row in rows]
    if instance is not None:
        instance = (
            LabourRules.objects.select_for_update(of=("self",))
            .select_related("department", "employee__department")
            .get(pk=instance.pk)
        )
        _require_rules_manager(actor, instance)
    rules = _apply(instance or LabourRules(), data, fixed=("scope", "department", "employee"))
    _require_rules_manager(actor, rules)
    if shift_limits is not None:
        _check_limits(rules, shift_limits)
    save_checked(rules, "updated" if rules.pk else "created")
    if shift_limits is not None:
        _replace_limits(rules, shift_limits)
    return rules


def _replace_limits(rules: LabourRules, shift_limits) -> None:
    current = {limit.shift_type_id: limit for limit in rules.shift_limits.all()}
    wanted = {shift_type.pk: (shift_type, max_shifts) for shift_type, max_shifts in shift_limits}
    for shift_type_id, limit in current.items():
        if shift_type_id not in wanted:
            limit._change_reason = "removed"
            limit.delete()
    for shift_type_id, (shift_type, max_shifts) in wanted.items():
        limit = current.get(shift_type_id)
        if limit is None:
            save_checked(ShiftTypeLimit(rules=rules, shift_type=shift_type, max_shifts=max_shifts), "created")
        elif limit.max_shifts != max_shifts:
            limit.max_shifts = max_shifts
            save_checked(limit, "updated")
