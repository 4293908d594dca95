"""Fiscal years, periods, accounts and authorisation bands."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from .. import access
from ..models import Account, AuthorisationBand, FiscalYear, Period


def _require(allowed: bool, message: str = "") -> None:
    if not allowed:
        raise PermissionDenied(message)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def create_fiscal_year(*, actor, data: dict) -> FiscalYear:
    """A fiscal year of twelve open monthly periods from `start_date` (the first of a month)."""
    _require(access.can_set_up(actor), _("Only finance sets up fiscal years."))
    start = data.get("start_date")
    if start is None or start.day != 1:
        raise ValidationError({"start_date": _("A fiscal year starts on the first day of a month.")})
    end = add_months(start, 12) - dt.timedelta(days=1)
    clash = FiscalYear.objects.filter(start_date__lte=end, end_date__gte=start).first()
    if clash is not None:
        raise ValidationError({"start_date": _("Those months already belong to %(year)s.") % {"year": clash}})
    year = save_checked(FiscalYear(name=data.get("name", ""), start_date=start, end_date=end), "created")
    for number, month in enumerate(year.months, start=1):
        save_checked(Period(fiscal_year=year, number=number, month=month), "created with its year")
    return year


@transaction.atomic
def set_period_closed(*, actor, period: Period, closed: bool) -> Period:
    """Close a month to postings (or reopen it)."""
    _require(access.can_set_up(actor), _("Only finance closes and reopens periods."))
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_closed == closed:
        raise ValidationError(_("The period is already %(state)s.") % {"state": _("closed") if closed else _("open")},
                              code="conflict")
    period.is_closed = closed
    return save_checked(period, f"{'closed' if closed else 'reopened'} by {actor.get_username()}")


def update_period(*, actor, data: dict, period: Period) -> Period:
    if "is_closed" not in data:
        return period
    return set_period_closed(actor=actor, period=period, closed=bool(data["is_closed"]))


@transaction.atomic
def create_account(*, actor, data: dict) -> Account:
    _require(access.can_set_up(actor), _("Only finance keeps the chart of accounts."))
    return save_checked(Account(**data), "created")


@transaction.atomic
def update_account(*, actor, data: dict, account: Account) -> Account:
    _require(access.can_set_up(actor), _("Only finance keeps the chart of accounts."))
    account = Account.objects.select_for_update().get(pk=account.pk)
    for name, value in data.items():
        setattr(account, name, value)
    return save_checked(account, "changed")


@transaction.atomic
def save_band(*, actor, data: dict, band: AuthorisationBand | None = None) -> AuthorisationBand:
    """A level of the authorisation chain. Limits rise with the level; the top level may have none."""
    _require(access.can_set_up(actor), _("Only finance sets the authorisation bands."))
    band = band or AuthorisationBand()
    for name, value in data.items():
        setattr(band, name, value)
    save_checked(band, "band saved")
    bands = list(AuthorisationBand.objects.order_by("level"))
    limits = [b.limit for b in bands]
    if any(limit is None for limit in limits[:-1]) or limits[:-1] != sorted(limits[:-1]) or (
        limits[-1] is not None and len(limits) > 1 and limits[-1] < limits[-2]
    ):
        raise ValidationError(_("Limits must rise with the level, and only the top level may have no limit."))
    return band
