"""Reads for beds and stays: lists scoped to the caller, the bed board, the housekeeping queue, and the
record of who viewed which stays."""

from __future__ import annotations

from django.db.models import Count, Prefetch

from records import access as roles
from records.models import Department

from . import access
from .models import Bed, CleaningTask, PatientStay, StayAccess


def bed_list(user):
    return Bed.objects.visible_to(user).select_related("room__floor__building", "unit")


def stay_list(user):
    return PatientStay.objects.visible_to(user).select_related("bed__room", "unit")


def current_stays(user):
    return stay_list(user).filter(status=PatientStay.Status.ACTIVE)


def board_units(user, unit: Department | None = None):
    """Units with beds the user sees on the board (one unit, or every one)."""
    units = Department.objects.visible_to(user).filter(beds__is_active=True).distinct().order_by("path")
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    return units


def board(user, unit: Department | None = None) -> dict:
    """The bed board: each unit's active beds with their current stay, the patients waiting for a bed, and
    counts by status. Four queries, whatever the number of beds."""
    beds = bed_list(user).select_related(None).select_related("room", "unit").filter(is_active=True).order_by(
        "unit__code", "room__number", "label").prefetch_related(
        Prefetch("stays", queryset=PatientStay.objects.filter(status=PatientStay.Status.ACTIVE), to_attr="current"),
    )
    waiting = stay_list(user).filter(status=PatientStay.Status.PENDING).order_by("waiting_since")
    if unit is not None:
        beds = beds.filter(unit__path__startswith=unit.path)
        waiting = waiting.filter(unit__path__startswith=unit.path)
    units: dict[int, dict] = {}
    counts = {status: 0 for status in Bed.Status.values}
    for bed in beds:
        bed.stay = bed.current[0] if bed.current else None
        group = units.setdefault(bed.unit_id, {"unit": bed.unit, "beds": []})
        group["beds"].append(bed)
        counts[bed.status] += 1
    return {"units": list(units.values()), "waiting": list(waiting), "counts": counts,
            "total": sum(counts.values())}


def fitting_beds(user, stay: PatientStay):
    """Free beds the waiting patient may go to: the kind asked for, isolation when needed, in units the user
    may move patients in (the patient's own unit first)."""
    beds = bed_list(user).filter(is_active=True, status=Bed.Status.AVAILABLE)
    if stay.needs_kind:
        beds = beds.filter(kind=stay.needs_kind)
    if stay.needs_isolation:
        beds = beds.filter(isolation=True)
    allowed = roles.departments_where(user, roles.HEAD, roles.SCHEDULER)
    return beds.filter(unit__in=allowed).order_by("unit__code", "room__number", "label")


def cleaning_queue(user):
    """Beds waiting for or under cleaning: every bed for environmental services and hospital-wide roles."""
    tasks = CleaningTask.objects.select_related("bed__room__floor__building", "bed__unit", "started_by")
    if not access.can_clean_beds(user):
        tasks = tasks.visible_to(user)
    return tasks


def status_counts(user):
    return bed_list(user).values("status").annotate(n=Count("pk")).order_by("status")


def stay_access_log(user):
    if not access.can_read_stay_access_log(user):
        return StayAccess.objects.none()
    return StayAccess.objects.select_related("user")


def record_stay_access(user, where: str, encounter_numbers) -> None:
    """Note who saw which stays (minimum necessary: encounter numbers only)."""
    numbers = sorted({str(number) for number in encounter_numbers if number})
    if numbers:
        StayAccess.objects.create(user=user if user.is_authenticated else None, where=where[:200],
                                  encounter_numbers=numbers, count=len(numbers))


