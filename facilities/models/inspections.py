"""Facility inspections: checklist templates by area, recurring schedules per building or unit, the
inspections themselves with their results and photos, the findings that failures open (each carrying
its corrective action), and recommendations to modify a building or its equipment."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import operating_date
from records import access as roles
from records.models import Department

from .equipment import MAX_MONEY, Asset, WorkOrder
from .registry import Building, Room

__all__ = [
    "Area", "Finding", "Inspection", "InspectionPhoto", "InspectionResult", "InspectionSchedule",
    "InspectionTemplate", "Recommendation", "Shift", "TemplateItem",
]


class Area(models.TextChoices):
    FIRE_LIFE_SAFETY = "fire_life_safety", _("Fire and life safety")
    INFECTION_CONTROL = "infection_control", _("Infection control and sanitation")
    EMERGENCY_READINESS = "emergency_readiness", _("Emergency readiness")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    HAZARDOUS_MATERIALS = "hazardous_materials", _("Hazardous materials")
    SECURITY = "security", _("Security")


class Shift(models.TextChoices):
    DAY = "day", _("Day")
    EVENING = "evening", _("Evening")
    NIGHT = "night", _("Night")


class InspectorQueueQuerySet(ScopedQuerySet):
    """Rows a department sees through its scope, and which inspectors (who walk every building) see
    everywhere."""

    def visible_to(self, user):
        if user is not None and user.is_authenticated and roles.in_group(user, roles.INSPECTOR):
            return self.all()
        return super().visible_to(user)


class TemplateQuerySet(ScopedQuerySet):
    scope = Scope(hospital_wide=True)


class InspectionTemplate(models.Model):
    class Purpose(models.TextChoices):
        ROUNDS = "rounds", _("Environment-of-care rounds")
        FIRE_DRILL = "fire_drill", _("Fire drill")
        GENERATOR_TEST = "generator_test", _("Generator load test")
        OTHER = "other", _("Other inspection")

    name = models.CharField(_("name"), max_length=120, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.ROUNDS)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateItem(models.Model):
    template = models.ForeignKey(InspectionTemplate, verbose_name=_("template"), on_delete=models.CASCADE,
                                 related_name="items")
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("check"), max_length=300)
    regulation_reference = models.CharField(_("regulation reference"), max_length=120, blank=True,
                                            help_text=_("e.g. NFPA 101 7.1.10, Joint Commission EC.02.03.05, ADA 404"))
    guidance = models.TextField(_("guidance"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("in use"), default=True,
                                    help_text=_("A check no longer asked: inspections already done keep it."))

    objects = TemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "area", "position", "pk"]

    def __str__(self):
        return self.text


class InspectionScheduleQuerySet(InspectorQueueQuerySet):
    scope = Scope(departments=("department",))


class InspectionSchedule(models.Model):
    """A recurring inspection of a building or a unit: every `every_months` months (0 for weekly), once
    per shift when `per_shift`."""

    template = models.ForeignKey(InspectionTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="schedules")
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="inspection_schedules", null=True, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("unit"), on_delete=models.PROTECT,
                                   related_name="inspection_schedules", null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=1,
                                                    validators=[MinValueValidator(1), MaxValueValidator(24)])
    per_shift = models.BooleanField(_("once per shift"), default=False)
    starts_on = models.DateField(_("first due"), validators=[operating_date])
    is_active = models.BooleanField(_("active"), default=True)

    objects = InspectionScheduleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=True, department__isnull=False)
                | Q(building__isnull=False, department__isnull=True),
                name="inspection_schedule_building_or_unit",
                violation_error_message=_("A schedule covers one building or one unit."),
            ),
        ]

    def __str__(self):
        return f"{self.template} · {self.building or self.department}"


class InspectionQuerySet(InspectorQueueQuerySet):
    scope = Scope(departments=("department",))


class Inspection(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    template = models.ForeignKey(InspectionTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="inspections")
    schedule = models.ForeignKey(InspectionSchedule, verbose_name=_("schedule"), on_delete=models.SET_NULL,
                                 related_name="inspections", null=True, blank=True)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="inspections")
    department = models.ForeignKey(Department, verbose_name=_("unit"), on_delete=models.PROTECT,
                                   related_name="inspections", null=True, blank=True)
    due_on = models.DateField(_("due"), validators=[operating_date])
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "due_on", "shift"], condition=Q(schedule__isnull=False),
                name="inspection_once_per_schedule_due_date",
                violation_error_message=_("This schedule already has an inspection for this date and shift."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="inspection_status_due_idx")]

    def __str__(self):
        where = self.department.name if self.department_id else self.building.name
        return f"{self.template.name} · {where} · {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("facilities:inspection-detail", args=[self.pk])


class ResultQuerySet(InspectorQueueQuerySet):
    scope = Scope(departments=("inspection__department",))


class InspectionResult(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        NOT_APPLICABLE = "na", _("Not applicable")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="results")
    item = models.ForeignKey(TemplateItem, verbose_name=_("check"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "item__area", "item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_result_once_per_item"),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_outcome_display() or '—'}"


def photo_path(instance, filename: str) -> str:
    return f"inspections/{instance.result.inspection_id}/{instance.result_id}/{filename}"


class PhotoQuerySet(InspectorQueueQuerySet):
    scope = Scope(departments=("result__inspection__department",))


class InspectionPhoto(models.Model):
    result = models.ForeignKey(InspectionResult, verbose_name=_("result"), on_delete=models.CASCADE,
                               related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["result", "pk"]

    def __str__(self):
        return self.image.name


class FindingQuerySet(InspectorQueueQuerySet):
    """A finding is seen by its department, by the owner of its corrective action, and by inspectors."""

    scope = Scope(departments=("department",), owner="owner")


class Finding(models.Model):
    """A failed check and the corrective action that answers it. It closes only when the action is done
    and verified by someone other than whoever did it (checked by the database)."""

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTION_DONE = "action_done", _("Action done, awaiting verification")
        CLOSED = "closed", _("Closed")

    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="findings")
    result = models.OneToOneField(InspectionResult, verbose_name=_("failed check"), on_delete=models.PROTECT,
                                  related_name="finding", null=True, blank=True)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="findings")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="findings", null=True, blank=True)
    room = models.ForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="findings",
                             null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    regulation_reference = models.CharField(_("regulation reference"), max_length=120, blank=True)
    description = models.TextField(_("what was found"), max_length=4000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("found at"), default=timezone.now)
    # The corrective action
    action = models.TextField(_("corrective action"), max_length=4000, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("action owner"), on_delete=models.PROTECT,
                              related_name="owned_findings", null=True, blank=True)
    due_on = models.DateField(_("action due"), null=True, blank=True, validators=[operating_date])
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.SET_NULL,
                                   related_name="findings", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), max_length=4000, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"),
                                    on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(done_by__isnull=False) & Q(verified_by__isnull=False) & ~Q(verified_by=F("done_by"))),
                name="finding_closed_after_four_eyes",
                violation_error_message=_("A finding closes only once its action is done and verified by someone "
                                          "other than whoever did it."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_by__isnull=False),
                name="finding_action_done_has_doer",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="finding_status_due_idx")]

    def __str__(self):
        return f"F-{self.pk} · {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("facilities:finding-detail", args=[self.pk])


class RecommendationQuerySet(InspectorQueueQuerySet):
    scope = Scope(departments=("department",))


class Recommendation(models.Model):
    """A proposed modification of a building or of equipment, for readiness or compliance."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        DONE = "done", _("Done")

    title = models.CharField(_("title"), max_length=200)
    justification = models.TextField(_("justification"), max_length=4000)
    estimated_cost = models.DecimalField(_("estimated cost"), max_digits=12, decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)])
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.SET_NULL,
                                related_name="recommendations", null=True, blank=True)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="recommendations", null=True, blank=True)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="recommendations", null=True, blank=True)
    asset = models.ForeignKey(Asset, verbose_name=_("equipment"), on_delete=models.PROTECT,
                              related_name="recommendations", null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_cost__gte=0), name="recommendation_cost_not_negative"),
        ]

    def __str__(self):
        return self.title
