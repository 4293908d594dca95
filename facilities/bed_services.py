"""Every change to beds and stays: admit, transfer, discharge, their cancellations, pre-admission and
update, bed status and cleaning. Each runs in one transaction and locks the rows it changes (beds in
primary-key order, then the stay), so two admissions racing for the last bed end with exactly one in it,
and a transfer either moves the patient or changes nothing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked
from hospital_ops.scoping import hospital_zone
from records.models import Department

from . import access
from .models import Bed, BedCount, BedOccupancy, CleaningTask, PatientStay

Status = Bed.Status

# Which status a bed may move to from each status. Occupied and dirty are set by patient flow
# (admission, discharge); people block, release and clean.
TRANSITIONS: dict[str, set[str]] = {
    Status.AVAILABLE: {Status.OCCUPIED, Status.BLOCKED, Status.OUT_OF_SERVICE, Status.DIRTY},
    Status.OCCUPIED: {Status.DIRTY, Status.AVAILABLE},  # available: an admission or transfer cancelled
    Status.DIRTY: {Status.CLEANING, Status.BLOCKED, Status.OUT_OF_SERVICE, Status.AVAILABLE},
    Status.CLEANING: {Status.AVAILABLE, Status.DIRTY},
    Status.BLOCKED: {Status.AVAILABLE, Status.OUT_OF_SERVICE, Status.DIRTY, Status.BLOCKED},
    Status.OUT_OF_SERVICE: {Status.AVAILABLE, Status.BLOCKED, Status.DIRTY, Status.OUT_OF_SERVICE},
}
MANUAL_STATUSES = {Status.AVAILABLE, Status.BLOCKED, Status.OUT_OF_SERVICE, Status.DIRTY}


def _lock_beds(*beds: Bed) -> dict[int, Bed]:
    ids = sorted({bed.pk for bed in beds if bed is not None})
    return {bed.pk: bed for bed in Bed.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _lock_stay(stay: PatientStay) -> PatientStay:
    return PatientStay.objects.select_for_update().get(pk=stay.pk)


def _set_status(bed: Bed, status: str, *, actor=None, reason: str = "", at: dt.datetime | None = None,
                until: dt.datetime | None = None) -> Bed:
    """Move a locked bed to `status`, keeping who, when and why (in the bed and its history)."""
    if status not in TRANSITIONS[bed.status]:
        raise ValidationError(
            _("Bed %(bed)s is %(current)s and cannot become %(wanted)s.")
            % {"bed": bed, "current": bed.get_status_display().lower(), "wanted": Status(status).label.lower()},
            code="conflict",
        )
    bed.status = status
    bed.status_changed_at = at or timezone.now()
    bed.status_changed_by = actor if getattr(actor, "pk", None) else None
    bed.status_reason = reason[:200]
    bed.blocked_until = until if status in (Status.BLOCKED, Status.OUT_OF_SERVICE) else None
    bed._history_user = bed.status_changed_by
    return save_checked(bed, f"{Status(status).label.lower()}: {reason}" if reason else Status(status).label.lower())


@transaction.atomic
def change_bed_status(*, actor, bed: Bed, status: str, reason: str = "", until: dt.datetime | None = None) -> Bed:
    """Block, put out of service, release or mark dirty: a unit head or a hospital-wide role, with a reason
    for a block."""
    bed = _lock_beds(bed)[bed.pk]
    if not access.can_manage_beds(actor, bed.unit):
        raise PermissionDenied
    if status not in MANUAL_STATUSES:
        raise ValidationError(_("Choose available, blocked, out of service or dirty."))
    if status in (Status.BLOCKED, Status.OUT_OF_SERVICE) and not reason.strip():
        raise ValidationError({"reason": _("Say why the bed is blocked.")})
    if until is not None and until <= timezone.now():
        raise ValidationError({"until": _("The expected return must be in the future.")})
    return _set_status(bed, status, actor=actor, reason=reason.strip(), until=until)


@transaction.atomic
def save_bed(*, actor, data: dict, instance: Bed | None = None) -> Bed:
    """Add a bed to a room of a unit, or change its label, kind, attributes and staffing. A change to the
    beds a unit staffs or holds is written to its bed count from today."""
    bed = instance or Bed()
    units_before: set[int] = set()
    if instance is not None:
        bed = _lock_beds(instance)[instance.pk]
        if not access.can_manage_beds(actor, bed.unit):
            raise PermissionDenied
        units_before.add(bed.unit_id)
    for field, value in data.items():
        if field in ("status", "status_changed_at", "status_changed_by", "blocked_until"):
            continue
        setattr(bed, field, value)
    if bed.unit_id is None and bed.room_id is not None:
        bed.unit = bed.room.department
    if bed.unit_id is None or not access.can_manage_beds(actor, bed.unit):
        raise PermissionDenied
    if bed.room_id and bed.room.department_id != bed.unit_id and not bed.unit.path.startswith(bed.room.department.path):
        raise ValidationError({"room": _("Choose a room of the bed's unit.")})
    if instance is not None and "is_active" in data and not data["is_active"] and bed.status == Status.OCCUPIED:
        raise ValidationError({"is_active": _("A bed with a patient in it stays in use.")})
    units = sorted(units_before | {bed.unit_id})
    keep_counts_before(unit_ids=units)
    bed._history_user = actor
    saved = save_checked(bed, "bed saved" if instance else "bed added")
    record_bed_counts(unit_ids=units)
    return saved


# Bed counts over time ----------------------------------------------------------------------------


def _counts_now(unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{unit id: (staffed, licensed)} as the beds stand now."""
    rows = (Bed.objects.filter(unit_id__in=unit_ids, is_active=True).values("unit_id")
            .annotate(licensed=Count("pk"), staffed=Count("pk", filter=Q(is_staffed=True))).order_by())
    found = {row["unit_id"]: (row["staffed"], row["licensed"]) for row in rows}
    return {unit_id: found.get(unit_id, (0, 0)) for unit_id in unit_ids}


def _lock_units(unit_ids: list[int]) -> None:
    """Two beds of one unit changed at once: the second count waits for the first, and sees it."""
    list(Department.objects.select_for_update().filter(pk__in=sorted(unit_ids)).order_by("pk")
         .values_list("pk", flat=True))


def keep_counts_before(*, unit_ids: list[int]) -> None:
    """Before the first change recorded for a unit, keep what it had until then (dated yesterday, so it holds
    for every earlier day): without it, the new count would reach back over the unit's past."""
    _lock_units(unit_ids)
    recorded = set(BedCount.objects.filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    missing = [unit_id for unit_id in unit_ids if unit_id not in recorded]
    if not missing:
        return
    yesterday = timezone.localdate(timezone.now(), hospital_zone()) - dt.timedelta(days=1)
    BedCount.objects.bulk_create([
        BedCount(unit_id=unit_id, effective_from=yesterday, staffed_beds=staffed, licensed_beds=licensed)
        for unit_id, (staffed, licensed) in _counts_now(missing).items()
    ])


def record_bed_counts(*, unit_ids: list[int], day: dt.date | None = None) -> list[BedCount]:
    """Write each unit's staffed and licensed beds, as they stand now, as its count from `day` (today). A
    count equal to the one already in force writes nothing; a change undone the same day removes that day's
    row. Call `keep_counts_before` before changing the beds, in the same transaction."""
    day = day or timezone.localdate(timezone.now(), hospital_zone())
    _lock_units(unit_ids)
    written = []
    for unit_id, (staffed, licensed) in _counts_now(list(unit_ids)).items():
        before = (BedCount.objects.filter(unit_id=unit_id, effective_from__lt=day)
                  .order_by("-effective_from").values_list("staffed_beds", "licensed_beds").first())
        if before == (staffed, licensed):
            BedCount.objects.filter(unit_id=unit_id, effective_from=day).delete()
            continue
        count, _created = BedCount.objects.update_or_create(
            unit_id=unit_id, effective_from=day, defaults={"staffed_beds": staffed, "licensed_beds": licensed},
        )
        written.append(count)
    return written


# Patient flow ------------------------------------------------------------------------------------


def fits(bed: Bed, stay: PatientStay) -> bool:
    """The bed suits the waiting patient: the kind asked for, isolation when needed."""
    return (not stay.needs_kind or bed.kind == stay.needs_kind) and (not stay.needs_isolation or bed.isolation)


def _check_order(stay: PatientStay, at: dt.datetime) -> None:
    if stay.last_event_at and at < stay.last_event_at:
        raise ValidationError(
            _("This event (%(at)s) is older than the last one applied to encounter %(enc)s (%(last)s).")
            % {"at": at.isoformat(), "enc": stay.encounter_number, "last": stay.last_event_at.isoformat()},
            code="out_of_order",
        )


def _touch(stay: PatientStay, at: dt.datetime) -> None:
    if stay.last_event_at is None or at > stay.last_event_at:
        stay.last_event_at = at


def _save_stay(stay: PatientStay, reason: str, actor=None) -> PatientStay:
    stay._history_user = actor if getattr(actor, "pk", None) else None
    try:
        with transaction.atomic():
            return save_checked(stay, reason)
    except IntegrityError as error:
        raise ValidationError(_("This patient or bed already has a current stay."), code="conflict") from error


def _check_free(bed: Bed, at: dt.datetime) -> None:
    """The locked bed may take a patient at `at`."""
    if not bed.is_active:
        raise ValidationError(_("Bed %(bed)s is not in use.") % {"bed": bed}, code="conflict")
    if bed.status != Status.AVAILABLE:
        raise ValidationError(
            _("Bed %(bed)s is %(status)s.") % {"bed": bed, "status": bed.get_status_display().lower()},
            code="conflict",
        )
    if BedOccupancy.objects.filter(bed=bed, ends_at__isnull=True).exists():
        raise ValidationError(_("Bed %(bed)s already holds a patient.") % {"bed": bed}, code="conflict")
    if BedOccupancy.objects.filter(bed=bed, ends_at__gt=at).exists():
        raise ValidationError(
            _("Bed %(bed)s was taken by another patient after %(at)s.") % {"bed": bed, "at": at.isoformat()},
            code="conflict",
        )


def _occupy(stay: PatientStay, bed: Bed, at: dt.datetime, actor) -> None:
    _check_free(bed, at)
    try:
        with transaction.atomic():
            BedOccupancy.objects.create(stay=stay, bed=bed, unit_id=bed.unit_id, starts_at=at)
    except IntegrityError as error:
        raise ValidationError(_("Bed %(bed)s already holds a patient.") % {"bed": bed}, code="conflict") from error
    _set_status(bed, Status.OCCUPIED, actor=actor, reason=f"admitted {stay.encounter_number}", at=at)


def _release(stay: PatientStay, bed: Bed, at: dt.datetime, actor, reason: str) -> None:
    occupancy = BedOccupancy.objects.select_for_update().filter(stay=stay, ends_at__isnull=True).first()
    if occupancy is not None:
        if at < occupancy.starts_at:
            raise ValidationError(
                _("This event (%(at)s) comes before the patient entered bed %(bed)s.")
                % {"at": at.isoformat(), "bed": bed}, code="out_of_order",
            )
        occupancy.ends_at = at
        occupancy.save(update_fields=["ends_at"])
    _set_status(bed, Status.DIRTY, actor=actor, reason=reason, at=at)
    CleaningTask.objects.get_or_create(
        bed=bed, status__in=[CleaningTask.Status.OPEN, CleaningTask.Status.IN_PROGRESS],
        defaults={"opened_at": at, "status": CleaningTask.Status.OPEN},
    )


@transaction.atomic
def pre_admit(*, actor, encounter_number: str, mrn: str, unit: Department, at: dt.datetime,
              needs_kind: str = "", needs_isolation: bool = False, waiting_location: str = "",
              expected_discharge: dt.date | None = None) -> PatientStay:
    """A patient expected or waiting for a bed in `unit` (boarding in the emergency department, a planned
    admission): shown on the board as pending, with the hours they have waited."""
    stay = PatientStay.objects.select_for_update().filter(encounter_number=encounter_number).first()
    if stay is not None:
        _check_order(stay, at)
        if stay.status != PatientStay.Status.PENDING:
            raise ValidationError(
                _("Encounter %(enc)s is already %(status)s.")
                % {"enc": encounter_number, "status": stay.get_status_display().lower()}, code="conflict",
            )
    else:
        stay = PatientStay(encounter_number=encounter_number, waiting_since=at)
    stay.mrn, stay.unit, stay.status = mrn, unit, PatientStay.Status.PENDING
    stay.needs_kind, stay.needs_isolation = needs_kind, needs_isolation
    stay.waiting_location = waiting_location
    if expected_discharge is not None:
        stay.expected_discharge = expected_discharge
    _touch(stay, at)
    return _save_stay(stay, "pre-admitted", actor)


@transaction.atomic
def admit(*, actor, encounter_number: str, mrn: str, bed: Bed, at: dt.datetime,
          expected_discharge: dt.date | None = None) -> PatientStay:
    """Put a patient (waiting, or new) in a free bed. The bed is locked first: of two admissions racing
    for it, the second finds it occupied."""
    bed = _lock_beds(bed)[bed.pk]
    stay = PatientStay.objects.select_for_update().filter(encounter_number=encounter_number).first()
    if stay is None:
        stay = PatientStay(encounter_number=encounter_number, mrn=mrn, unit_id=bed.unit_id)
    else:
        _check_order(stay, at)
        if stay.status != PatientStay.Status.PENDING:
            raise ValidationError(
                _("Encounter %(enc)s is already %(status)s.")
                % {"enc": encounter_number, "status": stay.get_status_display().lower()}, code="conflict",
            )
        if mrn and stay.mrn != mrn:
            raise ValidationError(_("Encounter %(enc)s belongs to another MRN.") % {"enc": encounter_number})
    if PatientStay.objects.filter(mrn=stay.mrn, status=PatientStay.Status.ACTIVE).exclude(pk=stay.pk).exists():
        raise ValidationError(_("This patient is already in a bed."), code="conflict")
    _check_free(bed, at)
    stay.status, stay.unit_id, stay.bed, stay.admitted_at = PatientStay.Status.ACTIVE, bed.unit_id, bed, at
    if expected_discharge is not None:
        stay.expected_discharge = expected_discharge
    _touch(stay, at)
    stay = _save_stay(stay, f"admitted to {bed}", actor)
    _occupy(stay, bed, at, actor)
    return stay


@transaction.atomic
def assign_bed(*, actor, stay: PatientStay, bed: Bed) -> PatientStay:
    """Place a waiting patient in a bed that fits, from the bed board."""
    if not access.can_move_patients(actor, bed.unit):
        raise PermissionDenied
    stay = _lock_stay(stay)
    if stay.status != PatientStay.Status.PENDING:
        raise ValidationError(_("This patient is no longer waiting."), code="conflict")
    if not fits(bed, stay):
        raise ValidationError(_("Bed %(bed)s does not fit this patient (kind or isolation).") % {"bed": bed})
    return admit(actor=actor, encounter_number=stay.encounter_number, mrn=stay.mrn, bed=bed,
                 at=max(timezone.now(), stay.last_event_at or timezone.now()))


@transaction.atomic
def transfer(*, actor, stay: PatientStay, bed: Bed, at: dt.datetime) -> PatientStay:
    """Move a patient to another bed (any unit): the old bed is released and the new one taken, or
    neither."""
    current = PatientStay.objects.filter(pk=stay.pk).values_list("bed_id", flat=True).first()
    beds = _lock_beds(bed, Bed(pk=current) if current else None)
    stay = _lock_stay(stay)
    _check_order(stay, at)
    if stay.status != PatientStay.Status.ACTIVE or stay.bed_id != current:
        raise ValidationError(_("Only a patient in a bed can be transferred."), code="conflict")
    if stay.bed_id == bed.pk:
        raise ValidationError(_("The patient is already in bed %(bed)s.") % {"bed": bed}, code="conflict")
    old, new = beds[current], beds[bed.pk]
    _check_free(new, at)
    _release(stay, old, at, actor, f"transferred {stay.encounter_number}")
    stay.bed, stay.unit_id = new, new.unit_id
    _touch(stay, at)
    stay = _save_stay(stay, f"transferred to {new}", actor)
    _occupy(stay, new, at, actor)
    return stay


@transaction.atomic
def discharge(*, actor, stay: PatientStay, at: dt.datetime) -> PatientStay:
    """The patient leaves: the bed turns dirty and a cleaning task opens."""
    current = PatientStay.objects.filter(pk=stay.pk).values_list("bed_id", flat=True).first()
    beds = _lock_beds(Bed(pk=current)) if current else {}
    stay = _lock_stay(stay)
    _check_order(stay, at)
    if stay.status != PatientStay.Status.ACTIVE:
        raise ValidationError(_("Only a patient in a bed can be discharged."), code="conflict")
    if at < stay.admitted_at:
        raise ValidationError(_("A discharge cannot come before the admission."))
    _release(stay, beds[current], at, actor, f"discharged {stay.encounter_number}")
    stay.status, stay.discharged_at = PatientStay.Status.DISCHARGED, at
    _touch(stay, at)
    return _save_stay(stay, "discharged", actor)


@transaction.atomic
def discharge_from_board(*, actor, stay: PatientStay) -> PatientStay:
    if not access.can_move_patients(actor, stay.unit):
        raise PermissionDenied
    return discharge(actor=actor, stay=stay, at=max(timezone.now(), stay.last_event_at or timezone.now()))


@transaction.atomic
def cancel_admit(*, actor, stay: PatientStay, at: dt.datetime) -> PatientStay:
    """The admission was entered in error: the stay is cancelled, the bed freed, and the stay's time in
    beds no longer counts in the census."""
    current = PatientStay.objects.filter(pk=stay.pk).values_list("bed_id", flat=True).first()
    beds = _lock_beds(Bed(pk=current)) if current else {}
    stay = _lock_stay(stay)
    _check_order(stay, at)
    if stay.status not in (PatientStay.Status.ACTIVE, PatientStay.Status.PENDING):
        raise ValidationError(_("Only a current admission can be cancelled."), code="conflict")
    if stay.status == PatientStay.Status.ACTIVE:
        BedOccupancy.objects.filter(stay=stay).delete()
        if beds[current].status == Status.OCCUPIED:
            reason = f"admission {stay.encounter_number} cancelled"
            _set_status(beds[current], Status.AVAILABLE, actor=actor, reason=reason, at=at)
    stay.status, stay.bed = PatientStay.Status.CANCELLED, None
    _touch(stay, at)
    return _save_stay(stay, "admission cancelled", actor)


@transaction.atomic
def cancel_discharge(*, actor, stay: PatientStay, at: dt.datetime) -> PatientStay:
    """The discharge was entered in error: the patient is back in their bed, if no one else took it."""
    bed_id = PatientStay.objects.filter(pk=stay.pk).values_list("bed_id", flat=True).first()
    beds = _lock_beds(Bed(pk=bed_id)) if bed_id else {}
    stay = _lock_stay(stay)
    _check_order(stay, at)
    if stay.status != PatientStay.Status.DISCHARGED or not bed_id:
        raise ValidationError(_("Only a discharged stay can have its discharge cancelled."), code="conflict")
    bed = beds[bed_id]
    last = BedOccupancy.objects.select_for_update().filter(stay=stay).order_by("-starts_at").first()
    if bed.status == Status.OCCUPIED or BedOccupancy.objects.filter(bed=bed, starts_at__gte=last.ends_at).exclude(
        pk=last.pk
    ).exists():
        raise ValidationError(_("Bed %(bed)s has been given to another patient.") % {"bed": bed}, code="conflict")
    CleaningTask.objects.filter(bed=bed).exclude(status=CleaningTask.Status.DONE).delete()
    if bed.status != Status.AVAILABLE:
        _set_status(bed, Status.AVAILABLE, actor=actor, reason="discharge cancelled", at=at)
    last.ends_at = None
    last.save(update_fields=["ends_at"])
    _set_status(bed, Status.OCCUPIED, actor=actor, reason=f"discharge of {stay.encounter_number} cancelled", at=at)
    stay.status, stay.discharged_at = PatientStay.Status.ACTIVE, None
    _touch(stay, at)
    return _save_stay(stay, "discharge cancelled", actor)


@transaction.atomic
def cancel_transfer(*, actor, stay: PatientStay, at: dt.datetime) -> PatientStay:
    """The transfer was entered in error: the patient is back in the bed they came from, if it is free."""
    occupancies = list(BedOccupancy.objects.filter(stay=stay).order_by("-starts_at")[:2])
    if len(occupancies) < 2 or occupancies[0].ends_at is not None:
        raise ValidationError(_("This stay has no transfer to cancel."), code="conflict")
    latest, previous = occupancies
    beds = _lock_beds(Bed(pk=latest.bed_id), Bed(pk=previous.bed_id))
    stay = _lock_stay(stay)
    _check_order(stay, at)
    back = beds[previous.bed_id]
    if back.status == Status.OCCUPIED:
        raise ValidationError(_("Bed %(bed)s has been given to another patient.") % {"bed": back}, code="conflict")
    CleaningTask.objects.filter(bed=back).exclude(status=CleaningTask.Status.DONE).delete()
    if back.status != Status.AVAILABLE:
        _set_status(back, Status.AVAILABLE, actor=actor, reason="transfer cancelled", at=at)
    latest.delete()
    previous.ends_at = None
    previous.save(update_fields=["ends_at"])
    _set_status(beds[latest.bed_id], Status.AVAILABLE, actor=actor, reason="transfer cancelled", at=at)
    _set_status(back, Status.OCCUPIED, actor=actor, reason=f"transfer of {stay.encounter_number} cancelled", at=at)
    stay.bed, stay.unit_id = back, back.unit_id
    _touch(stay, at)
    return _save_stay(stay, "transfer cancelled", actor)


@transaction.atomic
def update_stay(*, actor, stay: PatientStay, at: dt.datetime, expected_discharge: dt.date | None = None,
                mrn: str = "", needs_kind: str | None = None, needs_isolation: bool | None = None) -> PatientStay:
    """Patient information changed (expected discharge, MRN merge, needs of a waiting patient)."""
    stay = _lock_stay(stay)
    _check_order(stay, at)
    if expected_discharge is not None:
        stay.expected_discharge = expected_discharge
    if mrn:
        stay.mrn = mrn
    if needs_kind is not None:
        stay.needs_kind = needs_kind
    if needs_isolation is not None:
        stay.needs_isolation = needs_isolation
    _touch(stay, at)
    return _save_stay(stay, "updated", actor)


# Housekeeping ------------------------------------------------------------------------------------


@transaction.atomic
def start_cleaning(*, actor, task: CleaningTask) -> CleaningTask:
    if not access.can_clean_beds(actor):
        raise PermissionDenied
    task = CleaningTask.objects.select_for_update().select_related("bed").get(pk=task.pk)
    bed = _lock_beds(task.bed)[task.bed_id]
    if task.status != CleaningTask.Status.OPEN:
        raise ValidationError(_("This bed is already being cleaned or done."), code="conflict")
    now = timezone.now()
    task.status, task.started_at, task.started_by = CleaningTask.Status.IN_PROGRESS, now, actor
    task._history_user = actor
    save_checked(task, "cleaning started")
    if bed.status == Status.DIRTY:
        _set_status(bed, Status.CLEANING, actor=actor, reason="cleaning started", at=now)
    return task


@transaction.atomic
def finish_cleaning(*, actor, task: CleaningTask) -> CleaningTask:
    if not access.can_clean_beds(actor):
        raise PermissionDenied
    task = CleaningTask.objects.select_for_update().select_related("bed").get(pk=task.pk)
    bed = _lock_beds(task.bed)[task.bed_id]
    if task.status == CleaningTask.Status.DONE:
        raise ValidationError(_("This bed is already clean."), code="conflict")
    now = timezone.now()
    if task.started_at is None:
        task.started_at, task.started_by = now, actor
    task.status, task.finished_at, task.finished_by = CleaningTask.Status.DONE, now, actor
    task._history_user = actor
    save_checked(task, "cleaning finished")
    if bed.status in (Status.DIRTY, Status.CLEANING):
        _set_status(bed, Status.AVAILABLE, actor=actor, reason="cleaned", at=now)
    return task
