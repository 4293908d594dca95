"""Census-driven staffing: a unit's nurse-to-patient ratios (or hours per patient day) per shift and skill,
and its target nursing hours per patient day. Both are effective-dated: a setting holds from its first day
until the next one of the same shift and skill (or the unit's next target) begins, or until its last day."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.validators import operating_date
from records.models import Department, Skill

from .models import ShiftType, UnitScopedQuerySet

MIN_PATIENTS, MAX_PATIENTS = Decimal("0.5"), Decimal("30")  # 2 nurses per patient … 1 per 30 (a long-stay ward)
MIN_HPPD, MAX_HPPD = Decimal("0.5"), Decimal("48")  # hours of care a patient gets in a day
MAX_MINIMUM = 200  # people on one shift


class StaffingRatio(models.Model):
    """One person of `skill` (or anyone, when empty) on `shift_type` per `patients_per_person` patients of the
    unit's census, or `hours_per_patient_day` × census hours spread over the day's shifts, this shift taking
    `share_percent` of them. Never fewer than `minimum` people. Replaces the unit's weekday pattern for that
    shift and skill while in force; a requirement set for one date still replaces both."""

    class Basis(models.TextChoices):
        PATIENTS = "patients", _("Patients per person")
        HOURS = "hours", _("Hours per patient day")

    department = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="staffing_ratios"
    )
    shift_type = models.ForeignKey(ShiftType, verbose_name=_("shift"), on_delete=models.CASCADE,
                                   related_name="ratios")
    skill = models.ForeignKey(
        Skill, verbose_name=_("skill"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Leave empty to count everyone on the shift."),
    )
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.PATIENTS)
    patients_per_person = models.DecimalField(
        _("patients per person"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(MIN_PATIENTS), MaxValueValidator(MAX_PATIENTS)],
        help_text=_("5 means one person for every 5 patients (1:5)."),
    )
    hours_per_patient_day = models.DecimalField(
        _("hours per patient day"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(MIN_HPPD), MaxValueValidator(MAX_HPPD)],
    )
    share_percent = models.PositiveSmallIntegerField(
        _("share of the day's hours (%)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The part of a patient day's hours this shift covers, e.g. 40 for a day shift."),
    )
    minimum = models.PositiveSmallIntegerField(
        _("never fewer than"), default=0, validators=[MaxValueValidator(MAX_MINIMUM)]
    )
    effective_from = models.DateField(_("from"), validators=[operating_date])
    effective_until = models.DateField(_("until (inclusive)"), null=True, blank=True, validators=[operating_date],
                                       help_text=_("Leave empty until a newer setting replaces it."))
    under_weight = models.PositiveIntegerField(_("weight per person short"), default=100)
    over_weight = models.PositiveIntegerField(_("weight per person over"), default=1)

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "shift_type__start_time", "skill", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis="patients") & Q(patients_per_person__isnull=False)
                           & Q(hours_per_patient_day__isnull=True) & Q(share_percent__isnull=True))
                | (Q(basis="hours") & Q(patients_per_person__isnull=True)
                   & Q(hours_per_patient_day__isnull=False) & Q(share_percent__isnull=False)),
                name="ratio_basis_matches_fields",
                violation_error_message=_(
                    "A ratio gives patients per person; hours per patient day give the hours and this shift's share."
                ),
            ),
            models.CheckConstraint(
                condition=Q(patients_per_person__isnull=True)
                | Q(patients_per_person__gte=MIN_PATIENTS, patients_per_person__lte=MAX_PATIENTS),
                name="ratio_patients_in_range",
                violation_error_message=_("Patients per person run from 0.5 to 30."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_patient_day__isnull=True)
                | Q(hours_per_patient_day__gte=MIN_HPPD, hours_per_patient_day__lte=MAX_HPPD),
                name="ratio_hours_in_range",
                violation_error_message=_("Hours per patient day run from 0.5 to 48."),
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True) | Q(share_percent__gte=1, share_percent__lte=100),
                name="ratio_share_1_to_100",
                violation_error_message=_("A shift's share of the day runs from 1 to 100 %."),
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_from")),
                name="ratio_ends_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "effective_from"], condition=Q(skill__isnull=True),
                name="ratio_unique_start",
                violation_error_message=_("This shift already has a ratio starting that day."),
            ),
            models.UniqueConstraint(
                fields=["shift_type", "skill", "effective_from"], condition=Q(skill__isnull=False),
                name="ratio_unique_start_skill",
                violation_error_message=_("This shift already has a ratio for that skill starting that day."),
            ),
        ]

    def __str__(self):
        who = f" {self.skill.code}" if self.skill_id else ""
        if self.basis == self.Basis.PATIENTS:
            rule = f"1:{self.patients_per_person:g}"
        else:
            rule = f"{self.hours_per_patient_day:g} h/patient day × {self.share_percent} %"
        return f"{self.shift_type.code}{who} {rule} from {self.effective_from}"

    def clean(self):
        if self.shift_type_id and self.department_id and self.shift_type.department_id != self.department_id:
            raise ValidationError({"shift_type": _("Choose a shift type of this unit.")})

    def in_force(self, day) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)


class HppdTarget(models.Model):
    """The nursing hours per patient day a unit aims at, from a date until its next target."""

    department = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="hppd_targets"
    )
    effective_from = models.DateField(_("from"), validators=[operating_date])
    hours_per_patient_day = models.DecimalField(
        _("target hours per patient day"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(MIN_HPPD), MaxValueValidator(MAX_HPPD)],
    )

    objects = UnitScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("HPPD target")
        ordering = ["department", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "effective_from"], name="hppd_target_unique_start",
                violation_error_message=_("This unit already has a target starting that day."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_patient_day__gte=MIN_HPPD, hours_per_patient_day__lte=MAX_HPPD),
                name="hppd_target_in_range",
                violation_error_message=_("Hours per patient day run from 0.5 to 48."),
            ),
        ]

    def __str__(self):
        return f"{self.department.code} {self.hours_per_patient_day:g} h/patient day from {self.effective_from}"
