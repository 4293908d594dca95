"""Budgets: one per department and fiscal year in versions; the approved version is "the budget"."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet

from .setup import Account, FiscalYear

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True)


class Budget(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="budgets")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    label = models.CharField(_("label"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = BudgetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__path", "-fiscal_year__start_date", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["department", "fiscal_year", "version"], name="budget_unique_version"),
            models.UniqueConstraint(
                fields=["department", "fiscal_year"], condition=Q(status="approved"),
                name="budget_one_approved_version",
                violation_error_message=_("A department has one approved budget per fiscal year."),
            ),
        ]

    def __str__(self):
        return f"{self.department.code} {self.fiscal_year} v{self.version}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("finance:budget-detail", args=[self.pk])


class BudgetLineQuerySet(ScopedQuerySet):
    scope = Scope(departments=("budget__department",), finance=True)


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        ordering = ["account__gl_code", "month"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "account", "month"], name="budget_line_unique",
                                    violation_error_message=_("That account already has a figure for that month.")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative",
                                   violation_error_message=_("A budget amount cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.budget} {self.account.gl_code} {self.month:%Y-%m}: {self.amount}"


class ExplanationQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True)


class VarianceExplanation(models.Model):
    """A head's word on a variance line over the threshold; the monthly report prints it."""

    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    text = models.TextField(_("explanation"), max_length=2000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now=True)

    objects = ExplanationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "account", "month"], name="variance_explanation_unique"),
        ]

    def __str__(self):
        return f"{self.department_id}/{self.account_id}/{self.month:%Y-%m}"
