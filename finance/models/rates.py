"""The chargemaster: service codes, their prices over time, and proposed bulk price changes."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import operating_date

from .budgets import MONEY

code_validator = RegexValidator(r"^[0-9A-Z][0-9A-Z.\-]{1,19}$", _("Use 2–20 capital letters, digits, dots or dashes."))


class ChargeQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True)


class ChargeCode(models.Model):
    class System(models.TextChoices):
        CPT = "cpt", "CPT"
        HCPCS = "hcpcs", "HCPCS"
        INTERNAL = "internal", _("Internal")

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    system = models.CharField(_("code system"), max_length=10, choices=System.choices, default=System.CPT)
    revenue_code = models.CharField(_("revenue code"), max_length=4,
                                    validators=[RegexValidator(r"^[0-9]{4}$", _("Four digits."))])
    description = models.CharField(_("description"), max_length=200)
    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    objects = ChargeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.description}"


class RateQuerySet(ScopedQuerySet):
    scope = Scope(departments=("code__department",), finance=True)


class ChargeRate(models.Model):
    """A price effective from a date until the day before the next (`valid_to` empty: open-ended).
    Periods of one code never overlap (exclusion constraint on PostgreSQL; the services everywhere)."""

    code = models.ForeignKey(ChargeCode, on_delete=models.CASCADE, related_name="rates")
    price = models.DecimalField(_("price"), **MONEY, validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("effective from"), validators=[operating_date])
    valid_to = models.DateField(_("effective to"), null=True, blank=True, validators=[operating_date])

    objects = RateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                                   name="charge_rate_ends_after_start",
                                   violation_error_message=_("A rate ends on or after the day it starts.")),
            models.CheckConstraint(condition=Q(price__gte=0), name="charge_rate_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.code_id} {self.price} from {self.valid_from}"

    def clean(self):
        if self.code_id is None or self.valid_from is None or (self.valid_to and self.valid_to < self.valid_from):
            return
        others = ChargeRate.objects.filter(code_id=self.code_id).exclude(pk=self.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        if others.exists():
            raise ValidationError(_("That period overlaps another price of this code."))


class VolumeQuerySet(ScopedQuerySet):
    scope = Scope(departments=("code__department",), finance=True)


class ServiceVolume(models.Model):
    """How many times a code was charged in a month (imported service counts)."""

    code = models.ForeignKey(ChargeCode, on_delete=models.CASCADE, related_name="volumes")
    month = models.DateField(_("month"))
    quantity = models.PositiveIntegerField(_("quantity"))

    objects = VolumeQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "month"], name="service_volume_unique_month")]

    def __str__(self):
        return f"{self.code_id} {self.month:%Y-%m}: {self.quantity}"


class RateChangeQuerySet(ScopedQuerySet):
    scope = Scope(finance=True)


class RateChange(models.Model):
    """A proposed bulk change: +N % for a department's codes or a code range, from a date. It takes
    effect only when finance approves it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    percent = models.DecimalField(_("change %"), max_digits=6, decimal_places=2,
                                  validators=[MinValueValidator(-90)])
    effective_from = models.DateField(_("effective from"), validators=[operating_date])
    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    code_from = models.CharField(_("first code"), max_length=20, blank=True)
    code_to = models.CharField(_("last code"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RateChangeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=-90) & Q(percent__lte=500),
                                   name="rate_change_sane_percent"),
        ]

    def __str__(self):
        return f"{self.percent:+}% from {self.effective_from}"

    def clean(self):
        if not self.department_id and not (self.code_from and self.code_to):
            raise ValidationError(_("Choose a department or a code range."))
        if self.code_from and self.code_to and self.code_from > self.code_to:
            raise ValidationError({"code_to": _("The last code comes after the first.")})
