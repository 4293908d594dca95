"""Medical and building equipment: the kind catalogue, the asset register, preventive maintenance plans,
work orders, operating schedules and the usage sessions of diagnostic equipment."""

from __future__ import annotations

import datetime as dt
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
from hospital_ops.validators import operating_date, record_date
from records import access as roles
from records.models import Department, code_validator

from .registry import Room

__all__ = ["Asset", "Criticality", "EquipmentKind", "MaintenancePlan", "OperatingHours", "UsageSession", "WorkOrder"]

MAX_MONEY = Decimal("99999999.99")


class ServiceQueueQuerySet(ScopedQuerySet):
    """Rows a department sees through its scope, and which maintenance technicians (who work in every
    building) see everywhere."""

    def visible_to(self, user):
        if user is not None and user.is_authenticated and roles.in_group(user, roles.MAINTENANCE_TECHNICIAN):
            return self.all()
        return super().visible_to(user)


class Criticality(models.TextChoices):
    LIFE_SUPPORT = "life_support", _("Life support")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class EquipmentKindQuerySet(ScopedQuerySet):
    scope = Scope(hospital_wide=True)


class EquipmentKind(models.Model):
    """A line of the equipment catalogue: infusion pump, ventilator, CT scanner..."""

    class Modality(models.TextChoices):
        NONE = "", _("Not diagnostic")
        CT = "ct", _("Computed tomography")
        MRI = "mri", _("Magnetic resonance")
        XRAY = "xray", _("X-ray")
        ULTRASOUND = "us", _("Ultrasound")
        ENDOSCOPY = "endo", _("Endoscopy")
        LABORATORY = "lab", _("Laboratory analyser")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    modality = models.CharField(
        _("diagnostic modality"), max_length=10, choices=Modality.choices, blank=True,
        help_text=_("Diagnostic equipment has a modality; its utilisation is measured."),
    )
    default_criticality = models.CharField(
        _("usual criticality"), max_length=20, choices=Criticality.choices, default=Criticality.MEDIUM
    )

    objects = EquipmentKindQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_diagnostic(self) -> bool:
        return bool(self.modality)


class AssetQuerySet(ServiceQueueQuerySet):
    scope = Scope(departments=("department",))


class Asset(models.Model):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")
        UNDER_MAINTENANCE = "under_maintenance", _("Under maintenance")
        RETIRED = "retired", _("Retired")

    tag = models.CharField(_("asset tag"), max_length=30, unique=True, validators=[code_validator])
    kind = models.ForeignKey(EquipmentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="assets")
    manufacturer = models.CharField(_("manufacturer"), max_length=120)
    model_name = models.CharField(_("model"), max_length=120, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("owning department"), on_delete=models.PROTECT, related_name="assets"
    )
    room = models.ForeignKey(
        Room, verbose_name=_("location"), on_delete=models.PROTECT, related_name="assets", null=True, blank=True
    )
    criticality = models.CharField(_("criticality"), max_length=20, choices=Criticality.choices,
                                   default=Criticality.MEDIUM)
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True, validators=[record_date])
    acquisition_cost = models.DecimalField(
        _("acquisition cost"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)],
    )
    expected_life_years = models.PositiveSmallIntegerField(
        _("expected life (years)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    objects = AssetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["tag"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "serial_number"], condition=~Q(serial_number=""),
                name="asset_unique_serial_per_manufacturer",
                violation_error_message=_("This manufacturer already has an asset with this serial number."),
            ),
            models.CheckConstraint(
                condition=Q(acquisition_cost__isnull=True) | Q(acquisition_cost__gte=0),
                name="asset_cost_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="asset_department_status_idx"),
            models.Index(fields=["kind", "status"], name="asset_kind_status_idx"),
        ]

    def __str__(self):
        return f"{self.tag} · {self.kind.name}"

    def get_absolute_url(self):
        return reverse("facilities:asset-detail", args=[self.pk])

    @property
    def end_of_life(self) -> dt.date | None:
        if not (self.acquired_on and self.expected_life_years):
            return None
        try:
            return self.acquired_on.replace(year=self.acquired_on.year + self.expected_life_years)
        except ValueError:  # 29 February
            return self.acquired_on.replace(year=self.acquired_on.year + self.expected_life_years, day=28)

    @property
    def is_down(self) -> bool:
        return self.status in (self.Status.OUT_OF_SERVICE, self.Status.UNDER_MAINTENANCE)


class OperatingHoursQuerySet(ServiceQueueQuerySet):
    scope = Scope(departments=("asset__department",))


class OperatingHours(models.Model):
    """When a diagnostic asset is staffed to run on a weekday: from `opens`, for `hours` (may run past
    midnight; 24 is round the clock). Its available hours are these minus downtime."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE, related_name="operating_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)],
                                               help_text=_("0 is Monday."))
    opens = models.TimeField(_("opens"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))])

    objects = OperatingHoursQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["asset", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "weekday"], name="operating_hours_one_per_weekday",
                                    violation_error_message=_("This asset already has hours for this weekday.")),
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(hours__lte=24) & Q(weekday__lte=6),
                                   name="operating_hours_in_a_day"),
        ]

    def __str__(self):
        return f"{self.asset_id} {self.weekday} {self.opens:%H:%M} +{self.hours}h"


class MaintenancePlanQuerySet(ServiceQueueQuerySet):
    """A plan for one asset is seen with the asset; a plan for a whole kind by everyone with a role."""

    scope = Scope(departments=("asset__department",), shared=Q(asset__isnull=True))


class MaintenancePlan(models.Model):
    """Preventive maintenance for one asset or every asset of a kind: every `interval_days` from
    `starts_on`, or after `interval_hours` of use (diagnostic equipment)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.ForeignKey(EquipmentKind, verbose_name=_("kind"), on_delete=models.PROTECT,
                             related_name="maintenance_plans", null=True, blank=True)
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.CASCADE,
                              related_name="maintenance_plans", null=True, blank=True)
    tasks = models.TextField(_("tasks"), max_length=4000, help_text=_("One task a line."))
    interval_days = models.PositiveIntegerField(
        _("every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3660)]
    )
    interval_hours = models.PositiveIntegerField(
        _("every (hours of use)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    starts_on = models.DateField(_("first due"), validators=[operating_date])
    is_active = models.BooleanField(_("active"), default=True)

    objects = MaintenancePlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__isnull=True, asset__isnull=False) | Q(kind__isnull=False, asset__isnull=True),
                name="maintenance_plan_kind_or_asset",
                violation_error_message=_("A plan is for one kind of equipment or for one asset."),
            ),
            models.CheckConstraint(
                condition=(Q(interval_days__isnull=False) & Q(interval_hours__isnull=True))
                | (Q(interval_days__isnull=True) & Q(interval_hours__isnull=False)),
                name="maintenance_plan_one_interval",
                violation_error_message=_("Give an interval in days or in hours of use, not both."),
            ),
        ]

    def __str__(self):
        return self.name

    def due_on_or_before(self, day: dt.date) -> dt.date | None:
        """The latest due date of a calendar plan on or before `day` (None before the first)."""
        if not self.interval_days or day < self.starts_on:
            return None
        steps = (day - self.starts_on).days // self.interval_days
        return self.starts_on + dt.timedelta(days=steps * self.interval_days)


class WorkOrderQuerySet(ServiceQueueQuerySet):
    scope = Scope(departments=("asset__department",))


class WorkOrder(models.Model):
    class Kind(models.TextChoices):
        CORRECTIVE = "corrective", _("Corrective")
        PREVENTIVE = "preventive", _("Preventive")

    class Priority(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_HOLD = "on_hold", _("On hold")
        COMPLETED = "completed", _("Completed")
        VERIFIED = "verified", _("Verified")

    OPEN_STATUSES = (Status.OPEN, Status.ASSIGNED, Status.IN_PROGRESS, Status.ON_HOLD)

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="work_orders")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTIVE)
    plan = models.ForeignKey(MaintenancePlan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="work_orders", null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True, validators=[operating_date])
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    takes_out_of_service = models.BooleanField(
        _("equipment unusable"), default=False, help_text=_("The fault stops the equipment being used."),
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"),
                                    on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("completed by"),
                                     on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"),
                                    on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    downtime_start = models.DateTimeField(_("downtime from"), null=True, blank=True)
    downtime_end = models.DateTimeField(_("downtime until"), null=True, blank=True)
    labour_hours = models.DecimalField(_("labour hours"), max_digits=6, decimal_places=2, default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("2000"))])
    parts_cost = models.DecimalField(_("parts cost"), max_digits=10, decimal_places=2, default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_MONEY)])
    notes = models.TextField(_("notes"), max_length=4000, blank=True)

    objects = WorkOrderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "asset", "due_on"], condition=Q(plan__isnull=False),
                name="work_order_once_per_plan_due_date",
                violation_error_message=_("This plan already has a work order for this asset and due date."),
            ),
            models.CheckConstraint(
                condition=Q(kind="corrective") | Q(plan__isnull=False),
                name="work_order_preventive_has_plan",
                violation_error_message=_("A preventive work order comes from a plan."),
            ),
            models.CheckConstraint(
                condition=Q(downtime_end__isnull=True) | Q(downtime_end__gte=F("downtime_start")),
                name="work_order_downtime_ordered",
                violation_error_message=_("Downtime ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(labour_hours__gte=0) & Q(parts_cost__gte=0), name="work_order_costs_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["asset", "status"], name="work_order_asset_status_idx"),
            models.Index(fields=["status", "due_on"], name="work_order_status_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="work_order_newest_first_idx"),
        ]

    def __str__(self):
        return f"WO-{self.pk} · {self.title}"

    def get_absolute_url(self):
        return reverse("facilities:work-order-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class UsageSessionQuerySet(ServiceQueueQuerySet):
    scope = Scope(departments=("asset__department",))


class UsageSession(models.Model):
    """One exam on a diagnostic asset, as the sending system reported it (idempotent by its id)."""

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="sessions")
    sender_id = models.CharField(_("sender's id"), max_length=80, unique=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    exam_type = models.CharField(_("exam type"), max_length=80, blank=True)

    objects = UsageSessionQuerySet.as_manager()

    class Meta:
        ordering = ["asset", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="usage_session_ends_after_start",
                                   violation_error_message=_("A session ends after it starts.")),
        ]
        indexes = [models.Index(fields=["asset", "starts_at"], name="usage_session_asset_start_idx")]

    def __str__(self):
        return f"{self.sender_id} {self.asset_id} {self.starts_at:%Y-%m-%d %H:%M}"
