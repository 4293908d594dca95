"""Beds and patient flow: beds in rooms of a nursing unit, the stays that occupy them (and where each stay
lay, hour by hour, for the census), patients waiting for a bed, cleaning after a discharge, the ADT
events as the hospital's systems sent them, and who looked at which stays.

A stay carries only a pseudonymous encounter number and the MRN exactly as received: no names, no
diagnoses."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import operating_date
from records.models import Department

from .registry import Room


class BedQuerySet(ScopedQuerySet):
    """A bed is seen by whoever sees its unit."""

    scope = Scope(departments=("unit",))


class Bed(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        ICU = "icu", _("Intensive care")
        STEP_DOWN = "step_down", _("Step-down")
        PAEDIATRIC = "paediatric", _("Paediatric")
        NEONATAL = "neonatal", _("Neonatal")
        MATERNITY = "maternity", _("Maternity")
        PSYCHIATRIC = "psychiatric", _("Psychiatric")
        OBSERVATION = "observation", _("Observation")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        OCCUPIED = "occupied", _("Occupied")
        DIRTY = "dirty", _("Dirty")
        CLEANING = "cleaning", _("Cleaning")
        BLOCKED = "blocked", _("Blocked")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    ATTRIBUTES = {
        "isolation": _("Isolation"),
        "negative_pressure": _("Negative pressure"),
        "oxygen": _("Oxygen"),
        "telemetry": _("Telemetry"),
        "bariatric": _("Bariatric"),
    }

    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="beds")
    unit = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="beds",
        help_text=_("The nursing unit the bed is staffed by."),
    )
    label = models.CharField(_("label"), max_length=10, help_text=_("The bed's letter or number in its room."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    isolation = models.BooleanField(_("isolation"), default=False)
    negative_pressure = models.BooleanField(_("negative pressure"), default=False)
    oxygen = models.BooleanField(_("oxygen"), default=True)
    telemetry = models.BooleanField(_("telemetry"), default=False)
    bariatric = models.BooleanField(_("bariatric"), default=False)
    is_staffed = models.BooleanField(
        _("staffed"), default=True,
        help_text=_("Licensed beds count always; staffed beds are those open for patients."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False,
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    blocked_until = models.DateTimeField(_("expected back"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = BedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__code", "room__number", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "label"], name="bed_unique_label_in_room",
                violation_error_message=_("This room already has a bed with this label."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["blocked", "out_of_service"]) | Q(blocked_until__isnull=True),
                name="bed_expected_back_only_when_blocked",
                violation_error_message=_("Only a blocked or out-of-service bed has an expected return."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="bed_unit_status_idx")]

    def __str__(self):
        return f"{self.room.number}-{self.label}"

    @property
    def name(self) -> str:
        return str(self)

    @property
    def attribute_names(self) -> list[str]:
        return [str(label) for field, label in self.ATTRIBUTES.items() if getattr(self, field)]


class BedCountQuerySet(ScopedQuerySet):
    scope = Scope(departments=("unit",))


class BedCount(models.Model):
    """How many beds a unit had, from a day on: staffed (open for patients) and licensed (all beds in use).

    Occupancy divides each day's patients by the beds of that day, so a bay closed in summer or opened for the
    winter changes the figures from then on and leaves earlier months as they were. The bed services write a
    row whenever a bed's staffing, use or unit changes (one row per unit and day: the count at the day's end,
    which is what its midnight census meets). The count of a day is the latest row on or before it; before a
    unit's first row its first row holds (nothing earlier was recorded), and a unit without rows is counted
    with the beds it has now.

    Rows are kept per unit rather than derived from each bed's history: the census reads a few rows a unit
    instead of walking every bed's status changes, and the row says exactly what a day was measured against."""

    unit = models.ForeignKey(Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bed_counts")
    effective_from = models.DateField(_("from"))
    staffed_beds = models.PositiveIntegerField(_("staffed beds"))
    licensed_beds = models.PositiveIntegerField(_("licensed beds"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    objects = BedCountQuerySet.as_manager()

    class Meta:
        ordering = ["unit__code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "effective_from"], name="bed_count_one_per_unit_and_day",
                violation_error_message=_("This unit already has a bed count from this day."),
            ),
            models.CheckConstraint(
                condition=Q(staffed_beds__lte=F("licensed_beds")), name="bed_count_staffed_within_licensed",
                violation_error_message=_("A unit cannot staff more beds than it is licensed for."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} from {self.effective_from}: {self.staffed_beds} / {self.licensed_beds}"


class StayQuerySet(ScopedQuerySet):
    """Stays are seen by whoever sees their unit; board members never."""

    scope = Scope(departments=("unit",))

    def active(self):
        return self.filter(status=PatientStay.Status.ACTIVE)

    def pending(self):
        return self.filter(status=PatientStay.Status.PENDING)


class PatientStay(models.Model):
    """One inpatient encounter: pending (waiting for a bed, e.g. boarding in the emergency department),
    active (in a bed), discharged, or cancelled."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a bed")
        ACTIVE = "active", _("In a bed")
        DISCHARGED = "discharged", _("Discharged")
        CANCELLED = "cancelled", _("Cancelled")

    encounter_number = models.CharField(_("encounter number"), max_length=40, unique=True)
    mrn = models.CharField(_("MRN as received"), max_length=40)
    unit = models.ForeignKey(Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="stays")
    bed = models.ForeignKey(
        Bed, verbose_name=_("bed"), on_delete=models.PROTECT, null=True, blank=True, related_name="stays",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    needs_kind = models.CharField(_("bed kind needed"), max_length=20, choices=Bed.Kind.choices, blank=True)
    needs_isolation = models.BooleanField(_("needs isolation"), default=False)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    waiting_location = models.CharField(_("waiting in"), max_length=40, blank=True)
    admitted_at = models.DateTimeField(_("admitted at"), null=True, blank=True)
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    expected_discharge = models.DateField(
        _("expected discharge"), null=True, blank=True, validators=[operating_date],
    )
    last_event_at = models.DateTimeField(_("last event at"), null=True, blank=True, editable=False)

    objects = StayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__code", "encounter_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=Q(status="active"), name="stay_one_active_per_bed",
                violation_error_message=_("This bed already holds a patient."),
            ),
            models.UniqueConstraint(
                fields=["mrn"], condition=Q(status__in=["active", "pending"]), name="stay_one_active_per_patient",
                violation_error_message=_("This patient already has a current stay."),
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(bed__isnull=False, admitted_at__isnull=False),
                name="stay_active_has_bed",
                violation_error_message=_("A stay in a bed needs the bed and the admission time."),
            ),
            models.CheckConstraint(
                condition=Q(discharged_at__isnull=True) | Q(discharged_at__gte=F("admitted_at")),
                name="stay_discharged_after_admission",
                violation_error_message=_("A discharge cannot come before the admission."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="stay_unit_status_idx"),
            models.Index(fields=["admitted_at", "discharged_at"], name="stay_period_idx"),
        ]

    def __str__(self):
        return self.encounter_number


class BedOccupancy(models.Model):
    """Where a stay lay and when: one row per bed it occupied, closed at transfer or discharge. The census
    is counted from these rows, so a transfer moves the patient-day to the receiving unit."""

    stay = models.ForeignKey(PatientStay, on_delete=models.CASCADE, related_name="occupancies")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    unit = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=Q(ends_at__isnull=True), name="occupancy_one_open_per_bed",
            ),
            models.UniqueConstraint(
                fields=["stay"], condition=Q(ends_at__isnull=True), name="occupancy_one_open_per_stay",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")), name="occupancy_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["unit", "starts_at", "ends_at"], name="occupancy_unit_period_idx")]

    def __str__(self):
        return f"{self.stay_id} in {self.bed_id} from {self.starts_at:%Y-%m-%d %H:%M}"


class CleaningTaskQuerySet(ScopedQuerySet):
    scope = Scope(departments=("bed__unit",))


class CleaningTask(models.Model):
    """A bed to clean after a discharge (or on request): open → in progress → done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting")
        IN_PROGRESS = "in_progress", _("Cleaning")
        DONE = "done", _("Done")

    bed = models.ForeignKey(Bed, verbose_name=_("bed"), on_delete=models.PROTECT, related_name="cleaning_tasks")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    objects = CleaningTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"], condition=~Q(status="done"), name="cleaning_one_open_per_bed",
                violation_error_message=_("This bed already has a cleaning task."),
            ),
        ]

    def __str__(self):
        return f"{self.bed} · {self.get_status_display()}"


class AdtEvent(models.Model):
    """An admission, transfer or discharge event as a hospital system sent it (REST or HL7 v2), and what
    came of it. The sender's event id makes a repeat harmless."""

    class Channel(models.TextChoices):
        REST = "rest", _("REST")
        HL7 = "hl7", _("HL7 v2")

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")
        MALFORMED = "malformed", _("Malformed")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender_event_id = models.CharField(max_length=80, unique=True, null=True, blank=True)
    event_type = models.CharField(max_length=30, blank=True)
    event_time = models.DateTimeField(null=True, blank=True)
    encounter_number = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    body = models.TextField(help_text=_("The event exactly as received."))
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.TextField(blank=True)
    stay = models.ForeignKey(PatientStay, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["encounter_number", "event_time"], name="adt_encounter_time_idx")]

    def __str__(self):
        return f"{self.event_type or '?'} {self.sender_event_id or ''}".strip()


class StayAccess(models.Model):
    """Who looked at which stays, when and where (page or API): read by administrators."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    where = models.CharField(max_length=200)
    encounter_numbers = models.JSONField(default=list)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} · {self.where} · {self.count}"
