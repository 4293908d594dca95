"""Fiscal years and their monthly periods, and the chart of accounts. Cost centres are departments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hospital_ops.scoping import Scope, ScopedQuerySet
from hospital_ops.validators import operating_date

gl_code_validator = RegexValidator(
    r"^[0-9A-Z][0-9A-Z.\-]{1,19}$", _("Use 2–20 capital letters, digits, dots or dashes.")
)


class CatalogueQuerySet(ScopedQuerySet):
    """Fiscal calendar and chart of accounts: everyone with a role reads them (board members don't)."""

    scope = Scope(shared=Q(pk__isnull=False))


class FiscalYear(models.Model):
    """A fiscal year of twelve monthly periods, starting on the first day of a month."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    start_date = models.DateField(_("first day"), validators=[operating_date])
    end_date = models.DateField(_("last day"), validators=[operating_date])

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="fiscal_year_ends_after_it_starts",
                violation_error_message=_("A fiscal year ends after it starts."),
            ),
            models.UniqueConstraint(fields=["start_date"], name="fiscal_year_unique_start",
                                    violation_error_message=_("A fiscal year already starts on that day.")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.start_date.day != 1:
            raise ValidationError({"start_date": _("A fiscal year starts on the first day of a month.")})

    @property
    def months(self) -> list[dt.date]:
        first, result = self.start_date, []
        while first <= self.end_date:
            result.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return result


class Period(models.Model):
    """One month of a fiscal year. A closed period takes no new postings."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"))
    month = models.DateField(_("month"), help_text=_("The first day of the calendar month."))
    is_closed = models.BooleanField(_("closed"), default=False)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["month"], name="period_unique_month",
                                    violation_error_message=_("That month already has a period.")),
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="period_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=12), name="period_number_1_to_12"),
        ]

    def __str__(self):
        return f"{self.fiscal_year.name} P{self.number:02d} ({self.month:%b %Y})"


class Account(models.Model):
    """A general-ledger account. Variable accounts scale with a department's units of service in the
    flexible budget; fixed ones do not."""

    class Kind(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        SALARIES = "salaries", _("Salaries")
        BENEFITS = "benefits", _("Benefits")
        SUPPLIES = "supplies", _("Supplies")
        DRUGS = "drugs", _("Drugs")
        EQUIPMENT = "equipment", _("Equipment")
        SERVICES = "services", _("Purchased services")
        OTHER = "other", _("Other")

    gl_code = models.CharField(_("GL code"), max_length=20, unique=True, validators=[gl_code_validator])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    is_variable = models.BooleanField(
        _("variable"), default=False, help_text=_("Scales with units of service in the flexible budget.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CatalogueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["gl_code"]

    def __str__(self):
        return f"{self.gl_code} · {self.name}"
