"""Expenditure requests and their authorisation chain. Who approves what is data: the bands."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet

from .budgets import MONEY
from .setup import Account, CatalogueQuerySet


class AuthorisationBand(models.Model):
    """Level n of the chain: who holds it (role) and up to which total they may approve (empty: no limit).
    A request needs the lowest level whose limit covers its total."""

    class Role(models.TextChoices):
        HEAD = "head", _("Department head")
        OPERATIONS = "operations", _("Operations manager")
        FINANCE = "finance", _("Finance officer")

    level = models.PositiveSmallIntegerField(_("level"), unique=True, validators=[MinValueValidator(1)])
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, unique=True)
    limit = models.DecimalField(_("up to"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)])

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1), name="band_level_positive"),
        ]

    def __str__(self):
        return f"{self.level}: {self.get_role_display()}"


class ExpenditureQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True, owner="raised_by")


class ExpenditureRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        ORDERED = "ordered", _("Ordered")
        RECEIVED = "received", _("Received")
        PAID = "paid", _("Paid")
        DENIED = "denied", _("Denied")
        CANCELLED = "cancelled", _("Cancelled")

    COMMITTED = (Status.APPROVED, Status.ORDERED, Status.RECEIVED)
    NEXT = {Status.APPROVED: Status.ORDERED, Status.ORDERED: Status.RECEIVED, Status.RECEIVED: Status.PAID}

    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The budget month it is charged to (first day)."))
    vendor = models.CharField(_("vendor"), max_length=120)
    justification = models.TextField(_("justification"), max_length=4000)
    total = models.DecimalField(_("total"), **MONEY, default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    required_level = models.PositiveSmallIntegerField(_("required level"), default=1)
    escalation_reason = models.TextField(_("over-budget reason"), max_length=2000, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    denial_reason = models.TextField(_("reason for denial"), max_length=2000, blank=True)

    objects = ExpenditureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["department", "month", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="expenditure_total_not_negative"),
        ]

    def __str__(self):
        return f"EXP-{self.pk} {self.vendor}"

    def get_absolute_url(self):
        return reverse("finance:expenditure-detail", args=[self.pk])


class ExpenditureLine(models.Model):
    request = models.ForeignKey(ExpenditureRequest, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_line_amount_positive",
                                   violation_error_message=_("A line's amount must be above zero.")),
        ]

    def __str__(self):
        return f"{self.account_id}: {self.amount}"


class AmountRaise(models.Model):
    """Someone raised a request's total: they may no longer approve it."""

    request = models.ForeignKey(ExpenditureRequest, on_delete=models.CASCADE, related_name="raises")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old_total = models.DecimalField(**MONEY)
    new_total = models.DecimalField(**MONEY)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.request_id}: {self.old_total} → {self.new_total}"


class Approval(models.Model):
    """One approval at one level of the chain: a request has at most one per level."""

    request = models.ForeignKey(ExpenditureRequest, on_delete=models.CASCADE, related_name="approvals")
    level = models.PositiveSmallIntegerField(_("level"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)
    over_budget_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["request", "level"], name="approval_one_per_level",
                                    violation_error_message=_("This level has already approved the request.")),
        ]

    def __str__(self):
        return f"{self.request_id} L{self.level} by {self.approver_id}"


def attachment_path(instance, filename):
    return f"finance/expenditures/{instance.request_id}/{filename}"


class Attachment(models.Model):
    request = models.ForeignKey(ExpenditureRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
