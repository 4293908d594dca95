"""Actuals: general-ledger lines imported in batches, and each department's units of service."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet

from .budgets import MONEY
from .setup import Account, CatalogueQuerySet, Period


class LedgerBatch(models.Model):
    """One import of a general-ledger extract, named by the ledger's own batch id; or one month's labour
    cost from worked shifts, posted by finance (`finance.services.actuals.post_labour_cost`)."""

    class Source(models.TextChoices):
        LEDGER = "ledger", _("General-ledger extract")
        LABOUR = "labour", _("Labour cost from worked shifts")

    batch_id = models.CharField(_("batch id"), max_length=60, unique=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.LEDGER)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    line_count = models.PositiveIntegerField(default=0)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self):
        return self.batch_id


class LedgerLineQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True)


class LedgerLine(models.Model):
    """A posting: positive is spending (or revenue earned, on revenue accounts)."""

    batch = models.ForeignKey(LedgerBatch, on_delete=models.PROTECT, related_name="lines")
    reference = models.CharField(_("line reference"), max_length=60)
    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    posted_on = models.DateField(_("posted on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("description"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=12, decimal_places=2, null=True, blank=True,
                                help_text=_("Paid or overtime hours behind a labour-cost line."))

    objects = LedgerLineQuerySet.as_manager()

    class Meta:
        ordering = ["posted_on", "pk"]
        indexes = [models.Index(fields=["department", "account", "period"])]
        constraints = [
            models.UniqueConstraint(fields=["batch", "reference"], name="ledger_line_unique_reference"),
        ]

    def __str__(self):
        return f"{self.batch_id}/{self.reference}"


class UnitsQuerySet(ScopedQuerySet):
    scope = Scope(departments=("department",), finance=True)


class ServiceUnits(models.Model):
    """A department's units of service in a month (patient days, exams, visits): what a flexible budget
    scales with. Imported today; a census feed fills patient days for nursing units."""

    department = models.ForeignKey("records.Department", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    unit = models.CharField(_("unit of service"), max_length=40, default="patient days")
    budgeted = models.DecimalField(
        _("budgeted units"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], default=0
    )
    actual = models.DecimalField(
        _("actual units"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)], null=True, blank=True
    )

    objects = UnitsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "month"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="service_units_unique_month"),
            models.CheckConstraint(
                condition=Q(budgeted__gte=0) & (Q(actual__isnull=True) | Q(actual__gte=0)),
                name="service_units_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.department_id} {self.month:%Y-%m} {self.unit}"


class PayPolicy(models.Model):
    """How worked hours are costed: overtime premium, night and weekend differentials, agency mark-up.
    One row, the hospital's policy; changing it re-costs every month when asked."""

    overtime_multiplier = models.DecimalField(
        _("overtime multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.50"),
        validators=[MinValueValidator(1)],
    )
    night_differential = models.DecimalField(
        _("night differential %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15.00"),
        validators=[MinValueValidator(0)],
    )
    weekend_differential = models.DecimalField(
        _("weekend differential %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0)],
    )
    agency_multiplier = models.DecimalField(
        _("agency rate multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.60"),
        validators=[MinValueValidator(1)],
    )
    salaries_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("salaries account"),
        help_text=_("Where posted labour cost goes (base pay and differentials). Empty: payroll comes from the "
                    "general ledger and labour cost is not posted."),
    )
    premium_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("overtime and agency account"),
        help_text=_("Where the overtime premium and the agency mark-up go (empty: the salaries account)."),
    )

    history = HistoricalRecords()

    def __str__(self):
        return "Pay policy"

    @classmethod
    def current(cls) -> PayPolicy:
        return cls.objects.order_by("pk").first() or cls()

    @property
    def roster_account_ids(self) -> set[int]:
        """The accounts whose actuals come from worked shifts once a month's labour cost is posted."""
        return {pk for pk in (self.salaries_account_id, self.premium_account_id) if pk}
