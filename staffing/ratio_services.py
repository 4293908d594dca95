"""Writes to a unit's census-driven staffing: its ratios and its target hours per patient day.

Heads of the unit (or of a department above it) and operations managers set them; each write checks the
right, validates the whole row (constraints included), keeps a history reason and runs in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hospital_ops.history import save_checked

from .models import HppdTarget, StaffingRatio
from .setup_services import _apply, _require_manager


@transaction.atomic
def save_ratio(*, actor, instance: StaffingRatio | None = None, data: dict[str, Any]) -> StaffingRatio:
    """Create or change a unit's staffing ratio for a shift (and skill). Without a department, the shift
    type's unit is used. The fields the other basis does not use are cleared."""
    data = dict(data)
    if instance is not None:
        instance = StaffingRatio.objects.select_for_update(of=("self",)).select_related("department").get(
            pk=instance.pk
        )
        _require_manager(actor, instance.department)
    elif data.get("department") is None and data.get("shift_type") is not None:
        data["department"] = data["shift_type"].department
    ratio = _apply(instance or StaffingRatio(), data, fixed=("department",))
    _require_manager(actor, getattr(ratio, "department", None))
    if ratio.basis == StaffingRatio.Basis.PATIENTS:
        ratio.hours_per_patient_day = ratio.share_percent = None
    elif ratio.basis == StaffingRatio.Basis.HOURS:
        ratio.patients_per_person = None
    return save_checked(ratio, "updated" if ratio.pk else "created")


@transaction.atomic
def save_hppd_target(*, actor, instance: HppdTarget | None = None, data: dict[str, Any]) -> HppdTarget:
    """Create or change a unit's target nursing hours per patient day from a date."""
    if instance is not None:
        instance = HppdTarget.objects.select_for_update(of=("self",)).select_related("department").get(
            pk=instance.pk
        )
        _require_manager(actor, instance.department)
    target = _apply(instance or HppdTarget(), dict(data), fixed=("department",))
    _require_manager(actor, getattr(target, "department", None))
    return save_checked(target, "updated" if target.pk else "created")
